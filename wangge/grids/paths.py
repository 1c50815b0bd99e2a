"""Every column outside the grid table that holds a grid path (a node's `path`, or the path of
the node a row is scoped to). Scope is a prefix match on these columns, so when 网格调整 moves a
node to another parent (import_grids), the rows scoped to it and to everything under it must
take the new prefix in the same transaction, or they would drop out of their new street's and
community's views and stay in the old ones. tests/grids/test_paths.py compares this list with
the models, so a new path column cannot be left out."""

from django.apps import apps
from django.db.models import CharField, Value
from django.db.models.functions import Concat, Substr

from wangge.grids.models import LEVEL_RANK, GridLevel, GridNode

GRID_PATH_COLUMNS: tuple[tuple[str, str], ...] = (
    ("accounts.ResidenceClaim", "grid_path"),
    ("cases.Case", "grid_path"),
    ("circles.Post", "grid_path"),
    ("enterprises.Enterprise", "grid_path"),
    ("enterprises.Enterprise", "exclusive_path"),
    ("enterprises.EnterpriseVisit", "grid_path"),
    ("enterprises.EnterpriseVisit", "exclusive_path"),
    ("kitchen.Alert", "grid_path"),
    ("kitchen.Delivery", "grid_path"),
    ("kitchen.Enrolment", "grid_path"),
    ("kitchen.Kitchen", "grid_path"),
    ("kitchen.MealPlan", "grid_path"),
    ("ledgers.Facility", "grid_path"),
    ("ledgers.Inspection", "grid_path"),
    ("ledgers.Organisation", "grid_path"),
    ("ledgers.Survey", "grid_path"),
    ("ledgers.Topic", "grid_path"),
    ("market.Listing", "grid_path"),
    ("moderation.ContentCheck", "grid_path"),
    ("notices.Notice", "grid_path"),
    ("ops.UnitFigures", "unit_path"),
    ("partners.Need", "grid_path"),
    ("partners.PartnerUnit", "grid_path"),
    ("partners.Project", "grid_path"),
    ("partners.PropertyCompound", "grid_path"),
    ("patrols.Patrol", "grid_path"),
    ("patrols.PatrolReport", "grid_path"),
    ("rankings.OrgPeriodScore", "grid_path"),
    ("rankings.PeriodScore", "home_path"),
    ("residents.Dispute", "grid_path"),
    ("residents.GroupTag", "grid_path"),
    ("residents.Household", "grid_path"),
    ("residents.Person", "grid_path"),
    ("residents.SecurityTag", "grid_path"),
    ("residents.Visit", "grid_path"),
    ("residents.Wish", "grid_path"),
    ("video.VideoAlert", "grid_path"),
    ("volunteering.Task", "grid_path"),
)


# Columns that name a row's street and community: the ancestors at those levels of the node
# its path ends in, kept beside the path so that the KPI counts group by one id and a street's
# list reads one index (`(street, created_at)`). They follow a move as the path does.
# A node of a level at or above one of these (`LEVEL_RANK`) is its rows' ancestor there, or
# holds those ancestors in its subtree: moving it leaves that column as it was.
ANCESTOR_COLUMNS: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("cases.Case", "grid_path", {GridLevel.STREET: "street", GridLevel.COMMUNITY: "community"}),
)


def with_new_prefix(field: str, old: str, new: str) -> Concat:
    """`field` with its leading `old` replaced by `new` (rows selected by `startswith=old`)."""
    return Concat(Value(new), Substr(field, len(old) + 1), output_field=CharField())


def rewrite_scoped_paths(old: str, new: str) -> None:
    """Give every row scoped to the subtree at `old` the prefix `new`."""
    for label, field in GRID_PATH_COLUMNS:
        apps.get_model(label)._default_manager.filter(**{f"{field}__startswith": old}).update(
            **{field: with_new_prefix(field, old, new)}
        )


def follow_ancestors(level: str, new: str) -> None:
    """Give every row under the node now at `new` (of `level`) the street and community that
    path lies in (none when it lies in none: an exclusive grid under a street has no community).
    The nodes of `new` must be written already."""
    levels = {at for _label, _path, fields in ANCESTOR_COLUMNS for at in fields}
    codes = [code for code in new.split("/") if code]
    found = dict(
        GridNode.objects.filter(code__in=codes[:-1], level__in=levels).values_list("level", "pk")
    )
    for label, path_field, fields in ANCESTOR_COLUMNS:
        changes = {
            field: found.get(at)
            for at, field in fields.items()
            if LEVEL_RANK[level] > LEVEL_RANK[at]
        }
        if changes:
            apps.get_model(label)._default_manager.filter(
                **{f"{path_field}__startswith": new}
            ).update(**changes)
