from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from boards.models import Board, Membership, Person
from boards.permissions import Perm, perms_on, reach_of, require, require_visible

from . import item_cards, responses, services
from .forms import (
    AddItemForm,
    ApproveForm,
    AttendanceForm,
    DecisionForm,
    DeclarationForm,
    EditMeetingForm,
    GuestForm,
    ItemForm,
    MeetingForm,
    MinutesForm,
    PaperForm,
    PersonForm,
    PresenceForm,
    RoleForm,
    StatusForm,
    VoteForm,
)
from .models import (
    AgendaItem,
    Amendment,
    AmendmentProposal,
    Attendance,
    Decision,
    Declaration,
    ForwardPlanEntry,
    Meeting,
    MeetingReply,
    NamedVote,
    Paper,
    decisions_with_votes,
    presenters_listed,
)
from .people import people_matching, presence_notes

EDIT_TEMPLATE = "meetings/edit.html"
# What the status buttons say, in the order a meeting goes through them.
STATUS_BUTTONS = {
    Meeting.Status.AGENDA_PUBLISHED: "Publish the agenda",
    Meeting.Status.HELD: "Mark as held",
    Meeting.Status.MINUTES_DRAFTED: "Circulate the draft minutes",
    Meeting.Status.DRAFT: "Back to draft",
}


def signed_in(view):
    """Like login_required, but an htmx request gets 401 (not a login page in a fragment).

    The meeting screen's script keeps the typed text and tells the secretary to sign in.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            if request.headers.get("HX-Request"):
                return HttpResponse("Your session has expired: sign in again to save.", status=401)
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def _meeting(request, pk, perm=Perm.EDIT_MEETINGS) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=pk)
    require(request.user, perm, meeting.board)
    return meeting


def _item(request, pk, perm=Perm.EDIT_MEETINGS) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__board"), pk=pk)
    require(request.user, perm, item.meeting.board)
    return item


def _attendance(request, pk) -> Attendance:
    """An attendance row the secretary (or chair) may change, with its meeting and person."""
    attendance = get_object_or_404(
        Attendance.objects.select_related("meeting__board", "person"), pk=pk
    )
    require(request.user, Perm.EDIT_MEETINGS, attendance.meeting.board)
    return attendance


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _amending(request) -> dict:
    """Who is writing and, for approved minutes, the reason they gave (an amendment)."""
    return {"reason": request.POST.get("reason", ""), "by": request.user}


# --- the members' read view --------------------------------------------------------


@login_required
def meeting_detail(request, pk):
    """The minutes as members read them: attendance, numbered items, decisions, actions."""
    meeting = get_object_or_404(Meeting.objects.select_related("board", "approved_at"), pk=pk)
    require(request.user, Perm.VIEW, meeting.board)
    perms = perms_on(request.user, meeting.board)
    reach = reach_of(request.user)
    items = (
        AgendaItem.objects.filter(meeting=meeting)
        .visible_to(reach)
        .prefetch_related(
            "presenters", decisions_with_votes(), "papers", Prefetch("actions__owners")
        )
    )
    attendances = Attendance.objects.filter(meeting=meeting).select_related(
        "person__organisation", "representing", "substitute_for", "joined_at_item", "left_at_item"
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
            "presence_notes": presence_notes(attendances),
            "declarations": Declaration.objects.filter(meeting=meeting)
            .visible_to(reach)
            .select_related("person", "item"),
            "amendments": Amendment.objects.filter(meeting=meeting)
            .visible_to(reach)
            .select_related("item", "by"),
            "show_corrections": meeting.corrections_visible_to(reach),
            "can_approve": Perm.APPROVE_MINUTES in perms
            and services.may_agree_minutes_at(meeting)
            and services.approvable_meetings(meeting).exists(),
        }
        | _member_cycle_context(request, meeting, perms),
    )


def _member_cycle_context(request, meeting: Meeting, perms) -> dict:
    """A member's reply to the invitation, and whether they may propose corrections."""
    person = Person.objects.filter(user_id=request.user.pk).first()
    can_reply = (
        person is not None
        and responses.replying_open(meeting)
        and responses.may_reply(meeting, person)
    )
    return {
        "can_reply": can_reply,
        "my_reply": MeetingReply.objects.filter(meeting=meeting, person=person)
        .select_related("substitute")
        .first()
        if person
        else None,
        "substitute_choices": responses.substitute_choices(meeting, person) if can_reply else [],
        "proposing": Perm.PROPOSE_AMENDMENTS in perms
        and meeting.status in responses.DRAFT_STATUSES,
    }


