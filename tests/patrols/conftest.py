from tests.cases.conftest import catalogue, people, report  # noqa: F401  (shared fixtures)
