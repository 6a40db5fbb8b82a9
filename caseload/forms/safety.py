"""Forms for lone working and risk concerns."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from peersupport import plugins
from peersupport.models import Membership, Role, User

from ..models import ConcernSeverity, EscalationRole, LoneWorkingBuddy, Person, RiskConcern, Visit
from ..services.safety import EXTEND_CHOICES, MAX_VISIT_LENGTH


def _colleagues(user: User, team_ids: set[int]):
    """Staff in post who share a team with the user, and the development team (supervisors).

    Not `User.objects.visible_to(user)`: that gives a peer support worker only themselves, and a worker
    must be able to name a colleague as their buddy or escalate a concern to their manager."""
    return (
        User.objects.in_post()
        .filter(Q(memberships__team_id__in=team_ids) | Q(memberships__team__is_development_team=True))
        .exclude(pk=user.pk)
        .distinct()
        .order_by("first_name", "last_name")
    )


def staff_label(user: User) -> str:
    return f"{user} ({user.job_title})" if user.job_title else str(user)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return staff_label(obj)


class VisitStartForm(forms.ModelForm):
    expected_end = forms.DateTimeField(
        label="Expected end",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="If you have not checked out by then, you are alerted first, then your buddy and manager.",
    )
    buddy = StaffChoiceField(
        queryset=User.objects.none(),
        empty_label="Choose your buddy",
        help_text="A colleague who is alerted if you do not check out.",
        error_messages={"required": "Choose a buddy: a colleague who is alerted if you do not check out."},
    )

    class Meta:
        model = Visit
        fields = ["location", "expected_end", "buddy"]
        labels = {"location": "Where are you going?"}
        help_texts = {"location": "An address or place someone could find you, e.g. 12 Oak Road, Worksop."}

    def __init__(self, *args, worker: User, person: Person | None, **kwargs):
        super().__init__(*args, **kwargs)
        team_ids = {person.team_id} if person else set(worker.team_ids_with_role("psw", "manager"))
        self.fields["buddy"].queryset = _colleagues(worker, team_ids | worker.team_ids_with_role("psw", "manager"))
        named = LoneWorkingBuddy.objects.filter(worker=worker).values_list("buddy_id", flat=True).first()
        self.fields["buddy"].initial = named
        end = timezone.localtime() + timedelta(hours=1)
        self.fields["expected_end"].initial = end.replace(minute=end.minute - end.minute % 5, second=0, microsecond=0)
        self.fields["location"].error_messages["required"] = "Say where you are going, so someone could find you."

    def clean_expected_end(self):
        end = self.cleaned_data["expected_end"]
        now = timezone.now()
        if end <= now:
            raise forms.ValidationError("The expected end is in the past: choose a time later than now.")
        if end - now > MAX_VISIT_LENGTH:
            raise forms.ValidationError("A visit can last at most 12 hours: choose an earlier end.")
        return end


class ExtendForm(forms.Form):
    minutes = forms.TypedChoiceField(
        choices=[(m, f"{m} minutes") for m in EXTEND_CHOICES],
        coerce=int,
        error_messages={"invalid_choice": "Choose to extend by 15, 30 or 60 minutes."},
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Write a note: what happened and who you spoke to."},
    )


class ConcernForm(forms.ModelForm):
    escalated_to = StaffChoiceField(
        queryset=User.objects.none(),
        label="Escalate to",
        empty_label="Choose who to tell",
        help_text="They are alerted at once and must acknowledge it.",
        error_messages={"required": "Choose the person to escalate this concern to."},
    )

    class Meta:
        model = RiskConcern
        fields = ["description", "severity", "escalated_to", "escalated_to_role"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "severity": forms.RadioSelect,
        }
        labels = {"escalated_to_role": "Their role for this concern"}

    def __init__(self, *args, raised_by: User, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self._person = person
        self.fields["escalated_to"].queryset = _colleagues(raised_by, {person.team_id})
        self.fields["severity"].choices = ConcernSeverity.choices
        self.fields["escalated_to_role"].choices = [("", "Choose a role"), *EscalationRole.choices]
        self.fields["description"].error_messages["required"] = "Describe the concern."
        self.fields["severity"].error_messages["required"] = "Choose how serious the concern is."
        self.fields["escalated_to_role"].error_messages["required"] = "Choose their role for this concern."
        if not self.is_bound:
            self._start_with_the_workers_contact(raised_by, person)

    def _start_with_the_workers_contact(self, raised_by: User, person: Person) -> None:
        """The worker's own setup, the choice still open: the contact an app suggests (their supervisor)
        if the form offers them, else the manager of the person's team; the role as they hold it (a
        manager of the person's team is their team manager, as clean() records). Two queries."""
        offered = self.fields["escalated_to"].queryset
        suggestion = plugins.escalation_contact(raised_by, person, offered)
        suggested_pk = suggestion[0].pk if suggestion else None
        manages = Membership.objects.filter(user=OuterRef("pk"), team_id=person.team_id, role=Role.MANAGER)
        rows = dict(
            offered.filter(Q(pk=suggested_pk) | Q(memberships__team_id=person.team_id, memberships__role=Role.MANAGER))
            .annotate(manages=Exists(manages))
            .values_list("pk", "manages")
        )
        if suggested_pk in rows:
            contact_pk, role = suggested_pk, EscalationRole.TEAM_MANAGER if rows[suggested_pk] else suggestion[1]
        else:
            managers = [pk for pk, is_manager in rows.items() if is_manager]
            if not managers:
                return
            contact_pk, role = managers[0], EscalationRole.TEAM_MANAGER
        self.initial.setdefault("escalated_to", contact_pk)
        self.initial.setdefault("escalated_to_role", role)

    def clean(self):
        cleaned = super().clean()
        # A manager of the person's team holds that role for the concern, whatever is picked.
        contact = cleaned.get("escalated_to")
        if contact is not None and self._person.team_id in contact.managed_team_ids:
            cleaned["escalated_to_role"] = EscalationRole.TEAM_MANAGER
        return cleaned


class BuddiesForm(forms.Form):
    """One choice per peer support worker in the manager's teams: their lone-working buddy.
    The staff to choose from are read once, so the page costs the same for 2 workers or 50."""

    def __init__(self, *args, workers: list[User], current: dict[int, int], team_ids: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.workers = workers
        self.staff = {user.pk: user for user in _colleagues(User(pk=0), team_ids)}
        for worker in workers:
            choices = [(pk, staff_label(u)) for pk, u in self.staff.items() if pk != worker.pk]
            self.fields[f"buddy_{worker.pk}"] = forms.TypedChoiceField(
                choices=[("", "No buddy named"), *choices],
                coerce=int,
                empty_value=None,
                required=False,
                label=f"Buddy for {worker}",
                initial=current.get(worker.pk),
            )

    def save(self) -> None:
        # A buddy is a setting, not a clinical record: removing one is kept in its history.
        for worker in self.workers:
            buddy_pk = self.cleaned_data[f"buddy_{worker.pk}"]
            if buddy_pk is None:
                LoneWorkingBuddy.objects.filter(worker=worker).delete()
            else:
                LoneWorkingBuddy.objects.update_or_create(worker=worker, defaults={"buddy": self.staff[buddy_pk]})
