"""Appointments and activities."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from ..forms.appointments import AppointmentForm
from ..models import (
    Appointment,
)
from .base import GET_POST, writable_person

# Appointments -----------------------------------------------------------------------------------


@GET_POST
@login_required
def appointment_create(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = writable_person(request, person_pk)
    form = AppointmentForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        appointment = form.save(commit=False)
        appointment.person, appointment.created_by = person, request.user
        appointment.worker = person.assigned_worker or request.user
        appointment.save()
        form.save_m2m()
        messages.success(request, "Appointment saved.")
        return redirect(person)
    return render(request, "caseload/appointments/appointment_form.html", {"form": form, "person": person})


@GET_POST
@login_required
def appointment_edit(request: HttpRequest, appointment_pk: int) -> HttpResponse:
    appointments = Appointment.objects.visible_to(request.user).select_related("person")
    appointment = get_object_or_404(appointments, pk=appointment_pk)
    if not appointment.person.can_edit(request.user):
        raise PermissionDenied("You can see this appointment but may not change it. Nothing was changed.")
    form = AppointmentForm(request.POST or None, instance=appointment, person=appointment.person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Appointment saved.")
        return redirect(appointment.person)
    context = {"form": form, "person": appointment.person, "appointment": appointment}
    return render(request, "caseload/appointments/appointment_form.html", context)
