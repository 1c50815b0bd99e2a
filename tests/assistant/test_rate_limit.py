"""Questions to 小原 are rate limited per person, with a Chinese 429."""

from typing import Any

from django.core.cache import cache
from django.test import Client

ASK = "/api/v1/assistant/ask"


def test_asking_too_fast_gets_a_chinese_429(kb: Any, cast: dict[str, Any], settings: Any) -> None:
    settings.RATELIMIT_ENABLE = True
    # Per hour, not per minute: django-ratelimit's window ends at a second of its own for each
    # person, and one of a minute fell between the second and third question often enough to
    # fail a run; an hour's window gives the seconds these questions take sixty times less room.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "assistant_ask": "2/h"}
    cache.clear()
    resident = Client()
    resident.force_login(cast["resident"])
    asks = [
        resident.post(ASK, {"question": "居住证怎么办理"}, content_type="application/json")
        for _ in range(3)
    ]
    assert [a.status_code for a in asks] == [200, 200, 429]
    assert asks[2].json() == {"detail": "操作过于频繁，请稍后再试"}
    other = Client()
    other.force_login(cast["outsider"])
    assert other.post(ASK, {"question": "低保"}, content_type="application/json").status_code == 200
    cache.clear()
