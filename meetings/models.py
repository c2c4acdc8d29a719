from datetime import UTC, date, datetime, time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from boards.models import Board, Organisation, Person
from boards.permissions import Reach, reach_of

# The years the record can hold (dates, financial years). Outside them a date is a typing
# slip (9999-12-31, 0001-01-03) that date arithmetic overflows on; forms and CHECK
# constraints both use these.
FIRST_YEAR, LAST_YEAR = 1990, 2100
FIRST_DAY, LAST_DAY = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)


def outside_the_record(day: date, what: str = "a date") -> str:
    """The refusal every form gives a day outside the record's years, or "" within them."""
    if FIRST_DAY <= day <= LAST_DAY:
        return ""
    return f"Give {what} between {FIRST_DAY:%-d %B %Y} and {LAST_DAY:%-d %B %Y}."


# Where a meeting's minutes give no time: midday London is the same date in UTC all year.
UNKNOWN_START = time(12, 0)


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, reach: Reach):
        """Meetings of the boards the reader may read."""
        return self.filter(board__in=reach.boards)

    def readable_by(self, user):
        return self.visible_to(reach_of(user))

    def published(self):
        """Meetings whose agenda is out: what the board shows the public (no drafts)."""
        return self.exclude(status=Meeting.Status.DRAFT)

    def upcoming(self, now=None):
        return self.filter(starts_at__gte=now or timezone.now()).order_by("starts_at")

    def past(self, now=None):
        return self.filter(starts_at__lt=now or timezone.now()).order_by("-starts_at")


