"""Resident IDs and phones: validated, stored protected, shown masked, revealed with an audit."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from wangge.accounts.identity import normalize_id_number, normalize_phone
from wangge.accounts.models import PersonalDataAccess, User
from wangge.accounts.services import reveal_id_number, reveal_phone, user_create, user_set_real_name
from wangge.core.errors import PermissionDenied, ValidationFailed
from wangge.core.masking import mask_id_number, mask_phone

# 11010519491231002X is the example of GB 11643; the others are built with a valid check digit.
VALID_IDS = ["11010519491231002X", "410102195003070029", "410102199001012317"]


def check_digit(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]


@pytest.mark.parametrize("value", VALID_IDS)
def test_valid_ids_pass(value: str) -> None:
    assert check_digit(value[:17]) == value[17]
    assert normalize_id_number(value.lower()) == value


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("41010219900101231", "身份证号码应为 18 位"),
        ("410102199001012310", "身份证号码校验位不正确"),
        ("4101021990133" + "1231", None),  # month 13
        ("990102199001011234", None),  # no such region
        ("4101022090010" + "1231", None),  # born in 2090
    ],
    ids=["short", "checksum", "bad-month", "bad-region", "future"],
)
def test_invalid_ids_get_a_clear_message(value: str, message: str | None) -> None:
    if message is None:
        # Make the check digit right so only the named component is wrong.
        value = value[:17] + check_digit(value[:17])
    with pytest.raises(ValidationError) as info:
        normalize_id_number(value)
    text = info.value.messages[0]
    assert (
        text == message
        if message
        else text in {"身份证号码中的出生日期无效", "身份证号码中的地区代码无效"}
    )


def test_region_and_birth_date_are_told_apart() -> None:
    bad_month = "4101021990133" + "1231"
    bad_region = "990102199001011234"
    with pytest.raises(ValidationError, match="出生日期"):
        normalize_id_number(bad_month[:17] + check_digit(bad_month[:17]))
    with pytest.raises(ValidationError, match="地区代码"):
        normalize_id_number(bad_region[:17] + check_digit(bad_region[:17]))


@pytest.mark.parametrize(
    "raw", ["13812345678", "+86 138 1234 5678", "138-1234-5678", "8613812345678"]
)
def test_phone_forms_normalise(raw: str) -> None:
    assert normalize_phone(raw) == "13812345678"


@pytest.mark.parametrize(
    "raw", ["", "12345678901", "1381234567", "abc", "+1 415 555 2671", "02112345678"]
)
def test_bad_phones_are_refused(raw: str) -> None:
    with pytest.raises(ValidationError, match="请输入有效的手机号码"):
        normalize_phone(raw)


def test_masks() -> None:
    assert mask_id_number("410102199001011234") == "410102********1234"
    assert mask_phone("13812345678") == "138****5678"


@given(st.text(min_size=0, max_size=30))
def test_mask_never_reveals_the_middle(text: str) -> None:
    masked = mask_phone(text)
    assert len(masked) == len(text)
    if len(text) >= 7:
        assert masked[3:-4] == "*" * (len(text) - 7)


@pytest.mark.django_db
def test_id_number_is_encrypted_at_rest_and_found_by_hash() -> None:
    user = user_create(phone="13812345678", name="王秀兰", id_number="410102195003070029")
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id_number_encrypted, id_number_hash FROM accounts_user WHERE id = %s", [user.pk]
        )
        encrypted, digest = cur.fetchone()
    assert "410102195003070029" not in encrypted
    assert "410102195003070029" not in digest
    fresh = User.objects.get(pk=user.pk)
    assert fresh.masked_id_number == "410102********0029"
    assert str(fresh) == "王秀兰（138****5678）"


@pytest.mark.django_db
def test_one_id_number_one_account() -> None:
    user_create(phone="13812345678", name="甲", id_number="410102195003070029")
    other = user_create(phone="13812345679", name="乙")
    with pytest.raises(ValidationFailed, match="已被其他账号使用"):
        user_set_real_name(user=other, name="乙", id_number="410102195003070029")
    with pytest.raises(ValidationFailed, match="该手机号已注册"):
        user_create(phone="138 1234 5678", name="丙")


def test_reveal_is_audited_and_limited_by_role(cast: dict[str, Any]) -> None:
    resident = cast["resident"]
    user_set_real_name(user=resident, name="王秀兰", id_number="410102195003070029")
    assert (
        reveal_phone(actor=cast["worker_a"], subject=resident, purpose="回访来电") == resident.phone
    )
    assert (
        reveal_id_number(actor=cast["community"], subject=resident, purpose="核实身份")
        == "410102195003070029"
    )
    rows = list(
        PersonalDataAccess.objects.order_by("created_at").values_list(
            "actor__name", "field", "purpose"
        )
    )
    assert rows == [("周敏", "phone", "回访来电"), ("孙丽华", "id_number", "核实身份")]
    with pytest.raises(PermissionDenied):
        reveal_id_number(actor=cast["worker_a"], subject=resident, purpose="好奇")
    with pytest.raises(PermissionDenied):
        reveal_phone(actor=cast["outsider"], subject=resident, purpose="好奇")
    assert PersonalDataAccess.objects.count() == 2
