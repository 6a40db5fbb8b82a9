from __future__ import annotations

from django.http import Http404
from django.views.decorators.http import require_http_methods

from ..rules import runs_training

GET_POST = require_http_methods(["GET", "POST"])


def require_training_team(user) -> None:
    """Pages of the development team's own work (course runs, the register, imports): to anyone else
    they do not exist."""
    if not runs_training(user):
        raise Http404
