"""The sign-in pages after the password: typing a code, setting up an authenticator app, backup
codes, re-authentication, and the user's own security page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import audit, ratelimit, twofactor
from .forms import CodeForm, EnrolCodeForm, ReauthenticateForm, ResetForm
from .reauth import reauthentication_required

GET_POST = require_http_methods(["GET", "POST"])


def safe_next(request: HttpRequest, default: str = "home") -> str:
    """Where the user was going: a path on this site only (never another host), else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _code_tries_left(request: HttpRequest) -> HttpResponse | None:
    retry_after = ratelimit.hit("code", str(request.user.pk))
    if retry_after is not None:
        return ratelimit.too_many(request, retry_after, "checking codes for this account")
    return None


@never_cache
@GET_POST
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    if twofactor.is_verified(request):
        return redirect(safe_next(request))
    if not twofactor.has_second_factor(request.user):
        return redirect("two-factor-enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        limited = _code_tries_left(request)
        if limited:
            return limited
        try:
            device = twofactor.check_code(request.user, form.cleaned_data["code"])
        except twofactor.Refused as refused:
            audit.record(twofactor.CODE_REFUSED, request=request, detail="sign-in code refused")
            form.add_error("code", str(refused))
        else:
            twofactor.mark_verified(request, device)
            audit.record(twofactor.VERIFIED, request=request, detail=type(device).__name__)
            return redirect(safe_next(request))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": safe_next(request)})


@never_cache
@GET_POST
@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    if twofactor.has_second_factor(user):
        return redirect(safe_next(request) if twofactor.is_verified(request) else "two-factor-verify")
    device = twofactor.pending_device(user)
    form = EnrolCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        limited = _code_tries_left(request)
        if limited:
            return limited
        try:
            twofactor.check_code(user, form.cleaned_data["code"], devices=[device])
        except twofactor.Refused as refused:
            audit.record(twofactor.CODE_REFUSED, request=request, detail="set-up code refused")
            form.add_error("code", str(refused))
        else:
            device.refresh_from_db()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            twofactor.mark_verified(request, device)
            codes = twofactor.new_backup_codes(user)
            audit.record(twofactor.ENROLLED, request=request, target=user, detail="authenticator app set up")
            return render(
                request, "registration/backup_codes.html", {"codes": codes, "next": safe_next(request), "first": True}
            )
    context = {"form": form, "secret": twofactor.secret_text(device), "next": safe_next(request)}
    return render(request, "registration/two_factor_enrol.html", context)


@never_cache
@require_GET
@login_required
def qr_code(request: HttpRequest) -> HttpResponse:
    """The QR code of the authenticator app being set up, as an image (no inline markup)."""
    if twofactor.has_second_factor(request.user):
        return HttpResponse(status=404)
    return HttpResponse(twofactor.qr_svg(twofactor.pending_device(request.user)), content_type="image/svg+xml")


@never_cache
@require_GET
@login_required
def security(request: HttpRequest) -> HttpResponse:
    from django_otp.plugins.otp_static.models import StaticToken

    context = {
        "app": twofactor.app_device(request.user),
        "backup_codes_left": StaticToken.objects.filter(device__user=request.user).count(),
    }
    return render(request, "registration/security.html", context)


@never_cache
@require_POST
@login_required
@reauthentication_required(back_to="account-security")
def renew_backup_codes(request: HttpRequest) -> HttpResponse:
    codes = twofactor.new_backup_codes(request.user)
    audit.record(twofactor.BACKUP_CODES_RENEWED, request=request, target=request.user)
    return render(request, "registration/backup_codes.html", {"codes": codes, "first": False})


@never_cache
@require_POST
@login_required
@reauthentication_required(back_to="account-security")
def replace_app(request: HttpRequest) -> HttpResponse:
    """A new phone: the old app stops working; the user sets up the new one now."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=request.user).delete()
    audit.record(twofactor.RESET, request=request, target=request.user, detail="own authenticator app replaced")
    messages.info(request, "Your old authenticator app no longer works. Set up the new one now.")
    return redirect("two-factor-enrol")


@never_cache
@GET_POST
@login_required
def reauthenticate(request: HttpRequest) -> HttpResponse:
    form = ReauthenticateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        limited = _code_tries_left(request)
        if limited:
            return limited
        password, code = form.cleaned_data["password"], form.cleaned_data["code"].strip()
        confirmed = False
        if password:
            confirmed = request.user.check_password(password)
        elif code:
            try:
                twofactor.check_code(request.user, code)
                confirmed = True
            except twofactor.Refused as refused:
                form.add_error("code", str(refused))
        if confirmed:
            twofactor.mark_reauthenticated(request)
            audit.record(twofactor.REAUTHENTICATED, request=request, detail="password" if password else "code")
            return redirect(safe_next(request))
        audit.record(twofactor.REAUTHENTICATION_FAILED, request=request)
        if password:
            form.add_error("password", "That is not your password.")
    return render(request, "registration/reauthenticate.html", {"form": form, "next": safe_next(request)})


_reset_view = auth_views.PasswordResetView.as_view(form_class=ResetForm)


@never_cache
def password_reset(request: HttpRequest) -> HttpResponse:
    """Django's password reset, at most RATE_LIMITS["password-reset"] an hour per address and per IP.
    The emailed link sets a new password only: signing in after it still asks for a code."""
    if request.method == "POST":
        email = request.POST.get("email", "").strip().lower()
        for key in (f"ip:{audit.client_ip(request)}", f"email:{email}"):
            retry_after = ratelimit.hit("password-reset", key)
            if retry_after is not None:
                return ratelimit.too_many(request, retry_after, "resetting passwords")
    return _reset_view(request)
