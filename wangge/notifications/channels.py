"""Channels beyond the inbox: WeChat subscription messages, 企业微信 application messages.

An app above this floor registers a deliverer in its `AppConfig.ready`; every inbox message
written with an `event` (what happened, e.g. "case.accepted") is handed to each deliverer once
its rows are written, inside the caller's transaction. A deliverer must not talk to the
outside world there: it queues a job on commit. The inbox stays the record; a channel is one
more place the same message reaches.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

# What happened, by the events the channels know. Residents hear of their own reports; staff of
# work given to them.
CASE_ACCEPTED = "case.accepted"  # the report is registered and routed (who handles it)
CASE_RESOLVED = "case.resolved"  # the handler reported it done (with the result)
CASE_RATE = "case.rate"  # verified: the reporter is asked to rate it
GRID_NOTICE = "notice"  # a notice to the resident's grid
CASE_ASSIGNED = "case.assigned"  # a case dispatched to a handler
CASE_CARD = "case.card"  # a yellow or red card
CASE_WHISTLE = "case.whistle"  # a department summoned (吹哨)
CASE_SUPERVISE = "case.supervise"  # 督办


@dataclass(frozen=True)
class Push:
    recipient_id: int
    event: str
    title: str
    body: str
    link: str
    topic: str


Deliverer = Callable[[Sequence[Push]], None]
_deliverers: list[Deliverer] = []


def register(deliverer: Deliverer) -> None:
    if deliverer not in _deliverers:
        _deliverers.append(deliverer)


def hand_over(pushes: Sequence[Push]) -> None:
    if pushes:
        for deliverer in _deliverers:
            deliverer(pushes)