# --- creating a meeting and changing its status -------------------------------------


@login_required
def meeting_create(request, slug):
    """A new meeting for a board, with its standard agenda items."""
    board = get_object_or_404(Board, slug=slug)
    require(request.user, Perm.EDIT_MEETINGS, board)
    form = MeetingForm(request.POST or None, initial={"venue": board.default_venue})
    if request.method == "POST" and form.is_valid():
        meeting = services.create_meeting(
            board=board,
            standard_items=None if form.cleaned_data["standard_items"] else [],
            **form.details(),
        )
        messages.success(request, "Meeting created. Build the agenda below.")
        return redirect("meetings:edit", meeting.pk)
    return render(request, "meetings/create.html", {"board": board, "form": form})


@login_required
def meeting_details(request, pk):
    """Title, date, times, venue and kind; on approved minutes the change is an amendment."""
    meeting = _meeting(request, pk)
    form = EditMeetingForm(request.POST or None, initial=EditMeetingForm.initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting_details(
                meeting=meeting,
                reason=form.cleaned_data["reason"],
                by=request.user,
                **form.details(),
            )
        except ValidationError as exc:
            form.add_error("reason" if meeting.is_frozen else None, exc)
        else:
            messages.success(request, "The meeting's details are saved.")
            return redirect("meetings:edit", meeting.pk)
    return render(
        request,
        "meetings/details.html",
        {
            "meeting": meeting,
            "board": meeting.board,
            "form": form,
            "deletion_refusal": services.deletion_refusal(meeting),
        },
    )


@login_required
def meeting_delete(request, pk):
    """A draft with nothing recorded yet may be deleted, after a confirmation page."""
    meeting = _meeting(request, pk)
    refusal = services.deletion_refusal(meeting)
    if request.method == "POST":
        try:
            services.delete_meeting(meeting=meeting)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
            return redirect("meetings:details", meeting.pk)
        messages.success(request, f"The meeting of {services.meeting_day(meeting)} was deleted.")
        return redirect(meeting.board.get_absolute_url())
    return render(
        request,
        "meetings/delete.html",
        {"meeting": meeting, "board": meeting.board, "refusal": refusal},
        status=409 if refusal else 200,
    )


@login_required
@require_POST
def meeting_status(request, pk):
    meeting = _meeting(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            meeting = services.change_status(
                meeting=meeting,
                status=form.cleaned_data["status"],
                remind_overdue=form.remind_choice(),
            )
            messages.success(request, f"The meeting is now “{meeting.get_status_display()}”.")
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    return redirect("meetings:edit", meeting.pk)


# --- the secretary's meeting screen ------------------------------------------------


def _status_buttons(meeting: Meeting) -> list[tuple[str, str, bool]]:
    """(status, label, forward?) for each step the meeting can take from here."""
    steps = services.STATUS_STEPS.get(meeting.status, set())
    if meeting.status == Meeting.Status.MINUTES_DRAFTED:
        return [(Meeting.Status.HELD, "Reopen the minutes for drafting", False)]
    order = list(Meeting.Status)
    return [
        (value, label, order.index(value) > order.index(meeting.status))
        for value, label in STATUS_BUTTONS.items()
        if value in steps
    ]


def _approval_context() -> dict:
    """What the approval form offers for attendance corrections."""
    return {
        "correction_rows": range(ApproveForm.CORRECTION_ROWS),
        "attendance_choices": Attendance.Status.choices,
    }


def _screen_context(request, meeting: Meeting) -> dict:
    """Everything the screen shows, in a fixed number of queries however long the agenda."""
    items = list(AgendaItem.objects.filter(meeting=meeting).for_screen())
    attendances = list(
        Attendance.objects.filter(meeting=meeting).select_related(
            "person__organisation",
            "representing",
            "substitute_for",
            "joined_at_item",
            "left_at_item",
        )
    )
    memberships = list(
        Membership.objects.current()
        .filter(board=meeting.board)
        .select_related("person__organisation", "representing")
        .order_by("person__name")
    )
    voting = {
        m.person_id
        for m in memberships
        if m.role not in (Membership.Role.ADVISER, Membership.Role.OBSERVER, "secretary")
    }
    by_person = {a.person_id: a for a in attendances}
    substitutes = {a.substitute_for_id: a for a in attendances if a.substitute_for_id}
    member_ids = {m.person_id for m in memberships}
    declarations = list(
        Declaration.objects.filter(meeting=meeting).select_related("person", "item")
    )
    quorum = services.quorum_for(
        meeting=meeting,
        items=items,
        attendances=attendances,
        voting_ids=voting,
        declarations=declarations,
    )
    # Not yet held: cancellable, and still taking items from the forward plan.
    cancellable = meeting.status in (Meeting.Status.DRAFT, Meeting.Status.AGENDA_PUBLISHED)
    replies = {
        r.person_id: r
        for r in MeetingReply.objects.filter(meeting=meeting).select_related("substitute")
    }
    return {
        "meeting": meeting,
        "board": meeting.board,
        "perms": perms_on(request.user, meeting.board),
        "items": items,
        # (membership, their attendance, whoever substitutes for them)
        "member_rows": [
            (m, by_person.get(m.person_id), substitutes.get(m.person_id)) for m in memberships
        ],
        "others": [a for a in attendances if a.person_id not in member_ids],
        "attendances": attendances,
        "quorum": quorum,
        "declarations": declarations,
        **_decision_form_context(meeting, attendances),
        "approvable": list(services.approvable_meetings(meeting)),
        # (membership, their reply to the invitation or None)
        "reply_rows": [(m, replies.get(m.person_id)) for m in memberships],
        "any_replies": bool(replies),
        "forward_plan_due": list(
            ForwardPlanEntry.objects.due_at(meeting)
            .select_related("source_decision__item__meeting", "target_meeting")
            .order_by("target_month", "created_at")
        )
        if cancellable
        else [],
        "open_proposals": AmendmentProposal.objects.filter(item__meeting=meeting).open().count()
        if meeting.status in responses.DRAFT_STATUSES
        else 0,
        "cancellable": cancellable,
        "statuses": Meeting.Status,
        "status_buttons": _status_buttons(meeting),
        "max_paper_bytes": settings.MAX_PAPER_BYTES,
        "remind_overdue_default": services.remind_overdue_by_default(meeting),
        **_approval_context(),
        "attendance_statuses": [
            Attendance.Status.PRESENT,
            Attendance.Status.APOLOGIES,
            Attendance.Status.ABSENT,
        ],
    }


def _paper_form_context() -> dict:
    return {"max_paper_mb": settings.MAX_PAPER_BYTES // 1_048_576}


def _decision_form_context(meeting: Meeting, attendances) -> dict:
    """What the decision forms offer: the later meetings a matter can be brought back to,
    and who can move, second or vote (those present)."""
    return {
        "later_meetings": list(
            Meeting.objects.filter(board_id=meeting.board_id, starts_at__gt=meeting.starts_at)
            .exclude(status=Meeting.Status.CANCELLED)
            .order_by("starts_at")[:12]
        ),
        "voters": [a.person for a in attendances if a.status == Attendance.Status.PRESENT],
        "vote_ways": NamedVote.Way.choices,
    }


@login_required
def meeting_edit(request, pk):
    """The secretary's one screen: agenda, papers, attendance, minutes, decisions."""
    meeting = _meeting(request, pk)
    context = _screen_context(request, meeting)
    item_cards.draw(context["items"], context)
    return render(request, EDIT_TEMPLATE, context)


def _partial(request, meeting, name, status=200, **extra):
    context = _screen_context(request, meeting) | extra
    return render(request, f"{EDIT_TEMPLATE}#{name}", context, status=status)


def _item_partial(request, item, name, status=200, **extra):
    """One item's fragment, rendered from the item's own prefetched row."""
    item = (
        AgendaItem.objects.filter(pk=item.pk).select_related("meeting__board").for_screen().get()
    )
    meeting = item.meeting
    attendances = Attendance.objects.filter(meeting=meeting).select_related("person")
    context = {
        **_decision_form_context(meeting, attendances),
        "item": item,
        "meeting": meeting,
        "board": meeting.board,
        "perms": perms_on(request.user, meeting.board),
        "decision_kinds": Decision.Kind.choices,
        "approvable": list(services.approvable_meetings(meeting)),
        **_paper_form_context(),
        **_approval_context(),
    } | extra
    return render(request, f"{EDIT_TEMPLATE}#{name}", context, status=status)


# --- forms loaded when their <details> is opened ----------------------------------
# Each repeats per item, attendee or decision what grows with the agenda (every item,
# every voter), so the screen leaves them out and stays the same size at 5 items or 80.


@signed_in
@require_GET
def presence_form(request, pk):
    attendance = _attendance(request, pk)
    meeting = attendance.meeting
    context = {"a": attendance, "meeting": meeting, "items": meeting.items.all()}
    return render(request, f"{EDIT_TEMPLATE}#presence_form", context)


@signed_in
@require_GET
def vote_form(request, pk):
    decision = get_object_or_404(
        Decision.objects.select_related("item__meeting__board").prefetch_related("named_votes"),
        pk=pk,
    )
    item = decision.item
    require(request.user, Perm.EDIT_MEETINGS, item.meeting.board)
    attendances = Attendance.objects.filter(meeting=item.meeting).select_related("person")
    context = {
        **_decision_form_context(item.meeting, attendances),
        "d": decision,
        "item": item,
        "meeting": item.meeting,
    }
    return render(request, f"{EDIT_TEMPLATE}#vote_form", context)


@signed_in
@require_GET
def item_edit_form(request, pk):
    item = _item(request, pk)
    prefetch_related_objects([item], presenters_listed())
    return render(request, f"{EDIT_TEMPLATE}#item_edit_form", {"item": item})


@signed_in
@require_GET
def paper_form(request, pk):
    item = _item(request, pk)
    context = {"item": item, **_paper_form_context()}
    return render(request, f"{EDIT_TEMPLATE}#paper_form", context)


@signed_in
@require_GET
def decision_form(request, pk):
    item = _item(request, pk)
    context = {"item": item, "decision_kinds": Decision.Kind.choices}
    return render(request, f"{EDIT_TEMPLATE}#decision_form", context)


@signed_in
@require_GET
def bring_back_fields(request, pk):
    item = _item(request, pk)
    context = {**_decision_form_context(item.meeting, []), "item": item}
    return render(request, f"{EDIT_TEMPLATE}#bring_back_fields", context)


# --- agenda ------------------------------------------------------------------------


@login_required
@require_POST
def item_add(request, pk):
    meeting = _meeting(request, pk)
    form = AddItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Type a title for the new item.")
        return redirect("meetings:edit", meeting.pk)
    try:
        item = services.add_item(
            meeting=meeting,
            title=form.cleaned_data["title"],
            confidential=form.cleaned_data["confidential"],
            sub_item=form.cleaned_data["sub_item"],
            **_amending(request),
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("meetings:edit", meeting.pk)
    messages.success(request, f"Item {item.number} added.")
    return redirect(reverse("meetings:edit", args=[meeting.pk]) + f"#item-{item.pk}")


@signed_in
@require_POST
def item_update(request, pk):
    item = _item(request, pk)
    form = ItemForm(request.POST)
    if not form.is_valid():
        return _item_partial(request, item, "item_head", status=422, form_errors=form.errors)
    try:
        services.update_item(
            item=item,
            title=form.cleaned_data["title"],
            confidential=form.cleaned_data["confidential"],
            presenters=list(form.cleaned_data["presenters"]),
            **_amending(request),
        )
    except ValidationError as exc:
        return _item_partial(
            request, item, "item_head", status=422, form_errors={"item": exc.messages}
        )
    return _item_partial(request, item, "item_head", saved=True)


@signed_in
@require_POST
def item_delete(request, pk):
    item = _item(request, pk)
    meeting = item.meeting
    try:
        services.delete_item(item=item, **_amending(request))
    except ValidationError as exc:
        return HttpResponse(_errors(exc), status=400)
    return _partial(request, meeting, "numbers")


@signed_in
@require_POST
def item_indent(request, pk):
    item = _item(request, pk)
    try:
        services.set_sub_item(item=item, sub_item=item.parent_id is None, **_amending(request))
    except ValidationError as exc:
        return HttpResponse(_errors(exc), status=400)
    return _partial(request, item.meeting, "numbers")


@signed_in
@require_POST
def agenda_reorder(request, pk):
    meeting = _meeting(request, pk)
    try:
        order = [int(x) for x in request.POST.get("order", "").split(",") if x.strip()]
    except ValueError:
        return HttpResponse("The new order could not be read.", status=400)
    try:
        services.renumber(meeting=meeting, order=order, **_amending(request))
    except ValidationError as exc:
        return HttpResponse(_errors(exc), status=400)
    return _partial(request, meeting, "numbers")


@signed_in
@require_POST
def item_minutes(request, pk):
    """Autosave: 200 "Saved at", 409 both versions on a conflict, 422 a refusal."""
    item = _item(request, pk)
    form = MinutesForm(request.POST)
    if not form.is_valid():
        return _item_partial(
            request,
            item,
            "save_error",
            status=422,
            message="Not saved: " + " ".join(e for errs in form.errors.values() for e in errs),
        )
    try:
        saved = services.save_minutes(
            item=item,
            text=form.cleaned_data["minutes"],
            version=form.cleaned_data["version"],
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except services.MinutesConflict as conflict:
        return _item_partial(request, conflict.item, "conflict", status=409, mine=conflict.mine)
    except ValidationError as exc:
        return _item_partial(request, item, "save_error", status=422, message=_errors(exc))
    return _item_partial(request, saved, "save_status", just_saved=True)


# --- papers ------------------------------------------------------------------------


@signed_in
@require_POST
def paper_upload(request, pk):
    item = _item(request, pk)
    form = PaperForm(request.POST, request.FILES)
    if not form.is_valid():
        return _item_partial(request, item, "papers", status=422, paper_error="Choose a file.")
    try:
        services.attach_paper(
            item=item,
            upload=form.cleaned_data["file"],
            by=request.user,
            title=form.cleaned_data["title"],
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        return _item_partial(request, item, "papers", status=422, paper_error=_errors(exc))
    return _item_partial(request, item, "papers")


@signed_in
@require_POST
def paper_delete(request, pk):
    paper = get_object_or_404(Paper.objects.select_related("item__meeting__board"), pk=pk)
    require(request.user, Perm.EDIT_MEETINGS, paper.item.meeting.board)
    item = paper.item
    try:
        services.remove_paper(paper=paper, **_amending(request))
    except ValidationError as exc:
        return _item_partial(request, item, "papers", status=422, paper_error=_errors(exc))
    return _item_partial(request, item, "papers")


@login_required
@require_GET
def paper_download(request, pk):
    """Papers only through here: board members, and confidential ones to those allowed."""
    paper = get_object_or_404(Paper.objects.select_related("item__meeting__board"), pk=pk)
    require_visible(
        request.user, reach_of(request.user).sees(paper.item), paper.item.meeting.board
    )
    try:
        handle = paper.file.open("rb")
    except FileNotFoundError:
        raise Http404("The paper's file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=services.paper_download_name(paper),
        content_type=paper.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- people type-ahead -------------------------------------------------------------


@signed_in
@require_GET
def people_search(request, pk):
    """JSON for the type-ahead: people whose initials ("MG", "JGr") or name or e-mail
    match, those at this meeting first."""
    meeting = _meeting(request, pk)
    text = request.GET.get("q", "").strip()
    people = Person.objects.current().of_partnership(meeting.board).select_related("organisation")
    found = people_matching(meeting, people, text)
    return JsonResponse({"results": [{"value": p.pk, "text": p.with_organisation} for p in found]})


@signed_in
@require_POST
def person_create(request, pk):
    """A new person typed in place: "Name (Organisation)"."""
    meeting = _meeting(request, pk)
    form = PersonForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": "Type the person's name."}, status=422)
    try:
        person = services.create_person(
            name=form.cleaned_data["name"],
            organisation=form.cleaned_data["organisation"],
            board=meeting.board,
        )
    except ValidationError as exc:
        return JsonResponse({"error": _errors(exc)}, status=422)
    return JsonResponse({"value": person.pk, "text": person.with_organisation})


# --- attendance --------------------------------------------------------------------


@signed_in
@require_POST
def attendance_mark(request, pk):
    meeting = _meeting(request, pk)
    form = AttendanceForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.set_attendance(
                meeting=meeting,
                person=form.cleaned_data["person"],
                status=form.cleaned_data["status"],
                **_amending(request),
            )
        except ValidationError as exc:
            error = _errors(exc)
    else:
        error = "Choose a person and whether they were present."
    return _partial(request, meeting, "attendance", attendance_error=error)


@signed_in
@require_POST
def attendance_add(request, pk):
    meeting = _meeting(request, pk)
    form = GuestForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.set_attendance(
                meeting=meeting,
                person=form.cleaned_data["person"],
                status=form.cleaned_data["status"],
                substitute_for=form.cleaned_data["substitute_for"],
                **_amending(request),
            )
        except ValidationError as exc:
            error = _errors(exc)
    else:
        error = "Choose the person to add (type to search)."
    return _partial(request, meeting, "attendance", attendance_error=error)


@signed_in
@require_POST
def attendance_presence(request, pk):
    attendance = _attendance(request, pk)
    meeting = attendance.meeting
    form = PresenceForm(request.POST, meeting=meeting)
    error = ""
    if form.is_valid():
        try:
            services.set_presence_window(
                attendance=attendance,
                joined_at_item=form.cleaned_data["joined_at_item"],
                left_at_item=form.cleaned_data["left_at_item"],
                **_amending(request),
            )
        except ValidationError as exc:
            error = _errors(exc)
    else:
        error = "Choose items of this meeting."
    return _partial(request, meeting, "attendance", attendance_error=error)


@signed_in
@require_POST
def attendance_role(request, pk):
    """Who chaired the meeting and who took the minutes."""
    attendance = _attendance(request, pk)
    meeting = attendance.meeting
    form = RoleForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.set_attendance_role(
                attendance=attendance, role=form.cleaned_data["role"], **_amending(request)
            )
        except ValidationError as exc:
            error = _errors(exc)
    else:
        error = "Choose chair, minutes or no role."
    return _partial(request, meeting, "attendance", attendance_error=error)


@signed_in
@require_POST
def attendance_remove(request, pk):
    attendance = _attendance(request, pk)
    meeting = attendance.meeting
    try:
        services.remove_attendance(attendance=attendance, **_amending(request))
    except ValidationError as exc:
        return _partial(request, meeting, "attendance", attendance_error=_errors(exc))
    return _partial(request, meeting, "attendance")


# --- decisions, declarations, approval ---------------------------------------------


@signed_in
@require_POST
def decision_add(request, pk):
    item = _item(request, pk)
    form = DecisionForm(request.POST, meeting=item.meeting)
    error = ""
    if not form.is_valid():
        error = (
            "Type what the Board decided."
            if "text" in form.errors
            else " ".join(e for errs in form.errors.values() for e in errs)
        )
    else:
        try:
            services.add_decision(
                item=item,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                bring_back=form.cleaned_data["bring_back"],
                bring_back_meeting=form.cleaned_data["bring_back_meeting"],
                bring_back_month=form.cleaned_data["bring_back_month"],
                **_amending(request),
            )
        except ValidationError as exc:
            error = _errors(exc)
    if error:
        # what was typed stays in the form
        return _item_partial(
            request,
            item,
            "decisions",
            status=422,
            decision_error=error,
            decision_text=request.POST.get("text", ""),
            decision_form_open=True,
        )
    # The form stays open for the next decision, as the keyboard left it.
    return _item_partial(request, item, "decisions", decision_form_open=True)


@signed_in
@require_POST
def decision_vote(request, pk):
    """The vote on a decision: mover, seconder and counts, or who voted which way."""
    decision = get_object_or_404(Decision.objects.select_related("item__meeting__board"), pk=pk)
    item = decision.item
    require(request.user, Perm.EDIT_MEETINGS, item.meeting.board)
    voters = [
        a.person
        for a in Attendance.objects.filter(
            meeting=item.meeting, status=Attendance.Status.PRESENT
        ).select_related("person")
    ]
    form = VoteForm(request.POST, voters=voters)
    if not form.is_valid():
        error = " ".join(e for errs in form.errors.values() for e in errs)
        return _item_partial(
            request, item, "decisions", status=422, vote_error=error, vote_decision=decision.pk
        )
    try:
        services.record_vote(
            decision=decision,
            mover=form.cleaned_data["mover"],
            seconder=form.cleaned_data["seconder"],
            votes_for=form.cleaned_data["votes_for"],
            votes_against=form.cleaned_data["votes_against"],
            votes_abstained=form.cleaned_data["votes_abstained"],
            named=form.named(),
            **_amending(request),
        )
    except ValidationError as exc:
        return _item_partial(
            request,
            item,
            "decisions",
            status=422,
            vote_error=_errors(exc),
            vote_decision=decision.pk,
        )
    return _item_partial(request, item, "decisions", vote_saved=decision.pk)


@signed_in
@require_POST
def decision_delete(request, pk):
    decision = get_object_or_404(Decision.objects.select_related("item__meeting__board"), pk=pk)
    item = decision.item
    require(request.user, Perm.EDIT_MEETINGS, item.meeting.board)
    try:
        services.delete_decision(decision=decision, **_amending(request))
    except ValidationError as exc:
        return _item_partial(request, item, "decisions", status=422, decision_error=_errors(exc))
    return _item_partial(request, item, "decisions")


@login_required
def minutes_approval(request, pk):
    """The approval of earlier minutes as its own page, for those who may approve without
    editing the meeting (the vice-chair; the chair away from the secretary's screen)."""
    meeting = _meeting(request, pk, perm=Perm.APPROVE_MINUTES)
    item = services.approval_item(meeting)
    candidates = services.approvable_meetings(meeting)
    form = ApproveForm(
        request.POST or None,
        candidates=candidates,
        people=Person.objects.of_partnership(meeting.board),
    )
    error = ""
    if request.method == "POST" and item is None:
        error = "The agenda has no item for the notes of the last meeting: ask the secretary."
    elif request.method == "POST" and form.is_valid():
        try:
            services.approve_minutes(
                item=item,
                earlier=form.cleaned_data["earlier"],
                corrections=form.cleaned_data["corrections"],
                attendance_corrections=form.attendance_corrections(),
                by=request.user,
            )
        except ValidationError as exc:
            error = _errors(exc)
        else:
            earlier = form.cleaned_data["earlier"]
            messages.success(
                request, f"The minutes of {earlier} are approved as an accurate record."
            )
            return redirect(meeting)
    return render(
        request,
        "meetings/approve.html",
        {
            "meeting": meeting,
            "board": meeting.board,
            "item": item,
            "form": form,
            "candidates": list(candidates),
            "error": error,
        },
        status=422 if error or form.errors else 200,
    )


@signed_in
@require_POST
def minutes_approve(request, pk):
    """At this item the board agreed an earlier meeting's minutes as an accurate record."""
    item = _item(request, pk, perm=Perm.APPROVE_MINUTES)
    form = ApproveForm(
        request.POST,
        candidates=services.approvable_meetings(item.meeting),
        people=Person.objects.of_partnership(item.meeting.board),
    )
    if not form.is_valid():
        return _item_partial(
            request,
            item,
            "decisions",
            status=422,
            decision_error=" ".join(e for errs in form.errors.values() for e in errs),
        )
    try:
        services.approve_minutes(
            item=item,
            earlier=form.cleaned_data["earlier"],
            corrections=form.cleaned_data["corrections"],
            attendance_corrections=form.attendance_corrections(),
            by=request.user,
        )
    except ValidationError as exc:
        return _item_partial(request, item, "decisions", status=422, decision_error=_errors(exc))
    return _item_partial(request, item, "decisions", approved=True)


@signed_in
@require_POST
def declaration_add(request, pk):
    meeting = _meeting(request, pk)
    form = DeclarationForm(request.POST, meeting=meeting)
    error = ""
    if form.is_valid():
        try:
            services.declare_interest(
                meeting=meeting,
                person=form.cleaned_data["person"],
                item=form.cleaned_data["item"],
                nature=form.cleaned_data["nature"],
                left_room=form.cleaned_data["left_room"],
                **_amending(request),
            )
        except ValidationError as exc:
            error = _errors(exc)
    else:
        error = "Choose the person and say what the interest is."
    return _partial(
        request,
        meeting,
        "declarations",
        declaration_error=error,
        declaration_nature=request.POST.get("nature", "") if error else "",
        quorum_oob=True,
    )


@signed_in
@require_POST
def declaration_delete(request, pk):
    declaration = get_object_or_404(Declaration.objects.select_related("meeting__board"), pk=pk)
    meeting = declaration.meeting
    require(request.user, Perm.EDIT_MEETINGS, meeting.board)
    try:
        services.withdraw_declaration(declaration=declaration, **_amending(request))
    except ValidationError as exc:
        return _partial(request, meeting, "declarations", declaration_error=_errors(exc))
    return _partial(request, meeting, "declarations", quorum_oob=True)
