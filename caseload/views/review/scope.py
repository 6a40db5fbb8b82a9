"""What every manager review page shares: the manager's teams and workers, and the people in them.

A manager reaches only their own teams, on every page and in every download; anyone else gets 404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, QueryDict
from django.views.decorators.http import require_http_methods

from ...models import Person
from ...review.board import managed_teams_and_workers

GET_POST = require_http_methods(["GET", "POST"])


class ManagerScope:
    """The teams a manager manages and the peer support workers in them (one query)."""

    def __init__(self, request: HttpRequest):
        if not request.user.is_authenticated:
            raise Http404
        self.teams, self.memberships = managed_teams_and_workers(request.user)
        if not self.teams:
            raise Http404
        self.team_ids = [t.pk for t in self.teams]


def people_in_teams(request: HttpRequest, team_ids: list[int]) -> QuerySet[Person]:
    return Person.objects.visible_to(request.user).filter(team_id__in=team_ids)


def valid_query(request: HttpRequest, form) -> QueryDict:
    """The page's query without the values its filter form refused, for the links it draws
    (downloads, sorting): a tampered value is neither repeated nor passed on."""
    query = request.GET.copy()
    for name in form.errors:
        query.pop(name, None)
    return query
