from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone


@pytest.fixture(scope="package")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Any:
    # Seeding the whole district takes most of a minute: once for the demo tests, cleaned up
    # after them.
    with django_db_blocker.unblock():
        started = timezone.localtime()
        call_command("seed_demo", "--reset")
        # When it was seeded: the demo's "today" is the day its seed ran.
        yield started, timezone.localtime()
        # Everything the seed committed goes, catalogue and calendar included: tests that run
        # after these in the same worker start from an empty database.
        call_command("flush", interactive=False, verbosity=0)
