"""The minutes PDF as the chair downloads it: served from the cache by content hash."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from boards.permissions import Perm, can, require

from . import builds, pdf, tasks
from .models import Meeting


def _meeting_and_copy(request, pk) -> tuple[Meeting, bool]:
    """The meeting, and whether this reader gets the public copy: on request (?public=1),
    or always for a reader who may not see confidential items."""
    meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=pk)
    require(request.user, Perm.VIEW, meeting.board)
    public = request.GET.get("public") == "1" or not can(
        request.user, Perm.VIEW_CONFIDENTIAL, meeting.board
    )
    return meeting, public


@login_required
def minutes_pdf(request, pk):
    """The stored PDF of the minutes as they stand. While a rebuild after an edit is under
    way the reader waits for it on a progress page: this request never renders the same
    copy a second time (without a worker, the first click after a change renders)."""
    meeting, public = _meeting_and_copy(request, pk)
    building = tasks.minutes_build_state(meeting)
    if request.htmx:  # the progress page polling
        return _minutes_progress(request, meeting, public, building, "#progress")
    document = pdf.minutes_document(meeting, public=public)
    if building and not pdf.is_cached(document.key):
        return _minutes_progress(request, meeting, public, building, "", status=202)
    return pdf_response(request, pdf.pdf_for_html(document.html, document.filename))


def _minutes_progress(request, meeting, public, building, partial, status=200):
    url = reverse("meetings:minutes_pdf", args=[meeting.pk]) + ("?public=1" if public else "")
    # two renders with no steps to count between them: a moving bar, not a number
    progress = {"state": building or "done", "done": 0, "total": 0, "percent": 0}
    return render(
        request,
        "meetings/pdf/minutes_preparing.html" + partial,
        {
            "meeting": meeting,
            "board": meeting.board,
            "progress": progress,
            "url": url,
            "public": public,
        },
        status=status,
    )


def pdf_response(
    request, built: pdf.CachedPdf, *, content_type="application/pdf", as_attachment=False
):
    """Serve a stored file (a PDF inline); a browser holding the same version gets 304."""
    etag = f'"{built.key}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified()
    response = FileResponse(
        built.open(),
        content_type=content_type,
        filename=built.filename,
        as_attachment=as_attachment,
    )
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def agenda_pack(request, pk):
    """The agenda pack's page: POST starts a build; htmx polls the progress partial."""
    meeting, public = _meeting_and_copy(request, pk)
    job = builds.agenda_pack_job(pdf.agenda_pack(meeting, public=public))
    progress = builds.start(job) if request.method == "POST" else job.progress()
    template = "meetings/pdf/agenda_pack.html"
    if request.htmx:
        template += "#progress"
    elif request.method == "POST":
        return redirect(request.get_full_path())
    context = {"meeting": meeting, "board": meeting.board, "public": public, "progress": progress}
    return render(request, template, context)


@login_required
def agenda_pack_pdf(request, pk):
    meeting, public = _meeting_and_copy(request, pk)
    job = builds.agenda_pack_job(pdf.agenda_pack(meeting, public=public))
    if not job.is_built():  # not built, or the agenda changed since: build it first
        query = "?public=1" if request.GET.get("public") == "1" else ""
        return redirect(reverse("meetings:agenda_pack", args=[meeting.pk]) + query)
    return pdf_response(request, job.stored())


def built_or_progress(request, job: builds.Job, progress_url: str, **serve):
    """A download of a file built in the background: the stored file when it is built;
    otherwise its build is started (once, however many clicks) and the reader goes to its
    progress page. Without a worker the build runs here and the file is served at once."""
    if not job.is_built() and builds.start(job)["state"] != "done":
        return redirect(progress_url)
    return pdf_response(request, job.stored(), **serve)
