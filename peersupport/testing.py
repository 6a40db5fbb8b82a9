"""Signing in from tests and benchmarks with a real second factor.

`SignInClient.force_login(user)` signs in as Django's does, then passes the second factor for real:
it gives the user a confirmed authenticator app if they have none (a TOTPDevice, as enrolment would)
and has django-otp verify a current code from it (or, when this time step's code was already used,
a fresh backup code), exactly as the code page does. `force_login(user, second_factor=False)` stops
after the password, as a user who has not typed a code yet.
"""

from __future__ import annotations

import time

from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import twofactor


def authenticator_for(user) -> TOTPDevice:
    """The user's confirmed authenticator app, set up now if they have none."""
    device = twofactor.app_device(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=twofactor.APP_DEVICE_NAME, confirmed=True)
    return device


def fresh_code(device: TOTPDevice) -> str | None:
    """The code the app shows now, unless this time step's code was used already (None)."""
    device.refresh_from_db()
    step = int((time.time() - device.t0) // device.step) + device.drift
    return twofactor.code_at(device) if step > device.last_t else None


def one_backup_code(user) -> str:
    """One more backup code for `user` (kept beside any they have)."""
    backup, _ = StaticDevice.objects.get_or_create(user=user, name=twofactor.BACKUP_DEVICE_NAME)
    return StaticToken.objects.create(device=backup, token=StaticToken.random_token()).token


def pass_second_factor(user):
    """Verify a real code for `user` through django-otp; the device that accepted it."""
    device = authenticator_for(user)
    code = fresh_code(device)
    if code is not None:
        return twofactor.check_code(user, code, devices=[device])
    return twofactor.check_code(user, one_backup_code(user), devices=list(user.staticdevice_set.all()))


class SignInClient(Client):
    def force_login(self, user, backend=None, second_factor: bool = True):
        if user.pk:
            user.refresh_from_db(fields=["session_generation"])  # signing out elsewhere raised it
        super().force_login(user, backend)
        if second_factor:
            device = pass_second_factor(user)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session[twofactor.AUTHENTICATED_AT] = time.time()
            session.save()

    def sign_in(self, email: str, password: str, user=None):
        """Sign in through the pages, as a person would: the password, then a current code."""
        response = self.post(reverse("login"), {"username": email, "password": password})
        if response.status_code != 302 or user is None:
            return response
        device = authenticator_for(user)
        return self.post(reverse("two-factor-verify"), {"code": fresh_code(device)})
