"""Re-authentication before the riskiest actions: downloads of people's data, bulk reassignment, and
changing one's password or second factor.

`reauthentication_required` sends a user who has not typed their password or a code in this session
within REAUTHENTICATION_WINDOW to confirm it is them, then back to the page they were going to.
`personal_data_download` adds the download rate limit. One line on each view:

    @personal_data_download
    def board_csv(request): ...
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import ratelimit, twofactor


def _confirm_first(request, keep: tuple[str, ...], back_to: str | None):
    # A POST is not replayed: the user comes back to the form (the same address, as a GET, carrying
    # the fields named in `keep`, never a password) and submits again.
    going_to = request.get_full_path()
    if request.method != "GET":
        messages.info(request, "Confirm it is you, then submit the form again.")
        kept = [(name, value) for name in keep for value in request.POST.getlist(name)]
        form_page = reverse(back_to) if back_to else request.path
        going_to = f"{form_page}?{urlencode(kept)}" if kept else form_page
    url = f"{reverse('reauthenticate')}?{urlencode({'next': going_to})}"
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def reauthentication_required(view=None, *, keep: tuple[str, ...] = (), back_to: str | None = None):
    """`@reauthentication_required`; `keep=("people",)` carries a refused POST's chosen fields back to
    the form; `back_to` names the page holding the form when the view itself answers POST only."""
    if view is None:
        return lambda view: reauthentication_required(view, keep=keep, back_to=back_to)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated and not twofactor.recently_authenticated(request):
            return _confirm_first(request, keep, back_to)
        return view(request, *args, **kwargs)

    return wrapper


def personal_data_download(view):
    """A download of people's data: a recent re-authentication and at most RATE_LIMITS["download"]."""

    @wraps(view)
    def limited(request, *args, **kwargs):
        if request.user.is_authenticated:
            retry_after = ratelimit.hit("download", str(request.user.pk))
            if retry_after is not None:
                return ratelimit.too_many(request, retry_after, "downloading")
        return view(request, *args, **kwargs)

    return reauthentication_required(limited)