class Meeting(models.Model):
    class Kind(models.TextChoices):
        ORDINARY = "ordinary", "Ordinary meeting"
        EXTRAORDINARY = "extraordinary", "Extraordinary meeting"
        AWAY_DAY = "away_day", "Away day"
        WORKSHOP = "workshop", "Workshop"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AGENDA_PUBLISHED = "agenda_published", "Agenda published"
        HELD = "held", "Held"
        MINUTES_DRAFTED = "minutes_drafted", "Minutes drafted"
        MINUTES_APPROVED = "minutes_approved", "Minutes approved"
        CANCELLED = "cancelled", "Cancelled"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(
        max_length=300, blank=True, help_text="Leave blank for the board's name."
    )
    starts_at = models.DateTimeField()
    # A past meeting entered from its minutes may give only a date: starts_at then holds
    # midday London time (the same day in UTC all year) and pages show the date alone.
    start_time_known = models.BooleanField(default=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    venue = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ORDINARY)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    purpose = models.TextField(blank=True)
    # When the draft minutes went to members: owners hear of new actions from then.
    minutes_circulated_at = models.DateTimeField(null=True, blank=True)
    # Chosen at circulation: remind owners of actions already overdue by then? Off for a
    # meeting entered long after it happened, so history sends no stale "overdue" mail.
    remind_overdue = models.BooleanField(default=True)
    approved_at = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_minutes",
        help_text="The later meeting that agreed these minutes as an accurate record.",
    )
    approved_on = models.DateField(null=True, blank=True)
    corrections = models.TextField(
        blank=True, help_text="Corrections made when the minutes were approved."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["board", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
            # Within the record's years in any time zone: a day's margin either side.
            models.CheckConstraint(
                condition=Q(starts_at__gte=datetime(FIRST_YEAR - 1, 12, 31, tzinfo=UTC))
                & Q(starts_at__lt=datetime(LAST_YEAR + 1, 1, 2, tzinfo=UTC)),
                name="meeting_starts_within_record",
            ),
            models.CheckConstraint(
                condition=~Q(status="minutes_approved") | Q(approved_on__isnull=False),
                name="meeting_approved_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.display_title}, {timezone.localtime(self.starts_at):%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.pk])

    @property
    def display_title(self) -> str:
        return self.title or self.board.name

    @property
    def is_frozen(self) -> bool:
        """Approved minutes are a legal record: changes become amendments."""
        return self.status == self.Status.MINUTES_APPROVED

    def corrections_visible_to(self, reach: Reach) -> bool:
        """Corrections agreed at approval follow the rule of the minutes they correct:
        they may quote any item, so where the meeting had confidential items only those
        who may read those items see the corrections (others learn there were some)."""
        if self.board_id not in reach.board_ids:
            return False
        return (
            reach.sees_confidential_of(self.board_id)
            or not self.items.filter(confidential=True).exists()
        )


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"
        IN_ATTENDANCE = "in_attendance", "In attendance"

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        MINUTES = "minutes", "Minutes"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PRESENT)
    representing = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    substitute_for = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="substituted_by"
    )
    joined_at_item = models.ForeignKey(
        "AgendaItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    left_at_item = models.ForeignKey(
        "AgendaItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The role at this meeting, as minutes print it: "Jane Smith (Chair)", "(minutes)".
    role = models.CharField(max_length=10, choices=Role.choices, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="attendance_one_per_person"
            ),
            models.CheckConstraint(
                condition=~Q(substitute_for=models.F("person")),
                name="attendance_not_own_substitute",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_status_display()}"

    @property
    def name_with_organisation(self) -> str:
        """Name and the organisation attended for, as minutes print it: Gavin Jones (SBC)."""
        if self.representing_id:
            return f"{self.person.display_name} ({self.representing.label})"
        return self.person.with_organisation

    @property
    def role_label(self) -> str:
        """ "(Chair)" or "(minutes)", as the minutes print it after the name."""
        return {"chair": "(Chair)", "minutes": "(minutes)"}.get(self.role, "")

    @property
    def presence_note(self) -> str:
        """ "joined at item 3; left at item 5": who was there for part of the meeting."""
        parts = []
        if self.joined_at_item_id:
            parts.append(f"joined at item {self.joined_at_item.number}")
        if self.left_at_item_id:
            parts.append(f"left at item {self.left_at_item.number}")
        return "; ".join(parts)


class AgendaItemQuerySet(models.QuerySet):
    def visible_to(self, reach: Reach):
        """Items the reader may read: their boards', confidential ones where allowed."""
        return self.filter(reach.scope())

    def for_screen(self):
        """Each item as the secretary's screen shows it, its rows as plain lists
        (`presenter_list`, `paper_list`, `decision_list`, `amendment_list`): read through
        `.all()`, each item kept four querysets of its own (320 at 80 items), about 500 of
        the 3,745 Python calls an item took, and cyclic garbage for the collector."""
        return self.prefetch_related(
            presenters_listed(),
            models.Prefetch("papers", to_attr="paper_list"),
            decisions_with_votes(to_attr="decision_list"),
            models.Prefetch(
                "amendments",
                queryset=Amendment.objects.select_related("by"),
                to_attr="amendment_list",
            ),
        )


class ItemRowQuerySet(models.QuerySet):
    """Rows filed under an agenda item (decisions, papers) are as secret as the item."""

    def visible_to(self, reach: Reach):
        return self.filter(reach.scope("item__"))


class DecisionQuerySet(ItemRowQuerySet):
    def with_votes(self):
        """What the minutes print of a vote (mover, seconder, names) and of a bring-back."""
        return self.select_related("mover", "seconder", "bring_back_meeting").prefetch_related(
            models.Prefetch("named_votes", queryset=NamedVote.objects.select_related("person"))
        )


def presenters_listed() -> models.Prefetch:
    """An item's presenters with their organisations, as the list `presenter_list`."""
    return models.Prefetch(
        "presenters",
        queryset=Person.objects.select_related("organisation"),
        to_attr="presenter_list",
    )


def decisions_with_votes(to_attr: str | None = None) -> models.Prefetch:
    """An item's decisions as the minutes print them, vote and all (for prefetch_related);
    with `to_attr`, as a plain list under that name."""
    return models.Prefetch("decisions", queryset=Decision.objects.with_votes(), to_attr=to_attr)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="sub_items"
    )
    number = models.CharField(max_length=20, blank=True, help_text='"5" or "5.1"')
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)
    presenters = models.ManyToManyField(Person, blank=True, related_name="presented_items")
    minutes = models.TextField(blank=True)
    confidential = models.BooleanField(
        default=False, help_text="Exempt item: left out of the public minutes."
    )
    # Optimistic locking: a save names the version it edited, so two secretaries
    # typing into the same item get a conflict instead of a silent overwrite.
    version = models.PositiveIntegerField(default=1)
    # The same matter at an earlier meeting (or a referral from another board).
    follows = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="followed_by"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgendaItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order"]
        indexes = [
            models.Index(fields=["meeting", "order"]),
            # Whose and how secret an item is, read from the index alone: search and
            # the API look this up for every decision, action and paper they filter.
            models.Index(fields=["id"], include=["meeting", "confidential"], name="item_reach"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}" if self.number else self.title


def paper_upload_to(instance, filename):
    return f"papers/{instance.item.meeting_id}/{filename}"


class Paper(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to=paper_upload_to)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = ItemRowQuerySet.as_manager()

    class Meta:
        ordering = ["item", "uploaded_at"]

    def __str__(self):
        return self.title


class FiledUnderItemBoard(models.Model):
    """For rows that hang off an agenda item and keep its board beside them (a `board`
    foreign key): the board is taken from the item when the row is first saved."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.board_id is None and self.item_id is not None:
            self.board_id = self.item.meeting.board_id
        super().save(*args, **kwargs)


class Decision(FiledUnderItemBoard):
    class Kind(models.TextChoices):
        AGREED = "agreed", "Agreed"
        APPROVED = "approved", "Approved"
        NOTED = "noted", "Noted"
        DEFERRED = "deferred", "Deferred"
        REJECTED = "rejected", "Rejected"

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    # The item's board, kept here so a board's decisions are found by index (search ANDs
    # it with the text index rather than visiting every match in the council).
    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, related_name="decisions", editable=False
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.AGREED)
    number = models.PositiveSmallIntegerField(help_text="Shown as (1), (2), (3).")
    text = models.TextField()
    # Set when this decision agreed an earlier meeting's minutes as an accurate record.
    approves = models.OneToOneField(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_by_decision",
    )
    # "To come back to a future meeting": it enters the forward plan, aimed at a meeting
    # or a month when one is given (a deferred decision enters it whether marked or not).
    bring_back = models.BooleanField(default=False)
    bring_back_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bring_back_month = models.DateField(null=True, blank=True, help_text="The first of the month.")
    # A recorded vote, where the board votes: all optional.
    mover = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seconder = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    votes_for = models.PositiveSmallIntegerField(null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(null=True, blank=True)
    votes_abstained = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = DecisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="decision_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="decision_number_positive"),
        ]

    def __str__(self):
        return f"({self.number}) {self.text[:80]}"

    @property
    def vote_summary(self) -> str:
        """ "Moved by A, seconded by B. For 8, against 2, abstaining 1." as minutes print it;
        named votes (prefetched `named_votes`) print who voted which way instead of counts."""
        parts = []
        if self.mover_id:
            moved = f"Moved by {self.mover.display_name}"
            if self.seconder_id:
                moved += f", seconded by {self.seconder.display_name}"
            parts.append(moved + ".")
        elif self.seconder_id:
            parts.append(f"Seconded by {self.seconder.display_name}.")
        named = list(self.named_votes.all())
        if named:
            ways = []
            for way, label in NamedVote.Way.choices:
                names = [v.person.display_name for v in named if v.way == way]
                if names:
                    ways.append(f"{label} ({len(names)}): {', '.join(names)}")
            parts.append("; ".join(ways) + ".")
        else:
            counts = [
                f"{label} {n}"
                for label, n in (
                    ("for", self.votes_for),
                    ("against", self.votes_against),
                    ("abstaining", self.votes_abstained),
                )
                if n is not None
            ]
            if counts:
                text = ", ".join(counts)
                parts.append(text[0].upper() + text[1:] + ".")
        return " ".join(parts)

    @property
    def label(self) -> str:
        return self.format_label(self.number)

    @staticmethod
    def format_label(number: int) -> str:
        return f"({number})"


class NamedVote(models.Model):
    """How one person voted on a decision, where the board records named votes."""

    class Way(models.TextChoices):
        FOR = "for", "For"
        AGAINST = "against", "Against"
        ABSTAINED = "abstained", "Abstaining"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="named_votes")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    way = models.CharField(max_length=10, choices=Way.choices)

    class Meta:
        ordering = ["person__name"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "person"], name="named_vote_one_each"),
        ]

    def __str__(self):
        return f"{self.person}: {self.get_way_display()}"


class MeetingNoteQuerySet(models.QuerySet):
    """Rows of a meeting that may name one of its items (declarations, amendments): one
    on a confidential item is as secret as the item, since its text says what the item
    was about."""

    def visible_to(self, reach: Reach):
        return self.filter(meeting__board__in=reach.boards).filter(
            Q(item__isnull=True)
            | Q(item__confidential=False)
            | Q(meeting__board__in=reach.confidential)
        )


class Declaration(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="declarations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="declarations")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="declarations"
    )
    nature = models.TextField(help_text="The interest declared and what the member did.")
    # They left the room for the item: not counted present (nor for the quorum) there.
    left_room = models.BooleanField(default=False)

    objects = MeetingNoteQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "item__order"]

    def __str__(self):
        return f"{self.person}: {self.nature[:60]}"

    @property
    def minutes_text(self) -> str:
        """As the minutes print it: "X declared an interest (nature) and left the meeting
        for this item"."""
        text = f"{self.person.display_name} declared an interest ({self.nature})"
        if self.left_room:
            text += " and left the meeting for this item"
        return text


class Amendment(models.Model):
    """A change to approved minutes: kept beside them with who, when and why."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="amendments")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="amendments"
    )
    field = models.CharField(max_length=40, default="minutes")
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(default=timezone.now)

    objects = MeetingNoteQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="amendment_has_reason"),
        ]

    def __str__(self):
        return f"Amendment to {self.meeting} on {self.at:%Y-%m-%d}"


# --- the meeting cycle: invitations, replies, circulation, members' amendments -----------


class MeetingInvitation(models.Model):
    """The calendar invitation of one meeting: one UID for good, a SEQUENCE raised each
    time the date, time or venue sent out changes (and once more when it is cancelled)."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="invitation")
    sequence = models.PositiveIntegerField(default=0)
    # What the members' calendars hold now: a change to any of these is an update.
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    venue = models.CharField(max_length=300, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Invitation to {self.meeting} (sequence {self.sequence})"

    @property
    def uid(self) -> str:
        # The same UID as the calendar feeds carry, so a calendar sees one event.
        return f"meeting-{self.meeting_id}@minutebook"


class MeetingReply(models.Model):
    """A person's answer to an invitation, given before the meeting: one per person."""

    class Response(models.TextChoices):
        ATTEND = "attend", "Will attend"
        APOLOGIES = "apologies", "Apologies"

    class Via(models.TextChoices):
        LINK = "link", "E-mail link"
        PAGE = "page", "Meeting page"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="replies")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="meeting_replies")
    response = models.CharField(max_length=20, choices=Response.choices)
    substitute = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    via = models.CharField(max_length=10, choices=Via.choices)
    replied_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "replied_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="meeting_reply_one_per_person"
            ),
        ]

    def __str__(self):
        return f"{self.person}: {self.get_response_display()}"


