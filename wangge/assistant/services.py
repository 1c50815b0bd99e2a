"""Every write of 小原帮办: importing the base, answering, feedback, hand-off, editors' fixes."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.assistant import district, embeddings, index, memory
from wangge.assistant.models import (
    AnswerPath,
    CalibrationSlot,
    Conversation,
    ExampleVectors,
    ItemVectors,
    KbCalibration,
    KnowledgeItem,
    MissedQuestion,
    MissReason,
    Outcome,
    ResolvedQuestion,
    Synonym,
    Turn,
)
from wangge.assistant.retrieval import Calibration, Encoder, Reply, Retriever, dense
from wangge.assistant.selectors import can_edit_kb
from wangge.cases.models import Case, Channel
from wangge.cases.services import MAX_DESCRIPTION, CaseInput, case_intake
from wangge.core.errors import NotFound, PermissionDenied, ValidationFailed

logger = logging.getLogger(__name__)

MAX_QUESTION = 500
_TEXT_FIELDS = (
    "answer",
    "category",
    "conditions",
    "materials",
    "place",
    "hours",
    "fees",
    "time_limit",
    "online_link",
)
_LIMITS = {
    f.name: f.max_length for f in KnowledgeItem._meta.get_fields() if hasattr(f, "max_length")
}


def _reindex(*, jobs: bool = True) -> None:
    # The index is dropped at once, so this process's next question (inside this transaction
    # too) sees the change, and again after commit, so a rebuild that raced the commit is not
    # kept. The changed items' vectors are made, then the bars learnt again, by jobs after
    # commit (minutes on a large base, so not inside an admin's request); the last bars
    # stored stay in force until they are done.
    # `jobs` False: the caller makes the vectors and the bars itself (import_kb).
    index.invalidate()
    transaction.on_commit(index.invalidate)
    if jobs:
        transaction.on_commit(index.kb_embed_later)


Progress = Callable[[int, int], None]


def kb_embed(*, progress: Progress | None = None, calibrate_now: bool = False) -> int:
    """Make the passage vectors every item lacks (new, edited, or made by another encoder or
    version) for each encoder the base keeps (the packaged one, and a district's embedding
    model when set), store them with the item, make the examples' and the resolved questions'
    vectors likewise, and have the bars learnt again (by the job, or here with
    `calibrate_now`). `progress(done, total)` is told after each item of the packaged
    encoder, or of the district's model when it is the only one. Returns how many items'
    vectors were made. A district model that fails leaves its vectors to the next run: the
    offline path answers meanwhile."""
    made = 0
    models = index.encoders()
    for n, (slot, model) in enumerate(models):
        told = progress if n == 0 else None
        try:
            made += _embed_items(model, told)
            embed_examples(model)
        except embeddings.EmbeddingUnavailable:
            logger.warning("district embedding model unavailable: its vectors are left")
            continue
        if slot == CalibrationSlot.OFFLINE:
            embed_memory(model)
    kept = {model.key for _slot, model in models}
    if len(kept) == len(models) and (
        not embeddings.configured() or any(s == CalibrationSlot.DISTRICT for s, _m in models)
    ):
        # Vectors of an encoder no longer in use (another version, a district model since
        # changed) are never compared again; a district model that is only unreachable now
        # keeps its own.
        ItemVectors.objects.exclude(encoder__in=kept).delete()
    index.invalidate()
    _calibrate(calibrate_now)
    return made


def _embed_items(model: Encoder, progress: Progress | None) -> int:
    docs, _synonyms = index.content()
    _dense, missing = index.dense_index(docs, model)
    by_code = {doc.id: doc for doc in docs}
    made = 0
    for n, code in enumerate(missing, start=1):
        texts = index.item_texts(by_code[code])
        # Encoded outside any transaction: a large base takes minutes, and no row is held.
        matrix = model.passages(texts)
        item_id = KnowledgeItem.objects.filter(code=code).values_list("id", flat=True).first()
        if item_id is None:
            continue  # deleted meanwhile
        ItemVectors.objects.update_or_create(
            item_id=item_id, encoder=model.key, defaults=_stored(model, texts, matrix)
        )
        made += 1
        if progress is not None:
            progress(n, len(missing))
    return made


def _calibrate(now: bool) -> None:
    if now:
        kb_calibrate()
        index.invalidate()
    else:
        index.kb_calibrate_later()


def embed_memory(model: Encoder) -> None:
    """The vectors of the resolved questions that have none of this encoder."""
    for pk in index.stale_memory(model):
        text = ResolvedQuestion.objects.filter(pk=pk).values_list("text", flat=True).first()
        if text is not None:
            # updated_at by hand (update() skips auto_now): the memory is rebuilt on it.
            ResolvedQuestion.objects.filter(pk=pk).update(
                updated_at=timezone.now(), **_memory_vector(model, text)
            )


def _memory_vector(model: Encoder | None, text: str) -> dict[str, Any]:
    # Encoded as the items' phrasings are (a passage): the memory compares its cosine with
    # theirs (wangge.assistant.memory).
    if model is None:
        return {"encoder": "", "dim": 0, "vector": None}
    return {
        "encoder": model.key,
        "dim": model.dim,
        "vector": dense.pack(model.passages([text])),
    }


def embed_examples(model: Encoder) -> None:
    """Make the vectors of each list of examples (retrieval.examples) that has none of this
    encoder made from its texts as they are now."""
    texts = index.example_texts()
    for kind in index.stale_examples(model, texts):
        matrix = model.queries(texts[kind])  # asked as residents ask: query vectors
        ExampleVectors.objects.update_or_create(
            kind=kind, encoder=model.key, defaults=_stored(model, texts[kind], matrix)
        )


def _stored(model: Encoder, texts: list[str], matrix: Any) -> dict[str, Any]:
    """A `StoredVectors` row's fields for `texts` encoded by `model` as `matrix`."""
    return {
        "encoder": model.key,
        "source": dense.source_hash(texts),
        "dim": model.dim,
        "rows": len(texts),
        "data": dense.pack(matrix),
    }


