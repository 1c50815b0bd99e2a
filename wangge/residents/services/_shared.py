"""What several topics of the register share: the scope check on a building, the audit label
of a record."""

from django.utils.translation import gettext as _

from wangge.accounts.models import (
    User,
)
from wangge.core.errors import PermissionDenied
from wangge.core.scope import path_in_scope
from wangge.grids.models import Building
from wangge.residents.models import (
    Person,
)


def _label(person: Person) -> str:
    # Most people on the register have no account: the audit row names the record instead.
    return _("%(name)s（居民档案 %(pk)d）") % {"name": person.name, "pk": person.pk}


def _check_building(actor: User, building: Building) -> None:
    if not path_in_scope(actor, building.micro_grid.path):
        raise PermissionDenied(_("该楼栋不在您负责的网格内"))
