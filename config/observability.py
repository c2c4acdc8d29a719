"""What an operator sees: every log line carries the time, level, logger and the id of the
request (or Celery task) it belongs to; failures reach ADMINS by e-mail, and Sentry if set.
"""

import contextvars
import logging
import re
import uuid

from celery.signals import task_failure, task_postrun, task_prerun
from django.core.signals import request_finished
from django.dispatch import receiver

request_id = contextvars.ContextVar("request_id", default="-")
# An id handed in by our proxy (nginx's $request_id) is kept, so its log and ours match;
# anything else in the header is not trusted into the logs.
_GOOD_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")

log = logging.getLogger("minutebook.tasks")


class RequestIdMiddleware:
    """Names each request for the logs, and tells the client (X-Request-ID) which it was."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        rid = given if _GOOD_ID.fullmatch(given) else uuid.uuid4().hex
        # Kept until the response is closed (request_finished): Django logs a 4xx or 5xx
        # only after the middleware has returned.
        request_id.set(rid)
        response = self.get_response(request)
        response["X-Request-ID"] = rid
        return response


@receiver(request_finished)
def _forget_the_request(**kwargs):
    request_id.set("-")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id.get()
        return True


@task_prerun.connect
def _name_the_task(task_id=None, **kwargs):
    request_id.set(task_id or "-")


@task_postrun.connect
def _forget_the_task(**kwargs):
    request_id.set("-")


@task_failure.connect
def _log_task_failure(sender=None, task_id=None, exception=None, einfo=None, **kwargs):
    """One line an operator can search for by task id, with the traceback."""
    log.error(
        "Task %s[%s] failed: %r",
        getattr(sender, "name", sender),
        task_id,
        exception,
        exc_info=(type(exception), exception, exception.__traceback__) if exception else None,
        extra={"task_id": task_id},
    )


def logging_config(*, level: str, json: bool) -> dict:
    """Django's LOGGING: one line per record on stderr, JSON when asked for, and
    django.request errors (500s) mailed to ADMINS when DEBUG is off."""
    line = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
    formatter = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
        if json
        else {"format": line}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "config.observability.RequestIdFilter"},
            "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        },
        "formatters": {"default": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["request_id"],
            },
            "mail_admins": {
                "class": "django.utils.log.AdminEmailHandler",
                "level": "ERROR",
                "filters": ["require_debug_false"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own loggers, through the same handler (not its DEBUG-only console).
            "django": {"handlers": ["console"], "level": level, "propagate": False},
            "django.request": {
                "handlers": ["console", "mail_admins"],
                "level": level,
                "propagate": False,
            },
            "minutebook.tasks": {"level": "INFO"},
        },
    }


def start_sentry(*, dsn: str, environment: str) -> None:
    """Error reports to Sentry (Django and Celery integrations load themselves); no
    personal data is sent: minutes may name people in confidence."""
    import sentry_sdk

    sentry_sdk.init(dsn=dsn, environment=environment or None, send_default_pii=False)