def kb_calibrate() -> Calibration:
    """Learn the answer/choice bars from the base as it is now (leave-one-out over each item's
    similar questions, see retrieval.calibrate), with the dense bars too when every item has
    vectors of the installed encoder, and store them with it, replacing the last; then the
    same for the district's embedding model when it is set and every item has its vectors.
    Bars already stored for exactly this content are kept as they are. Returns the offline
    path's bars."""
    offline = _calibrate_slot(CalibrationSlot.OFFLINE, index.encoder(), partial=True)
    district_model = index.district_encoder()
    if district_model is not None:
        try:
            _calibrate_slot(CalibrationSlot.DISTRICT, district_model, partial=False)
        except embeddings.EmbeddingUnavailable:
            logger.warning("district embedding model unavailable: its bars are left")
    assert offline is not None
    return offline


@transaction.atomic
def _calibrate_slot(slot: str, model: Encoder | None, *, partial: bool) -> Calibration | None:
    """One slot's bars. `partial`: learn them by words alone while vectors are missing (the
    offline path); otherwise leave them until every item has this encoder's vectors."""
    docs, synonyms = index.content()
    vectors = None
    if model is not None and docs:
        vectors, missing = index.dense_index(docs, model)
        if missing:
            if not partial:
                return None
            vectors = None  # the embedding job calibrates again when it has made them
    fingerprint = index.fingerprint(docs, synonyms, model.key if vectors and model else "")
    stored = KbCalibration.objects.filter(fingerprint=fingerprint).first()
    if stored is not None:
        return Calibration.from_dict(stored.values)
    calibration = Retriever(docs, synonyms, dense=vectors).calibration
    KbCalibration.objects.filter(slot=slot).delete()
    KbCalibration.objects.create(
        fingerprint=fingerprint, slot=slot, values=calibration.as_dict(), items=len(docs)
    )
    return calibration


