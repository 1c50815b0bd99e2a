"""What a web process loads when it starts: a client library the product calls only where a
district has set something up (WeChat, its own model, a camera gateway) is imported on first
use, not in every worker."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

_LOADED = """
import sys
import django
django.setup()
import wangge.urls
from django.urls import get_resolver
get_resolver().reverse_dict
print(sorted(m for m in ("httpx", "rich", "click", "pygments") if m in sys.modules))
"""


@pytest.mark.no_database
def test_a_web_process_starts_without_the_http_client_and_what_it_brings() -> None:
    # httpx imports rich, click and pygments when they are installed: about 15 MB in a worker.
    out = subprocess.run(
        [sys.executable, "-c", _LOADED],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "wangge.settings"},
    ).stdout
    assert out.strip() == "[]"
