from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from boards.models import Board, Person
from boards.permissions import Perm, perms_on, reach_of, require, require_visible
from meetings.models import AgendaItem, Meeting
from meetings.people import possible_owners
from meetings.services import MinutesFrozen

from . import exports, ical, pdf_views, record_cache, selectors, services
from .filters import ActionLogFilter, sort_columns
from .forms import (
    ActionForm,
    CloseForm,
    EditActionForm,
    MattersArisingForm,
    ReassignForm,
    ReopenForm,
    UpdateForm,
)
from .models import Action, ActionUpdate

LOG_PAGE_SIZE = 25
MATTERS_PAGE_SIZE = 25


def _person(request) -> Person | None:
    try:
        return request.user.person
    except Person.DoesNotExist:
        return None


def _require_item_visible(user, item: AgendaItem) -> None:
    """Actions of a confidential item are as confidential as the item."""
    require_visible(user, reach_of(user).sees(item), item.meeting.board)


def _require_action_visible(user, action: Action) -> None:
    """An action is read by those who may read its item, and by the people it names."""
    visible = Action.objects.visible_to(reach_of(user)).filter(pk=action.pk).exists()
    require_visible(user, visible, action.board)


# --- My actions -------------------------------------------------------------------------


@login_required
def my_actions(request):
    """What do I owe, to which board, by when: each group's first rows and its size."""
    person = _person(request)
    mine = (
        record_cache.my_lists(person, lambda: _build_my_lists(request, person)) if person else {}
    )
    return render(
        request,
        "actions/mine.html",
        {
            "person": person,
            "lists": mark_safe(mine.get("html", "")),  # noqa: S308 – our own template's
            "open_count": mine.get("open_count", 0),
            # The navigation count is this page's overdue and due soon: no second look-up.
            "nav_actions_count": mine.get("needs_attention", 0),
            "calendar_url": request.build_absolute_uri(
                reverse("actions:person_feed", args=[person.calendar_token])
            )
            if person
            else "",
        },
    )


def _build_my_lists(request, person) -> dict:
    """The lists of "my actions" as HTML with their counts: what record_cache keeps."""
    mine = selectors.my_actions(person)
    _draw_rows([row for group in mine.groups for row in group.rows])
    return {
        "html": render_to_string("actions/_my_lists.html", {"mine": mine}, request),
        "open_count": mine.open_count,
        "needs_attention": mine.needs_attention,
    }


@login_required
def my_action_group(request, group):
    """One group of "my actions" in full, a page at a time (each starts after the last row
    of the one before, so the tenth page costs what the first does)."""
    titles = dict(selectors.GROUPS)
    if group not in titles:
        raise Http404("No such group of actions.")
    person = _person(request)
    if person is None:
        return redirect("actions:mine")
    after = request.GET.get("after", "")
    try:
        rows, more = selectors.my_action_group(person, group, after=after)
    except ValueError:
        messages.error(request, "That page link is out of date, so the list starts again here.")
        return redirect("actions:mine_group", group=group)
    _draw_rows(rows)
    return render(
        request,
        "actions/mine_group.html",
        {
            "slug": group,
            "title": titles[group],
            "rows": rows,
            "after": after,
            "next_cursor": rows[-1].cursor if more else "",
            "page_size": selectors.GROUP_SIZE,
        },
    )


ROW_CACHE_SECONDS = 3600


def _draw_rows(rows) -> None:
    """Each row's HTML (`row.html`), read from the cache in one round trip: only a row
    whose fingerprint changed (selectors.row_fingerprint) is drawn again."""
    keys = [f"my-action-row:{row.row_key}" for row in rows]
    cached = cache.get_many(keys)
    template = get_template("actions/_my_action_row.html")
    drawn = {}
    for row, key in zip(rows, keys, strict=True):
        html = cached.get(key)
        if html is None:
            html = drawn[key] = template.render({"action": row})
        row.html = mark_safe(html)  # noqa: S308 – rendered by our own template
    if drawn:
        cache.set_many(drawn, ROW_CACHE_SECONDS)


# --- One action -------------------------------------------------------------------------


def _load_action(request, pk) -> Action:
    action = get_object_or_404(
        selectors.with_next_meeting(Action.objects.with_source()).prefetch_related(
            Prefetch(
                "updates",
                queryset=ActionUpdate.objects.select_related("by", "meeting").order_by("at", "pk"),
            ),
        ),
        pk=pk,
    )
    _require_action_visible(request.user, action)
    return action