class KbImportRejected(ValidationFailed):
    """A file with problems: nothing was written. `problems` lists each one by line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(_("导入被拒绝，共 %(n)d 个问题，未写入任何数据") % {"n": len(problems)})
        self.problems = problems


@dataclass(frozen=True)
class KbImportResult:
    created: int
    updated: int
    deleted: int


def _date(value: Any, where: str, name: str, problems: list[str]) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        problems.append(_("%(w)s：%(f)s 不是日期（YYYY-MM-DD）") % {"w": where, "f": name})
        return None


def _strings(value: Any) -> list[str] | None:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        # A spreadsheet cell holds a list as text separated by line breaks or ；/;
        parts = value.replace("；", "\n").replace(";", "\n").splitlines()
        return [p.strip() for p in parts if p.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    return None


def _clean_row(line: int, row: Any, problems: list[str]) -> dict[str, Any] | None:
    where = _("第 %(n)d 行") % {"n": line}
    if not isinstance(row, Mapping):
        problems.append(_("%(w)s：不是一个对象") % {"w": where})
        return None
    before = len(problems)
    code = str(row.get("id") or "").strip()
    question = str(row.get("question") or "").strip()
    answer = str(row.get("answer") or "").strip()
    if not code:
        problems.append(_("%(w)s：缺少 id") % {"w": where})
    if not question:
        problems.append(_("%(w)s：缺少 question") % {"w": where})
    if not answer:
        problems.append(_("%(w)s：缺少 answer") % {"w": where})
    similar = _strings(row.get("similar"))
    tags = _strings(row.get("tags"))
    if similar is None:
        problems.append(_("%(w)s：similar 必须是字符串列表") % {"w": where})
    if tags is None:
        problems.append(_("%(w)s：tags 必须是字符串列表") % {"w": where})
    clean: dict[str, Any] = {"code": code, "question": question, "similar": similar, "tags": tags}
    for name in _TEXT_FIELDS:
        value = row.get(name)
        if value is not None and not isinstance(value, str | int | float):
            problems.append(_("%(w)s：%(f)s 必须是文本") % {"w": where, "f": name})
            continue
        clean[name] = "" if value is None else str(value).strip()
    for name, value in (("code", code), ("question", question), *clean.items()):
        limit = _LIMITS.get(name)
        if limit and isinstance(value, str) and len(value) > limit:
            problems.append(_("%(w)s：%(f)s 超过 %(n)d 字") % {"w": where, "f": name, "n": limit})
    valid_from = _date(row.get("valid_from"), where, "valid_from", problems)
    valid_to = _date(row.get("valid_to"), where, "valid_to", problems)
    if valid_from and valid_to and valid_to < valid_from:
        problems.append(_("%(w)s：valid_to 早于 valid_from") % {"w": where})
    clean["valid_from"], clean["valid_to"] = valid_from, valid_to
    return clean if len(problems) == before else None


@transaction.atomic
def kb_import(
    *, rows: Iterable[tuple[int, Any]], replace: bool = False, jobs: bool = True
) -> KbImportResult:
    """Create or update items by `id` from (line number, object) pairs. Every line is checked
    first; any problem rejects the whole file. `replace` deletes the items the file lacks.
    `jobs` False: no job is queued for the vectors and bars, the caller makes them (`kb_embed`
    with `calibrate_now`, as import_kb does)."""
    problems: list[str] = []
    cleaned: list[dict[str, Any]] = []
    first_line: dict[str, int] = {}
    for line, row in rows:
        clean = _clean_row(line, row, problems)
        if clean is None:
            continue
        if clean["code"] in first_line:
            problems.append(
                _("第 %(n)d 行：id %(id)s 与第 %(m)d 行重复")
                % {"n": line, "id": clean["code"], "m": first_line[clean["code"]]}
            )
            continue
        first_line[clean["code"]] = line
        cleaned.append(clean)
    if not cleaned and not problems:
        problems.append(_("文件中没有任何条目"))
    if problems:
        raise KbImportRejected(problems)
    existing = {item.code: item for item in KnowledgeItem.objects.select_for_update()}
    created = updated = 0
    for clean in cleaned:
        item = existing.get(clean["code"])
        if item is None:
            KnowledgeItem.objects.create(**clean)
            created += 1
            continue
        for name, value in clean.items():
            setattr(item, name, value)
        item.save()
        updated += 1
    deleted = 0
    if replace:
        deleted, _detail = KnowledgeItem.objects.exclude(code__in=first_line).delete()
    _reindex(jobs=jobs)
    return KbImportResult(created=created, updated=updated, deleted=deleted)


@transaction.atomic
def synonym_set(*, term: str, canonical: str) -> Synonym:
    term, canonical = term.strip(), canonical.strip()
    if not term or not canonical or term == canonical:
        raise ValidationFailed(_("请填写不同的说法和标准说法"))
    synonym, _created = Synonym.objects.update_or_create(
        term=term, defaults={"canonical": canonical}
    )
    _reindex()
    return synonym


@dataclass(frozen=True)
class AskResult:
    conversation: Conversation
    turn: Turn
    item: KnowledgeItem | None
    choices: list[KnowledgeItem]
    handoff: bool
    # The retriever's reply the turn was logged from (its runners-up are 您是不是想问); None
    # for a tap, which answers with the item tapped.
    reply: Reply | None = None


def _conversation(user: User, session_id: uuid.UUID) -> Conversation:
    found = Conversation.objects.filter(session_id=session_id, user=user).first()
    if found is None:
        # Someone else's session looks the same as no session.
        raise NotFound(_("会话不存在"))
    return found


@dataclass(frozen=True)
class _Decided:
    reply: Reply
    path: str
    model: str


@dataclass(frozen=True)
class _Ranked:
    """The first reply and the retriever that made it; `by` names the district's embedding
    model when it ranked, `failed` that it was set and did not (not ready, error, timeout)."""

    reply: Reply
    retriever: Retriever
    by: str = ""
    failed: bool = False


def _rank(question: str, offline: Retriever) -> _Ranked:
    if not embeddings.configured():
        return _Ranked(offline.ask(question), offline)
    model = index.district_encoder()
    found = index.district_retriever() if model is not None else None
    if model is None:
        # Not reachable to learn its size: recorded as set.
        by = f"{settings.ASSISTANT_EMBEDDING_MODEL} @ {settings.ASSISTANT_MODEL_URL}"
        return _Ranked(offline.ask(question), offline, by, failed=True)
    by = model.label
    if found is None:  # its vectors or bars are not made yet
        return _Ranked(offline.ask(question), offline, by, failed=True)
    try:
        return _Ranked(found.ask(question), found, by)
    except embeddings.EmbeddingUnavailable:
        return _Ranked(offline.ask(question), offline, by, failed=True)


def _decide(question: str) -> _Decided:
    """The reply, ranked by the district's embedding model when it is set and ready (else, or
    on its failure, by the offline path), then the district chat model's decision over it when
    one is set (wangge.assistant.district): never for a problem handed to a person, nor for a
    question the staff have answered before. A failed district model skips the rest of the
    district's path, so a dead endpoint costs one time limit at most."""
    offline = index.retriever()
    ranked = _rank(question, offline)
    # A question close to one the staff have answered is answered with their item (compared
    # with the packaged encoder's vectors, which the memory keeps).
    reply = memory.consult(index.memory(), offline, question, ranked.reply)
    if ranked.failed:
        return _Decided(reply, AnswerPath.FALLBACK, ranked.by[:240])
    endpoint = district.configured()
    if endpoint is None or reply.complaint or reply is not ranked.reply:
        path = AnswerPath.DISTRICT_MODEL if ranked.by else AnswerPath.OFFLINE
        return _Decided(reply, path, ranked.by[:240])
    items = district.shown(ranked.retriever, question, reply)
    judgement = district.judge(endpoint, question, items)
    if judgement is None:
        tried = "; ".join(filter(None, (ranked.by, f"{endpoint.chat_model} @ {endpoint.label}")))
        return _Decided(reply, AnswerPath.FALLBACK, tried[:240])
    name = judgement.model or endpoint.chat_model
    version = f" · {judgement.version}" if judgement.version else ""
    chat = f"{name}{version} @ {endpoint.label}"
    return _Decided(
        district.applied(reply, judgement, items),
        AnswerPath.DISTRICT_MODEL,
        "; ".join(filter(None, (ranked.by, chat)))[:240],
    )


