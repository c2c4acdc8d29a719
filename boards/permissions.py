"""May this user do X on this board? Answered from Membership roles, for every view.

A board's existence is not disclosed to outsiders: anyone who is not on the board gets
404, a member who lacks the right gets 403.
"""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from .models import Board, Membership, Person

Role = Membership.Role


class Perm(StrEnum):
    VIEW = "view"  # read the board, its meetings and minutes
    VIEW_CONFIDENTIAL = "view_confidential"  # confidential items, their papers, actions
    UPDATE_OWN_ACTIONS = "update_own_actions"
    EDIT_MEETINGS = "edit_meetings"  # agenda, attendance, minutes, decisions, actions
    MANAGE_ACTIONS = "manage_actions"  # change owners, text or due date of any action
    APPROVE_MINUTES = "approve_minutes"
    ALLOCATE = "allocate"  # record fund entries and bids
    MANAGE_BOARD = "manage_board"  # settings, sub-boards, organisations, people, invitations
    PROPOSE_AMENDMENTS = "propose_amendments"  # propose corrections to draft minutes


_READER = {Perm.VIEW, Perm.VIEW_CONFIDENTIAL, Perm.UPDATE_OWN_ACTIONS, Perm.PROPOSE_AMENDMENTS}
_SECRETARY = _READER | {
    Perm.EDIT_MEETINGS,
    Perm.MANAGE_ACTIONS,
    Perm.ALLOCATE,
    Perm.MANAGE_BOARD,
}

ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.CHAIR: frozenset(_SECRETARY | {Perm.APPROVE_MINUTES}),
    Role.VICE_CHAIR: frozenset(_READER | {Perm.APPROVE_MINUTES}),
    Role.SECRETARY: frozenset(_SECRETARY),
    Role.MEMBER: frozenset(_READER),
    Role.ADVISER: frozenset(_READER),
    Role.OBSERVER: frozenset({Perm.VIEW}),
}


def membership_of(user, board) -> Membership | None:
    """The user's current membership of the board, cached on the user for the request."""
    if not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_minutebook_memberships", {})
    if board.pk not in cache:
        cache[board.pk] = (
            Membership.objects.current().filter(board_id=board.pk, person__user_id=user.pk).first()
        )
    return cache[board.pk]


def perms_on(user, board) -> frozenset[Perm]:
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return frozenset(Perm)
    membership = membership_of(user, board)
    if membership is None:
        return frozenset()
    return role_perms(membership, board)


def role_perms(membership: Membership, board: Board) -> frozenset[Perm]:
    """A membership's rights: its role's, plus what the board grants beyond them."""
    perms = ROLE_PERMS[membership.role]
    if membership.sees_confidential:
        perms = perms | {Perm.VIEW_CONFIDENTIAL}
    if membership.role == Role.SECRETARY and board.secretary_approves_minutes:
        perms = perms | {Perm.APPROVE_MINUTES}
    return perms


def can(user, perm: Perm, board) -> bool:
    return perm in perms_on(user, board)


def require(user, perm: Perm, board) -> None:
    """Raise 404 for someone not on the board, 403 for a member without the right."""
    perms = perms_on(user, board)
    if Perm.VIEW not in perms:
        raise Http404("No such board.")
    if perm not in perms:
        raise PermissionDenied(f"Your role on {board} does not allow this ({perm}).")


def require_visible(user, visible: bool, board) -> None:
    """Refuse a record the reader's reach leaves out (`visible`, from a `visible_to`
    QuerySet or Reach.sees): 404 for someone not on the board, 403 for a member who may
    not read it, such as an observer at a confidential item."""
    if not visible:
        require(user, Perm.VIEW_CONFIDENTIAL, board)
        raise Http404("No such record.")


