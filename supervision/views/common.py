from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.views.decorators.http import require_http_methods

GET_POST = require_http_methods(["GET", "POST"])


def form_page(request: HttpRequest, form, *, title: str, submit: str, cancel: str, intro: str = "", **extra):
    """One page shape for every form: heading, a short why, the form, save and cancel."""
    cancel = resolve_url(cancel)
    context = {"form": form, "title": title, "submit": submit, "cancel": cancel, "intro": intro, **extra}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "supervision/form.html", context, status=status)


__all__ = ["GET_POST", "HttpResponse", "form_page"]
