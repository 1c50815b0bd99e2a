"""Who sees which enterprise: members their own, staff their grid; contact phones masked, and
every unmasked view or export audited."""

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from wangge.accounts.models import PersonalDataAccess
from wangge.enterprises.services import PolicyInput, policy_save

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_policies_api_shows_every_policy_with_reasons(
    people: dict[str, Any], firms: dict[str, Any]
) -> None:
    policy_save(
        actor=people["admin"],
        data=PolicyInput(
            title="初创企业场地补贴",
            issuer="中原区科技和工业信息化局",
            benefit="三年内新设企业，房租补贴 50%。",
            criteria={"founded_after": "2023-01-01", "questions": ["是否租用办公场地"]},
            is_published=True,
        ),
    )
    resp = client_for(firms["owner_a"]).get(f"/api/v1/enterprises/{firms['a'].pk}/policies")
    assert resp.status_code == 200
    [match] = resp.json()
    assert match["status"] == "not_qualified"
    assert [(c["status"], c["reason"]) for c in match["checks"]] == [
        ("fail", "成立日期 2020-05-01 早于要求的 2023-01-01 之后"),
        ("unknown", "待确认：请回答“是否租用办公场地”"),
    ]
    mall = client_for(firms["owner_mall"]).get(f"/api/v1/enterprises/{firms['mall'].pk}/policies")
    assert mall.json()[0]["status"] == "pending"


@pytest.mark.parametrize("who", ["worker_b", "resident", "outsider", "owner_mall"])
def test_an_enterprise_is_invisible_outside_its_grid_and_members(
    people: dict[str, Any], firms: dict[str, Any], who: str
) -> None:
    user = firms.get(who) or people[who]
    c = client_for(user)
    e = firms["a"]
    assert c.get(f"/api/v1/enterprises/{e.pk}").status_code == 404
    assert c.get(f"/api/v1/enterprises/{e.pk}/policies").status_code == 404
    assert c.get(f"/enterprises/{e.pk}/profile/").status_code == 404
    assert c.get(f"/enterprises/registry/{e.pk}/").status_code == 404
    reveal = c.post(f"/enterprises/registry/{e.pk}/reveal/")
    assert reveal.status_code == 404
    assert "13712345678" not in reveal.content.decode()
    assert e.name not in c.get("/enterprises/registry/").content.decode()


def test_staff_see_their_grid_and_the_exclusive_leader_the_mall(
    people: dict[str, Any], firms: dict[str, Any]
) -> None:
    page_a = client_for(people["worker_a"]).get("/enterprises/registry/").content.decode()
    assert firms["a"].name in page_a and firms["b"].name not in page_a
    assert "137****5678" in page_a and "13712345678" not in page_a
    page_x = client_for(people["exclusive_leader"]).get("/enterprises/registry/").content.decode()
    assert firms["mall"].name in page_x and firms["a"].name not in page_x
    page_b = client_for(people["worker_b"]).get("/enterprises/registry/").content.decode()
    assert firms["b"].name in page_b and firms["a"].name not in page_b


def test_registry_filters(people: dict[str, Any], firms: dict[str, Any]) -> None:
    admin = client_for(people["admin"])

    def names(query: str) -> set[str]:
        page = admin.get(f"/enterprises/registry/?{query}").content.decode()
        return {e.name for e in (firms["a"], firms["mall"], firms["b"]) if e.name in page}

    assert names("tag=专精特新") == {firms["b"].name}
    assert names("tag=高新技术企业") == {firms["a"].name}
    assert names("industry=H") == {firms["mall"].name}
    assert names("size=small") == {firms["a"].name}
    assert names("grid=410102001002002") == {firms["b"].name}
    assert names("q=数码") == {firms["b"].name}


def test_revealing_the_contact_phone_is_audited(
    people: dict[str, Any], firms: dict[str, Any]
) -> None:
    resp = client_for(people["worker_a"]).post(f"/enterprises/registry/{firms['a'].pk}/reveal/")
    assert resp.json() == {"value": "13712345678"}
    row = PersonalDataAccess.objects.get()
    assert row.actor == people["worker_a"] and row.field == "phone"
    assert firms["a"].name in row.subject_label


def test_a_member_sees_own_phone_masked_and_cannot_reveal_others(
    firms: dict[str, Any],
) -> None:
    home = client_for(firms["owner_a"]).get("/enterprises/").content.decode()
    assert "137****5678" in home
    resp = client_for(firms["owner_a"]).post(f"/enterprises/registry/{firms['a'].pk}/reveal/")
    assert resp.status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_export_is_masked_by_default_and_audited_when_full(
    people: dict[str, Any], firms: dict[str, Any]
) -> None:
    c = client_for(people["worker_a"])
    masked = load_workbook(io.BytesIO(c.get("/enterprises/registry/export/").content))
    rows = list(masked.active.iter_rows(values_only=True))
    assert rows[0][0] == "企业名称"
    names = {r[0] for r in rows[1:]}
    assert firms["a"].name in names and firms["b"].name not in names
    assert all("****" in (r[-1] or "****") for r in rows[1:])
    assert not PersonalDataAccess.objects.exists()
    full = load_workbook(io.BytesIO(c.get("/enterprises/registry/export/?full=1").content))
    phones = {r[-1] for r in list(full.active.iter_rows(values_only=True))[1:]}
    assert "13712345678" in phones
    assert PersonalDataAccess.objects.filter(actor=people["worker_a"]).count() == len(phones)


