"""The JSON WeChat's 消息推送 sends (plaintext mode). Only a photo's verdict is acted on
(`wxa_media_check`); every other event is acknowledged and left, so nothing in an event is
refused for its shape: WeChat cannot act on a refusal, and would only send it again."""

from typing import Any

from pydantic import field_validator

from wangge.core.schemas import BodyIn


class PushEvent(BodyIn):
    Encrypt: Any = None
    Event: Any = None
    trace_id: Any = None
    result: Any = None
    # WeChat's error code for the check; one that does not read is an error of its own (-1).
    errcode: int = 0

    @field_validator("errcode", mode="before")
    @classmethod
    def _errcode(cls, value: Any) -> int:
        try:
            return int(value or 0)
        except (TypeError, ValueError):
            return -1

    @property
    def encrypted(self) -> bool:
        """Sent in 安全模式 (an `Encrypt` field), which this endpoint is not set up for."""
        return "Encrypt" in self.model_fields_set

    @property
    def media_check(self) -> bool:
        return self.Event == "wxa_media_check" and bool(self.trace_id)
