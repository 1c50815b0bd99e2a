"""变更历史: the append-only history (django-simple-history) of the sensitive registers — persons,
households, special groups, GB/T 31000 security tags, grid nodes and role grants — as the
auditor reads it.

Each history row is scoped by where its data was when it was written: the row's own
`grid_path` (or the node's `path`), so an auditor of one street sees that street's changes and
nothing of another's, even after a person moved on. Role grants are scoped by their node.

The registers are named by label, not imported: audit sits beside residents in the layers
(docs/architecture.md), and a label is all it needs to reach a model's history table.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Model, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wangge.core.logging import redact
from wangge.core.scope import scope_q

# A grid worker's role does not open the security tags; only the permission an administrator
# grants one by one does (residents.selectors.may_see_security). Auditors need it too.
SECURITY_PERMISSION = "residents.view_securitytag"

ACTIONS = {"+": gettext_lazy("新增"), "~": gettext_lazy("修改"), "-": gettext_lazy("删除")}


def _name(row: Any, relation: str, attr: str = "name") -> str:
    """A related object's name on a history row, or its id when it no longer exists."""
    try:
        related = getattr(row, relation)
    except Exception:  # the history keeps ids of rows that may have gone (no constraint)
        related = None
    if related is None:
        return f"#{getattr(row, relation + '_id', '')}"
    return str(getattr(related, attr))


@dataclass(frozen=True)
class Register:
    label: str  # "app_label.Model" of the live model
    path: str  # the lookup on the history row that holds its grid path
    names: tuple[str, ...]  # lookups the 对象 filter matches text against
    related: tuple[str, ...]  # select_related for `describe`
    describe: Callable[[Any], str]
    permission: str | None = None

    @property
    def key(self) -> str:
        app_label, _dot, model = self.label.partition(".")
        return f"{app_label}.{model.lower()}"

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.label)

    @property
    def history(self) -> Any:
        """The history model django-simple-history made for it (Historical<Model>)."""
        return self.model.history.model  # type: ignore[attr-defined]

    @property
    def title(self) -> str:
        return str(self.model._meta.verbose_name)


REGISTERS: tuple[Register, ...] = (
    Register(
        "residents.Person",
        "grid_path",
        ("name",),
        (),
        lambda r: f"{r.name}（{_('人员')} {r.id}）",
    ),
    Register(
        "residents.Household",
        "grid_path",
        ("room", "building__address"),
        ("building",),
        lambda r: f"{_name(r, 'building', 'address')} {r.room}",
    ),
    Register(
        "residents.GroupTag",
        "grid_path",
        ("person__name",),
        ("person",),
        lambda r: f"{_name(r, 'person')} · {r.get_group_display()}",
    ),
    Register(
        "residents.SecurityTag",
        "grid_path",
        ("person__name",),
        ("person",),
        lambda r: f"{_name(r, 'person')} · {r.get_category_display()}",
        permission=SECURITY_PERMISSION,
    ),
    Register(
        "grids.GridNode",
        "path",
        ("name", "code"),
        (),
        lambda r: f"{r.name}（{r.code}）",
    ),
    Register(
        "accounts.RoleGrant",
        "node__path",
        ("user__name",),
        ("user", "node"),
        lambda r: f"{_name(r, 'user')} · {r.get_role_display()} · {_name(r, 'node')}",
    ),
)
BY_KEY = {r.key: r for r in REGISTERS}


def registers_for(user: Any) -> list[Register]:
    return [r for r in REGISTERS if r.permission is None or user.has_perm(r.permission)]


def _value(field: Any, value: object) -> str:
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return f"#{value}"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value)


def change_text(new: Any, old: Any | None) -> str:
    """What one version changed, field by field. Keyed hashes are never shown, only that they
    changed (a new number whose masked form happens to look the same); every text goes through
    the log redaction too, so a number typed into a free-text field comes out masked."""
    if new.history_type == "+":
        text = _("新建记录")
    elif new.history_type == "-":
        text = _("删除记录")
    elif old is None:
        text = ""
    else:
        parts = []
        for field in new.tracked_fields:
            if field.name in ("id", "created_at"):
                continue
            before, after = getattr(old, field.attname), getattr(new, field.attname)
            if before == after:
                continue
            if field.name.endswith("_hash"):
                parts.append(_("%(f)s：已更改") % {"f": field.verbose_name})
            else:
                parts.append(
                    f"{field.verbose_name}：{_value(field, before)} → {_value(field, after)}"
                )
        text = "；".join(parts) or _("无字段变化")
    if new.history_change_reason:
        text = f"{text}（{_('原因')}：{new.history_change_reason}）"
    return redact(text)


def _with_previous(
    register: Register, history_ids: Sequence[int]
) -> tuple[dict[int, Any], dict[int, Any]]:
    """The page's history rows and, for each, the version before it: two queries a register."""
    hm = register.history
    previous = (
        hm._default_manager.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    pairs = dict(
        hm._default_manager.filter(history_id__in=history_ids)
        .annotate(prev=Subquery(previous))
        .values_list("history_id", "prev")
    )
    wanted = set(pairs) | {p for p in pairs.values() if p is not None}
    rows = {
        r.history_id: r
        for r in hm._default_manager.filter(history_id__in=wanted).select_related(
            "history_user", *register.related
        )
    }
    return {h: rows[h] for h in pairs}, {h: rows.get(p) for h, p in pairs.items() if p}


CHUNK = 500


def rows(items: Iterable[dict[str, Any]], when: Callable[[Any], str]) -> list[list[str]]:
    """Table rows for the union rows of `selectors.history` (dicts with `register`,
    `history_id`), in their order."""
    items = list(items)
    rendered: dict[tuple[str, int], list[str]] = {}
    for register in REGISTERS:
        ids = [i["history_id"] for i in items if i["register"] == register.key]
        for start in range(0, len(ids), CHUNK):
            current, previous = _with_previous(register, ids[start : start + CHUNK])
            for history_id, row in current.items():
                user = row.history_user
                rendered[(register.key, history_id)] = [
                    when(row.history_date),
                    str(user) if user is not None else _("系统"),
                    register.title,
                    redact(register.describe(row)),
                    str(ACTIONS.get(row.history_type, row.history_type)),
                    change_text(row, previous.get(history_id)),
                ]
    return [rendered[(i["register"], i["history_id"])] for i in items]


def scope(register: Register, paths: tuple[str, ...] | None) -> Q | None:
    return scope_q(paths, register.path)
