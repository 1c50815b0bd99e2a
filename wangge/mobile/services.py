"""Writes made from 原点在线 pages that belong to no other app."""

from django.db import transaction
from django.utils.translation import gettext as _

from wangge.accounts.models import PersonalDataAccess, User
from wangge.mobile.selectors import GridContact


@transaction.atomic
def grid_contacts_shown(*, viewer: User, contacts: list[GridContact], ip: str | None) -> None:
    """A resident saw the full numbers of their own grid's staff on 我的网格: one audit row per
    number, as for every other unmasked phone."""
    PersonalDataAccess.objects.bulk_create(
        PersonalDataAccess(
            actor=viewer,
            subject=c.person,
            subject_label=c.person.name,
            field=PersonalDataAccess.Field.PHONE,
            purpose=_("我的网格：联系%(role)s") % {"role": c.role_label},
            ip_address=ip,
        )
        for c in contacts
    )
