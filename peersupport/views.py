"""The core's pages: the role-aware home page, put together from the sections the apps register."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import plugins


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    context: dict = {"sections": []}
    for section in plugins.home_sections():
        section_context = section.context(request)
        if section_context is not None:
            context.update(section_context)
            context["sections"].append(section)
    return render(request, "home.html", context)