def _render_detail(request, action, *, error="", status=200, **forms):
    person = _person(request)
    can_update = services.may_update(action, person)
    can_manage = services.may_manage(person, action.board)
    people = possible_owners(action.item.meeting) if can_manage else []
    context = {
        "action": action,
        "board": action.board,
        "meeting": action.item.meeting,
        "item": action.item,
        "owners": list(action.owners.all()),
        "updates": list(action.updates.all()),
        "is_overdue": selectors.is_overdue(action, timezone.localdate()),
        "can_update": can_update,
        "can_manage": can_manage,
        "is_owner": services.is_owner(action, person),
        "error": error,
        "amend_reason": request.POST.get("reason", ""),
        "update_form": forms.get("update_form") or UpdateForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        "reopen_form": forms.get("reopen_form") or ReopenForm(),
        "edit_form": (forms.get("edit_form") or EditActionForm(action=action, people=people))
        if can_manage
        else None,
        "reminders": list(action.reminders.select_related("person")) if can_update else [],
    }
    return render(request, "actions/detail.html", context, status=status)


@login_required
def action_detail(request, pk):
    return _render_detail(request, _load_action(request, pk))


def _refused(request, action, exc: services.ActionError | MinutesFrozen, **forms):
    if isinstance(exc, MinutesFrozen):
        # Approved minutes: the form comes back with what was typed and the reason box.
        return _render_detail(request, action, error=" ".join(exc.messages), status=409, **forms)
    status = 403 if isinstance(exc, services.ActionPermissionDenied) else 400
    return _render_detail(request, action, error=exc.message, status=status, **forms)


@login_required
@require_POST
def add_update(request, pk):
    action = _load_action(request, pk)
    form = UpdateForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, action, update_form=form)
    try:
        services.add_update(action=action, by=_person(request), text=form.cleaned_data["text"])
    except services.ActionError as exc:
        return _refused(request, action, exc, update_form=form)
    messages.success(request, "Update added.")
    return redirect(action)


@login_required
@require_POST
def close_action(request, pk):
    action = _load_action(request, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, action, close_form=form)
    close = (
        services.close_action
        if form.cleaned_data["outcome"] == Action.Status.DONE
        else services.drop_action
    )
    try:
        close(action=action, by=_person(request), note=form.cleaned_data["note"])
    except services.ActionError as exc:
        return _refused(request, action, exc, close_form=form)
    messages.success(request, f"Action marked {action.get_status_display().lower()}.")
    return redirect(action)


@login_required
@require_POST
def reopen_action(request, pk):
    action = _load_action(request, pk)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, action, reopen_form=form)
    try:
        services.reopen_action(action=action, by=_person(request), note=form.cleaned_data["note"])
    except services.ActionError as exc:
        return _refused(request, action, exc, reopen_form=form)
    messages.success(request, "Action reopened.")
    return redirect(action)


@login_required
@require_POST
def edit_action(request, pk):
    action = _load_action(request, pk)
    people = possible_owners(action.item.meeting)
    form = EditActionForm(request.POST, action=action, people=people)
    if not form.is_valid():
        return _render_detail(request, action, edit_form=form)
    whole_board, owners = form.cleaned_data["owners"]
    try:
        change = services.update_action(
            action=action,
            by=_person(request),
            text=form.cleaned_data["text"],
            owners=owners,
            whole_board=whole_board,
            due_on=form.cleaned_data["due_on"],
            reason=request.POST.get("reason", ""),
        )
    except (services.ActionError, MinutesFrozen) as exc:
        return _refused(request, action, exc, edit_form=form)
    messages.success(request, "Action changed." if change else "Nothing was changed.")
    return redirect(action)


# --- Board action log -------------------------------------------------------------------


def _log_filter(request, board):
    require(request.user, Perm.VIEW, board)
    return ActionLogFilter(
        request.GET, queryset=selectors.board_log(board, request.user), board=board
    )


@login_required
def action_log(request, slug):
    """Every action of the board: the tracking spreadsheet, filterable and exportable."""
    board = get_object_or_404(Board, slug=slug)
    log = _log_filter(request, board)
    # The page is chosen by id alone: the last update's three sub-selects, the owners and
    # the source are then read for the 25 rows shown, not for every row the offset skips.
    paginator = Paginator(selectors.log_page_ids(log, board, request.user), LOG_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = selectors.in_order(log.qs, list(page.object_list))
    today = timezone.localdate()
    for action in page:
        action.is_overdue = selectors.is_overdue(action, today)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "actions/log.html",
        {
            "board": board,
            "filter": log,
            "page": page,
            # 1 2 … 9 10 11 … 197 198: a decade of actions is not two hundred links.
            "page_range": page.paginator.get_elided_page_range(page.number, on_ends=2),
            "query": query.urlencode(),
            "columns": sort_columns(request.GET),
            "perms": perms_on(request.user, board),
        },
    )


