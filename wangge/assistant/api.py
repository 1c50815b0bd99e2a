"""小原帮办 over JSON: ask, pick a choice, rate the answer, hand off to a person."""

from typing import Any
from uuid import UUID

from ninja import Field, Router, Schema

from wangge.assistant import selectors, services
from wangge.assistant.models import KnowledgeItem
from wangge.core.ratelimit import rate_limit
from wangge.core.web import AuthedRequest

router = Router(tags=["小原帮办"])


class Detail(Schema):
    detail: str


class AskIn(Schema):
    question: str = Field(..., max_length=services.MAX_QUESTION)
    session_id: UUID | None = None


class ChooseIn(Schema):
    session_id: UUID
    id: str


class ItemRef(Schema):
    id: str
    question: str


class GuideField(Schema):
    label: str
    value: str


class AskOut(Schema):
    session_id: UUID
    answer: str | None
    matched: ItemRef | None
    confidence: float = Field(..., ge=0, le=1)
    choices: list[ItemRef] = Field(
        ..., description="给出选项而非回答时的选项（answer 与 matched 为空）"
    )
    alternatives: list[ItemRef] = Field(
        default_factory=list,
        description="您是不是想问：回答下方的另外两项；未能回答或转人工时为最接近的几项",
    )
    handoff: bool
    complaint: bool = Field(
        False, description="说的是要工作人员处理的事（报修、投诉），不是办事咨询；此时 handoff 为真"
    )
    case_id: int | None
    guide: list[GuideField] = Field(default_factory=list, description="办事指南（已填写的字段）")


class FeedbackIn(Schema):
    session_id: UUID
    helpful: bool


class FeedbackOut(Schema):
    ok: bool


class HandoffIn(Schema):
    session_id: UUID
    consent: bool = Field(..., description="居民同意把对话内容提交给工作人员")
    address: str = Field("", max_length=200)
    lon: float | None = None
    lat: float | None = None


class HandoffOut(Schema):
    case_id: int
    number: str | None
    status: str
    status_label: str


def _ref(item: KnowledgeItem) -> dict[str, str]:
    return {"id": item.code, "question": item.question}


def ask_out(result: services.AskResult, beside: selectors.Beside | None = None) -> dict[str, Any]:
    item = result.item
    alternatives = beside.alternatives if beside else []
    return {
        "session_id": result.conversation.session_id,
        "answer": item.answer if item else None,
        "matched": _ref(item) if item else None,
        "confidence": min(max(result.turn.confidence, 0.0), 1.0),
        "choices": [_ref(c) for c in result.choices],
        "alternatives": [{"id": c.id, "question": c.question} for c in alternatives],
        "handoff": result.handoff,
        "complaint": bool(beside and beside.complaint),
        "case_id": result.conversation.case_id,
        "guide": [{"label": k, "value": v} for k, v in item.guide()] if item else [],
    }


@router.post(
    "/ask",
    url_name="assistant_ask",
    response={200: AskOut, 422: Detail, 429: Detail},
    summary="向小原提问",
)
def ask(request: AuthedRequest, body: AskIn) -> dict[str, Any]:
    rate_limit(request, "assistant_ask")
    result = services.conversation_ask(
        user=request.user,
        question=body.question,
        session_id=body.session_id,
    )
    shown = selectors.beside(
        result.reply,
        answered=result.item.code if result.item else None,
        offered=[c.code for c in result.choices],
    )
    return ask_out(result, shown)


@router.post(
    "/choose",
    url_name="assistant_choose",
    response={200: AskOut, 404: Detail},
    summary="选择“您是想问”“您是不是想问”中的一项：以该条目回答",
)
def choose(request: AuthedRequest, body: ChooseIn) -> dict[str, Any]:
    result = services.conversation_choose(
        user=request.user,
        session_id=body.session_id,
        code=body.id,
    )
    return ask_out(result)


@router.post(
    "/feedback",
    url_name="assistant_feedback",
    response={200: FeedbackOut, 404: Detail, 422: Detail},
    summary="有帮助/没帮助",
)
def feedback(request: AuthedRequest, body: FeedbackIn) -> dict[str, Any]:
    services.conversation_feedback(
        user=request.user,
        session_id=body.session_id,
        helpful=body.helpful,
    )
    return {"ok": True}


@router.post(
    "/handoff",
    url_name="assistant_handoff",
    response={200: HandoffOut, 404: Detail, 422: Detail},
    summary="转人工：以对话内容创建事件（须居民同意）",
)
def handoff(request: AuthedRequest, body: HandoffIn) -> dict[str, Any]:
    case = services.conversation_handoff(
        user=request.user,
        session_id=body.session_id,
        consent=body.consent,
        address=body.address,
        lon=body.lon,
        lat=body.lat,
    )
    return {
        "case_id": case.id,
        "number": case.number,
        "status": case.status,
        "status_label": case.get_status_display(),
    }
