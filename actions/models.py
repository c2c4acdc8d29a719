from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from boards.models import Board, Membership, Person
from boards.permissions import Reach
from meetings.models import (
    FIRST_DAY,
    LAST_DAY,
    AgendaItem,
    Decision,
    FiledUnderItemBoard,
    Meeting,
)


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Action.Status.OPEN)

    def for_board(self, board):
        # Through the meeting, not the action's own board: a log sorted by meeting date
        # then walks the board's meetings index newest (or oldest) first and stops at a page.
        return self.filter(item__meeting__board=board)

    def owned_by(self, person, *, observers_owe_all=True):
        """Actions the person owns by name, or as a member of a board given "ALL".

        Their ids are read first (one UNION of the two) and filtered as a list: as a
        sub-select beside a reader's visibility rule (an OR across the item and its board),
        PostgreSQL answered by scanning every action and agenda item at council scale; a
        list of the person's few hundred it fetches by primary key."""
        named, whole_board = self._owner_selects(person, observers_owe_all)
        ids = named.order_by().union(whole_board.order_by()).values_list("action_id", flat=True)
        return self.filter(pk__in=list(ids))

    def visible_to(self, reach: Reach):
        """Actions the reader may read: those under items they may read, and the ones
        named to them on a board they are not (or no longer) on, such as an officer in
        attendance, unless the item was confidential."""
        rule = Q(board__in=reach.boards) & (
            Q(item__confidential=False) | Q(board__in=reach.confidential)
        )
        named = Action.owners.through.objects.filter(person_id__in=reach.people)
        rule |= Q(item__confidential=False, pk__in=named.values("action_id"))
        return self.filter(rule)

    def _owner_selects(self, person, observers_owe_all):
        named = Action.owners.through.objects.filter(person=person).values("action_id")
        boards = Membership.objects.current().filter(person=person)
        if not observers_owe_all:
            boards = boards.exclude(role=Membership.Role.OBSERVER)
        whole_board = Action.objects.filter(
            whole_board=True, board__in=boards.values("board_id")
        ).values(action_id=models.F("pk"))
        return named, whole_board

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def with_source(self):
        return self.select_related("item__meeting__board", "board", "decision").prefetch_related(
            "owners__organisation"
        )


class Action(FiledUnderItemBoard):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="actions")
    # The item's board, kept on the action: "a board's actions" and "ALL" actions are then
    # one index away instead of a walk through every meeting and item the board ever had.
    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, related_name="actions", editable=False
    )
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    text = models.TextField()
    owners = models.ManyToManyField(Person, blank=True, related_name="actions")
    # "ALL" in the minutes' ACTION column: every member of the board owns it.
    whole_board = models.BooleanField(default=False)
    due_on = models.DateField(
        null=True,
        blank=True,
        help_text="Leave empty for 'by the next meeting'.",
        validators=[MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)],
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[owners])

    class Meta:
        ordering = ["item__meeting__starts_at", "item__order", "order", "pk"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            # "ALL" actions are few: a partial index finds a board's without a scan.
            models.Index(
                fields=["board"], condition=Q(whole_board=True), name="action_whole_board"
            ),
            # A board's open actions (home page count, log filter) without its closed past.
            models.Index(fields=["board"], condition=Q(status="open"), name="action_open_board"),
            # The log sorted by due date walks a board's dated actions in date order.
            models.Index(fields=["board", "due_on"], name="action_board_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="open") & Q(closed_at__isnull=True))
                | (~Q(status="open") & Q(closed_at__isnull=False)),
                name="action_closed_at_matches_status",
            ),
            # 9999-12-31 overflows the reminder arithmetic: refused in forms, held here.
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_on__gte=FIRST_DAY, due_on__lte=LAST_DAY),
                name="action_due_on_sane",
            ),
        ]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return reverse("actions:detail", args=[self.pk])

    @property
    def meeting(self) -> Meeting:
        return self.item.meeting

    def owner_label(self, owners=None) -> str:
        """What the ACTION column prints: "ALL", or names joined with " / "."""
        if self.whole_board:
            return "ALL"
        return " / ".join(p.display_name for p in (owners or self.owners.all()))

    def is_visible_to(self, reach: Reach) -> bool:
        """ActionQuerySet.visible_to for one action in hand (owners prefetched), for a
        batch that decides person by person (who a reminder may go to)."""
        if self.board_id in reach.board_ids and (
            not self.item.confidential or self.board_id in reach.confidential_ids
        ):
            return True
        named = {p.pk for p in self.owners.all()}
        return not self.item.confidential and bool(named & set(reach.people))

    def set_status(self, status: str, at=None) -> None:
        self.status = status
        self.closed_at = None if status == self.Status.OPEN else (at or timezone.now())


