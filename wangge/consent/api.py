"""用户协议, 隐私政策 and the caller's consent, for the mini-program (and any client).

GET  /api/v1/consent/documents          → {"terms": …, "privacy": …}   (no sign-in)
GET  /api/v1/consent/documents/{kind}   → the version in force, with its text (no sign-in)
GET  /api/v1/consent/me                 → whether the caller agrees to the versions in force
POST /api/v1/consent/me  {"terms_version", "privacy_version", "occasion"} → the consent recorded

The mini-program shows the documents and asks for agreement before the phone number is typed;
once bound it records that agreement here (its binding call belongs to the sign-in API), and
asks again whenever `agreed` turns false (a new version)."""

from datetime import datetime
from typing import Annotated, Literal

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import WithJsonSchema

from wangge.consent import selectors, services
from wangge.consent.models import Consent, LegalDocument
from wangge.core.errors import NotFound
from wangge.core.web import AuthedRequest

router = Router(tags=["用户协议与授权"])


class Detail(Schema):
    detail: str


class DocumentOut(Schema):
    kind: str
    title: str
    version: int
    published_at: datetime
    changes: str
    url: str = Field(..., description="平台上阅读该文件的页面（站内路径）")


# A paragraph is the pair [is a heading, text]. Described without `prefixItems` (JSON Schema
# 2020-12's tuple), which OpenAPI tools that read 3.0 schemas (schemathesis, older client
# generators) reject: an array of exactly two, a boolean and a string.
Paragraph = Annotated[
    tuple[bool, str],
    WithJsonSchema(
        {
            "type": "array",
            "items": {"anyOf": [{"type": "boolean"}, {"type": "string"}]},
            "minItems": 2,
            "maxItems": 2,
        }
    ),
]


class DocumentTextOut(DocumentOut):
    paragraphs: list[Paragraph] = Field(..., description="正文各段：[是否小标题, 文字]")


class DocumentsOut(Schema):
    terms: DocumentOut
    privacy: DocumentOut


class ConsentStateOut(Schema):
    agreed: bool = Field(..., description="是否已同意现行版本")
    needs_renewal: bool = Field(..., description="同意过旧版本、需要再次同意")
    agreed_at: datetime | None = None
    terms_version: int | None = None
    privacy_version: int | None = None
    documents: DocumentsOut | None = None


class ConsentIn(Schema):
    terms_version: int = Field(..., ge=1, le=1_000_000, description="居民看到的用户协议版本号")
    privacy_version: int = Field(..., ge=1, le=1_000_000, description="居民看到的隐私政策版本号")
    occasion: Literal["bind", "renewal"] = "bind"


class ConsentOut(Schema):
    agreed_at: datetime
    terms_version: int
    privacy_version: int
    channel: str


def _doc(doc: LegalDocument) -> DocumentOut:
    url = reverse("consent:terms" if doc.kind == LegalDocument.Kind.TERMS else "consent:privacy")
    return DocumentOut(
        kind=doc.kind,
        title=doc.title,
        version=doc.version,
        published_at=doc.published_at,
        changes=doc.changes,
        url=url,
    )


def _documents() -> DocumentsOut | None:
    documents = selectors.in_force()
    if documents is None:
        return None
    return DocumentsOut(terms=_doc(documents.terms), privacy=_doc(documents.privacy))


@router.get(
    "/documents", auth=None, response={200: DocumentsOut, 404: Detail}, summary="现行协议版本"
)
def documents(request: AuthedRequest) -> DocumentsOut:
    found = _documents()
    if found is None:
        raise NotFound(_("用户协议或隐私政策尚未发布"))
    return found


@router.get(
    "/documents/{kind}",
    auth=None,
    response={200: DocumentTextOut, 404: Detail},
    summary="现行协议全文",
)
def document(request: AuthedRequest, kind: Literal["terms", "privacy"]) -> DocumentTextOut:
    doc = selectors.current_document(kind)
    if doc is None:
        raise NotFound(_("该文件尚未发布"))
    return DocumentTextOut(**_doc(doc).dict(), paragraphs=doc.paragraphs())


@router.get("/me", response=ConsentStateOut, summary="我的同意状态")
def state(request: AuthedRequest) -> ConsentStateOut:
    live = selectors.live_consent(request.user)
    documents = selectors.in_force()
    return ConsentStateOut(
        agreed=live is not None and selectors.agrees_to(live, documents),
        needs_renewal=selectors.needs_renewal(request.user),
        agreed_at=live.agreed_at if live else None,
        terms_version=live.terms.version if live else None,
        privacy_version=live.privacy.version if live else None,
        documents=_documents(),
    )


@router.post(
    "/me",
    response={201: ConsentOut, 409: Detail, 422: Detail},
    summary="同意现行用户协议和隐私政策",
)
def agree(request: AuthedRequest, body: ConsentIn) -> Status:
    # A signed-in page of the site calls with its session; everything else with a token is
    # the mini-program (the only client that asks residents for consent itself).
    channel = (
        Consent.Channel.MINIPROGRAM
        if request.META.get("HTTP_AUTHORIZATION", "").startswith("Bearer ")
        else Consent.Channel.WEB
    )
    consent = services.consent_record(
        user=request.user,
        channel=channel,
        occasion=Consent.Occasion.BIND if body.occasion == "bind" else Consent.Occasion.RENEWAL,
        terms_version=body.terms_version,
        privacy_version=body.privacy_version,
    )
    return Status(
        201,
        ConsentOut(
            agreed_at=consent.agreed_at,
            terms_version=consent.terms.version,
            privacy_version=consent.privacy.version,
            channel=consent.channel,
        ),
    )
