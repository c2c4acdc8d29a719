"""What members send back about a meeting: their replies to its invitation (attending,
or apologies with a substitute) and their proposed corrections to its draft minutes.

Writes, one transaction each, keyword-only arguments; they go through the services of the
record itself (set_attendance, save_minutes), so the record's own rules still hold.
"""

import difflib
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from boards.models import Membership, Person

from . import services
from .models import AgendaItem, AmendmentProposal, Attendance, Meeting, MeetingReply
from .tasks import send_amendment_decision


class ReplyRefused(ValidationError):
    """Not a reply we can take: a used or broken link, a meeting past or called off."""


class ProposalRefused(ValidationError):
    """Corrections are proposed to draft minutes only, by members who may read the item."""


# --- replies to an invitation -------------------------------------------------------


def may_reply(meeting: Meeting, person: Person) -> bool:
    """Current members of the board reply for themselves."""
    return Membership.objects.current().filter(board_id=meeting.board_id, person=person).exists()


def replying_open(meeting: Meeting) -> bool:
    """Replies are taken once the agenda is out and until the meeting starts."""
    return meeting.status == Meeting.Status.AGENDA_PUBLISHED and meeting.starts_at > timezone.now()


@transaction.atomic
def record_reply(
    *,
    meeting: Meeting,
    person: Person,
    response: str,
    substitute: Person | None = None,
    via: str = MeetingReply.Via.PAGE,
) -> MeetingReply:
    """A member says before the meeting whether they will attend; sending apologies they
    may name a substitute, who is expected in their place and is invited.

    The attendance is marked ahead of time (apologies, or present as expected), so the
    secretary's screen and the quorum forecast show it. A reply by e-mail link is taken
    once: the link is spent by any reply already given (the meeting page can change it).
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not replying_open(meeting):
        raise ReplyRefused(
            "Replies to this meeting are closed: it has started, been held or been cancelled."
            if meeting.status != Meeting.Status.DRAFT
            else "The agenda of this meeting is not out yet."
        )
    if not may_reply(meeting, person):
        raise ReplyRefused("Only a current member of the board can reply to this meeting.")
    if response not in MeetingReply.Response.values:
        raise ReplyRefused("Choose whether you will attend or send apologies.")
    if response == MeetingReply.Response.ATTEND:
        substitute = None
    if substitute is not None and substitute.pk == person.pk:
        raise ReplyRefused("You cannot be your own substitute.")
    existing = MeetingReply.objects.select_for_update().filter(meeting=meeting, person=person)
    reply = existing.first()
    if reply is not None and via == MeetingReply.Via.LINK:
        raise ReplyRefused(
            f"You already replied on {timezone.localtime(reply.replied_at):%-d %B at %H:%M} "
            f"({reply.get_response_display().lower()}). To change your reply, sign in and use "
            "the meeting's page."
        )
    previous_substitute = reply.substitute if reply else None
    reply = reply or MeetingReply(meeting=meeting, person=person)
    reply.response, reply.substitute, reply.via = response, substitute, via
    reply.replied_at = timezone.now()
    reply.save()

    status = (
        Attendance.Status.APOLOGIES
        if response == MeetingReply.Response.APOLOGIES
        else Attendance.Status.PRESENT
    )
    services.set_attendance(meeting=meeting, person=person, status=status)
    if previous_substitute is not None and previous_substitute != substitute:
        Attendance.objects.filter(
            meeting=meeting, person=previous_substitute, substitute_for=person
        ).delete()
    if substitute is not None:
        services.set_attendance(
            meeting=meeting,
            person=substitute,
            status=Attendance.Status.PRESENT,
            substitute_for=person,
        )
    return reply


def substitute_choices(meeting: Meeting, person: Person):
    """Who may be named a substitute: the board's partnership, not the member themself."""
    return Person.objects.of_partnership(meeting.board).exclude(pk=person.pk).order_by("name")


# --- proposed corrections to draft minutes ------------------------------------------

