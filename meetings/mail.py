"""The e-mails of the meeting cycle: invitations (with their calendar part), the draft
minutes as circulated, and the answer to a member's proposed correction.

Each send function takes ids, re-reads the rows and records a MeetingMail per person and
message before sending it (inside one transaction), so a retried task sends nobody the
same message twice. Every e-mail has a plain and an HTML part and a plain subject.
"""

import email.utils
from email.mime.text import MIMEText

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from boards.models import Membership, Person
from boards.permissions import Reach, reach_of_person

from . import ical, pdf
from .models import (
    AgendaItem,
    AmendmentProposal,
    Meeting,
    MeetingInvitation,
    MeetingMail,
    MeetingReply,
)

# One salt per purpose: an "I'll attend" link cannot be replayed as "Send apologies".
REPLY_SALT = "meetings.reply.{}"


def recipient(person: Person) -> str:
    """ "Name" <address>, the name quoted whatever it holds, so it can add no address."""
    name = " ".join(person.display_name.split())  # no line breaks in a header
    return f'"{email.utils.quote(name)}" <{person.email}>'


def reply_token(meeting: Meeting, person: Person, response: str) -> str:
    return signing.dumps([meeting.pk, person.pk], salt=REPLY_SALT.format(response))


def read_reply_token(token: str, response: str) -> tuple[int, int] | None:
    """(meeting id, person id) of a genuine link for this response, else None."""
    try:
        meeting_id, person_id = signing.loads(token, salt=REPLY_SALT.format(response))
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return meeting_id, person_id


def reply_url(meeting: Meeting, person: Person, response: str) -> str:
    token = reply_token(meeting, person, response)
    return settings.SITE_URL + reverse("meetings:reply", args=[response, token])


def _reach(person: Person, board_id: int) -> Reach:
    """A member reads what their role allows; a substitute from outside the board reads
    what the public may (the agenda without its confidential items)."""
    reach = reach_of_person(person)
    if board_id in reach.board_ids:
        return reach
    return Reach.copy_of(board_id, confidential=False)


def _message(name: str, person: Person, context: dict, *, connection) -> EmailMultiAlternatives:
    context = {"person": person, "site_url": settings.SITE_URL} | context
    # Subjects are plain text: their template does not escape (the HTML title escapes it).
    context["subject"] = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=context["subject"],
        body=render_to_string(f"emails/{name}-body.txt", context),
        to=[recipient(person)],
        connection=connection,
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string(f"emails/{name}-body.html", context), "text/html")
    return message


def _send_once(meeting: Meeting, person: Person, kind: str, reference: str, build) -> bool:
    """Record, then send, in one transaction: a failed send leaves no record (the retry
    sends it), a recorded one is never sent again."""
    with transaction.atomic():
        _, created = MeetingMail.objects.get_or_create(
            meeting=meeting, person=person, kind=kind, reference=reference
        )
        if created:
            build().send()
    return created


# --- invitations -------------------------------------------------------------------------


def invitees(meeting: Meeting) -> list[Person]:
    """Every current member of the board, and each substitute named for the meeting."""
    members = Person.objects.filter(
        memberships__in=Membership.objects.current().filter(board_id=meeting.board_id)
    )
    substitutes = Person.objects.filter(
        attendances__meeting=meeting, attendances__substitute_for__isnull=False
    )
    people = (members | substitutes).exclude(email="").distinct().order_by("name")
    return list(people)