def conversation_ask(
    *, user: User, question: str, session_id: uuid.UUID | None = None
) -> AskResult:
    """Answer one question, log the turn, and log it as missed when nothing was answered.
    The question is decided before the transaction: a district model's call takes seconds."""
    question = " ".join((question or "").split())
    if not question:
        raise ValidationFailed(_("请输入您的问题"))
    if len(question) > MAX_QUESTION:
        raise ValidationFailed(_("问题不能超过 %(n)d 字") % {"n": MAX_QUESTION})
    decided = _decide(question)
    with transaction.atomic():
        return _log_turn(user, question, session_id, decided)


def _log_turn(
    user: User, question: str, session_id: uuid.UUID | None, decided: _Decided
) -> AskResult:
    reply = decided.reply
    conversation = None
    if session_id is not None:
        conversation = Conversation.objects.filter(session_id=session_id, user=user).first()
    if conversation is None:
        kwargs = {"session_id": session_id} if session_id else {}
        if session_id and Conversation.objects.filter(session_id=session_id).exists():
            kwargs = {}  # another user's id: start a fresh session rather than join theirs
        conversation = Conversation.objects.create(user=user, **kwargs)
    wanted = [reply.answer_id] if reply.answer_id else [c.id for c in reply.choices]
    items = {i.code: i for i in KnowledgeItem.objects.filter(code__in=wanted)}
    item = items.get(reply.answer_id) if reply.answer_id else None
    choices = [items[c.id] for c in reply.choices if c.id in items]
    if item is not None:
        outcome = Outcome.ANSWERED
    elif choices:
        outcome = Outcome.CHOICES
    elif reply.handoff:
        outcome = Outcome.HANDOFF
    else:
        outcome = Outcome.ABSTAINED
    turn = Turn.objects.create(
        conversation=conversation,
        question=question,
        outcome=outcome,
        item=item,
        choices=[c.code for c in choices],
        confidence=round(reply.confidence, 4),
        complaint=reply.complaint and item is None and not choices,
        path=decided.path,
        model=decided.model,
    )
    # A complaint handed off is not a gap in the base; a question nothing answered is, and
    # so is one answered or offered choices without being sure: the editors see both.
    if not reply.complaint and ((item is None and not choices) or reply.unsure):
        likely = reply.ranked[0].id if reply.ranked else reply.nearest
        MissedQuestion.objects.create(
            turn=turn,
            text=question,
            reason=MissReason.UNSURE if item is not None or choices else MissReason.UNANSWERED,
            likely_item=KnowledgeItem.objects.filter(code=likely).first() if likely else None,
        )
    return AskResult(conversation, turn, item, choices, reply.handoff, reply)