class MeetingMail(models.Model):
    """Who was sent what about a meeting, and when: one row per person and message, so a
    retried task never sends the same message twice."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", "Invitation"
        UPDATE = "update", "Updated invitation"
        CANCELLATION = "cancellation", "Cancellation"
        DRAFT_MINUTES = "draft_minutes", "Draft minutes (members' copy)"
        DRAFT_MINUTES_PUBLIC = "draft_minutes_public", "Draft minutes (public copy)"
        AMENDMENT_DECIDED = "amendment_decided", "Amendment decided"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="mails")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="meeting_mails")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # What was sent: the invitation's sequence, the PDF's content key, the proposal's id.
    reference = models.CharField(max_length=80)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person", "kind", "reference"], name="meeting_mail_once"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.person} at {self.sent_at:%Y-%m-%d %H:%M}"


class AmendmentProposalQuerySet(models.QuerySet):
    def visible_to(self, reach: Reach):
        """As secret as the item they correct."""
        return self.filter(reach.scope("item__"))

    def open(self):
        return self.filter(status=AmendmentProposal.Status.PROPOSED)


class AmendmentProposal(models.Model):
    """A member's correction to an item's draft minutes, decided by the secretary."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="amendment_proposals"
    )
    proposer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    # The minutes the proposer corrected, and their version: the redline is drawn
    # against them, and accepting over a later version is a conflict, never a merge.
    base_text = models.TextField(blank=True)
    base_version = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AmendmentProposalQuerySet.as_manager()

    class Meta:
        ordering = ["item", "created_at"]

    def __str__(self):
        return f"Proposal by {self.proposer} on item {self.item_id}"


