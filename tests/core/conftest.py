"""The case loop's cast and catalogue, for the tests of photos and the media view."""

from tests.cases.conftest import catalogue, people, report  # noqa: F401  (shared fixtures)
