"""A board's lists across its meetings: the decision register and the forward plan."""

import tablib
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from boards.models import Board
from boards.permissions import Perm, perms_on, reach_of, require
from boards.spreadsheets import spreadsheet_file

from . import services
from .models import Decision, ForwardPlanEntry
from .views import _errors, _meeting


class RegisterFilter(forms.Form):
    kind = forms.ChoiceField(choices=[("", "Any kind"), *Decision.Kind.choices], required=False)
    year = forms.IntegerField(required=False, min_value=1990, max_value=2100)
    q = forms.CharField(required=False, max_length=200, label="Words in the decision")


def _board(request, slug) -> Board:
    board = get_object_or_404(Board, slug=slug)
    require(request.user, Perm.VIEW, board)
    return board


def _register(request, board):
    """Every decision of the board the reader may see, newest meeting first, filtered."""
    form = RegisterFilter(request.GET or None)
    decisions = (
        Decision.objects.visible_to(reach_of(request.user))
        .filter(board=board)
        .select_related("item__meeting")
        .order_by("-item__meeting__starts_at", "item__order", "number")
    )
    if form.is_valid():
        if form.cleaned_data["kind"]:
            decisions = decisions.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["year"]:
            decisions = decisions.filter(item__meeting__starts_at__year=form.cleaned_data["year"])
        if form.cleaned_data["q"]:
            decisions = decisions.filter(text__icontains=form.cleaned_data["q"])
    return form, decisions


@login_required
def decision_register(request, slug):
    board = _board(request, slug)
    form, decisions = _register(request, board)
    return render(
        request,
        "meetings/decision_register.html",
        {
            "board": board,
            "form": form,
            "decisions": decisions[:500],
            "query": request.GET.urlencode(),
        },
    )


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def decision_register_export(request, slug, fmt):
    """The register as filtered, as CSV or XLSX (cells escaped as in every export)."""
    board = _board(request, slug)
    if fmt not in EXPORT_TYPES:
        raise Http404("Export as csv or xlsx.")
    _, decisions = _register(request, board)
    data = tablib.Dataset(
        headers=["Meeting", "Item", "Number", "Kind", "Decision", "Link"],
        title=f"Decisions {board.slug}"[:31],
    )
    for d in decisions:
        meeting = d.item.meeting
        data.append(
            [
                timezone.localdate(meeting.starts_at).isoformat(),
                str(d.item),
                d.label,
                d.get_kind_display(),
                d.text,
                f"{settings.SITE_URL}{meeting.get_absolute_url()}#item-{d.item_id}",
            ]
        )
    body = spreadsheet_file(data, fmt)
    if isinstance(body, str):
        body = body.encode("utf-8-sig")  # the BOM makes Excel read £ and names correctly
    response = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="{board.slug}-decisions-{stamp}.{fmt}"'
    )
    return response


@login_required
def forward_plan(request, slug):
    """What is coming back to the board, and what is overdue (a fragment for the board
    page when asked by htmx)."""
    board = _board(request, slug)
    entries = (
        ForwardPlanEntry.objects.visible_to(reach_of(request.user))
        .filter(board=board)
        .select_related(
            "source_decision__item__meeting",
            "target_meeting",
            "item__meeting",
            "referred_from__board",
        )
        .prefetch_related("referrals__board")
        .order_by("status", "target_month", "created_at")
    )
    today = timezone.localdate()
    template = "meetings/forward_plan.html" + ("#panel" if request.htmx else "")
    return render(
        request,
        template,
        {
            "board": board,
            "entries": entries,
            "month": today.replace(day=1),
            "may_refer": board.parent_id is not None
            and Perm.EDIT_MEETINGS in perms_on(request.user, board),
        },
    )


@login_required
@require_POST
def forward_plan_add(request, pk):
    """The secretary takes a waiting matter onto this meeting's agenda."""
    meeting = _meeting(request, pk)
    entry_id = request.POST.get("entry", "")
    entry = ForwardPlanEntry.objects.filter(
        pk=int(entry_id) if entry_id.isdigit() else 0, board_id=meeting.board_id
    ).first()
    if entry is None:
        messages.error(request, "That matter is not in this board's forward plan.")
        return redirect("meetings:edit", meeting.pk)
    try:
        item = services.put_on_agenda(entry=entry, meeting=meeting, by=request.user)
        messages.success(request, f"Item {item.number}, “{item.title}”, added to the agenda.")
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("meetings:edit", meeting.pk)


@login_required
@require_POST
def forward_plan_refer(request, pk):
    """The secretary refers a matter to the parent board's forward plan."""
    entry = get_object_or_404(ForwardPlanEntry.objects.select_related("board"), pk=pk)
    require(request.user, Perm.EDIT_MEETINGS, entry.board)
    try:
        referred = services.refer_to_parent(entry=entry, by=request.user)
        messages.success(request, f"Referred to the forward plan of {referred.board}.")
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("meetings:forward_plan", entry.board.slug)