class ActionUpdateQuerySet(models.QuerySet):
    def visible_to(self, reach: Reach):
        """Updates of the actions the reader may read."""
        return self.filter(action__in=Action.objects.visible_to(reach))


class ActionUpdate(models.Model):
    class Kind(models.TextChoices):
        COMMENT = "comment", "Update"
        STATUS = "status", "Status change"
        REASSIGNED = "reassigned", "Reassigned"
        EDITED = "edited", "Edited"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COMMENT)
    text = models.TextField()
    by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_updates"
    )
    at = models.DateTimeField(default=timezone.now)
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_updates",
        help_text="The meeting the update was reported at, if any.",
    )
    status_to = models.CharField(max_length=10, choices=Action.Status.choices, blank=True)

    objects = ActionUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["action", "at", "pk"]
        indexes = [models.Index(fields=["action", "-at"])]

    def __str__(self):
        return self.text[:80]


class Reminder(models.Model):
    """The outbox row that makes each reminder go out exactly once."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", "Assigned"
        DUE_SOON = "due_soon", "Due soon"
        DUE_TODAY = "due_today", "Due today"
        OVERDUE = "overdue", "Overdue"
        ESCALATED = "escalated", "Escalated to the secretary"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reminders")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    scheduled_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Stamped by the database's clock, so workers whose clocks disagree agree on its age.
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Which claim holds the row: a sender finds its own rows by this, not by its clock.
    claim_token = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["scheduled_on", "pk"]
        indexes = [
            models.Index(fields=["status", "scheduled_on"]),
            # The outbox by due time, unsent rows only: a sender's claim walks it in order
            # and stops at a batch, however many sent rows the years have kept.
            models.Index(
                fields=["scheduled_on", "id"],
                condition=Q(status__in=["pending", "sending"]),
                name="reminder_unsent_due",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "person", "kind", "scheduled_on"],
                name="reminder_once_per_action_person_kind_day",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="reminder_sent_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.person} on {self.scheduled_on}"

    @property
    def message_id(self) -> str:
        """The same reminder always carries the same Message-ID, so a resend is spotted."""
        return f"<reminder-{self.pk}-{self.kind}-{self.scheduled_on:%Y%m%d}@minutebook>"


class ReminderPlanFailure(models.Model):
    """An action whose reminders could not be planned on the last pass, and why.

    The pass goes on for every other action; the secretary sees this on the action's page.
    Removed by the next pass that plans the action without error.
    """

    action = models.OneToOneField(
        Action, on_delete=models.CASCADE, related_name="reminder_plan_failure"
    )
    error = models.TextField()
    failed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Reminders of action {self.action_id} not planned: {self.error[:80]}"


class ReminderPlanRun(models.Model):
    """The last plan (one row): the London day it planned, and the last
    boards.RecordChange it saw. A pass on the same day with no later change has nothing
    to plan."""

    day = models.DateField()
    through = models.BigIntegerField(default=0)

    def __str__(self):
        return f"Reminders planned for {self.day} (changes to {self.through})"
