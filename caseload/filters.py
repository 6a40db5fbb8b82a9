"""Search and filters for the caseload list."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from peersupport.models import EmploymentStatus, Role, Team, User

from .models import PersonStatus
from .validators import normalise_nhs_number

NOT_SEEN_DAYS = 14
OPEN = "open"


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name or NHS number")
    status = django_filters.ChoiceFilter(
        choices=[(OPEN, "Open (not closed)"), *PersonStatus.choices],
        method="by_status",
        empty_label="Any status",
    )
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.none(), empty_label="All my teams")
    assigned_worker = django_filters.ModelChoiceFilter(
        queryset=User.objects.none(), label="Peer support worker", empty_label="Any worker"
    )
    attention = django_filters.BooleanFilter(
        method="needs_attention",
        label="Only people who need attention",
        widget=forms.CheckboxInput,
    )

    def __init__(self, data=None, *args, user: User, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("status", OPEN)
        super().__init__(data, *args, **kwargs)
        if user.is_manager:
            self.filters["team"].queryset = Team.objects.filter(pk__in=user.managed_team_ids)
            self.filters["assigned_worker"].queryset = (
                User.objects.visible_to(user)
                .filter(memberships__team_id__in=user.managed_team_ids, memberships__role=Role.PSW)
                .exclude(employment_status=EmploymentStatus.LEFT)
                .distinct()
                .order_by("first_name", "last_name")
            )
        else:
            del self.filters["team"]
            del self.filters["assigned_worker"]

    def search(self, queryset, name, value):
        number = normalise_nhs_number(value)
        if number.isdigit():
            return queryset.filter(nhs_number__startswith=number)
        q = Q()
        for word in value.split():
            q &= Q(given_name__icontains=word) | Q(family_name__icontains=word) | Q(preferred_name__icontains=word)
        return queryset.filter(q)

    def by_status(self, queryset, name, value):
        return queryset.open() if value == OPEN else queryset.filter(status=value)

    def needs_attention(self, queryset, name, value):
        if not value:
            return queryset
        today = timezone.localdate()
        cutoff = timezone.now() - dt.timedelta(days=NOT_SEEN_DAYS)
        unseen = Q(last_seen_at__isnull=True) | Q(last_seen_at__lt=cutoff)
        overdue = Q(plan_review_on__lt=today) | Q(statement_review_on__lt=today)
        return queryset.filter(status__in=[PersonStatus.REFERRED, PersonStatus.ACTIVE]).filter(unseen | overdue)
