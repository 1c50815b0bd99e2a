"""Pages: the resident's chat with 小原, and the editors' list of questions it missed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.accounts.models import User
from wangge.assistant import index, selectors, services
from wangge.assistant.forms import SimilarAddForm
from wangge.assistant.retrieval import Candidate
from wangge.core.errors import DomainError
from wangge.core.paging import paginate
from wangge.core.web import AuthedRequest, cleaned

# What residents ask most (the district's service-hall counts): shown as one-tap buttons.
QUICK_QUESTIONS = (
    "居住证怎么办理？",
    "社保卡丢了怎么补办？",
    "高龄津贴怎么申请？",
    "公积金怎么提取？",
    "电动自行车怎么上牌？",
    "低保怎么申请？",
)


@login_required
def chat(request: AuthedRequest) -> HttpResponse:
    texts = {
        "choices": _("您是想问："),
        "alternatives": _("您是不是想问："),
        "none": _("抱歉，小原没找到合适的答案。您可以换个说法，或转给工作人员处理。"),
        "complaint": _("这件事需要工作人员来处理。同意后，小原把对话转成事件派给网格。"),
        "helpful": _("有帮助"),
        "unhelpful": _("没帮助"),
        "thanks": _("谢谢您的评价！"),
        "sorry": _("抱歉没帮上忙，我们会改进。也可以转给工作人员处理。"),
        "guide": _("办事指南"),
        "handed": _("已转给工作人员，事件编号 %(number)s，当前状态：%(status)s。"),
        "error": _("网络或服务出错了，请稍后再试。"),
    }
    return render(
        request, "assistant/chat.html", {"quick_questions": QUICK_QUESTIONS, "texts": texts}
    )


def _editor(request: AuthedRequest) -> User:
    user: User = request.user
    if not selectors.can_edit_kb(user):
        raise DjangoPermissionDenied
    return user


@login_required
def unanswered(request: AuthedRequest) -> HttpResponse:
    _editor(request)
    page = paginate(request, selectors.missed_grouped(), 30)
    rows = selectors.missed_rows(page)
    retriever = index.retriever()
    # Each row's picker starts at the item it is likely about (what 小原 found nearest when
    # it missed, or the resident's pick among its choices), so the usual fix is one click.
    suggestions: list[Candidate | None] = []
    for row in rows:
        if row.likely_code:
            suggestions.append(Candidate(row.likely_code, row.likely_question or "", 0.0))
            continue
        ranked = retriever.rank(row.text, k=5)
        suggestions.append(ranked[0] if ranked else None)
    return render(
        request,
        "assistant/unanswered.html",
        {
            "rows": list(zip(rows, suggestions, strict=True)),
            "items": selectors.item_options(),
            "page": page,
            "retriever_status": selectors.retriever_status(),
        },
    )


@login_required
@require_POST
def unanswered_add(request: AuthedRequest) -> HttpResponse:
    user = _editor(request)
    d = cleaned(SimilarAddForm(request.POST))
    text = d["text"]
    try:
        # Into the memory of resolved questions, not the item's similar questions: added there
        # it moved the item's words and vectors, and other items lost answers.
        remembered = services.miss_resolve(actor=user, text=text, code=d["item"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已记住：“%(t)s”问的是“%(q)s”") % {"t": text, "q": remembered.item.question},
        )
    return redirect("assistant:unanswered")
