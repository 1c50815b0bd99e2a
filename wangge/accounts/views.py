from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from wangge.accounts.forms import PhoneLoginForm
from wangge.grids.selectors import home_nodes


class PhoneLoginView(LoginView):
    form_class = PhoneLoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        # A resident who signs in with a password lands in the app, as one who uses a code does.
        user = self.request.user
        if user.is_authenticated and user.uses_resident_app:
            return reverse("mobile:home")
        return super().get_default_redirect_url()


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("login")


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    user = request.user
    if user.uses_resident_app:
        return redirect("mobile:home")
    grants = user.grants.select_related("node").order_by("role")
    return render(
        request,
        "home.html",
        {"grants": grants, "home_nodes": home_nodes(user) if user.is_grid_staff else []},
    )
