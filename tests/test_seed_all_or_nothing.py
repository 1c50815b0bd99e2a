"""`seed_demo` stopped part-way leaves nothing behind, so the next plain run seeds a whole demo
instead of refusing a half one as already there."""

from typing import Any

import pytest
from django.core.management import call_command

from wangge.demo import seed
from wangge.grids.models import Building, GridNode

pytestmark = pytest.mark.django_db


def test_a_seed_that_fails_part_way_leaves_no_demo(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seed.reset()  # whatever an earlier test of this worker committed

    def fails(**_: Any) -> None:
        raise RuntimeError("断电")

    # The first step after the grids, the buildings, the staff and the catalogue are written.
    monkeypatch.setattr(seed, "default_rules_load", fails)
    with pytest.raises(RuntimeError):
        call_command("seed_demo")
    assert not GridNode.objects.filter(is_sample=True).exists()
    assert not Building.objects.filter(micro_grid__is_sample=True).exists()
    capsys.readouterr()
