"""What notifications does when lower floors announce something (connected in apps.ready)."""

from typing import Any

from wangge.notifications.services import sms_send


def text_the_code(sender: Any, *, phone: str, text: str, code: str, **kwargs: Any) -> None:
    """A login code issued by accounts goes out as a text message once its transaction commits."""
    sms_send(phone=phone, body=text, template="code", params=[code])
