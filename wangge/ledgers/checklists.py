"""The hazard checklists grid workers use in 中原区 (消防, 燃气, 电动车飞线充电, 高空坠物):
loaded by a data migration, edited by administrators afterwards as data."""

from typing import Any

from wangge.ledgers.models import ChecklistItem, ChecklistTemplate

# code, name, category code of the 派单目录 for a failed item (empty: the classifier chooses),
# the items in order: each as the condition that passes and as the problem a failed one reports.
TEMPLATES: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    (
        "fire",
        "消防安全排查",
        "",
        [
            (
                "消防通道、楼梯间、安全出口畅通，无堆放杂物",
                "消防通道、楼梯间或安全出口堆放杂物、堵塞",
            ),
            ("灭火器在有效期内，压力正常，取用方便", "灭火器过期、压力不足或取用不便"),
            ("消火栓箱完好，水带、水枪齐全，无遮挡", "消火栓箱损坏、水带水枪缺失或被遮挡"),
            ("应急照明和疏散指示标志完好有效", "应急照明或疏散指示标志损坏失效"),
            ("无私拉乱接电线、无违规使用大功率电器", "私拉乱接电线或违规使用大功率电器"),
            ("楼道内无停放电动车、无堆放易燃物", "楼道内停放电动车或堆放易燃物"),
        ],
    ),
    (
        "gas",
        "燃气安全排查",
        "",
        [
            (
                "燃气软管无老化、龟裂，长度不超过 2 米，两端卡箍牢固",
                "燃气软管老化龟裂、超过 2 米或卡箍松动",
            ),
            ("燃气表、阀门无漏气（肥皂水检测无气泡）", "燃气表或阀门漏气"),
            ("已安装燃气泄漏报警器且工作正常", "未安装燃气泄漏报警器或报警器失灵"),
            ("燃气灶具有熄火保护装置", "燃气灶具缺少熄火保护装置"),
            ("厨房通风良好，燃气设施未被包封、遮挡", "厨房通风不良或燃气设施被包封、遮挡"),
            ("无私自改装、拆装燃气管道", "私自改装、拆装燃气管道"),
        ],
    ),
    (
        "ebike",
        "电动车飞线充电排查",
        "XFAQ-04",
        [
            ("无从楼上窗户向下飞线充电", "从楼上窗户向下飞线充电"),
            ("楼道、门厅内无电动车停放或充电", "楼道、门厅内停放电动车或充电"),
            ("电动车未进入电梯", "电动车进入电梯"),
            ("集中充电设施运行正常，有专人管理", "集中充电设施故障或无人管理"),
            ("充电区域配备灭火器等消防器材", "充电区域缺少灭火器等消防器材"),
        ],
    ),
    (
        "falling",
        "高空坠物隐患排查",
        "",
        [
            ("阳台、窗台无易坠落的花盆、杂物", "阳台、窗台有易坠落的花盆、杂物"),
            ("外墙瓷砖、装饰构件无松动、脱落", "外墙瓷砖、装饰构件松动或脱落"),
            ("空调外机支架牢固、无锈蚀", "空调外机支架松动或锈蚀"),
            ("广告牌、店招固定牢靠", "广告牌、店招固定不牢"),
            ("窗户玻璃、窗框无破损松动", "窗户玻璃或窗框破损松动"),
        ],
    ),
]


def checklists_load(template_model: Any = None, item_model: Any = None) -> int:
    """Create the templates that are missing (never overwrites an administrator's edits)."""
    if template_model is None:
        template_model, item_model = ChecklistTemplate, ChecklistItem
    made = 0
    # The first data migration runs before items had a problem column (0007 adds and fills it).
    worded = any(f.name == "problem" for f in item_model._meta.get_fields())
    for code, name, category, items in TEMPLATES:
        template, created = template_model.objects.get_or_create(
            code=code, defaults={"name": name, "category_code": category}
        )
        made += int(created)
        for position, (text, problem) in enumerate(items, start=1):
            defaults = {"text": text, "problem": problem} if worded else {"text": text}
            item_model.objects.get_or_create(
                template=template, position=position, defaults=defaults
            )
    return made


def problems_load(item_model: Any) -> int:
    """Word the problem of each standard item that has none yet, found by its text (an item an
    administrator reworded keeps whatever they set)."""
    done = 0
    for _code, _name, _category, items in TEMPLATES:
        for text, problem in items:
            done += item_model.objects.filter(text=text, problem="").update(problem=problem)
    return done