@transaction.atomic
def conversation_choose(*, user: User, session_id: uuid.UUID, code: str) -> AskResult:
    """The resident picked one of the offered choices: answer with that item."""
    conversation = _conversation(user, session_id)
    item = KnowledgeItem.objects.filter(code=code).first()
    if item is None:
        raise NotFound(_("条目不存在"))
    turn = Turn.objects.create(
        conversation=conversation,
        question=item.question,
        outcome=Outcome.CHOSEN,
        item=item,
        confidence=1.0,
    )
    # The resident's pick is the best guess of what the choices' question was about.
    offered = conversation.turns.filter(outcome=Outcome.CHOICES).order_by("-id").first()
    if offered is not None and code in offered.choices:
        MissedQuestion.objects.filter(turn=offered, resolved_item__isnull=True).update(
            likely_item=item
        )
    return AskResult(conversation, turn, item, [], False)


@transaction.atomic
def conversation_feedback(*, user: User, session_id: uuid.UUID, helpful: bool) -> Turn:
    """有帮助/没帮助 on the latest answer; a dislike goes on the editors' list."""
    conversation = _conversation(user, session_id)
    turn = conversation.turns.filter(item__isnull=False).order_by("-id").first()
    if turn is None:
        raise ValidationFailed(_("还没有可以评价的回答"))
    turn.helpful = helpful
    turn.save(update_fields=["helpful"])
    if not helpful:
        # The resident's own words, not the standard question a choice stood for.
        asked = (
            conversation.turns.filter(id__lte=turn.id, outcome__in=_ASKED).order_by("-id").first()
        )
        text = asked.question if asked is not None else turn.question
        # One question, one row on the list: a dislike of the item picked from the choices
        # replaces the 把握不大 row the choices left.
        if asked is not None and asked.pk != turn.pk:
            MissedQuestion.objects.filter(turn=asked, resolved_item__isnull=True).delete()
        MissedQuestion.objects.update_or_create(
            turn=turn,
            defaults={"text": text, "reason": MissReason.DISLIKED, "likely_item": turn.item},
        )
    else:
        # The resident says it helped: nothing left for an editor, whether it was disliked
        # before or answered without being sure.
        MissedQuestion.objects.filter(turn=turn).delete()
    return turn


# Turns that hold what the resident typed (a chosen item's turn holds its standard question).
_ASKED = (Outcome.ANSWERED, Outcome.CHOICES, Outcome.ABSTAINED, Outcome.HANDOFF)


def transcript(conversation: Conversation) -> str:
    """The conversation as a handler reads it: what the resident said, what 小原 offered."""
    turns = list(conversation.turns.select_related("item"))
    codes = {code for turn in turns for code in turn.choices}
    questions = dict(KnowledgeItem.objects.filter(code__in=codes).values_list("code", "question"))
    lines = []
    for turn in turns:
        if turn.outcome == Outcome.CHOSEN:
            lines.append(_("居民选择：%(q)s") % {"q": turn.question})
        else:
            lines.append(_("居民：%(q)s") % {"q": turn.question})
        if turn.item is not None:
            lines.append(_("小原：回答了“%(q)s”") % {"q": turn.item.question})
            if turn.helpful is not None:
                lines.append(_("居民评价：有帮助") if turn.helpful else _("居民评价：没帮助"))
        elif turn.choices:
            offered = "；".join(questions.get(code, code) for code in turn.choices)
            lines.append(_("小原：您是想问 %(c)s") % {"c": offered})
        else:
            lines.append(_("小原：未能回答，建议转人工"))
    return "\n".join(lines)


