"""Screenshots of 原点在线 for the README: the resident home in the standard mode and in 长辈版,
and the report journey (form, confirmation, the case rated, a report queued offline).

They come from the browser tests that check those pages (Chromium 390 × 844, zh-CN), so a
picture in the README is always one the tests have just judged:

    python docs/resident_screenshots.py
"""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
OUT = ROOT / "docs" / "images"
SHOTS = {
    "resident-home-standard": "resident-home.png",
    "resident-home-elderly": "resident-home-elderly.png",
    "report-form": "resident-report-form.png",
    "report-confirmation": "resident-report-confirmation.png",
    "report-case-rated": "resident-case-rated.png",
    "report-queued": "resident-report-queued.png",
}


def main() -> int:
    tests = ["tests/browser/test_resident_a11y.py", "tests/browser/test_report_journey.py"]
    # A fixed command line of this repository's own tests, nothing from outside.
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", *tests], cwd=ROOT
    )
    if done.returncode != 0:
        print("the browser tests failed: no screenshots copied", file=sys.stderr)
        return done.returncode
    OUT.mkdir(parents=True, exist_ok=True)
    for name, target in SHOTS.items():
        shutil.copyfile(ARTIFACTS / f"{name}.png", OUT / target)
        print(OUT / target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
