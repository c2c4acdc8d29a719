"""A meeting as an iCalendar event (RFC 5545, with the icalendar library): the one shape
the calendar feeds and the e-mailed invitations (RFC 5546 iTIP) share."""

import datetime as dt
import email.utils

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from boards.models import Person

from .models import Meeting, MeetingInvitation

PRODID = "-//Minutebook//Partnership boards//EN"
DOMAIN = "minutebook"


def calendar(name: str = "", *, method: str = "") -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    return cal


def meeting_event(meeting: Meeting, now: dt.datetime) -> Event:
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
    if meeting.status == Meeting.Status.CANCELLED:
        event.add("status", "CANCELLED")
    return event


def _address(email: str, name: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(" ".join(name.split()))
    return address


def organizer_address() -> tuple[str, str]:
    """The board secretary's address, else the installation's sender (name, e-mail)."""
    name, address = email.utils.parseaddr(settings.DEFAULT_FROM_EMAIL)
    return name or "Minutebook", address


def invitation(
    invitation: MeetingInvitation, *, attendee: Person, now: dt.datetime, cancel: bool = False
) -> bytes:
    """One person's invitation (METHOD:REQUEST) or cancellation (METHOD:CANCEL): the same
    UID for good and the invitation's SEQUENCE, as Outlook and Google Calendar expect."""
    meeting = invitation.meeting
    cal = calendar(method="CANCEL" if cancel else "REQUEST")
    event = meeting_event(meeting, now)
    event.add("sequence", invitation.sequence)
    secretary = meeting.board.secretary
    if secretary is not None and secretary.email:
        event.add("organizer", _address(secretary.email, secretary.display_name))
    else:
        name, address = organizer_address()
        event.add("organizer", _address(address, name))
    who = _address(attendee.email, attendee.display_name)
    who.params["role"] = vText("REQ-PARTICIPANT")
    who.params["partstat"] = vText("NEEDS-ACTION")
    # Replies come through the e-mail's own links, not the calendar's RSVP buttons.
    who.params["rsvp"] = vText("FALSE")
    event.add("attendee", who)
    if cancel:
        event["status"] = "CANCELLED"
    else:
        event.add("status", "CONFIRMED")
    cal.add_component(event)
    return cal.to_ical()