@login_required
def action_log_export(request, slug, fmt):
    board = get_object_or_404(Board, slug=slug)
    log = _log_filter(request, board)
    if not log.is_valid():
        return redirect(f"{reverse('actions:log', args=[slug])}?{request.GET.urlencode()}")
    if fmt == "csv":
        return exports.log_csv_response(board, log.qs)
    if fmt == "xlsx":
        return pdf_views.serve_log(request, board, "xlsx")
    raise Http404("Export as csv or xlsx.")


# --- People who have left ---------------------------------------------------------------


@login_required
def leavers(request, slug):
    """The secretary hands a leaver's open actions to someone else in one step."""
    board = get_object_or_404(Board, slug=slug)
    require(request.user, Perm.MANAGE_ACTIONS, board)
    people = selectors.current_members(board)
    leavers = selectors.leavers_with_open_actions(board)
    posted = None
    if request.method == "POST":
        posted = next((p for p in leavers if str(p.pk) == request.POST.get("leaver")), None)
        if posted is None:
            messages.error(request, "That person has no open actions left to reassign.")
            return redirect("actions:leavers", slug=slug)
        form = ReassignForm(
            request.POST,
            people=people,
            actions=posted.open_actions,
            auto_id=f"leaver{posted.pk}-%s",
        )
        if form.is_valid():
            chosen = form.cleaned_data["actions"]
            try:
                done = services.reassign_actions(
                    board=board,
                    leaver=posted,
                    to=form.cleaned_data["to"],
                    by=_person(request),
                    actions=[a for a in posted.open_actions if a.pk in chosen],
                )
            except services.ActionError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    f"{len(done)} action{'s' if len(done) != 1 else ''} of "
                    f"{posted.display_name} reassigned to {form.cleaned_data['to'].display_name}.",
                )
                return redirect("actions:leavers", slug=slug)
        posted.form = form
        posted.checked = {int(v) for v in request.POST.getlist("actions") if v.isdigit()}
    for leaver in leavers:
        if leaver is not posted:
            leaver.checked = {a.pk for a in leaver.open_actions}
            leaver.form = ReassignForm(
                initial={"leaver": leaver.pk, "actions": [a.pk for a in leaver.open_actions]},
                people=people,
                actions=leaver.open_actions,
                auto_id=f"leaver{leaver.pk}-%s",
            )
    return render(request, "actions/leavers.html", {"board": board, "leavers": leavers})


# --- Fragments embedded in the meeting screen (htmx) -------------------------------------


def _fragment(request, template, partial, context):
    """htmx gets the named partial; a plain request gets the page around it."""
    name = f"{template}#{partial}" if request.htmx else template
    return render(request, name, context)


def _announce(response, changed: bool):
    """Tell the page around a fragment that actions changed (e.g. to refresh counts)."""
    if changed:
        response["HX-Trigger"] = "actions-changed"
    return response


@login_required
def item_actions(request, pk):
    """An agenda item's actions, with the form the secretary records new ones in."""
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__board"), pk=pk)
    _require_item_visible(request.user, item)
    board = item.meeting.board
    person = _person(request)
    can_record = services.may_manage(person, board) and not item.meeting.is_frozen
    people = possible_owners(item.meeting) if can_record else []
    decisions = item.decisions.all()
    form = None
    error = ""
    changed = False
    if request.method == "POST":
        if not can_record:
            require(request.user, Perm.MANAGE_ACTIONS, board)
        form = ActionForm(request.POST, people=people, decisions=decisions, meeting=item.meeting)
        if form.is_valid():
            data = form.cleaned_data
            whole_board, owners = data["owners"]
            try:
                services.record_action(
                    item=item,
                    text=data["text"],
                    by=person,
                    owners=owners,
                    whole_board=whole_board,
                    due_on=data["due_on"],
                    decision=data["decision"],
                )
            except services.ActionError as exc:
                error = exc.message
            except MinutesFrozen as exc:
                error = " ".join(exc.messages)
            else:
                if not request.htmx:
                    messages.success(request, "Action recorded.")
                    return redirect("actions:item_actions", pk=item.pk)
                form, changed = None, True
    if can_record and form is None:
        form = _new_action_form(item, people, decisions)
    if request.GET.get("part") == "form":  # the meeting screen opening "Add an action"
        require(request.user, Perm.MANAGE_ACTIONS, board)
        if form is None:
            raise PermissionDenied("These minutes are approved: no actions can be added.")
        context = {"item": item, "form": form, "error": ""}
        return render(request, "actions/item_actions.html#action-form", context)
    actions = selectors.for_listing(item.actions.all())
    response = _fragment(
        request,
        "actions/item_actions.html",
        "item-actions",
        {
            "item": item,
            "meeting": item.meeting,
            "board": board,
            "actions": actions,
            "form": form,
            "error": error,
            "can_record": can_record,
        },
    )
    return _announce(response, changed)


