"""Upload or paste old minutes on a board, review what was read, confirm or cancel."""

import datetime as dt
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from boards.models import Board, Person
from boards.permissions import Perm, require
from funding.models import Fund
from funding.services import FundingError

from . import services
from .forms import (
    ActionFormSet,
    AmountFormSet,
    AttendanceFormSet,
    DecisionFormSet,
    DeclarationFormSet,
    FutureFormSet,
    ItemFormSet,
    MeetingForm,
    UploadForm,
    amount_initial,
)
from .models import MinutesImport
from .parse import ParsedMeeting
from .read import UnreadableDocument


def _person(request) -> Person | None:
    try:
        return request.user.person
    except Person.DoesNotExist:
        return None


def _get_import(request, pk) -> MinutesImport:
    """The import, for someone who may edit the board's meetings (404 / 403 otherwise)."""
    minutes_import = get_object_or_404(MinutesImport.objects.select_related("board"), pk=pk)
    require(request.user, Perm.EDIT_MEETINGS, minutes_import.board)
    return minutes_import


@login_required
def upload(request, slug):
    board = get_object_or_404(Board, slug=slug)
    require(request.user, Perm.EDIT_MEETINGS, board)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            minutes_import = services.start_import(
                board=board,
                by=_person(request),
                name=upload.name if upload else "",
                data=upload.read() if upload else None,
                text=form.cleaned_data["text"],
            )
        except (UnreadableDocument, ValidationError) as error:
            form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
        else:
            return redirect(minutes_import)
    pending = MinutesImport.objects.filter(board=board, status=MinutesImport.Status.PARSED)
    return render(
        request, "importer/upload.html", {"board": board, "form": form, "pending": pending}
    )


def _flags(parsed: ParsedMeeting) -> dict[str, dict]:
    """uncertain "actions.2.owners" -> {"actions": {2: why}}; "date" -> {"date": {None: why}}."""
    flags: dict[str, dict] = {}
    for entry in parsed.uncertain:
        kind, _, rest = entry["field"].partition(".")
        index = rest.split(".")[0]
        flags.setdefault(kind, {})[int(index) if index.isdigit() else None] = entry["why"]
    return flags


def _initial(minutes_import, parsed: ParsedMeeting, people):
    board = minutes_import.board
    matches = [
        services.match_person(a.name, people=people, initials=a.initials)
        for a in parsed.attendance
    ]
    title = parsed.title if parsed.title.strip().lower() != board.name.lower() else ""
    return {
        "meeting": {
            "title": title,
            "date": parsed.date,
            "time": parsed.time,
            "venue": parsed.venue,
            "approved_on": parsed.date,
        },
        "attendance": [
            {
                "name": a.name,
                "organisation": a.organisation,
                "status": a.status,
                "role": a.role or "",
                "substitute_for": a.substitute_for or "",
                "person": str(m.person.pk) if m.person else "",
                "initials": a.initials,
                "joined_at": _item_number(a.joined_at),
                "left_at": _item_number(a.left_at),
            }
            for a, m in zip(parsed.attendance, matches, strict=True)
        ],
        "matches": matches,
        "items": [{"number": i.number, "title": i.title, "text": i.text} for i in parsed.items],
        "decisions": [
            {"item": d.item, "kind": d.kind, "text": d.text, "orig": n}
            for n, d in enumerate(parsed.decisions)
        ],
        "actions": [
            {"item": a.item, "text": a.text, "owners": "; ".join(a.owners), "due": a.due or ""}
            for a in parsed.actions
        ],
        "declarations": [
            {"person": d.person, "item": d.item, "nature": d.nature} for d in parsed.declarations
        ],
        "amounts": [amount_initial(n, a) for n, a in enumerate(parsed.amounts)],
        "future": [{"use": True, "date": d} for d in parsed.future_meetings],
    }


def _forms(request, minutes_import, parsed, people, funds):
    initial = _initial(minutes_import, parsed, people)
    data = request.POST if request.method == "POST" else None
    forms = {
        "meeting": MeetingForm(data, initial=initial["meeting"], prefix="meeting"),
        "attendance": AttendanceFormSet(
            data,
            initial=initial["attendance"],
            prefix="attendance",
            form_kwargs={"people": people},
        ),
        "items": ItemFormSet(data, initial=initial["items"], prefix="items"),
        "decisions": DecisionFormSet(data, initial=initial["decisions"], prefix="decisions"),
        "actions": ActionFormSet(data, initial=initial["actions"], prefix="actions"),
        "declarations": DeclarationFormSet(
            data, initial=initial["declarations"], prefix="declarations"
        ),
        "amounts": AmountFormSet(
            data, initial=initial["amounts"], prefix="amounts", form_kwargs={"funds": funds}
        ),
        "future": FutureFormSet(data, initial=initial["future"], prefix="future"),
    }
    flags = _flags(parsed)
    for kind in ("attendance", "actions", "amounts", "items", "decisions"):
        for index, form in enumerate(forms[kind].forms):
            form.flag = flags.get(kind, {}).get(index, "")
    for index, form in enumerate(forms["attendance"].forms):
        form.match = initial["matches"][index] if index < len(initial["matches"]) else None
        if index < len(parsed.attendance) and not form.flag:
            form.flag = _presence_flag(parsed.attendance[index])
    for index, form in enumerate(forms["actions"].forms):
        form.reasons = parsed.actions[index].owner_reasons if index < len(parsed.actions) else []
    for index, form in enumerate(forms["amounts"].forms):
        if index < len(parsed.amounts):
            form.source = parsed.amounts[index]
    return forms, flags


