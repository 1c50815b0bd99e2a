from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wangge.core.paging import paginate
from wangge.core.web import AuthedRequest
from wangge.notifications.models import Notification
from wangge.notifications.services import notification_mark_read


@login_required
def inbox(request: AuthedRequest) -> HttpResponse:
    if request.user.uses_resident_app:
        # One inbox for residents: the app's 消息 tab.
        return redirect("mobile:messages")
    rows = Notification.objects.filter(recipient_id=request.user.pk)
    page = paginate(request, rows, 30)
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
@require_POST
def mark_read(request: AuthedRequest) -> HttpResponse:
    notification_mark_read(user=request.user)
    if request.user.uses_resident_app:
        return redirect("mobile:messages")
    return redirect("notifications:inbox")