def _new_action_form(item: AgendaItem, people, decisions) -> ActionForm:
    return ActionForm(
        people=people, decisions=decisions, meeting=item.meeting, auto_id=f"item{item.pk}-%s"
    )


@login_required
def meeting_actions(request, pk):
    """Every item's actions at once, for the meeting screen: one request and the same few
    queries for 5 items or 80 (each item's block is swapped into its place by id)."""
    meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=pk)
    require(request.user, Perm.VIEW, meeting.board)
    can_record = services.may_manage(_person(request), meeting.board) and not meeting.is_frozen
    items = list(AgendaItem.objects.filter(meeting=meeting).visible_to(reach_of(request.user)))
    by_item: dict[int, list] = {}
    for item in items:
        item.meeting = meeting  # the form and the block read it: one row, already here
        by_item[item.pk] = []
    for action in selectors.for_listing(Action.objects.filter(item__in=items)):
        by_item[action.item_id].append(action)
    blocks = [{"item": item, "actions": by_item[item.pk]} for item in items]
    return render(
        request,
        "actions/meeting_actions.html",
        {"meeting": meeting, "board": meeting.board, "blocks": blocks, "can_record": can_record},
    )


@login_required
def matters_arising(request, pk):
    """Open actions from the board's earlier meetings, each updated or closed at this one."""
    meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=pk)
    require(request.user, Perm.VIEW, meeting.board)
    person = _person(request)
    error = ""
    failed = None
    changed = False
    if request.method == "POST":
        form = MattersArisingForm(request.POST)
        if form.is_valid():
            action = get_object_or_404(
                selectors.matters_arising(meeting, request.user), pk=form.cleaned_data["action"]
            )
            record = (
                services.add_update
                if form.cleaned_data["op"] == "update"
                else services.close_action
            )
            text_arg = "text" if form.cleaned_data["op"] == "update" else "note"
            try:
                record(
                    action=action,
                    by=person,
                    meeting=meeting,
                    **{text_arg: form.cleaned_data["text"]},
                )
            except services.ActionPermissionDenied as exc:
                raise PermissionDenied(exc.message) from None
            except services.ActionError as exc:
                error, failed = exc.message, form
            else:
                if not request.htmx:
                    messages.success(request, "Recorded.")
                    return redirect("actions:matters_arising", pk=meeting.pk)
                changed = True
        else:
            error, failed = "Write the update or closing note before saving.", form
    # A page at a time: a board that never closes its actions would otherwise send every
    # one of a decade's with each meeting screen.
    page = Paginator(
        selectors.matters_arising_ids(meeting, request.user), MATTERS_PAGE_SIZE
    ).get_page(request.POST.get("page") or request.GET.get("page"))
    actions = selectors.in_order(
        selectors.matters_arising(meeting, request.user), list(page.object_list)
    )
    for action in actions:
        action.can_update = services.may_update(action, person)
    failed_action = failed.data.get("action") if failed is not None else None
    response = _fragment(
        request,
        "actions/matters_arising.html",
        "matters-arising",
        {
            "meeting": meeting,
            "board": meeting.board,
            "actions": actions,
            "page": page,
            "error": error,
            "failed_action": str(failed_action or ""),
            "failed_text": failed.data.get("text", "") if failed is not None else "",
        },
    )
    return _announce(response, changed)


# --- Calendar feeds ---------------------------------------------------------------------


def person_feed(request, token):
    """A person's private feed; the address is the secret, and a new link revokes it."""
    person = get_object_or_404(Person, calendar_token=token)
    return _calendar_response(ical.person_calendar(person), f"minutebook-{person.pk}.ics")


def board_feed(request, slug):
    """A board's meeting dates, public: times and venues only, nothing from the minutes."""
    board = get_object_or_404(Board, slug=slug)
    return _calendar_response(ical.board_calendar(board), f"{board.slug}.ics")


def _calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@require_POST
def new_calendar_link(request):
    person = _person(request)
    if person is None:
        raise Http404("No person is linked to this log-in.")
    services.renew_calendar_token(person=person)
    messages.success(request, "Your calendar has a new address; the old one no longer works.")
    return redirect("actions:mine")