def _invitation_message(invitation: MeetingInvitation, person: Person, kind: str, *, connection):
    meeting = invitation.meeting
    cancel = kind == MeetingMail.Kind.CANCELLATION
    items = AgendaItem.objects.filter(meeting=meeting).visible_to(_reach(person, meeting.board_id))
    context = {
        "meeting": meeting,
        "board": meeting.board,
        "kind": kind,
        "items": list(items),
        "meeting_url": settings.SITE_URL + meeting.get_absolute_url(),
        "pack_url": settings.SITE_URL + reverse("meetings:agenda_pack", args=[meeting.pk]),
        "attend_url": reply_url(meeting, person, MeetingReply.Response.ATTEND),
        "apologies_url": reply_url(meeting, person, MeetingReply.Response.APOLOGIES),
    }
    message = _message("meeting_invitation", person, context, connection=connection)
    method = "CANCEL" if cancel else "REQUEST"
    ics = ical.invitation(invitation, attendee=person, now=timezone.now(), cancel=cancel)
    # text/calendar with its METHOD as a parameter: what Outlook and Gmail look for.
    part = MIMEText(ics.decode(), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    message.attach(part)
    return message


def send_invitations(meeting_id: int) -> int:
    """Send the invitation as it now stands (first issue, update or cancellation) to each
    invitee who has not had this sequence of it; returns how many were sent."""
    invitation = (
        MeetingInvitation.objects.select_related("meeting__board__secretary")
        .filter(meeting_id=meeting_id)
        .first()
    )
    if invitation is None:
        return 0
    if invitation.cancelled_at:
        kind = MeetingMail.Kind.CANCELLATION
    elif invitation.sequence:
        kind = MeetingMail.Kind.UPDATE
    else:
        kind = MeetingMail.Kind.INVITATION
    meeting = invitation.meeting
    people = invitees(meeting)
    if kind == MeetingMail.Kind.CANCELLATION:
        # Only those whose calendars hold the meeting need telling it is off.
        told = MeetingMail.objects.filter(meeting=meeting).values_list("person_id", flat=True)
        people = [p for p in people if p.pk in set(told)]
    connection = get_connection()
    sent = 0
    for person in people:
        sent += _send_once(
            meeting,
            person,
            kind,
            str(invitation.sequence),
            lambda p=person: _invitation_message(invitation, p, kind, connection=connection),
        )
    return sent


# --- circulating the draft minutes ------------------------------------------------------


def send_draft_minutes(meeting_id: int) -> int:
    """Each current member gets the draft minutes with the PDF attached: the members' copy
    for those who may read confidential items, the public copy for the others."""
    meeting = Meeting.objects.select_related("board").filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    members = (
        Person.objects.filter(
            memberships__in=Membership.objects.current().filter(board_id=meeting.board_id)
        )
        .exclude(email="")
        .distinct()
        .order_by("name")
    )
    copies: dict[bool, pdf.CachedPdf] = {}
    connection = get_connection()
    sent = 0
    for person in members:
        public = not reach_of_person(person).sees_confidential_of(meeting.board_id)
        if public not in copies:
            copies[public] = pdf.build_minutes_pdf(meeting, public=public)
        built = copies[public]
        kind = MeetingMail.Kind.DRAFT_MINUTES_PUBLIC if public else MeetingMail.Kind.DRAFT_MINUTES

        def build(person=person, built=built, public=public):
            message = _message(
                "draft_minutes",
                person,
                {
                    "meeting": meeting,
                    "board": meeting.board,
                    "public": public,
                    "meeting_url": settings.SITE_URL + meeting.get_absolute_url(),
                },
                connection=connection,
            )
            message.attach(built.filename, built.read(), "application/pdf")
            return message

        sent += _send_once(meeting, person, kind, built.key, build)
    return sent


# --- members' proposed corrections ------------------------------------------------------


def send_amendment_decision(proposal_id: int) -> bool:
    """The proposer hears whether their correction was accepted, and the secretary's note."""
    proposal = (
        AmendmentProposal.objects.select_related("item__meeting__board", "proposer", "decided_by")
        .filter(pk=proposal_id)
        .exclude(status=AmendmentProposal.Status.PROPOSED)
        .first()
    )
    if proposal is None or not proposal.proposer.email:
        return False
    meeting = proposal.item.meeting
    return _send_once(
        meeting,
        proposal.proposer,
        MeetingMail.Kind.AMENDMENT_DECIDED,
        str(proposal.pk),
        lambda: _message(
            "amendment_decided",
            proposal.proposer,
            {
                "proposal": proposal,
                "item": proposal.item,
                "meeting": meeting,
                "board": meeting.board,
                "meeting_url": settings.SITE_URL + meeting.get_absolute_url(),
            },
            connection=None,
        ),
    )
