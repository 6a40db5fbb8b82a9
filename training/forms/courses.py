"""Forms for courses, course runs, enrolment, attendance, completion and external equivalents."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from peersupport.models import DEVELOPMENT_ROLES, User
from training.rules import staff_in_reach

from ..models import Cohort, Course, ExternalEquivalent, Module, Session, Trainee
from .widgets import DateInput, StaffChoiceField


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["name", "description"]


class ModuleForm(forms.ModelForm):
    class Meta:
        model = Module
        fields = ["title", "position"]

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.course = course

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if self.instance.course.modules.filter(title__iexact=title).exclude(pk=self.instance.pk).exists():
            raise ValidationError("This course already has a module with that title.")
        return title


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "starts_on", "ends_on", "venue", "places", "facilitators"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "facilitators": forms.CheckboxSelectMultiple}
        labels = {"starts_on": "First day", "ends_on": "Last day"}

    def __init__(self, *args, course: Course, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.course = course
        # Facilitators come from the development team (SPEC section 1: they run peer support training).
        self.fields["facilitators"].queryset = (
            staff_in_reach(user).filter(memberships__role__in=DEVELOPMENT_ROLES).in_post().distinct()
        )
        self.fields["facilitators"].help_text = "Peer development workers and the lead who run it."

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Cohort.objects.filter(course=self.instance.course, name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise ValidationError("This course already has a run with that name.")
        return name

    def clean_places(self) -> int:
        places = self.cleaned_data["places"]
        if self.instance.pk:
            taken = self.instance.enrolments.current().count()
            if places < taken:
                raise ValidationError(f"{taken} people are enrolled already; places cannot be fewer.")
        return places


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["date", "title", "module"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, cohort: Cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cohort = cohort
        self.fields["module"].queryset = cohort.course.modules.all()
        self.fields["module"].error_messages["invalid_choice"] = (
            "That module is not part of this course: choose one from the list."
        )

    def clean_date(self):
        day, cohort = self.cleaned_data["date"], self.instance.cohort
        if not cohort.starts_on <= day <= cohort.ends_on:
            raise ValidationError(
                f"The run is from {date_format(cohort.starts_on)} to {date_format(cohort.ends_on)}: "
                "choose a date within it, or change the run's dates first."
            )
        return day


def _check_places(cohort: Cohort) -> None:
    if cohort.enrolments.current().count() >= cohort.places:
        raise ValidationError(f"All {cohort.places} places on this run are taken.")


class EnrolStaffForm(forms.Form):
    worker = StaffChoiceField(queryset=User.objects.none(), label="Member of staff")
    enrolled_on = forms.DateField(widget=DateInput(), initial=timezone.localdate, label="Enrolled on")

    def __init__(self, *args, cohort: Cohort, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.fields["worker"].queryset = staff_in_reach(user).in_post().order_by("last_name", "first_name")

    def clean_worker(self) -> User:
        worker = self.cleaned_data["worker"]
        if self.cohort.enrolments.filter(trainee__user=worker).exists():
            raise ValidationError(f"{worker} is already enrolled on this run.")
        return worker

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                _check_places(self.cohort)
            except ValidationError as error:
                self.add_error("worker", error)
        return cleaned


class TraineeForm(forms.ModelForm):
    """Someone not employed by the trust: their details and whether they agree to be contacted."""

    class Meta:
        model = Trainee
        fields = ["full_name", "email", "phone", "consent_to_contact"]
        labels = {"full_name": "Full name", "email": "Email address", "phone": "Phone number"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = "Invitations to development days go here."
        if self.instance.pk and self.instance.consent_withdrawn_at:
            # Consent once withdrawn is given again only on purpose, from the trainee's page.
            self.fields["consent_to_contact"].disabled = True
            self.fields[
                "consent_to_contact"
            ].help_text = f"Withdrawn on {date_format(timezone.localtime(self.instance.consent_withdrawn_at).date())}."

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if Trainee.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise ValidationError("Someone with this email address is recorded already: enrol them from their page.")
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError("This is a member of staff's address: enrol them as staff.")
        return email

    def save(self, commit=True):
        trainee = super().save(commit=False)
        if "consent_to_contact" in self.changed_data and trainee.consent_to_contact:
            trainee.consent_recorded_at = timezone.now()
        if commit:
            trainee.save()
        return trainee


class EnrolTraineeForm(TraineeForm):
    enrolled_on = forms.DateField(widget=DateInput(), initial=timezone.localdate, label="Enrolled on")

    def __init__(self, *args, cohort: Cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                _check_places(self.cohort)
            except ValidationError as error:
                self.add_error("full_name", error)
        return cleaned


class EnrolExistingForm(forms.Form):
    trainee = forms.ModelChoiceField(queryset=Trainee.objects.none(), label="Trainee not employed by the trust")
    enrolled_on = forms.DateField(widget=DateInput(), initial=timezone.localdate, label="Enrolled on")

    def __init__(self, *args, cohort: Cohort, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.fields["trainee"].queryset = Trainee.objects.visible_to(user).filter(user__isnull=True)

    def clean_trainee(self) -> Trainee:
        trainee = self.cleaned_data["trainee"]
        if self.cohort.enrolments.filter(trainee=trainee).exists():
            raise ValidationError(f"{trainee} is already enrolled on this run.")
        return trainee

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                _check_places(self.cohort)
            except ValidationError as error:
                self.add_error("trainee", error)
        return cleaned


class InviteForm(forms.Form):
    """An email inviting someone on the register to a course run (a refresher, a new course)."""

    trainee = forms.ModelChoiceField(queryset=Trainee.objects.none(), label="Person on the register")
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Everyone on the register is offered, so that choosing someone who withdrew consent says why
        # they cannot be invited rather than leaving them out silently.
        self.fields["trainee"].queryset = Trainee.objects.visible_to(user).register().select_related("user")

    def clean_trainee(self) -> Trainee:
        trainee = self.cleaned_data["trainee"]
        if trainee.consent_withdrawn_at:
            when = date_format(timezone.localtime(trainee.consent_withdrawn_at).date())
            raise ValidationError(f"{trainee} withdrew consent to be contacted on {when}: they cannot be invited.")
        if not trainee.consent_to_contact:
            raise ValidationError(f"{trainee} has not agreed to be contacted: they cannot be invited.")
        if not trainee.contact_email:
            raise ValidationError(f"There is no email address for {trainee}.")
        return trainee


class ExternalEquivalentForm(forms.ModelForm):
    class Meta:
        model = ExternalEquivalent
        fields = ["course", "title", "provider", "completed_on", "evidence", "approved_on"]
        widgets = {
            "completed_on": DateInput(),
            "approved_on": DateInput(),
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"course": "Counts as", "approved_on": "Approved on"}

    def __init__(self, *args, trainee: Trainee, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.trainee = trainee
        self.instance.approved_by = user
        self.fields["course"].empty_label = None


class EnrolmentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.trainee.display_name


class AttendanceForm(forms.Form):
    """Who came to one session; everyone enrolled and not ticked is recorded as absent."""

    attended = EnrolmentChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, required=False, label="Attended"
    )

    def __init__(self, *args, session: Session, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.fields["attended"].queryset = enrolments
        self.fields["attended"].help_text = "Tick everyone who came. Everyone else is recorded as not attending."

    def clean(self):
        cleaned = super().clean()
        if self.session.date > timezone.localdate():
            raise ValidationError(
                f"This session is on {date_format(self.session.date)}: record attendance on or after the day."
            )
        return cleaned


class ModuleCompletionForm(forms.Form):
    module = forms.ModelChoiceField(
        queryset=Module.objects.none(),
        error_messages={"invalid_choice": "That module is not part of this course: choose one from the list."},
    )
    completed_on = forms.DateField(widget=DateInput(), initial=timezone.localdate, label="Completed on")
    enrolments = EnrolmentChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label="Who completed it",
        error_messages={"required": "Tick at least one person."},
    )

    def __init__(self, *args, cohort: Cohort, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.fields["module"].queryset = cohort.course.modules.all()
        self.fields["enrolments"].queryset = enrolments

    def clean_completed_on(self):
        completed_on = self.cleaned_data["completed_on"]
        if completed_on > timezone.localdate():
            raise ValidationError("A completion date cannot be in the future.")
        return completed_on

    def clean(self):
        cleaned = super().clean()
        completed_on, enrolments = cleaned.get("completed_on"), cleaned.get("enrolments")
        if completed_on and enrolments:
            early = [e for e in enrolments if completed_on < e.enrolled_on]
            if early:
                names = "; ".join(f"{e.trainee.display_name} enrolled on {date_format(e.enrolled_on)}" for e in early)
                self.add_error("completed_on", f"Completion cannot be before enrolment: {names}.")
        return cleaned


class WithdrawConsentForm(forms.Form):
    confirm = forms.BooleanField(
        label="They asked not to be contacted any more", error_messages={"required": "Tick to confirm."}
    )
