"""A district's own model beside 小原's offline path (off by default).

A district that runs a chat model behind an OpenAI-compatible endpoint (vLLM, Ollama,
Xinference, a 政务云 model service) may let it judge the question: it reads the question and
the five items the offline ranking puts first, and answers with JSON only — one item by its
id, two or three items to offer as choices, or none. It never writes the reply: a resident is
shown the chosen item's own approved text, as on the offline path. An id it was not shown, a
reply that is not that JSON, an error or a reply later than `ASSISTANT_MODEL_TIMEOUT` seconds:
the offline path's decision stands, and only the path recorded on the turn says so.

Everything here reads settings; nothing is called unless `ASSISTANT_MODEL_URL` and
`ASSISTANT_CHAT_MODEL` are set.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, replace
from typing import Any, Final
from urllib.parse import urlsplit, urlunsplit

import httpx
from django.conf import settings

from wangge.assistant.retrieval import (
    ALTERNATIVES,
    MAX_CHOICES,
    Candidate,
    Doc,
    Reply,
    Retriever,
)

logger = logging.getLogger(__name__)

# The items the model reads: the offline ranking's first five (its top three hold the right
# item about 0.975 of the time on the held-out bases, docs/benchmarks.md).
SHOWN: Final = 5
# Characters of each item's answer shown after its question: enough to tell twins apart.
ANSWER_HEAD: Final = 120
# The model's reply is a short JSON object; more is not read.
MAX_TOKENS: Final = 80

# What the model is told. Not shown to residents: the model reads Chinese items.
_SYSTEM: Final = (
    "你是政务服务知识库的检索员。居民提了一个问题，下面列出知识库中可能相关的条目"
    "（方括号里是条目编号）。只判断问题问的是哪一条，不要回答问题本身。"
    "只输出一个 JSON 对象，不要输出其他任何文字：\n"
    '确定是某一条：{"decision": "answer", "id": "条目编号"}\n'
    '可能是其中两三条、需要居民自己选：{"decision": "choices", "ids": ["编号", "编号"]}\n'
    '都不是，或问题是在反映需要有人处理的问题：{"decision": "abstain"}'
)
_FENCE_RE = re.compile(r"^```(?:json)?\s*|\s*```$")


@dataclass(frozen=True)
class Endpoint:
    url: str  # the base URL, ending in /v1
    key: str
    chat_model: str
    timeout: float

    @property
    def label(self) -> str:
        """The endpoint as recorded beside each answer: no credentials, no query."""
        try:
            parts = urlsplit(self.url)
            host = parts.hostname or ""
            port = parts.port
        except ValueError:  # a URL the setting spells wrong: recorded as set, credentials out
            return re.sub(r"//[^/@]*@", "//", self.url)
        if port:
            host = f"{host}:{port}"
        return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))


def configured() -> Endpoint | None:
    """The district's chat model, or None (the offline path alone)."""
    url = (settings.ASSISTANT_MODEL_URL or "").strip()
    model = (settings.ASSISTANT_CHAT_MODEL or "").strip()
    if not url or not model:
        return None
    return Endpoint(
        url.rstrip("/"), settings.ASSISTANT_MODEL_KEY, model, settings.ASSISTANT_MODEL_TIMEOUT
    )


@dataclass(frozen=True)
class Judgement:
    """What the model decided, and which model said so."""

    decision: str  # "answer", "choices" or "abstain"
    ids: tuple[str, ...]
    model: str  # the model name the server answered with
    version: str  # the server's system_fingerprint, when it gives one


def shown(retriever: Retriever, question: str, reply: Reply) -> list[Doc]:
    """The items the model reads, best first: what the offline path answered or offered, its
    runners-up, then the ranking by words."""
    codes: list[str] = []
    for candidate in (*reply.ranked, *reply.alternatives, *retriever.rank(question, k=SHOWN)):
        if candidate.id not in codes:
            codes.append(candidate.id)
    docs = []
    for code in codes[:SHOWN]:
        try:
            docs.append(retriever.docs[retriever.position(code)])
        except KeyError:
            continue
    return docs


def _messages(question: str, items: Sequence[Doc]) -> list[dict[str, str]]:
    lines = [f"居民的问题：{question}", "", "条目："]
    for doc in items:
        head = " ".join(doc.answer.split())[:ANSWER_HEAD]
        lines.append(f"[{doc.id}] {doc.question}　答：{head}")
    return [{"role": "system", "content": _SYSTEM}, {"role": "user", "content": "\n".join(lines)}]


