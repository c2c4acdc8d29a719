import socket

from celery import shared_task
from django.utils import timezone


@shared_task
def worker_heartbeat() -> dict:
    """Proves a worker is consuming the broker: returns where and when it ran."""
    return {"host": socket.gethostname(), "at": timezone.now().isoformat()}
