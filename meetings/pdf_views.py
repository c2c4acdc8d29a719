"""The minutes PDF as the chair downloads it: served from the cache by content hash."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404

from boards.permissions import Perm, can, require

from . import pdf
from .models import Meeting


@login_required
def minutes_pdf(request, pk):
    """?public=1 leaves confidential items out; so does a reader who may not see them."""
    meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=pk)
    require(request.user, Perm.VIEW, meeting.board)
    public = request.GET.get("public") == "1" or not can(
        request.user, Perm.VIEW_CONFIDENTIAL, meeting.board
    )
    return pdf_response(request, pdf.build_minutes_pdf(meeting, public=public))


def pdf_response(request, built: pdf.CachedPdf):
    """Serve a stored PDF inline; a browser holding the same version gets 304."""
    etag = f'"{built.key}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified()
    response = FileResponse(
        built.path.open("rb"), content_type="application/pdf", filename=built.filename
    )
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response
