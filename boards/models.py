import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class OrganisationQuerySet(models.QuerySet):
    def of_partnership(self, board):
        """Organisations of the board's partnership: those its secretaries listed, those
        its members represent, and those of its people."""
        boards = Board.objects.partnership_of(board)
        people = Person.objects.of_partnership(board).values("organisation_id")
        represented = Membership.objects.filter(board__in=boards).values("representing_id")
        return self.filter(
            Q(listed_for__in=boards) | Q(pk__in=people) | Q(pk__in=represented)
        ).distinct()

    def named(self, text: str):
        """The organisation a person typed: by short name first, then by name."""
        text = text.strip()
        return (
            self.filter(short_name__iexact=text).first() or self.filter(name__iexact=text).first()
        )


class Organisation(models.Model):
    class Sector(models.TextChoices):
        PUBLIC = "public", "Public"
        PRIVATE = "private", "Private"
        VOLUNTARY = "voluntary", "Voluntary"
        COMMUNITY = "community", "Community"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True, help_text="e.g. SBC, CCG, PCC")
    sector = models.CharField(max_length=20, choices=Sector.choices, default=Sector.PUBLIC)
    # The boards whose secretaries listed it: an organisation is one body however many
    # partnerships it sits on, and is of each before anyone there represents it.
    listed_for = models.ManyToManyField("Board", blank=True, related_name="+")

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name

    @property
    def label(self) -> str:
        """The name as minutes print it in brackets: the short name where there is one."""
        return self.short_name or self.name


class PersonQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gt=on))

    def search(self, text: str):
        return self.filter(Q(name__icontains=text) | Q(email__icontains=text))

    def of_partnership(self, board):
        """People of the board's partnership: members, past or present, of any of its
        boards, and anyone in the attendance of their meetings. Never another
        partnership's people (their names and e-mails are theirs to share)."""
        boards = Board.objects.partnership_of(board)
        members = Membership.objects.filter(board__in=boards).values("person_id")
        attending = self.model.objects.filter(attendances__meeting__board__in=boards)
        return self.filter(
            Q(pk__in=members) | Q(pk__in=attending.values("pk")) | Q(added_for__in=boards)
        )

    def of_other_partnerships(self, board):
        """People tied to another partnership (a member, attendee or person added there)
        and not to the board's. Someone of no partnership yet is nobody's to protect: the
        board that first adds them makes them its own."""
        tied = (
            Q(memberships__isnull=False)
            | Q(attendances__isnull=False)
            | Q(added_for__isnull=False)
        )
        ours = self.model.objects.of_partnership(board).values("pk")
        return self.filter(tied).exclude(pk__in=ours).distinct()


