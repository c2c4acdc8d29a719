"""Which boards' records a user may search, and on which of them confidential ones too."""

from dataclasses import dataclass

from django.db.models import Q

from boards.models import Board, Membership
from boards.permissions import ROLE_PERMS, Perm


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
    """The same answer as boards.permissions.perms_on, for every board at once (two queries).

    Observers find confidential items only where the board granted them sight of them.
    """
    if not user.is_authenticated:
        return Reach(frozenset(), frozenset())
    if user.is_superuser:
        every = frozenset(Board.objects.values_list("pk", flat=True))
        return Reach(every, every)
    listed = set(Board.objects.for_user(user).values_list("pk", flat=True))
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
    return Reach(frozenset(boards), frozenset(confidential & boards))
