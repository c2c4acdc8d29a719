"""The board's action log as a PDF and a spreadsheet, built in the background with progress
(meetings.builds) and served from the cache storage once built."""

import re

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from boards.models import Board
from boards.permissions import Perm, require
from meetings import builds
from meetings import pdf as meetings_pdf
from meetings.pdf_views import built_or_progress

from . import exports, pdf
from .filters import ActionLogFilter
from .selectors import board_log

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What each format is called on the page, how it is served, and its download's address.
FORMATS = {
    "pdf": {"what": "the open actions by owner", "format": "PDF", "plural": True},
    "xlsx": {"what": "the action log", "format": "Excel", "unit": "rows"},
}
BUILD_KEY = re.compile(r"(log|xlsx)-[0-9a-f]{64}")


def _board(request, slug) -> Board:
    board = get_object_or_404(Board, slug=slug)
    require(request.user, Perm.VIEW, board)
    return board


def _filter_query(request, board) -> str | None:
    """The log's filter as the reader set it (None if it does not validate)."""
    query = request.GET.copy()
    query.pop("build", None)
    log = ActionLogFilter(query, queryset=board_log(board, request.user), board=board)
    return query.urlencode() if log.is_valid() else None


def _job(request, board, fmt):
    if fmt == "pdf":
        return pdf.action_log_job(board_id=board.pk, user_id=request.user.pk)
    query = _filter_query(request, board)
    if query is None:
        return None
    return exports.log_xlsx_job(board_id=board.pk, user_id=request.user.pk, query=query)


def _download_url(board, fmt, query: str) -> str:
    if fmt == "pdf":
        return reverse("actions:log_pdf", args=[board.slug])
    url = reverse("actions:log_export", args=[board.slug, "xlsx"])
    return f"{url}?{query}" if query else url


def _progress_url(board, fmt, query: str, key: str = "") -> str:
    url = reverse("actions:log_build", args=[board.slug, fmt])
    parts = [p for p in (query, f"build={key}" if key else "") if p]
    return f"{url}?{'&'.join(parts)}" if parts else url


def serve_log(request, board, fmt):
    """The stored file, or its build started and the progress page."""
    job = _job(request, board, fmt)
    if job is None:
        return redirect(f"{reverse('actions:log', args=[board.slug])}?{request.GET.urlencode()}")
    query = job.params.get("query", "")
    return built_or_progress(
        request,
        job,
        _progress_url(board, fmt, query, job.key),
        content_type=XLSX if fmt == "xlsx" else "application/pdf",
        as_attachment=fmt == "xlsx",
    )


@login_required
def action_log_pdf(request, slug):
    return serve_log(request, _board(request, slug), "pdf")


@login_required
@require_http_methods(["GET", "POST"])
def action_log_build(request, slug, fmt):
    """The progress of the log's PDF or spreadsheet: htmx polls it by the build's key
    (cheap: no rows are read), POST starts a build again after a failure."""
    board = _board(request, slug)
    if fmt not in FORMATS:
        raise Http404("Build a pdf or an xlsx.")
    key = request.GET.get("build", "")
    if request.htmx and request.method == "GET" and BUILD_KEY.fullmatch(key):
        progress = meetings_pdf.read_progress(key, fmt)
        query = request.GET.copy()
        query.pop("build")
        query = query.urlencode()
    else:
        job = _job(request, board, fmt)
        if job is None:
            return redirect(f"{reverse('actions:log', args=[board.slug])}")
        progress = builds.start(job) if request.method == "POST" else job.progress()
        key, query = job.key, job.params.get("query", "")
        if request.method == "POST" and not request.htmx:
            return redirect(_progress_url(board, fmt, query, key))
    template = "actions/log_build.html"
    if request.htmx:
        template += "#progress"
    context = {
        "board": board,
        "progress": progress,
        "poll_url": _progress_url(board, fmt, query, key),
        "start_url": _progress_url(board, fmt, query),
        "download_url": _download_url(board, fmt, query),
        **FORMATS[fmt],
    }
    return render(request, template, context)
