"""Pages that draw on every app: the home page, the about and accessibility pages, the
refused-form page and the health check."""

import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from actions import selectors
from boards.models import Board
from meetings.models import Meeting


@login_required
def home(request):
    now = timezone.now()
    # Each figure is its own sub-select: joining meetings and actions together would
    # multiply a decade of one by the other before counting.
    next_meeting = Meeting.objects.filter(board=OuterRef("pk"), starts_at__gte=now)
    boards = (
        Board.objects.for_user(request.user)
        .select_related("parent")
        .annotate(
            next_meeting_at=Subquery(next_meeting.order_by("starts_at").values("starts_at")[:1]),
            open_actions=selectors.open_actions_of(OuterRef("pk")),
        )
        .order_by("name")
    )
    return render(
        request, "home.html", {"boards": boards, "open_count_cap": selectors.OPEN_COUNT_CAP}
    )


def about(request):
    """What Minutebook is and where things are: no data of any board on it."""
    return render(request, "about.html")


def accessibility(request):
    """The accessibility statement (the GOV.UK model statement's headings)."""
    return render(request, "accessibility.html")


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the refusal in the site's layout, with a way back to the form."""
    referer = request.headers.get("Referer", "")
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return render(request, "403_csrf.html", {"back_url": referer if safe else ""}, status=403)


@never_cache
def healthz(request):
    """200 with the state of the database, broker, cache and file storage; 503 when the
    database is unreachable (the others leave the site partly working: "degraded")."""
    state = {
        "database": _database_state(),
        "broker": _broker_state(),
        "cache": _cache_state(),
        "storage": _storage_state(),
    }
    ok = (
        state["database"] == "ok"
        and state["broker"] in ("ok", "not configured")
        and state["cache"] == "ok"
        and state["storage"] == "ok"
    )
    state["status"] = "ok" if ok else "degraded"
    status = 200 if state["database"] == "ok" else 503
    return JsonResponse(state, status=status)


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; report, don't crash
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _cache_state() -> str:
    """A write and a read: rate limits and (with Redis) sessions live there."""
    probe = uuid.uuid4().hex
    try:
        cache.set("healthz", probe, timeout=10)
        if cache.get("healthz") != probe:
            return "error: the cache did not keep a value"
    except Exception as exc:  # a cache backend's errors have no common base class
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _storage_state() -> str:
    """A read of the file storage (papers, PDFs): a folder or a bucket every server shares."""
    try:
        default_storage.exists("healthz")
    except Exception as exc:  # botocore, OSError...: report, don't crash
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _broker_state() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"
