"""The names of what can happen to a case: the actions people take and the other rows of its
timeline, with their labels. Below models and workflow, which both speak them."""

from enum import StrEnum


class Action(StrEnum):
    ACCEPT = "accept"  # 受理：按推荐路由派遣
    DISPATCH = "dispatch"  # 派单：人工指定承办网格
    VOID = "void"  # 作废
    MERGE = "merge"  # 合并到另一事件
    SIGN = "sign"  # 签收
    CONTACT = "contact"  # 联系诉求人
    RETURN = "return"  # 退单
    TRANSFER = "transfer"  # 转办
    ESCALATE = "escalate"  # 上报（网格→社区→街道）
    WHISTLE = "whistle"  # 吹哨
    DEPT_SIGN = "dept_sign"  # 部门报到
    DEPT_REPORT = "dept_report"  # 部门反馈
    REQUEST_EXTENSION = "request_extension"
    APPROVE_EXTENSION = "approve_extension"
    REJECT_EXTENSION = "reject_extension"
    SUSPEND = "suspend"  # 挂账（经批准，停表）
    RESUME = "resume"
    RESOLVE = "resolve"  # 办结
    VERIFY_PASS = "verify_pass"  # noqa: S105  核查通过 (a verdict, not a password)
    VERIFY_FAIL = "verify_fail"  # 核查不通过，返工
    FOLLOW_UP = "follow_up"  # 回访并结案
    RATE = "rate"  # 诉求人在应用里评价（即回访）
    REOPEN = "reopen"  # 重办
    SUPERVISE = "supervise"  # 督办
    URGE = "urge"  # 催办
    REFER = "refer"  # 非网格事项转出（退回来件方或转交其他单位）
    WITHDRAW = "withdraw"  # 撤单：来件方（12345、上级）撤回工单
    PROGRESS = "progress"  # 阶段性回复


ACTION_LABELS: dict[str, str] = {
    Action.ACCEPT: "受理派遣",
    Action.DISPATCH: "派单",
    Action.VOID: "作废",
    Action.MERGE: "合并",
    Action.SIGN: "签收",
    Action.CONTACT: "联系诉求人",
    Action.RETURN: "退单",
    Action.TRANSFER: "转办",
    Action.ESCALATE: "上报上级",
    Action.WHISTLE: "吹哨",
    Action.DEPT_SIGN: "部门报到",
    Action.DEPT_REPORT: "部门反馈",
    Action.REQUEST_EXTENSION: "申请延期",
    Action.APPROVE_EXTENSION: "批准延期",
    Action.REJECT_EXTENSION: "驳回延期",
    Action.SUSPEND: "挂账",
    Action.RESUME: "恢复办理",
    Action.RESOLVE: "办结",
    Action.VERIFY_PASS: "核查通过",
    Action.VERIFY_FAIL: "核查不通过",
    Action.FOLLOW_UP: "回访",
    Action.RATE: "评价",
    Action.REOPEN: "重办",
    Action.SUPERVISE: "督办",
    Action.URGE: "催办",
    Action.REFER: "非网格事项转出",
    Action.WITHDRAW: "撤单",
    Action.PROGRESS: "阶段性回复",
}


class Event(StrEnum):
    """Timeline rows that are not actions a person takes through the gate."""

    INTAKE = "intake"  # 受理
    ROUTE = "route"  # 自动派单
    CARD_YELLOW = "card_yellow"  # 黄牌预警 (the sweep)
    CARD_RED = "card_red"  # 红牌超期 (the sweep)
    MERGED_IN = "merged_in"  # another case merged into this one
    SELF_HANDLE = "self_handle"  # 自行处置: reported and closed by the worker on the spot
    TRIAGE = "triage"  # 分拨: the place's hint sent it to a node
    UNPUBLISH = "unpublish"  # 撤下公开
    RECOUNT = "recount"  # deadlines counted again after a holiday import
    SUPPLEMENT = "supplement"  # 补充诉求 / 重复件 from the sender
    ATTACHMENTS = "attachments"  # 补充附件 (photos, call recordings) from the sender
    SENDER_NOTE = "sender_note"  # what the sender said that changes nothing by itself
    CATEGORY = "category"  # 分类确认/更正 by the desk: a training example for the category model

    @classmethod
    def card(cls, card: str) -> "Event":
        """The row of a card the sweep gave (`yellow`, `red`)."""
        return cls(f"card_{card}")


EVENT_LABELS: dict[str, str] = {
    Event.INTAKE: "受理",
    Event.ROUTE: "自动派单",
    Event.CARD_YELLOW: "黄牌预警",
    Event.CARD_RED: "红牌超期",
    Event.MERGED_IN: "合并",
    Event.SELF_HANDLE: "自行处置",
    Event.TRIAGE: "分拨",
    Event.UNPUBLISH: "撤下公开",
    Event.RECOUNT: "时限重算",
    Event.SUPPLEMENT: "补充诉求",
    Event.ATTACHMENTS: "补充附件",
    Event.SENDER_NOTE: "来件方消息",
    Event.CATEGORY: "确认分类",
}
