"""安全隐患排查 over the API: a filled checklist from the phone's outbox, delivered once."""

from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja import Status as Reply

from wangge.core.errors import NotFound, PermissionDenied
from wangge.core.idempotency import request_key, run_once
from wangge.core.images import clean_images
from wangge.core.schemas import body_doc
from wangge.core.web import AuthedRequest, cleaned
from wangge.ledgers.forms import InspectionForm, TemplatePickForm
from wangge.ledgers.inspection_input import inspection_from_form
from wangge.ledgers.models import ChecklistTemplate

router = Router(tags=["台账"])


class Detail(Schema):
    detail: str


class InspectionOut(Schema):
    id: int
    template: str
    place: str
    failed: int
    cases: list[str]


@router.post(
    "/inspections",
    response={201: InspectionOut, 403: Detail, 404: Detail, 409: Detail, 422: Detail},
    summary="提交隐患排查清单",
    description=(
        "multipart/form-data，字段同排查页面：template（清单编码）、building 或 place、lon、lat、"
        "每项 item-<检查项id>（pass/fail）、note-<id>、report-<id>=1（不合格项上报为事件）、"
        "note、照片 photos。带 `Idempotency-Key` 请求头时同一次排查只记录一次。"
    ),
    openapi_extra=body_doc(
        form={
            "template": "清单编码",
            "building": "楼栋编码",
            "place": "地点（无楼栋时）",
            "lon": "经度",
            "lat": "纬度",
            "note": "备注",
        },
        form_required=("template",),
    ),
)
def create_inspection(request: AuthedRequest) -> Reply[Any]:
    user = request.user
    if not user.is_grid_staff:
        raise PermissionDenied(_("只有网格工作人员可以排查隐患"))
    key = request_key(request)
    code = cleaned(TemplatePickForm(request.POST))["template"]
    template = ChecklistTemplate.objects.filter(code=code, is_active=True).first()
    if template is None:
        raise NotFound(_("排查清单“%(c)s”不存在或已停用") % {"c": code})
    form = InspectionForm(request.POST, items=template.items.all())
    photos = clean_images(request.FILES.getlist("photos"))

    def work() -> tuple[int, InspectionOut]:
        inspection = inspection_from_form(actor=user, template=template, form=form, photos=photos)
        results = list(inspection.results.select_related("case"))
        return 201, InspectionOut(
            id=inspection.pk,
            template=template.name,
            place=inspection.where,
            failed=sum(1 for r in results if not r.passed),
            cases=[r.case.number or "" for r in results if r.case is not None],
        )

    status, answer = run_once(actor_id=user.pk, key=key, scope="inspection", work=work)
    return Reply(status, answer)