def _post(endpoint: Endpoint, body: dict[str, Any]) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {endpoint.key}"} if endpoint.key else {}
    response = httpx.post(
        f"{endpoint.url}/chat/completions",
        json=body,
        headers=headers,
        timeout=httpx.Timeout(endpoint.timeout),
    )
    response.raise_for_status()
    data = response.json()
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data


# The call runs on a pool's thread so that the whole call, not each of its phases (httpx's
# timeout is per connect / read / write), is held to the limit; a straggler finishes there.
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="district-model")
        return _pool


def judge(endpoint: Endpoint, question: str, items: Sequence[Doc]) -> Judgement | None:
    """The model's decision over ``items``, or None on any error, timeout or reply that is not
    a decision about the items it was shown."""
    if not items:
        return None
    body = {
        "model": endpoint.chat_model,
        "messages": _messages(question, items),
        "temperature": 0,
        "max_tokens": MAX_TOKENS,
        "response_format": {"type": "json_object"},
    }
    future = executor().submit(_post, endpoint, body)
    try:
        data = future.result(timeout=endpoint.timeout)
    except FutureTimeout:
        # Still queued behind stragglers (a hung server holds the pool's threads): never sent.
        future.cancel()
        logger.warning("district model: no reply within %.1f s", endpoint.timeout)
        return None
    except Exception as exc:  # any fault of an optional server: the offline answer
        # Not only the network's (httpx.HTTPError) and a reply that is not JSON: a URL the
        # setting spells wrong raises httpx.InvalidURL, which must not fail the resident.
        logger.warning("district model: %s", exc)
        return None
    return _read(data, [doc.id for doc in items])


def _read(data: dict[str, Any], offered: Sequence[str]) -> Judgement | None:
    try:
        content = data["choices"][0]["message"]["content"]
        decided = json.loads(_FENCE_RE.sub("", str(content).strip()))
    except (KeyError, IndexError, TypeError, ValueError):
        logger.warning("district model: the reply is not a decision")
        return None
    if not isinstance(decided, dict):
        return None
    decision = decided.get("decision")
    model = str(data.get("model") or "")[:80]
    version = str(data.get("system_fingerprint") or "")[:80]
    if decision == "abstain":
        return Judgement("abstain", (), model, version)
    if decision == "answer":
        code = decided.get("id")
        if isinstance(code, str) and code in offered:
            return Judgement("answer", (code,), model, version)
        return None
    if decision == "choices":
        codes = decided.get("ids")
        if not isinstance(codes, list) or not codes:
            return None
        unique = list(dict.fromkeys(codes))
        if len(unique) > MAX_CHOICES or not all(
            isinstance(c, str) and c in offered for c in unique
        ):
            return None
        return Judgement("choices", tuple(unique), model, version)
    return None


def applied(reply: Reply, judgement: Judgement, items: Sequence[Doc]) -> Reply:
    """The offline ``reply`` as the model decided it: the items it named, in the ranking's
    scores where the ranking gave them one."""
    scores = {c.id: c.score for c in (*reply.ranked, *reply.alternatives)}
    by_id = {doc.id: Candidate(doc.id, doc.question, scores.get(doc.id, 0.0)) for doc in items}
    if judgement.decision == "answer":
        (code,) = judgement.ids
        chosen = by_id[code]
        rest = tuple(c for c in by_id.values() if c.id != code)
        return replace(
            reply,
            answer_id=code,
            choices=(),
            confidence=max(chosen.score, reply.confidence),
            handoff=False,
            ranked=(chosen,),
            unsure=False,
            nearest=code,
            alternatives=rest[:ALTERNATIVES],
        )
    if judgement.decision == "choices":
        offered = tuple(by_id[code] for code in judgement.ids)
        return replace(
            reply,
            answer_id=None,
            choices=offered,
            handoff=False,
            ranked=offered,
            unsure=True,
            nearest=offered[0].id,
            alternatives=(),
        )
    # Abstained: nothing answered; the nearest items and a person are offered, as offline.
    nearest = tuple(by_id.values())[:MAX_CHOICES]
    return replace(
        reply,
        answer_id=None,
        choices=(),
        handoff=True,
        ranked=(),
        unsure=False,
        nearest=nearest[0].id if nearest else reply.nearest,
        alternatives=nearest,
    )
