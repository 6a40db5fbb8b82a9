"""Two-factor sign-in (django-otp): a TOTP authenticator app and single-use backup codes.

A session is verified once a code was accepted in it: `mark_verified` stores the device in the
session (django_otp.login) and the time the code was typed (the re-authentication clock). A device
reset, like signing out, ends every session of the account (User.end_all_sessions), so a session
naming a device that is gone cannot survive it.
"""

from __future__ import annotations

import time
from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit

AUTHENTICATED_AT = "authenticated_at"  # when the password or a code was last typed in this session
APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"

ENROLLED = "second-factor-enrolled"
RESET = "second-factor-reset"
BACKUP_CODES_RENEWED = "backup-codes-renewed"
CODE_REFUSED = "second-factor-refused"
VERIFIED = "second-factor-verified"
REAUTHENTICATED = "reauthenticated"
REAUTHENTICATION_FAILED = "reauthentication-failed"


def is_verified(request) -> bool:
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


def app_device(user, confirmed: bool | None = True) -> TOTPDevice | None:
    devices = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    return devices.order_by("pk").first()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user) -> TOTPDevice:
    """The authenticator app being set up (not yet confirmed by a code): one, kept across reloads."""
    device = app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it typed: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> bytes:
    return segno.make(device.config_url, error="m").svg_inline(scale=5, title="QR code").encode()


def code_at(device: TOTPDevice, when: float | None = None) -> str:
    """The code the authenticator app shows at `when` (now by default)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if when is None else when
    return f"{totp.token():0{device.digits}d}"


def new_backup_codes(user) -> list[str]:
    """Replace the user's backup codes with new ones; the old ones stop working."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True})
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(settings.BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def normalise(code: str) -> str:
    return "".join(code.split()).lower()


class Refused(Exception):
    def __init__(self, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after


def check_code(user, code: str, devices=None):
    """The user's device that accepts `code` (consumed: never accepted again), or raise Refused.

    Only the user's own confirmed devices are tried, so a code from another account never works.
    A device that refused a code waits twice as long each time before it checks another
    (django-otp's throttling)."""
    code = normalise(code)
    if devices is None:
        # Six digits are an authenticator app's code; anything else is tried as a backup code.
        if code.isdigit() and len(code) == 6:
            devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
        else:
            devices = list(StaticDevice.objects.filter(user=user))
    if not code or not devices:
        raise Refused("That code did not work. Codes change every 30 seconds and each works only once.")
    waits = []
    with transaction.atomic():
        for device in devices:
            device = type(device).objects.select_for_update().get(pk=device.pk)
            allowed, data = device.verify_is_allowed()
            if not allowed:
                locked_until = (data or {}).get("locked_until")
                if locked_until is not None:
                    waits.append(max(1, int((locked_until - timezone.now()).total_seconds()) + 1))
                continue
            if device.verify_token(code):
                return device
    if waits and len(waits) == len(devices):
        raise Refused("Too many wrong codes. Wait a moment, then try again.", retry_after=min(waits))
    raise Refused("That code did not work. Codes change every 30 seconds and each works only once.")


def mark_verified(request, device) -> None:
    otp_login(request, device)
    request.session[AUTHENTICATED_AT] = time.time()


def mark_reauthenticated(request) -> None:
    request.session[AUTHENTICATED_AT] = time.time()


def recently_authenticated(request) -> bool:
    at = request.session.get(AUTHENTICATED_AT)
    if not isinstance(at, int | float):
        return False
    return 0 <= time.time() - at <= settings.REAUTHENTICATION_WINDOW.total_seconds()


def reset(user, *, request=None) -> None:
    """Remove a user's authenticator app and backup codes (a lost phone) and end their sessions:
    they set up a new app at their next sign-in."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        user.end_all_sessions()
        audit.record(RESET, request=request, target=user, detail=f"second factor of {user.email} reset")