def test_a_member_edits_the_profile_and_a_bad_credit_code_is_refused(
    firms: dict[str, Any],
) -> None:
    c = client_for(firms["owner_a"])
    form = c.get(f"/enterprises/{firms['a'].pk}/profile/")
    assert form.status_code == 200
    assert "13712345678" not in form.content.decode()  # shown masked, kept if left empty
    data = {
        "name": "郑州中原精密机械有限公司",
        "uscc": "91410102MA0000001X",
        "industry": "C",
        "size": "small",
        "headcount": "60",
        "tags": "高新技术企业，专精特新",
        "address": "中原区伊河路 88 号",
    }
    bad = c.post(f"/enterprises/{firms['a'].pk}/profile/", data)
    assert bad.status_code == 422
    assert "统一社会信用代码校验位不正确" in bad.content.decode()
    assert "60" in bad.content.decode()  # what was typed stays on the form
    data["uscc"] = firms["a"].uscc
    assert c.post(f"/enterprises/{firms['a'].pk}/profile/", data).status_code == 302
    firms["a"].refresh_from_db()
    assert firms["a"].headcount == 60 and firms["a"].tags == ["高新技术企业", "专精特新"]
    assert firms["a"].contact_phone == "13712345678"
    # A company founded long before the platform existed keeps its real founding date.
    data["founded_on"] = "1956-03-01"
    assert c.post(f"/enterprises/{firms['a'].pk}/profile/", data).status_code == 302
    firms["a"].refresh_from_db()
    assert firms["a"].founded_on is not None and firms["a"].founded_on.year == 1956
    data["founded_on"] = "1700-01-01"
    bad = c.post(f"/enterprises/{firms['a'].pk}/profile/", data)
    assert bad.status_code == 422 and "成立日期不是有效日期" in bad.content.decode()


def test_staff_cannot_register_an_enterprise_outside_their_grid(
    people: dict[str, Any], firms: dict[str, Any]
) -> None:
    from tests.enterprises.conftest import make_uscc

    resp = client_for(people["worker_a"]).post(
        "/enterprises/registry/new/",
        {
            "name": "外网格公司",
            "uscc": make_uscc(900),
            "industry": "F",
            "size": "micro",
            "lon": "113.607",
            "lat": "34.753",
        },
    )
    assert resp.status_code == 422
    assert "不在您负责的网格内" in resp.content.decode()


def test_a_resident_without_an_enterprise_is_told_how_to_get_one(people: dict[str, Any]) -> None:
    page = client_for(people["resident"]).get("/enterprises/").content.decode()
    assert "还没有关联企业" in page
    assert client_for(people["worker_a"]).get("/enterprises/").status_code == 302


def test_policy_pages_are_for_editors_with_a_preview(
    people: dict[str, Any], firms: dict[str, Any]
) -> None:
    assert client_for(people["worker_a"]).get("/enterprises/policies/").status_code == 404
    admin = client_for(people["admin"])
    preview = admin.post(
        "/enterprises/policies/preview/", {"sizes": ["small", "micro"], "headcount_min": "20"}
    ).content.decode()
    assert "符合 1 家" in preview and "不符合 2 家" in preview
    bad = admin.post("/enterprises/policies/preview/", {"headcount_min": "多"}).content.decode()
    assert "从业人数下限应为整数" in bad
    resp = admin.post(
        "/enterprises/policies/new/",
        {
            "title": "小微企业吸纳就业补贴",
            "issuer": "中原区人社局",
            "benefit": "每新招用 1 人补贴 1000 元",
            "sizes": ["small", "micro"],
            "questions": "否：是否存在拖欠工资",
            "is_published": "1",
        },
    )
    assert resp.status_code == 302
    page = admin.get(resp["Location"]).content.decode()
    assert "否：是否存在拖欠工资" in page and "匹配预览" in page
    # The edit form comes back filled with the saved policy, not blank.
    assert 'name="title" maxlength="120" value="小微企业吸纳就业补贴"' in page
    assert 'name="issuer" maxlength="100" value="中原区人社局"' in page
    assert ">每新招用 1 人补贴 1000 元</textarea>" in page
    assert 'name="is_published" value="1" checked' in page
    assert 'name="auto_grant" value="1" checked' not in page


def test_a_refused_policy_form_comes_back_as_typed(people: dict[str, Any]) -> None:
    resp = client_for(people["admin"]).post(
        "/enterprises/policies/new/",
        {
            "issuer": "中原区科技局",
            "benefit": "研发费用补助",
            "sizes": ["small"],
            "headcount_min": "20",
            "questions": "否：是否存在拖欠工资",
        },
    )
    assert resp.status_code == 422
    page = resp.content.decode()
    assert "请填写政策名称" in page
    assert 'value="中原区科技局"' in page and 'value="20"' in page
    assert 'value="small" checked' in page and 'value="micro" checked' not in page
    assert "否：是否存在拖欠工资" in page
