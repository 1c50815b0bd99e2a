"""A report made with no signal is kept on the phone and delivered once the network is back —
exactly once, even when the page sends it again."""

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.browser.conftest import shot, sign_in
from tests.conftest import PASSWORD
from wangge.cases.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def big_photo(tmp_path: Path) -> str:
    path = tmp_path / "phone.jpg"
    out = io.BytesIO()
    Image.new("RGB", (4000, 3000), (90, 120, 160)).save(out, format="JPEG", quality=95)
    path.write_bytes(out.getvalue())
    return str(path)


def test_offline_report_is_delivered_once_when_back_online(
    live_server: Any, people: dict[str, Any], new_page: Any, tmp_path: Path
) -> None:
    page = new_page(phone=True, geolocation={"longitude": 113.6005, "latitude": 34.7505})
    sign_in(page, live_server.url, people["resident"].phone, PASSWORD)
    page.goto(f"{live_server.url}/m/report/")
    page.context.set_offline(True)
    page.get_by_label("问题描述").fill("楼道灯坏了，晚上老人上下楼看不见")
    page.get_by_role("button", name="使用我的位置").click()
    page.wait_for_selector("text=已获取位置")
    page.locator("#m-photos").set_input_files(big_photo(tmp_path))
    page.get_by_role("button", name="提交").click()
    page.wait_for_selector("#m-report-status[data-state=queued]")
    assert "联网后自动提交" in page.locator("#m-report-status").inner_text()
    assert Case.objects.count() == 0
    shot(page, "offline-queued")

    page.context.set_offline(False)
    page.wait_for_selector("#m-report-status[data-state=sent]", timeout=15000)
    case = Case.objects.get()
    assert case.description == "楼道灯坏了，晚上老人上下楼看不见"
    assert case.reporter == people["resident"] and case.micro_grid is not None
    photo = case.attachments.get()
    assert max(photo.width, photo.height) <= 1600  # shrunk on the phone before upload
    shot(page, "offline-sent")

    # The same report sent again (a flaky network retrying) is still one case.
    outbox_id = case.external_id.split(":", 1)[1]
    again = page.evaluate(
        """async (id) => {
            const body = new FormData();
            body.append("description", "楼道灯坏了，晚上老人上下楼看不见");
            body.append("location", JSON.stringify({lon: 113.6005, lat: 34.7505}));
            body.append("channel", "snapshot");
            body.append("external_id", id);
            const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
            const r = await fetch("/api/v1/cases",
                                  {method: "POST", body, headers: {"X-CSRFToken": csrf}});
            return r.status;
        }""",
        outbox_id,
    )
    assert again == 200
    assert Case.objects.count() == 1
    page.reload()
    assert page.locator("#m-queued").is_hidden()
