"""How the video platform signs what it sends: HMAC-SHA256 over `<timestamp>.<body>`, hex, as
`sha256=<hex>` (docs/video.md). The timestamp inside the signature is what stops a replay."""

import hashlib
import hmac

TIMESTAMP_HEADER = "X-Wangge-Timestamp"
SIGNATURE_HEADER = "X-Wangge-Signature"


def signature_of(body: bytes, timestamp: str, secret: str) -> str:
    message = timestamp.encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