@transaction.atomic
def conversation_handoff(
    *,
    user: User,
    session_id: uuid.UUID,
    consent: bool,
    address: str = "",
    lon: float | None = None,
    lat: float | None = None,
) -> Case:
    """Hand the conversation to a person: a case prefilled with what the resident said.
    Only with the resident's consent, and only once per conversation."""
    if consent is not True:
        raise ValidationFailed(_("转人工需要您同意将对话内容提交给工作人员"))
    conversation = _conversation(user, session_id)
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if conversation.case_id is not None:
        return Case.objects.get(pk=conversation.case_id)
    asked = conversation.turns.filter(outcome__in=_ASKED).order_by("-id")
    # The request is what 小原 could not help with, most recently; earlier turns are context.
    latest = asked.filter(outcome__in=(Outcome.HANDOFF, Outcome.ABSTAINED)).first() or asked.first()
    if latest is None:
        raise ValidationFailed(_("请先说说您遇到的问题"))
    heading = _("【小原帮办对话记录】")
    description = f"{latest.question}\n\n{heading}\n{transcript(conversation)}"
    case, _created = case_intake(
        data=CaseInput(
            channel=Channel.ASSISTANT,
            title=latest.question[:60],
            description=description[:MAX_DESCRIPTION],
            address=address.strip(),
            lon=lon,
            lat=lat,
            reporter_name=user.name,
            extra={"assistant_session": str(conversation.session_id)},
        ),
        actor=user,
    )
    conversation.case = case
    conversation.save(update_fields=["case"])
    # A question the resident took to a person is one the base did not settle: it goes on the
    # staff review list (unless it was a report of a problem, or is on the list already).
    if not latest.complaint and not MissedQuestion.objects.filter(turn=latest).exists():
        likely = (
            latest.item_id
            or (
                KnowledgeItem.objects.filter(code__in=latest.choices[:1]).values_list(
                    "id", flat=True
                )
            ).first()
        )
        MissedQuestion.objects.create(
            turn=latest, text=latest.question, reason=MissReason.HANDED_OFF, likely_item_id=likely
        )
    return case


@transaction.atomic
def similar_add(*, actor: User, text: str, code: str) -> KnowledgeItem:
    """An editor's one click: the missed question becomes a similar question of an item, and
    every open miss with the same text is marked resolved by it."""
    if not can_edit_kb(actor):
        raise PermissionDenied(_("只有管理员和街道调度员可以维护知识库"))
    text = " ".join(text.split())
    item = KnowledgeItem.objects.select_for_update().filter(code=code).first()
    if item is None:
        raise NotFound(_("条目不存在"))
    if not text:
        raise ValidationFailed(_("问题为空"))
    if text not in item.similar and text != item.question:
        item.similar = [*item.similar, text]
        item.save(update_fields=["similar", "updated_at"])
    MissedQuestion.objects.filter(text=text, resolved_item__isnull=True).update(resolved_item=item)
    _reindex()
    return item


@transaction.atomic
def miss_resolve(*, actor: User, text: str, code: str) -> ResolvedQuestion:
    """Staff answer a question on the review list with an item (an existing one or one just
    made for it): the question joins the memory of resolved questions, with its own vector,
    linked to the item, and every open miss with the same text is resolved by it. The item
    itself is not changed: its similar questions, vectors and the base's bars stay as they
    are (a question added to an item's similar ones was measured to cost other items)."""
    if not can_edit_kb(actor):
        raise PermissionDenied(_("只有管理员和街道调度员可以维护知识库"))
    text = " ".join((text or "").split())
    if not text:
        raise ValidationFailed(_("问题为空"))
    if len(text) > MAX_QUESTION:
        raise ValidationFailed(_("问题不能超过 %(n)d 字") % {"n": MAX_QUESTION})
    item = KnowledgeItem.objects.filter(code=(code or "").strip()).first()
    if item is None:
        raise NotFound(_("条目不存在"))
    resolved, _created = ResolvedQuestion.objects.update_or_create(
        text=text,
        defaults={"item": item, "resolved_by": actor, **_memory_vector(index.encoder(), text)},
    )
    MissedQuestion.objects.filter(text=text, resolved_item__isnull=True).update(resolved_item=item)
    index.invalidate()
    transaction.on_commit(index.invalidate)
    return resolved
