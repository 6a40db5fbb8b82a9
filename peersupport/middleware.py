import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

SESSION_KEY = "last_activity"
SIGNED_IN_AT = "signed_in_at"
SESSION_REFUSED = "session-refused"
# Activity is written to the session at most once a minute: writing it on every request would
# cost every page a database write, and the 30-minute timeout needs no finer clock than that.
TOUCH_EVERY_SECONDS = 60


@receiver(user_logged_in)
def signing_in_is_activity(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = request.session[SIGNED_IN_AT] = time.time()


def _signed_out(self, request, message: str):
    logout(request)
    if request.headers.get("HX-Request"):
        response = self.get_response(request)
        response["HX-Redirect"] = reverse(settings.LOGIN_URL)
        return response
    messages.info(request, message)
    return redirect_to_login(request.get_full_path())


class IdleTimeoutMiddleware:
    """Sign a user out after IDLE_TIMEOUT without activity, and SESSION_ABSOLUTE_LIMIT after signing
    in however active they are (a session that does not say when it signed in has ended too).

    Requests marked as background polling (header X-Background-Poll) do not count as
    activity, so an open tab with a refreshing bell still times out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cookie = settings.SESSION_COOKIE_NAME in request.COOKIES
        if cookie and not request.user.is_authenticated and request.session.session_key is None:
            from . import audit

            # Made up, tampered with, or long expired: treated as no session (the cookie is dropped).
            audit.record(SESSION_REFUSED, request=request, detail="session cookie naming no current session")
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get(SESSION_KEY)
            signed_in_at = request.session.get(SIGNED_IN_AT)
            limit = settings.SESSION_ABSOLUTE_LIMIT
            if not isinstance(signed_in_at, int | float) or now - signed_in_at > limit.total_seconds():
                hours = int(limit.total_seconds() // 3600)
                return _signed_out(self, request, f"You were signed out {hours} hours after signing in. Sign in again.")
            if last is not None and now - last > settings.IDLE_TIMEOUT.total_seconds():
                return _signed_out(self, request, "You were signed out after 30 minutes without activity.")
            active = not request.headers.get("X-Background-Poll")
            if active and (last is None or now - last >= TOUCH_EVERY_SECONDS):
                request.session[SESSION_KEY] = now
        return self.get_response(request)


# Pages a signed-in user reaches before their second factor is checked: setting it up, typing a
# code, signing out, and the pages anyone may open.
BEFORE_SECOND_FACTOR = {
    "login",
    "logout",
    "two-factor-verify",
    "two-factor-enrol",
    "two-factor-qr",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "health",
}


class SecondFactorMiddleware:
    """A signed-in user whose session has not yet accepted a code reaches only the pages above:
    every other page sends them to type a code, or to set up an authenticator app if they have
    none. Costs no query once the session is verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from . import twofactor

        if request.user.is_authenticated and not twofactor.is_verified(request):
            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name not in BEFORE_SECOND_FACTOR:
                target = "two-factor-verify" if twofactor.has_second_factor(request.user) else "two-factor-enrol"
                url = f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}"
                if request.headers.get("HX-Request"):
                    # A part of a page (the bell polling from the code page itself): nothing to show.
                    return HttpResponse(status=204)
                return redirect(url)
        return self.get_response(request)
