import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.urls import reverse

SESSION_KEY = "last_activity"
# Activity is written to the session at most once a minute: writing it on every request would
# cost every page a database write, and the 30-minute timeout needs no finer clock than that.
TOUCH_EVERY_SECONDS = 60


@receiver(user_logged_in)
def signing_in_is_activity(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = time.time()


class IdleTimeoutMiddleware:
    """Sign a user out after IDLE_TIMEOUT without activity.

    Requests marked as background polling (header X-Background-Poll) do not count as
    activity, so an open tab with a refreshing bell still times out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get(SESSION_KEY)
            if last is not None and now - last > settings.IDLE_TIMEOUT.total_seconds():
                logout(request)
                if request.headers.get("HX-Request"):
                    response = self.get_response(request)
                    response["HX-Redirect"] = reverse(settings.LOGIN_URL)
                    return response
                messages.info(request, "You were signed out after 30 minutes without activity.")
                return redirect_to_login(request.get_full_path())
            active = not request.headers.get("X-Background-Poll")
            if active and (last is None or now - last >= TOUCH_EVERY_SECONDS):
                request.session[SESSION_KEY] = now
        return self.get_response(request)
