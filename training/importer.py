"""Import of historic mandatory training records from CSV.

Python's csv module reads the file and a Django form validates each row (tablib and
django-import-export are not in the project's requirements). The whole file is checked first:
every bad row is reported with its line, column and reason, and nothing is imported unless every
row is valid. Rows already recorded (same person, subject and completion date) are skipped, so the
same file imported twice adds nothing. A fixed number of queries, however long the file."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.db import transaction
from django.utils import timezone

from peersupport.models import User
from training.rules import staff_in_reach

from .models import CompletionSource, ImportBatch, TrainingCompletion, TrainingSubject, add_months

REQUIRED_COLUMNS = ["email", "subject", "completed_on"]
OPTIONAL_COLUMNS = ["expires_on"]
MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class RowForm(forms.Form):
    email = forms.EmailField(
        error_messages={"required": "An email address is needed.", "invalid": "Not an email address."}
    )
    subject = forms.CharField(max_length=120, error_messages={"required": "A subject is needed."})
    completed_on = forms.DateField(
        input_formats=DATE_FORMATS,
        error_messages={
            "required": "A completion date is needed.",
            "invalid": "Not a date: use 2024-03-31 or 31/03/2024.",
        },
    )
    expires_on = forms.DateField(
        input_formats=DATE_FORMATS,
        required=False,
        error_messages={"invalid": "Not a date: use 2024-03-31 or 31/03/2024."},
    )


@dataclass
class RowError:
    line: int
    column: str
    reason: str


@dataclass
class Row:
    line: int
    user: User
    subject: TrainingSubject
    completed_on: date
    expires_on: date
    already_recorded: bool = False


@dataclass
class Preview:
    filename: str
    sha256: str
    rows: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    already_imported: ImportBatch | None = None

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def new_rows(self) -> list[Row]:
        return [row for row in self.rows if not row.already_recorded]


def _text(content: bytes) -> str:
    return content.decode("utf-8-sig")


def preview(content: bytes, filename: str, *, user) -> Preview:
    result = Preview(filename=filename, sha256=hashlib.sha256(content).hexdigest())
    if len(content) > MAX_BYTES:
        result.errors.append(RowError(1, "", f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: split it."))
        return result
    try:
        text = _text(content)
    except UnicodeDecodeError:
        result.errors.append(
            RowError(1, "", "The file is not UTF-8 text: save it from your spreadsheet as “CSV UTF-8”.")
        )
        return result
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [h for h in header if h not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(missing))
        if unknown:
            parts.append("unknown " + ", ".join(h or "(blank)" for h in unknown))
        expected = ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
        result.errors.append(
            RowError(1, "header", f"Wrong headers ({'; '.join(parts)}). The first line must be: {expected}.")
        )
        return result
    reader.fieldnames = header
    raw = []
    try:
        for record in reader:
            if len(raw) >= MAX_ROWS:
                result.errors.append(RowError(reader.line_num, "", f"More than {MAX_ROWS} rows: split the file."))
                return result
            if None in record:
                result.errors.append(RowError(reader.line_num, "", "More values than columns on this line."))
                continue
            if not any((v or "").strip() for v in record.values()):
                continue
            raw.append((reader.line_num, {k: (v or "").strip() for k, v in record.items()}))
    except csv.Error as error:
        result.errors.append(RowError(reader.line_num, "", f"The file cannot be read as CSV: {error}."))
        return result
    if not raw and not result.errors:
        result.errors.append(RowError(2, "", "The file has a header but no records."))
        return result

    people = {u.email.lower(): u for u in staff_in_reach(user).filter(email__in=[r["email"].lower() for _, r in raw])}
    subjects = {s.name.lower(): s for s in TrainingSubject.objects.active()}
    today = timezone.localdate()
    seen: dict[tuple, int] = {}
    for line, record in raw:
        form = RowForm(record)
        if not form.is_valid():
            for column, messages in form.errors.items():
                result.errors.extend(RowError(line, column, message) for message in messages)
            continue
        data = form.cleaned_data
        person = people.get(data["email"].lower())
        subject = subjects.get(data["subject"].lower())
        bad = False
        if person is None:
            result.errors.append(
                RowError(line, "email", f"No member of staff you can see has the address {data['email']}.")
            )
            bad = True
        if subject is None:
            result.errors.append(
                RowError(line, "subject", f"Unknown subject “{data['subject']}”: add it first, or check the spelling.")
            )
            bad = True
        if data["completed_on"] > today:
            result.errors.append(RowError(line, "completed_on", "A completion date cannot be in the future."))
            bad = True
        if bad:
            continue
        expires = data["expires_on"] or add_months(data["completed_on"], subject.renewal_months)
        if expires <= data["completed_on"]:
            result.errors.append(RowError(line, "expires_on", "The expiry date must be after the completion date."))
            continue
        key = (person.pk, subject.pk, data["completed_on"])
        if key in seen:
            result.errors.append(RowError(line, "", f"The same record as line {seen[key]} (a duplicate)."))
            continue
        seen[key] = line
        result.rows.append(Row(line, person, subject, data["completed_on"], expires))

    if result.rows:
        existing = set(
            TrainingCompletion.objects.current()
            .filter(user_id__in={r.user.pk for r in result.rows}, subject_id__in={r.subject.pk for r in result.rows})
            .values_list("user_id", "subject_id", "completed_on")
        )
        for row in result.rows:
            row.already_recorded = (row.user.pk, row.subject.pk, row.completed_on) in existing
    result.already_imported = ImportBatch.objects.filter(sha256=result.sha256).first()
    return result


def run(result: Preview, *, user) -> ImportBatch | None:
    """Import a valid preview's new rows in one transaction; None when there is nothing new."""
    assert result.is_valid
    new = result.new_rows
    if not new:
        return None
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            filename=result.filename[:200],
            sha256=result.sha256,
            rows_in_file=len(result.rows),
            rows_added=len(new),
            imported_by=user,
        )
        TrainingCompletion.objects.bulk_create(
            [
                TrainingCompletion(
                    user=row.user,
                    subject=row.subject,
                    completed_on=row.completed_on,
                    expires_on=row.expires_on,
                    source=CompletionSource.IMPORTED,
                    import_batch=batch,
                    recorded_by=user,
                )
                for row in new
            ],
            ignore_conflicts=True,
        )
    return batch
