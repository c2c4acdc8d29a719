"""Calendar feeds (RFC 5545) with the icalendar library.

A person's private feed holds their boards' meetings (VEVENT) and their actions (VTODO);
a board's public feed holds only its meeting dates, times and venues.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Todo

from boards.models import Board, Person
from meetings.models import Meeting

from . import selectors
from .models import Action

PRODID = "-//Minutebook//Partnership boards//EN"
DOMAIN = "minutebook"
_TODO_STATUS = {
    Action.Status.OPEN: "NEEDS-ACTION",
    Action.Status.DONE: "COMPLETED",
    Action.Status.DROPPED: "CANCELLED",
}


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def _meeting_event(meeting: Meeting, now: dt.datetime) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{DOMAIN}")
    event.add("dtstamp", now)
    if not meeting.start_time_known:
        # A date with no time in the minutes: a day's event, not one at the stored midday.
        day = timezone.localdate(meeting.starts_at)
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
    else:
        event.add("dtstart", meeting.starts_at)
        # Minutes rarely record an end; two hours is what the boards' agendas allow.
        event.add("dtend", meeting.ends_at or meeting.starts_at + dt.timedelta(hours=2))
    event.add("summary", f"{meeting.display_title} ({meeting.get_kind_display()})")
    if meeting.venue:
        event.add("location", meeting.venue)
    event.add("url", f"{settings.SITE_URL}{meeting.get_absolute_url()}")
    return event


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
    now = timezone.now()
    cal = _calendar(f"Minutebook: {person.display_name}")
    meetings, actions = selectors.person_calendar(person)
    for meeting in meetings:
        cal.add_component(_meeting_event(meeting, now))
    for action in actions:
        cal.add_component(_action_todo(action, now))
    return cal.to_ical()


def board_calendar(board: Board) -> bytes:
    now = timezone.now()
    cal = _calendar(f"{board.name}: meetings")
    for meeting in board.meetings.published().select_related("board").order_by("starts_at"):
        cal.add_component(_meeting_event(meeting, now))
    return cal.to_ical()
