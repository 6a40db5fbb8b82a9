"""Import of historic training records: upload, whole-file preview, then import."""

from __future__ import annotations

import base64
import binascii

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .. import importer
from ..models import ImportBatch
from .common import GET_POST, require_training_team


class UploadForm(django_forms.Form):
    file = django_forms.FileField(
        label="CSV file", help_text="Columns: email, subject, completed_on, expires_on (optional)."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise django_forms.ValidationError("Choose a .csv file (save the spreadsheet as CSV UTF-8).")
        if upload.size > importer.MAX_BYTES:
            raise django_forms.ValidationError("The file is larger than 2 MB: split it.")
        return upload


class ConfirmForm(django_forms.Form):
    content = django_forms.CharField(widget=django_forms.HiddenInput)
    filename = django_forms.CharField(widget=django_forms.HiddenInput, max_length=200)

    def clean_content(self) -> bytes:
        try:
            return base64.b64decode(self.cleaned_data["content"], validate=True)
        except (binascii.Error, ValueError) as error:
            raise django_forms.ValidationError("The file was lost on the way: upload it again.") from error


@GET_POST
@login_required
def import_records(request: HttpRequest) -> HttpResponse:
    require_training_team(request.user)
    upload = UploadForm(request.POST if request.POST.get("step") == "preview" else None, request.FILES or None)
    context = {
        "upload": upload,
        "batches": ImportBatch.objects.visible_to(request.user).select_related("imported_by")[:10],
    }
    if request.method == "POST" and request.POST.get("step") == "preview" and upload.is_valid():
        content = upload.cleaned_data["file"].read()
        result = importer.preview(content, upload.cleaned_data["file"].name, user=request.user)
        context["preview"] = result
        if result.is_valid:
            context["confirm"] = ConfirmForm(
                initial={"content": base64.b64encode(content).decode(), "filename": result.filename}
            )
    elif request.method == "POST" and request.POST.get("step") == "import":
        confirm = ConfirmForm(request.POST)
        if not confirm.is_valid():
            messages.error(request, "The file was lost on the way: upload it again.")
            return redirect("training:import")
        result = importer.preview(confirm.cleaned_data["content"], confirm.cleaned_data["filename"], user=request.user)
        if not result.is_valid:
            context["preview"] = result
        else:
            batch = importer.run(result, user=request.user)
            if batch is None:
                messages.info(request, "Nothing imported: every record in the file is recorded already.")
            else:
                messages.success(request, f"{batch.rows_added} records imported from {batch.filename}.")
            return redirect("training:import")
    return render(request, "training/import.html", context)
