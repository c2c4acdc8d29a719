"""Calendar feeds (RFC 5545) with the icalendar library.

A person's private feed holds their boards' meetings (VEVENT) and their actions (VTODO);
a board's public feed holds only its meeting dates, times and venues.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from icalendar import Todo

from boards.models import Board, Person
from meetings.ical import DOMAIN, calendar, meeting_event

from . import record_cache, selectors
from .models import Action

_TODO_STATUS = {
    Action.Status.OPEN: "NEEDS-ACTION",
    Action.Status.DONE: "COMPLETED",
    Action.Status.DROPPED: "CANCELLED",
}


def _action_todo(action: Action, now: dt.datetime) -> Todo:
    todo = Todo()
    todo.add("uid", f"action-{action.pk}@{DOMAIN}")
    todo.add("dtstamp", now)
    todo.add("summary", action.text[:200])
    meeting = action.item.meeting
    todo.add(
        "description",
        f"{meeting.board.name}, meeting of {timezone.localdate(meeting.starts_at):%-d %B %Y}, "
        f"item {action.item}.\n\n{action.text}",
    )
    due = action.due_on
    if due is None and getattr(action, "next_meeting_at", None):
        due = timezone.localdate(action.next_meeting_at)
    if due:
        todo.add("due", due)
    todo.add("status", _TODO_STATUS[action.status])
    if action.closed_at and action.status == Action.Status.DONE:
        todo.add("completed", action.closed_at)
    todo.add("url", f"{settings.SITE_URL}{action.get_absolute_url()}")
    return todo


def person_calendar(person: Person) -> bytes:
    """The feed as it was last built at this version of the record: calendar clients poll
    a feed every few minutes to hours, and building one is almost all icalendar's work
    (0.3 ms an event: a heavy owner's 665 events took 270 ms at council scale)."""
    return record_cache.person_feed(person, lambda: _person_calendar(person))


def _person_calendar(person: Person) -> bytes:
    now = timezone.now()
    cal = calendar(f"Minutebook: {person.display_name}")
    meetings, actions = selectors.person_calendar(person)
    for meeting in meetings:
        cal.add_component(meeting_event(meeting, now))
    for action in actions:
        cal.add_component(_action_todo(action, now))
    return cal.to_ical()


def board_calendar(board: Board) -> bytes:
    now = timezone.now()
    cal = calendar(f"{board.name}: meetings")
    for meeting in board.meetings.published().select_related("board").order_by("starts_at"):
        cal.add_component(meeting_event(meeting, now))
    return cal.to_ical()