class ForwardPlanQuerySet(models.QuerySet):
    def visible_to(self, reach: Reach):
        """A board's entries; one from a confidential item is as secret as the item."""
        return self.filter(board__in=reach.boards).filter(
            Q(source_decision__isnull=True) | reach.scope("source_decision__item__")
        )

    def waiting(self):
        return self.filter(status=ForwardPlanEntry.Status.WAITING)

    def due_at(self, meeting: Meeting):
        """Waiting entries the meeting should take: aimed at it, at its month or earlier,
        or at no date in particular (the next meeting)."""
        month = timezone.localtime(meeting.starts_at).date().replace(day=1)
        return (
            self.waiting()
            .filter(board_id=meeting.board_id)
            # deferred at this meeting or a later one: not yet due here
            .exclude(source_decision__item__meeting__starts_at__gte=meeting.starts_at)
            .filter(
                Q(target_meeting=meeting)
                | Q(target_meeting__isnull=True, target_month__isnull=True)
                | Q(target_meeting__isnull=True, target_month__lte=month)
            )
        )


class ForwardPlanEntry(models.Model):
    """A matter to come back to a later meeting: a deferred decision, or one marked "bring
    back" (to a meeting or a month), or one referred from a sub-board."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        ON_AGENDA = "on_agenda", "On an agenda"
        DONE = "done", "Done"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="forward_plan")
    title = models.CharField(max_length=300)
    source_decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.CASCADE, related_name="forward_plan"
    )
    target_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_month = models.DateField(null=True, blank=True, help_text="The first of the month.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    # The agenda item it was put on.
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The sub-board's entry this one was referred from (its `referrals` say where it went).
    referred_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ForwardPlanQuerySet.as_manager()

    class Meta:
        ordering = ["board", "target_month", "created_at"]
        verbose_name_plural = "forward plan entries"

    def __str__(self):
        return self.title