# Corrections are to minutes written but not yet approved.
DRAFT_STATUSES = {Meeting.Status.HELD, Meeting.Status.MINUTES_DRAFTED}


@transaction.atomic
def propose_amendment(*, item: AgendaItem, proposer: Person, text: str) -> AmendmentProposal:
    """A member proposes new words for an item's draft minutes: a copy of the text as they
    read it (its version kept), decided later by the secretary."""
    item = AgendaItem.objects.select_related("meeting").get(pk=item.pk)
    if item.meeting.status not in DRAFT_STATUSES:
        raise ProposalRefused(
            "Corrections can be proposed only to draft minutes: these are "
            f"“{item.meeting.get_status_display()}”."
        )
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise ProposalRefused("Type the minutes as they should read.")
    if text == item.minutes.strip():
        raise ProposalRefused("The text is unchanged: type the correction you propose.")
    return AmendmentProposal.objects.create(
        item=item,
        proposer=proposer,
        text=text,
        base_text=item.minutes,
        base_version=item.version,
    )


def _decided(proposal: AmendmentProposal, status: str, *, by: Person, note: str):
    proposal.status = status
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.note = note.strip()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "note"])
    transaction.on_commit(lambda: send_amendment_decision.delay(proposal_id=proposal.pk))
    return proposal


def _open_proposal(proposal: AmendmentProposal) -> AmendmentProposal:
    proposal = (
        AmendmentProposal.objects.select_for_update()
        .select_related("item__meeting")
        .get(pk=proposal.pk)
    )
    if proposal.status != AmendmentProposal.Status.PROPOSED:
        raise ProposalRefused(
            f"This proposal was already {proposal.get_status_display().lower()}."
        )
    return proposal


@transaction.atomic
def accept_amendment(
    *, proposal: AmendmentProposal, by: Person, user=None, note: str = ""
) -> AmendmentProposal:
    """The proposed words replace the item's minutes, saved over the version the proposer
    corrected: if the minutes changed since (another correction, the secretary's own
    edit), accepting is refused as a conflict and nothing is merged."""
    proposal = _open_proposal(proposal)
    if proposal.item.meeting.status not in DRAFT_STATUSES:
        raise ProposalRefused("These minutes are no longer a draft: the proposal cannot apply.")
    try:
        services.save_minutes(
            item=proposal.item, text=proposal.text, version=proposal.base_version, by=user
        )
    except services.MinutesConflict as conflict:
        raise ProposalRefused(
            "The minutes of this item changed after this correction was proposed, so it "
            "cannot be applied as it stands: reject it with a note, or edit the minutes "
            "yourself from the redline."
        ) from conflict
    return _decided(proposal, AmendmentProposal.Status.ACCEPTED, by=by, note=note)


@transaction.atomic
def reject_amendment(*, proposal: AmendmentProposal, by: Person, note: str) -> AmendmentProposal:
    """A rejection says why: the proposer is told with the note."""
    proposal = _open_proposal(proposal)
    if not note.strip():
        raise ProposalRefused("Say why the correction is not accepted: the proposer is told.")
    return _decided(proposal, AmendmentProposal.Status.REJECTED, by=by, note=note)


_WORDS = re.compile(r"\s+|[^\s]+")


def redline(before: str, after: str) -> SafeString:
    """A word-level redline of two texts: deletions in <del>, insertions in <ins>."""
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    out = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape("".join(old[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(old[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(new[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # every piece of text above is escaped


def conflicting(proposals) -> set[int]:
    """Open proposals that cannot all apply: two or more on one item from one version, or
    one drawn on a version the minutes have since left."""
    by_item: dict[int, list[AmendmentProposal]] = {}
    for p in proposals:
        if p.status == AmendmentProposal.Status.PROPOSED:
            by_item.setdefault(p.item_id, []).append(p)
    ids = set()
    for group in by_item.values():
        for p in group:
            if len(group) > 1 or p.base_version != p.item.version:
                ids.add(p.pk)
    return ids
