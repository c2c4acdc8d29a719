from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .forms import ReminderPreferencesForm
from .models import Board, Membership
from .permissions import Perm, perms_on, require
from .services import stop_reminders
from .unsubscribe import person_for_token


def _organisation_of(membership):
    return membership.representing or membership.person.organisation


@login_required
def board_detail(request, slug):
    board = get_object_or_404(
        Board.objects.select_related("parent", "secretary", "chair"), slug=slug
    )
    require(request.user, Perm.VIEW, board)
    memberships = sorted(
        Membership.objects.current()
        .filter(board=board)
        .select_related("person__organisation", "representing"),
        key=lambda m: (_organisation_of(m).name if _organisation_of(m) else "~", m.person.name),
    )
    by_organisation = [
        (org, list(group)) for org, group in groupby(memberships, key=_organisation_of)
    ]
    now = timezone.now()
    meetings = board.meetings.all()
    return render(
        request,
        "boards/detail.html",
        {
            "board": board,
            "perms": perms_on(request.user, board),
            "members_by_organisation": by_organisation,
            "member_count": len(memberships),
            "upcoming": meetings.filter(starts_at__gte=now).order_by("starts_at")[:10],
            "past": meetings.filter(starts_at__lt=now).order_by("-starts_at")[:20],
            "sub_boards": Board.objects.for_user(request.user).filter(parent=board),
        },
    )


@login_required
def reminder_preferences(request):
    """The signed-in person chooses which kinds of reminder they get, and digest or not."""
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404("No member record is linked to this log-in.")
    form = ReminderPreferencesForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your reminder preference is saved.")
        return redirect("reminders:preferences")
    return render(request, "boards/preferences.html", {"form": form, "person": person})


# A mail client's one-click unsubscribe (RFC 8058) POSTs with no session and no CSRF
# token; the signed token in the address is the credential, and it can only stop mail.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks (link scanners must not unsubscribe anyone); POST turns reminders off."""
    person = person_for_token(token)
    if person is None:
        raise Http404("This unsubscribe link is not valid.")
    done = request.method == "POST"
    if done:
        stop_reminders(person=person)
    return render(request, "boards/unsubscribe.html", {"person": person, "done": done})
