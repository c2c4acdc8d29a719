"""Which boards' records an API caller may read: the pages' rules, for every board at once.

(The search app answers the same question for itself; apps in the top layer do not import
each other.)
"""

from dataclasses import dataclass

from django.db.models import Q

from boards.models import Board, Membership
from boards.permissions import ROLE_PERMS, Perm


@dataclass(frozen=True)
class Reach:
    boards: frozenset[int]
    confidential: frozenset[int]  # boards whose confidential items the caller may read

    def items(self, prefix: str = "") -> Q:
        """Rows under an agenda item (`prefix` leads from the row to the item)."""
        return Q(**{f"{prefix}meeting__board__in": self.boards}) & (
            Q(**{f"{prefix}confidential": False})
            | Q(**{f"{prefix}meeting__board__in": self.confidential})
        )


def reach_of(user) -> Reach:
    """Observers read confidential items only where the board granted them sight of them."""
    if not user.is_authenticated:
        return Reach(frozenset(), frozenset())
    if user.is_superuser:
        every = frozenset(Board.objects.values_list("pk", flat=True))
        return Reach(every, every)
    listed = Board.objects.for_user(user).values_list("pk", flat=True)
    boards, confidential = set(), set()
    memberships = (
        Membership.objects.current()
        .filter(person__user=user, board_id__in=list(listed))
        .values_list("board_id", "role", "sees_confidential")
    )
    for board_id, role, sees_confidential in memberships:
        perms = ROLE_PERMS[role]
        if Perm.VIEW in perms:
            boards.add(board_id)
            if Perm.VIEW_CONFIDENTIAL in perms or sees_confidential:
                confidential.add(board_id)
    return Reach(frozenset(boards), frozenset(confidential))