@dataclass(frozen=True)
class Reach:
    """What one reader may read: the one definition every page, PDF, search, API view,
    open-data export, feed, spreadsheet and e-mail filters by (through the `visible_to`
    QuerySet methods of each model, which build on `scope`).

    `boards`: the boards whose records they may read; `confidential`: those whose
    confidential items they may read too; `people`: who they are (their Person), for
    the actions named to them on boards they are not, or no longer, on. Each is a set
    of ids or a query of them: a query runs inside the reader's query as a sub-select,
    so filtering by a reach costs no query of its own.
    """

    boards: Collection[int]
    confidential: Collection[int]
    people: Collection[int] = frozenset()

    @classmethod
    def copy_of(cls, board_id: int, *, confidential: bool) -> "Reach":
        """The reader a copy of one board's record is made for: the members' copy (with
        confidential items) or the public one (without)."""
        boards = frozenset({board_id})
        return cls(boards, boards if confidential else frozenset())

    def resolved(self) -> "Reach":
        """The same reach with its ids read (two or three small queries): for a query
        that plans better with literal lists than with sub-selects (search)."""
        return Reach(self.board_ids, self.confidential_ids, frozenset(self.people))

    @cached_property
    def board_ids(self) -> frozenset[int]:
        return frozenset(self.boards)

    @cached_property
    def confidential_ids(self) -> frozenset[int]:
        return frozenset(self.confidential)

    def scope(self, prefix: str = "") -> Q:
        """A filter for rows under an agenda item (`prefix` leads from the row to the item)."""
        return Q(**{f"{prefix}meeting__board__in": self.boards}) & (
            Q(**{f"{prefix}confidential": False})
            | Q(**{f"{prefix}meeting__board__in": self.confidential})
        )

    def sees(self, item) -> bool:
        """The same answer as `scope`, for one item in hand."""
        board_id = item.meeting.board_id
        return board_id in self.board_ids and (
            not item.confidential or board_id in self.confidential_ids
        )

    def sees_confidential_of(self, board_id: int) -> bool:
        return board_id in self.confidential_ids


NOBODY = Reach(frozenset(), frozenset())

_READING_ROLES = [role for role, perms in ROLE_PERMS.items() if Perm.VIEW in perms]
_CONFIDENTIAL_ROLES = [
    role for role, perms in ROLE_PERMS.items() if Perm.VIEW_CONFIDENTIAL in perms
]


def _reach(memberships, people) -> Reach:
    """The reach of current memberships, as sub-selects; the same answer as perms_on.
    Observers read confidential items only where the board granted them sight of them."""
    reading = memberships.filter(role__in=_READING_ROLES)
    confidential = reading.filter(Q(role__in=_CONFIDENTIAL_ROLES) | Q(sees_confidential=True))
    return Reach(
        reading.values_list("board_id", flat=True),
        confidential.values_list("board_id", flat=True),
        people,
    )


def reach_of(user) -> Reach:
    """What a signed-in user may read, on every board at once: for lists that filter
    many boards' records in one query. Kept on the user for the request."""
    if not user.is_authenticated:
        return NOBODY
    if "_minutebook_reach" not in user.__dict__:
        people = Person.objects.filter(user_id=user.pk).values_list("pk", flat=True)
        if user.is_superuser:
            every = Board.objects.values_list("pk", flat=True)
            reach = Reach(every, every, people)
        else:
            reach = _reach(Membership.objects.current().filter(person__user_id=user.pk), people)
        user.__dict__["_minutebook_reach"] = reach
    return user.__dict__["_minutebook_reach"]


def reaches_of_people(person_ids, on=None) -> dict[int, Reach]:
    """reach_of_person for many people in one query, with the ids read: for a batch that
    checks each of thousands of (person, record) pairs (the reminder pass)."""
    boards, confidential = defaultdict(set), defaultdict(set)
    memberships = (
        Membership.objects.current(on=on)
        .filter(person_id__in=person_ids, role__in=_READING_ROLES)
        .values_list("person_id", "board_id", "role", "sees_confidential")
    )
    for person_id, board_id, role, sees_confidential in memberships:
        boards[person_id].add(board_id)
        if role in _CONFIDENTIAL_ROLES or sees_confidential:
            confidential[person_id].add(board_id)
    return {
        pk: Reach(frozenset(boards[pk]), frozenset(confidential[pk]), frozenset({pk}))
        for pk in person_ids
    }


def reach_of_person(person) -> Reach:
    """What a person may read, signed in or not: for e-mails and feeds sent to them."""
    return _reach(Membership.objects.current().filter(person=person), frozenset({person.pk}))