class Person(models.Model):
    title = models.CharField(max_length=40, blank=True, help_text="e.g. Cllr, Dr")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    role_title = models.CharField(max_length=200, blank=True, help_text="e.g. Chair of Influence")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    left_on = models.DateField(null=True, blank=True, help_text="The day they left their post.")
    # The board whose secretary added them: of its partnership before they attend or join.
    added_for = models.ForeignKey(
        "Board", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Reminder preference: one morning digest, or an e-mail per reminder.
    wants_digest = models.BooleanField(default=True)
    # Each kind of reminder can be turned off: reminds_<Reminder.Kind value>.
    reminds_assigned = models.BooleanField("A new action is mine", default=True)
    reminds_due_soon = models.BooleanField("An action is due soon", default=True)
    reminds_due_today = models.BooleanField("An action is due today", default=True)
    reminds_overdue = models.BooleanField("An action is overdue", default=True)
    reminds_escalated = models.BooleanField(
        "An action has been overdue two weeks (board secretaries)", default=True
    )
    # Private calendar feed address; replacing it revokes the old one.
    calendar_token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="person_unique_email"
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.format_name(self.title, self.name)

    @staticmethod
    def format_name(title: str, name: str) -> str:
        """ "Cllr Gavin Jones": for lists that read names without building people."""
        return f"{title} {name}" if title else name

    @property
    def with_organisation(self) -> str:
        """ "Gavin Jones (SBC)", as attendance lists print a name."""
        org = self.role_title or (self.organisation.label if self.organisation else "")
        return f"{self.display_name} ({org})" if org else self.display_name

    REMINDER_KINDS = ("assigned", "due_soon", "due_today", "overdue", "escalated")

    def wants_reminder(self, kind: str) -> bool:
        """Has the person left this kind of reminder on (a kind is a Reminder.Kind value)?"""
        return getattr(self, f"reminds_{kind}", True)

    def stop_reminders(self) -> list[str]:
        """Turn every kind of reminder off; returns the fields to save."""
        fields = [f"reminds_{kind}" for kind in self.REMINDER_KINDS]
        for name in fields:
            setattr(self, name, False)
        return fields

    def has_left(self, on=None) -> bool:
        return self.left_on is not None and self.left_on <= (on or timezone.localdate())


class BoardQuerySet(models.QuerySet):
    def for_user(self, user):
        """The boards a signed-in user may see: those they are a current member of."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            pk__in=Membership.objects.current().filter(person__user=user).values("board_id")
        )

    def partnership_of(self, board):
        """Every board of the board's partnership: the tree under its top board (a board,
        its sub-boards and their task groups; deeper trees are not kept)."""
        top, seen = board, {board.pk}
        while top.parent_id is not None and top.parent_id not in seen:
            seen.add(top.parent_id)
            top = top.parent
        return self.filter(
            Q(pk=top.pk) | Q(parent=top) | Q(parent__parent=top) | Q(parent__parent__parent=top)
        )


class Board(models.Model):
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True, help_text="e.g. OSB")
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sub_boards",
        help_text="The board this one reports to.",
    )
    quorum = models.PositiveSmallIntegerField(
        default=0, help_text="Members who must be present; 0 means no quorum rule."
    )
    secretary = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chair = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        default=7, help_text="Days before the due date that owners get a 'due soon' reminder."
    )
    default_venue = models.CharField(max_length=200, blank=True)
    standard_items = models.TextField(
        blank=True,
        help_text="The items every new meeting starts with, one per line. "
        "Leave empty for: welcome and apologies, notes of the last meeting, matters arising, "
        "any other business, date of next meeting.",
    )
    # Terms of reference of some boards let the secretary sign off the minutes.
    secretary_approves_minutes = models.BooleanField(
        default=False,
        help_text="The secretary may record the approval of earlier minutes "
        "(otherwise only the chair and vice-chair may).",
    )

    objects = BoardQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="board_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("boards:detail", args=[self.slug])

    @property
    def standard_item_titles(self) -> list[str]:
        return [line.strip() for line in self.standard_items.splitlines() if line.strip()]


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        """Memberships in force on a day (today by default): begun on or before it, and
        not yet ended (`ended_on` is the day the member left, as Person.left_on is).
        The one definition of "a current member": permissions, reach, reminders,
        owners and quorum all call it."""
        on = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on)).filter(
            Q(started_on__isnull=True) | Q(started_on__lte=on)
        )

    def voting(self):
        """Members who count towards the quorum: not advisers or observers."""
        return self.exclude(role__in=[Membership.Role.ADVISER, Membership.Role.OBSERVER])


class Membership(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice-chair"
        MEMBER = "member", "Member"
        SECRETARY = "secretary", "Secretary"
        ADVISER = "adviser", "Adviser"
        OBSERVER = "observer", "Observer"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    representing = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
        help_text="The organisation this member speaks for on the board.",
    )
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    # The person who stands in when the member cannot come.
    deputy = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputising",
        help_text="Who attends in the member's place when they cannot.",
    )
    # Observers see confidential items only when the board grants it.
    sees_confidential = models.BooleanField(default=False)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["board", "role", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "board"],
                condition=Q(ended_on__isnull=True),
                name="membership_one_current_per_board",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()} of {self.board}"


def hash_token(token: str) -> str:
    """What is kept of an invitation's token: a leaked table opens no account."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self, at=None):
        """Invitations that can still be accepted: not accepted, revoked or expired."""
        return self.filter(
            accepted_at__isnull=True, revoked=False, expires_at__gt=at or timezone.now()
        )

    def with_token(self, token: str):
        return self.filter(token_hash=hash_token(token))


class Invitation(models.Model):
    """A single-use, expiring link by which a person chooses their password. Only the
    token's hash is kept: the link in the e-mail is the one copy of the token."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation of {self.email} to {self.board}"

    @property
    def is_pending(self) -> bool:
        return not self.accepted_at and not self.revoked and self.expires_at > timezone.now()

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked:
            return "revoked"
        return "pending" if self.expires_at > timezone.now() else "expired"


class RecordChangeQuerySet(models.QuerySet):
    def version(self) -> int:
        """The newest change's id (0 before any): one index probe."""
        return self.aggregate(newest=models.Max("pk"))["newest"] or 0


class RecordChange(models.Model):
    """A change to something the derived views are built from: the reminder plan
    (actions.reminders) and each person's "my actions" page (actions.views). The newest
    row's id is the record's version; a view built at one version is as good as new until
    a later row appears.

    Model saves add rows through actions.signals; a bulk write that sends no signal adds
    its own (`RecordChange.objects.create()`). Rows are only ever added, so two writers
    never wait on one row; housekeeping keeps the newest, so the version never goes back.
    """

    at = models.DateTimeField(default=timezone.now)

    objects = RecordChangeQuerySet.as_manager()

    def __str__(self):
        return f"Change to the record at {self.at:%Y-%m-%d %H:%M}"
