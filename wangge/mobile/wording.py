"""长辈版 in plain words: the resident pages' main labels and instructions, each in its standard
wording and in the shorter, plainer one elderly mode shows (工信部《移动互联网应用(App)适老化通用
设计规范》: 简化文字, 少用专业词). Templates read them as `{{ WORDS.key }}`; the context processor
hands each page the set for the person's mode, so one template serves both.

Both wordings are ordinary translatable strings, so the catalogue carries them like any other.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# key: (standard, 长辈版)
WORDING: dict[str, tuple[Promise, Promise]] = {
    # the home page
    "my_grid": (_("我的网格"), _("找网格员")),
    "nearby": (_("附近的便民服务点"), _("附近服务点")),
    "board": (_("身边事"), _("邻里事")),
    "notices": (_("网格公告"), _("通知")),
    "all_notices": (_("全部公告"), _("全部通知")),
    # the report form
    "report_heading": (_("有事找支部 · 随手拍"), _("反映问题")),
    "step_what": (_("什么问题"), _("什么事")),
    "describe": (_("问题描述"), _("说一说")),
    "describe_hint": (
        _("写清什么问题、持续多久，例如：3号楼东单元楼道灯坏了一周。"),
        _("比如：3号楼楼道灯坏了。"),
    ),
    "step_where": (_("在哪里"), _("在哪儿")),
    "locate": (_("使用我的位置"), _("就在我这儿")),
    "map_hint": (
        _("在地图上点一下，或拖动红色图钉，标出问题所在的位置。"),
        _("在地图上点一下事情在哪儿。"),
    ),
    "step_photo": (_("拍照（可选）"), _("拍张照（可以不拍）")),
    "add_photos": (_("添加照片（最多 9 张）"), _("拍照")),
    "step_send": (_("提交"), _("发出去")),
    "public": (
        _("公开到“身边事”，让邻居看到处理进展（不含联系方式）"),
        _("让邻居也看到（不显示电话）"),
    ),
    "anonymous": (_("公开时隐去我的姓名"), _("不显示我的名字")),
    "submit": (_("提交"), _("发出去")),
    "submitting": (_("提交中…"), _("正在发…")),
    "my_cases": (_("我的诉求"), _("我反映的事")),
}


class Wording:
    """The wording of one mode. An unknown key is an error, not an empty label."""

    def __init__(self, elderly: bool) -> None:
        self.elderly = elderly

    def __getitem__(self, key: str) -> str:
        return str(WORDING[key][1 if self.elderly else 0])

    def __contains__(self, key: str) -> bool:
        return key in WORDING


STANDARD = Wording(elderly=False)
PLAIN = Wording(elderly=True)
