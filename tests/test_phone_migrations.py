"""The data migrations take phones already stored in clear out of every column, on SQLite and
PostgreSQL alike: rows written by the schema before them come out encrypted, hashed, masked."""

from typing import Any

import pytest
from django.apps import apps as current
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.cases.conftest import catalogue, people  # noqa: F401 (fixtures)
from wangge.core import pii

BEFORE = [
    ("cases", "0003_privacy_and_public_board"),
    ("residents", "0004_dispute_mediation_dispute_dispute_kind_known_and_more"),
    ("accounts", "0004_user_privacy"),
    ("points", "0004_mall"),
    ("enterprises", "0001_initial"),
    ("ledgers", "0003_surveys"),
]
CALLER = "13912345678"
LANDLINE = "037167891234"
PERSON = "13612345678"
LOGIN = "13700001111"


def migrate(targets: list[tuple[str, str]]) -> Any:
    """Migrate to `targets`; the models as they stand then: every migration still applied (other
    apps' newest that do not stand on a later migration of the targets' apps)."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    graph = executor.loader.graph
    applied = [key for key in executor.loader.applied_migrations if key in graph.nodes]
    return executor.loader.project_state(applied).apps


@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_protected_by_the_migrations(
    people: dict[str, Any],  # noqa: F811 (the fixture)
) -> None:
    old = migrate(BEFORE)
    Case = old.get_model("cases", "Case")
    Building = old.get_model("grids", "Building")
    Household = old.get_model("residents", "Household")
    Person = old.get_model("residents", "Person")
    SmsCode = old.get_model("accounts", "SmsCode")
    User = old.get_model("accounts", "User")
    Account = old.get_model("points", "Account")
    AccessAttempt = old.get_model("axes", "AccessAttempt")
    AccessLog = old.get_model("axes", "AccessLog")
    LogEntry = old.get_model("auditlog", "LogEntry")
    ContentType = old.get_model("contenttypes", "ContentType")
    Enterprise = old.get_model("enterprises", "Enterprise")
    Organisation = old.get_model("ledgers", "Organisation")

    login = User.objects.create(phone=LOGIN, password="x")
    hotline = Case.objects.create(title="来电", description="路灯坏了", reporter_phone=CALLER)
    landline = Case.objects.create(title="来电", description="占道", reporter_phone=LANDLINE)
    silent = Case.objects.create(title="巡查", description="井盖缺失")
    building = Building.objects.get(code="BH3")
    home = Household.objects.create(building=building, room="1-1", kind="huji", grid_path="x")
    person = Person.objects.create(
        household=home,
        name="张桂芳",
        id_number_encrypted=pii.encrypt("410102194003120020"),
        id_number_hash="h" * 64,
        id_number_masked="410102********0020",
        gender="F",
        birth_date="1940-03-12",
        phone=PERSON,
        relation="head",
        residence="huji",
        grid_path="x",
    )
    code = SmsCode.objects.create(phone=LOGIN, code_hash="c" * 64, expires_at="2030-01-01T00:00Z")
    wallet = Account.objects.create(kind="wallet", owner=login, name=LOGIN)
    fields = {"ip_address": "10.0.0.1", "user_agent": "ua", "get_data": "", "post_data": ""}
    AccessAttempt.objects.create(username=LOGIN, failures_since_start=2, **fields)
    AccessAttempt.objects.create(username=f"+86 {LOGIN}", failures_since_start=1, **fields)
    AccessLog.objects.create(username=LOGIN, ip_address="10.0.0.1", user_agent="ua")
    firm = Enterprise.objects.create(
        name="碧沙岗商贸有限公司",
        uscc="91410102MA00000000",
        industry="F",
        size="micro",
        grid_path="x",
        contact_phone="13511112222",
    )
    org = Organisation.objects.create(
        kind="property", name="百花里物业", node=building.micro_grid, grid_path="x",
        contact_phone="13837124567",
    )  # fmt: skip
    user_type = ContentType.objects.get(app_label="accounts", model="user")
    entry = LogEntry.objects.create(
        content_type=user_type,
        object_pk=str(login.pk),
        object_id=login.pk,
        object_repr="x",
        action=0,
        changes={"phone": ["None", LOGIN], "name": ["None", "王"]},
    )

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    Case = current.get_model("cases", "Case")
    hotline, landline, silent = (Case.objects.get(pk=c.pk) for c in (hotline, landline, silent))
    assert hotline.reporter_phone == CALLER and hotline.reporter_phone_masked == "139****5678"
    assert hotline.reporter_phone_hash == pii.phone_hash(CALLER) != ""
    assert CALLER not in hotline.reporter_phone_encrypted
    assert landline.reporter_phone == LANDLINE and landline.reporter_phone_masked == "037*****1234"
    assert (silent.reporter_phone_encrypted, silent.reporter_phone_hash) == ("", "")
    person = current.get_model("residents", "Person").objects.get(pk=person.pk)
    assert person.phone == PERSON and person.phone_masked == "136****5678"
    assert person.phone_hash == pii.phone_hash(PERSON)
    code = current.get_model("accounts", "SmsCode").objects.get(pk=code.pk)
    assert code.phone_hash == pii.phone_hash(LOGIN)
    assert current.get_model("points", "Account").objects.get(pk=wallet.pk).name == "137****1111"
    [attempt] = current.get_model("axes", "AccessAttempt").objects.all()
    assert attempt.username == f"137****1111#{pii.phone_hash(LOGIN)[:16]}"
    assert attempt.failures_since_start == 3  # the two spellings of one phone, merged
    [log] = current.get_model("axes", "AccessLog").objects.all()
    assert log.username == attempt.username
    firm = current.get_model("enterprises", "Enterprise").objects.get(pk=firm.pk)
    assert firm.contact_phone == "13511112222" and firm.masked_phone == "135****2222"
    org = current.get_model("ledgers", "Organisation").objects.get(pk=org.pk)
    assert org.contact_phone == "13837124567" and org.contact_phone_masked == "138****4567"
    entry = current.get_model("auditlog", "LogEntry").objects.get(pk=entry.pk)
    assert entry.changes == {"phone": ["None", "137****1111"], "name": ["None", "王"]}
