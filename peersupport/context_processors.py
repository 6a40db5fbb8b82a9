"""The main menu, from the entries the apps register (plugins.register_nav)."""

from __future__ import annotations

from django.http import HttpRequest

from . import plugins


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": []}
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    return {
        "nav_entries": [
            {"label": entry.label_for(user), "url": entry.url(), "current": entry.is_current(view_name)}
            for entry in plugins.nav_entries()
            if entry.visible(user)
        ]
    }
