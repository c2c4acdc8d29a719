"""DEBUG's error page without the passwords inside connection URLs."""

import re

from django.views.debug import SafeExceptionReporterFilter

# scheme://user:password@host: the password part of a database, Redis or SMTP URL.
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^/:@\s]*:)[^@\s]*@", re.I)


class CredentialHidingFilter(SafeExceptionReporterFilter):
    """Also hides settings and environment entries named like a URL or DSN (DATABASE_URL,
    REDIS_URL, SENTRY_DSN), and any password written inside a URL wherever it appears
    (CELERY_RESULT_BACKEND, CACHES' LOCATION, a traceback's local variables)."""

    hidden_settings = re.compile(
        "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|_URL$|^URL$|DSN", flags=re.I
    )

    def cleanse_setting(self, key, value):
        return self._without_url_password(super().cleanse_setting(key, value))

    def get_traceback_frame_variables(self, request, tb_frame):
        return [
            (name, self._without_url_password(value))
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]

    def _without_url_password(self, value):
        # str() too: lazy strings (some settings are) pass isinstance but not re.
        if isinstance(value, str) and _URL_PASSWORD.search(str(value)):
            return _URL_PASSWORD.sub(rf"\g<head>{self.cleansed_substitute}@", str(value))
        return value
