"""Housekeeping for sign-in: rows that can no longer sign anyone in are removed."""

import logging
from importlib import import_module

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from knox.models import AuthToken

log = logging.getLogger(__name__)


@shared_task
def clear_expired_sign_ins() -> dict:
    """Delete expired sessions (as `manage.py clearsessions` does) and API tokens past
    their expiry: knox already refuses both, this only keeps the tables small."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    tokens, _ = AuthToken.objects.filter(expiry__lt=timezone.now()).delete()
    log.info("Cleared expired sessions and %d expired API tokens", tokens)
    return {"tokens": tokens}