def _item_number(when: str) -> str:
    """ "7.20pm, during item 2" -> "2" (the column asks for the item); else as written."""
    match = re.search(r"\bitem\s+(\d{1,2}(?:\.\d{1,2})?)\b", when or "", re.IGNORECASE)
    return match[1] if match else when


def _presence_flag(row) -> str:
    """The minutes say when someone came or went, but not at which item: ask."""
    for verb, when in (("joined", row.joined_at), ("left", row.left_at)):
        if when and not re.search(r"\bitem\s+\d", when, re.IGNORECASE):
            return f"{verb} “{when}”: give the item number, or clear it"
    return ""


def _reviewed(parsed: ParsedMeeting, forms) -> ParsedMeeting:
    """The meeting as the secretary left it on the review screen."""
    reviewed = ParsedMeeting.from_json(parsed.to_json())
    kinds = ("attendance", "items", "decisions", "actions", "declarations")
    live = {kind: _rows(forms[kind]) for kind in kinds}
    reviewed.attendance = [f.row() for f in live["attendance"]]
    reviewed.items = [f.row() for f in live["items"]]
    reviewed.decisions = [f.row() for f in live["decisions"]]
    reviewed.actions = [f.row() for f in live["actions"]]
    reviewed.declarations = [f.row() for f in live["declarations"]]
    # Amounts point at decisions by position: follow them through deletions.
    moved = {f.cleaned_data.get("orig"): n for n, f in enumerate(live["decisions"])}
    for amount in reviewed.amounts:
        amount.decision = moved.get(amount.decision) if amount.decision is not None else None
    return reviewed


def _rows(formset):
    return [
        f
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE") and (f.initial or f.has_changed())
    ]


@login_required
def review(request, pk):
    minutes_import = _get_import(request, pk)
    board = minutes_import.board
    parsed = ParsedMeeting.from_json(minutes_import.parsed)
    people = list(
        Person.objects.of_partnership(board).select_related("organisation").order_by("name")
    )
    funds = Fund.objects.filter(board=board).order_by("name")
    forms, flags = _forms(request, minutes_import, parsed, people, funds)
    if request.method == "POST" and minutes_import.status == MinutesImport.Status.PARSED:
        if all(f.is_valid() for f in forms.values()):
            try:
                meeting = _confirm(request, minutes_import, parsed, forms, people)
            except (ValidationError, FundingError) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            else:
                messages.success(request, f"Imported {meeting}: the minutes are approved.")
                return redirect(meeting)
        else:
            messages.error(request, "Some fields need correcting: they are marked below.")
    status = 400 if request.method == "POST" else 200
    # A second copy of the same minutes (another file format, say) has another hash.
    same_day = (
        board.meetings.filter(starts_at__date=parsed.date).exclude(pk=minutes_import.meeting_id)
        if parsed.date
        else board.meetings.none()
    )
    return render(
        request,
        "importer/review.html",
        {
            "board": board,
            "minutes_import": minutes_import,
            "parsed": parsed,
            "flags": flags,
            "same_day": list(same_day),
            **forms,
        },
        status=status,
    )


def _confirm(request, minutes_import, parsed, forms, people):
    reviewed = _reviewed(parsed, forms)
    by_id = {str(p.pk): p for p in people}
    people_of_rows = {}
    for index, form in enumerate(_rows(forms["attendance"])):
        people_of_rows[index] = by_id.get(form.cleaned_data["person"])
    allocations = [
        services.Allocation(
            amount=f.cleaned_data["orig"],
            fund=f.cleaned_data["fund"],
            kind=f.cleaned_data["kind"] or "allocation",
            pence=f.cleaned_data["pence"],
        )
        for f in forms["amounts"].forms
        if f.cleaned_data.get("use")
    ]
    future = [f.cleaned_data["date"] for f in forms["future"].forms if f.cleaned_data.get("use")]
    meeting_data = forms["meeting"].cleaned_data
    return services.confirm_import(
        minutes_import=minutes_import,
        by=_person(request),
        parsed=reviewed,
        people=people_of_rows,
        starts_at=services.local_start(meeting_data["date"], meeting_data["time"]),
        start_time_known=meeting_data["time"] is not None,
        approved_on=meeting_data["approved_on"],
        allocations=allocations,
        future_meetings=[d for d in future if isinstance(d, dt.date)],
        title=meeting_data["title"],
        venue=meeting_data["venue"],
    )


@login_required
@require_POST
def cancel(request, pk):
    minutes_import = _get_import(request, pk)
    try:
        services.cancel_import(minutes_import=minutes_import)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(minutes_import)
    messages.success(request, "Import cancelled: nothing was saved.")
    return redirect(minutes_import.board)
