"""May this user do X on this board? Answered from Membership roles, for every view.

A board's existence is not disclosed to outsiders: anyone who is not on the board gets
404, a member who lacks the right gets 403.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from .models import Board, Membership

Role = Membership.Role


class Perm(StrEnum):
    VIEW = "view"  # read the board, its meetings and minutes
    VIEW_CONFIDENTIAL = "view_confidential"  # confidential items, their papers, actions
    UPDATE_OWN_ACTIONS = "update_own_actions"
    EDIT_MEETINGS = "edit_meetings"  # agenda, attendance, minutes, decisions, actions
    MANAGE_ACTIONS = "manage_actions"  # change owners, text or due date of any action
    APPROVE_MINUTES = "approve_minutes"
    ALLOCATE = "allocate"  # record fund entries and bids


_READER = {Perm.VIEW, Perm.VIEW_CONFIDENTIAL, Perm.UPDATE_OWN_ACTIONS}
_SECRETARY = _READER | {Perm.EDIT_MEETINGS, Perm.MANAGE_ACTIONS, Perm.ALLOCATE}

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


@dataclass(frozen=True)
class Reach:
    """The board ids a user may read, and the subset whose confidential items they may read."""

    boards: frozenset[int]
    confidential: frozenset[int]

    def scope(self, prefix: str = "") -> Q:
        """A filter for rows under an agenda item (`prefix` leads from the row to the item)."""
        return Q(**{f"{prefix}meeting__board__in": self.boards}) & (
            Q(**{f"{prefix}confidential": False})
            | Q(**{f"{prefix}meeting__board__in": self.confidential})
        )

    def sees(self, item) -> bool:
        board_id = item.meeting.board_id
        return board_id in self.boards and (not item.confidential or board_id in self.confidential)


def reach_of(user) -> Reach:
    """The same answer as perms_on, for every board at once (two queries): for search and
    the API, which filter many boards' records in one query.

    Observers read confidential items only where the board granted them sight of them.
    """
    if not user.is_authenticated:
        return Reach(frozenset(), frozenset())
    if user.is_superuser:
        every = frozenset(Board.objects.values_list("pk", flat=True))
        return Reach(every, every)
    listed = list(Board.objects.for_user(user).values_list("pk", flat=True))
    boards, confidential = set(), set()
    memberships = (
        Membership.objects.current()
        .filter(person__user=user, board_id__in=listed)
        .values_list("board_id", "role", "sees_confidential")
    )
    for board_id, role, sees_confidential in memberships:
        perms = ROLE_PERMS[role]
        if Perm.VIEW in perms:
            boards.add(board_id)
            if Perm.VIEW_CONFIDENTIAL in perms or sees_confidential:
                confidential.add(board_id)
    return Reach(frozenset(boards), frozenset(confidential))
