"""Tencent Cloud SMS (短信 SendSms, API 2021-01-11) through its official SDK
(`tencentcloud-sdk-python-sms`, the `sms` extra).

Settings (from the environment, see settings.py): SMS_TENCENT_SECRET_ID / _SECRET_KEY (a
sub-account key allowed to send SMS only), SMS_TENCENT_SDK_APP_ID, SMS_TENCENT_REGION,
SMS_SIGN_NAME (the approved 签名), SMS_TEMPLATES (kind → approved template id) and
SMS_TENCENT_ENDPOINT: empty for the provider's own host, or a URL such as
`http://127.0.0.1:8025` for a gateway proxy or a local test server.

The SDK does not retry by itself here: one call is one attempt, and the job around it decides
what to try again.
"""

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from wangge.notifications.sms import NOTICE, SmsRejected

# Refusals that sending again cannot fix (Tencent's error code prefixes): bad parameters, a
# template or signature not approved, an account not allowed, a number over its daily limit.
# Anything else — the network, 5xx, InternalError, RequestLimitExceeded — is worth a retry.
_FINAL = (
    "AuthFailure",
    "FailedOperation",
    "InvalidParameter",
    "InvalidParameterValue",
    "MissingParameter",
    "UnauthorizedOperation",
    "UnsupportedOperation",
    "LimitExceeded.PhoneNumberDailyLimit",
    "LimitExceeded.DailyLimit",
)


def _e164(phone: str) -> str:
    digits = phone.strip().replace(" ", "").replace("-", "")
    if digits.startswith("+"):
        return digits
    if digits.startswith("86") and len(digits) == 13:
        return "+" + digits
    return "+86" + digits


def _final(code: str) -> bool:
    return any(code == p or code.startswith(p + ".") for p in _FINAL)


class TencentCloudBackend:
    name = "tencentcloud"

    def __init__(self) -> None:
        # Imported here: the SDK is an optional extra, installed only where texts go out
        # through Tencent Cloud.
        try:
            from tencentcloud.common import credential
            from tencentcloud.common.profile.client_profile import ClientProfile
            from tencentcloud.common.profile.http_profile import HttpProfile
            from tencentcloud.sms.v20210111 import models, sms_client
        except ImportError as exc:  # fail at start-up, not at the first text
            raise ImproperlyConfigured(
                "SMS_BACKEND is TencentCloudBackend but the SDK is missing: "
                "pip install 'wangge[sms]'"
            ) from exc
        missing = [
            name
            for name in (
                "SMS_TENCENT_SECRET_ID",
                "SMS_TENCENT_SECRET_KEY",
                "SMS_TENCENT_SDK_APP_ID",
                "SMS_SIGN_NAME",
            )
            if not getattr(settings, name, "")
        ]
        if missing:
            raise ImproperlyConfigured(f"Tencent Cloud SMS needs {', '.join(missing)}")
        self._templates: dict[str, str] = dict(settings.SMS_TEMPLATES)
        if not self._templates.get(NOTICE):
            raise ImproperlyConfigured("Tencent Cloud SMS needs SMS_TEMPLATE_NOTICE")
        http = HttpProfile(reqTimeout=int(settings.SMS_TIMEOUT_SECONDS))
        endpoint = settings.SMS_TENCENT_ENDPOINT
        if endpoint:
            parts = urlsplit(endpoint if "://" in endpoint else f"https://{endpoint}")
            http.scheme = http.protocol = parts.scheme or "https"
            http.endpoint = parts.netloc
        profile = ClientProfile(httpProfile=http, disable_region_breaker=True)
        cred = credential.Credential(
            settings.SMS_TENCENT_SECRET_ID, settings.SMS_TENCENT_SECRET_KEY
        )
        self._client: Any = sms_client.SmsClient(cred, settings.SMS_TENCENT_REGION, profile)
        self._models: Any = models
        self._app_id = str(settings.SMS_TENCENT_SDK_APP_ID)
        self._sign = settings.SMS_SIGN_NAME

    def send(
        self, phone: str, body: str, *, template: str = NOTICE, params: Sequence[str] = ()
    ) -> str:
        # The optional SDK, as in __init__ (which has already checked that it is installed).
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
            TencentCloudSDKException,
        )

        template_id = self._templates.get(template)
        if not template_id:
            raise SmsRejected(f"no template configured for {template!r} (SMS_TEMPLATES)")
        request = self._models.SendSmsRequest()
        request.SmsSdkAppId = self._app_id
        request.SignName = self._sign
        request.TemplateId = str(template_id)
        request.TemplateParamSet = [str(p) for p in params]
        request.PhoneNumberSet = [_e164(phone)]
        try:
            response = self._client.SendSms(request)
        except TencentCloudSDKException as exc:
            code = exc.get_code() or ""
            if _final(code):
                raise SmsRejected(f"{code}: {exc.get_message()}") from None
            raise RuntimeError(f"{code}: {str(exc.get_message())[:200]}") from None
        statuses = response.SendStatusSet or []
        if not statuses:
            raise RuntimeError("SendSms answered without a status")
        status = statuses[0]
        if status.Code != "Ok":
            text = f"{status.Code}: {status.Message}"
            if _final(status.Code or ""):
                raise SmsRejected(text)
            raise RuntimeError(text)
        return str(status.SerialNo or "")
