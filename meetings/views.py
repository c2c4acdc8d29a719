from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from boards.permissions import Perm, perms_on, require

from .models import AgendaItem, Attendance, Meeting


@login_required
def meeting_detail(request, pk):
    """The minutes as members read them: attendance, numbered items, decisions, actions."""
    meeting = get_object_or_404(Meeting.objects.select_related("board", "approved_at"), pk=pk)
    require(request.user, Perm.VIEW, meeting.board)
    perms = perms_on(request.user, meeting.board)
    items = AgendaItem.objects.filter(meeting=meeting).prefetch_related(
        "presenters", "decisions", "papers", Prefetch("actions__owners")
    )
    if Perm.VIEW_CONFIDENTIAL not in perms:
        items = items.filter(confidential=False)
    attendances = Attendance.objects.filter(meeting=meeting).select_related(
        "person__organisation", "representing", "substitute_for"
    )
    by_status: dict[str, list] = {}
    for attendance in attendances:
        by_status.setdefault(attendance.status, []).append(attendance)
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "board": meeting.board,
            "perms": perms,
            "items": items,
            "present": by_status.get(Attendance.Status.PRESENT, []),
            "apologies": by_status.get(Attendance.Status.APOLOGIES, []),
            "in_attendance": by_status.get(Attendance.Status.IN_ATTENDANCE, []),
            "absent": by_status.get(Attendance.Status.ABSENT, []),
        },
    )
