"""The eight modules of 原点在线, in the order residents know them.

A module links to its working page once the page exists (its path resolves); until then its tile
says 即将开放 instead of leading nowhere.
"""

from dataclasses import dataclass

from django.urls import Resolver404, resolve
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Module:
    key: str
    name: Promise
    path: str
    icon: str  # one character drawn large on the tile
    plain: Promise  # the tile's name in 长辈版: what it is for, in everyday words

    def label(self, elderly: bool) -> Promise:
        return self.plain if elderly else self.name


MODULES = (
    Module("party", _("党员双报到"), "/party/", "党", _("党员报到")),
    Module("report", _("有事找支部"), "/m/report/", "报", _("反映问题")),
    Module("assistant", _("小原帮办"), "/assistant/", "原", _("问小原")),
    Module("enterprise", _("企业服务"), "/enterprises/", "企", _("企业办事")),
    Module("volunteer", _("志愿服务"), "/volunteering/", "志", _("做志愿者")),
    Module("market", _("乐享闲置"), "/market/", "享", _("旧物送人")),
    Module("points", _("积分兑换"), "/points/", "兑", _("积分换物")),
    Module("honours", _("荣誉榜单"), "/rankings/", "榜", _("光荣榜")),
)


# Where the app's service worker (/m/sw.js) keeps pages for use without signal: the app itself
# and the resident pages of other apps that live outside /m/. One registration per scope, each
# narrower than the staff worker's "/", so on a phone they take precedence for these pages.
OFFLINE_SCOPES = (
    "/m/",
    "/cases/mine/",
    "/circles/",
    "/assistant/",
    "/market/",
    "/volunteering/",
    "/points/",
    "/rankings/",
    "/party/",
)


def available(module: Module) -> bool:
    try:
        resolve(module.path)
    except Resolver404:
        return False
    return True


def tiles(*, report_first: bool = False) -> list[tuple[Module, bool]]:
    ordered = sorted(MODULES, key=lambda m: m.key != "report") if report_first else MODULES
    return [(m, available(m)) for m in ordered]
