"""WeChat's message push to the mini-program's server URL (消息推送), in plaintext JSON mode.

WeChat signs every call: `signature` = sha1 of the sorted [token, timestamp, nonce] joined, the
token being the one set in the mini-program's 开发设置 → 消息推送 and in WECHAT_PUSH_TOKEN. A
call whose signature does not match is refused before its body is read."""

import hashlib
import hmac

from django.conf import settings


def signature_valid(*, signature: str, timestamp: str, nonce: str) -> bool:
    token = settings.WECHAT_PUSH_TOKEN
    if not token or not signature or not timestamp or not nonce:
        return False
    expected = hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()  # noqa: S324 - WeChat's scheme
    return hmac.compare_digest(expected, signature)
