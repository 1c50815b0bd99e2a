"""The earning rules are seeded by a data migration; restore them after a flush."""

from tests.volunteering.conftest import earning_rules  # noqa: F401  (autouse fixture)
