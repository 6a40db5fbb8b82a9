"""Signed answer links: no login, one link per invitation, usable again until the day.

The token signs the invitation's id, so a link reaches only its own invitation: a token for another
invitation, or one changed by a single character, is refused (404)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "devdays.answer-link"


def answer_token(invitation_pk: int) -> str:
    return signing.dumps(invitation_pk, salt=SALT, compress=False)


def token_matches(invitation_pk: int, token: str) -> bool:
    try:
        return signing.loads(token, salt=SALT) == invitation_pk
    except signing.BadSignature:
        return False


def answer_path(invitation_pk: int) -> str:
    return reverse(
        "devdays:answer", kwargs={"invitation_pk": invitation_pk, "answer_token": answer_token(invitation_pk)}
    )


def answer_url(invitation_pk: int) -> str:
    return settings.SITE_URL.rstrip("/") + answer_path(invitation_pk)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path
