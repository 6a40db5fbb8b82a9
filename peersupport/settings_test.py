"""Test settings: the real settings with a fast password hasher, in-memory email and plain HTTP."""

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"  # a __Host- cookie must be Secure; tests run on plain HTTP
CSRF_COOKIE_NAME = "csrftoken"
SECURE_HSTS_SECONDS = 0
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_AUTOREFRESH = True
AXES_FAILURE_LIMIT = 5
# Alerts queued by a page are sent in the same process, so tests see them at once.
CELERY_TASK_ALWAYS_EAGER = True
# The health page asks the Celery workers to answer; in tests none usually runs, so do not wait long.
HEALTH_CELERY_TIMEOUT = 0.2
# A test app that plugs into the core as the real apps do (tests/plugin_app); off unless a test turns it on.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.plugin_app"]  # noqa: F405
