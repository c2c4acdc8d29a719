"""DEBUG's error page without the passwords inside connection URLs."""

import re

from django.views.debug import SafeExceptionReporterFilter

# scheme://user:password@host: the password part of a database, Redis or SMTP URL.
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^/:@\s]*:)[^@\s]*@", re.I)


class CredentialHidingFilter(SafeExceptionReporterFilter):
    """Also hides settings and environment entries named like a URL or DSN (DATABASE_URL,
    REDIS_URL, SENTRY_DSN), and any password written inside a URL wherever it appears
    (CELERY_RESULT_BACKEND, CACHES' LOCATION)."""

    hidden_settings = re.compile(
        "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|_URL$|^URL$|DSN", flags=re.I
    )

    def cleanse_setting(self, key, value):
        cleansed = super().cleanse_setting(key, value)
        if isinstance(cleansed, str):
            return _URL_PASSWORD.sub(rf"\g<head>{self.cleansed_substitute}@", cleansed)
        return cleansed
