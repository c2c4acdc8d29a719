"""A matter's thread: the same matter at earlier and later meetings, linked by AgendaItem.follows.

An item `follows` the item where the matter was last discussed – at an earlier meeting of
the same board, or of the board it was referred to. Following the links backwards and
forwards (followed_by) gives the matter's whole history.
"""

from dataclasses import dataclass

from django.db.models import Prefetch

from actions.models import Action
from boards.permissions import Reach
from meetings.models import AgendaItem

# A thread longer than this is a data error (or a loop); stop rather than spin.
MAX_THREAD = 200


@dataclass
class Thread:
    item: AgendaItem
    entries: list[AgendaItem]  # visible items, oldest meeting first, `item` among them
    hidden: int  # items in the thread on boards (or confidential) the reader may not see


def thread_item_ids(item: AgendaItem) -> list[int]:
    """The ids of every item in the item's thread: ancestors, the item, all descendants."""
    seen = {item.pk}
    current = item.follows_id
    while current and current not in seen and len(seen) < MAX_THREAD:
        seen.add(current)
        current = AgendaItem.objects.filter(pk=current).values_list("follows_id", flat=True)[0]
    frontier = [item.pk]
    while frontier and len(seen) < MAX_THREAD:
        later = AgendaItem.objects.filter(follows_id__in=frontier).exclude(pk__in=seen)
        frontier = list(later.values_list("pk", flat=True)[:MAX_THREAD])
        seen.update(frontier)
    return list(seen)


def later_item_ids(item: AgendaItem) -> set[int]:
    """The item and everything that follows it, directly or not: it may not follow these."""
    seen = {item.pk}
    frontier = [item.pk]
    while frontier and len(seen) < MAX_THREAD:
        later = AgendaItem.objects.filter(follows_id__in=frontier).exclude(pk__in=seen)
        frontier = list(later.values_list("pk", flat=True))
        seen.update(frontier)
    return seen


def matter_thread(*, item: AgendaItem, reach: Reach) -> Thread:
    ids = thread_item_ids(item)
    items = (
        AgendaItem.objects.filter(pk__in=ids)
        .select_related("meeting__board", "follows")
        .prefetch_related(
            "decisions",
            Prefetch("actions", queryset=Action.objects.prefetch_related("owners")),
        )
        .order_by("meeting__starts_at", "order", "pk")
    )
    entries = [entry for entry in items if reach.sees(entry)]
    return Thread(item=item, entries=entries, hidden=len(ids) - len(entries))


def link_candidates(*, item: AgendaItem, reach: Reach):
    """Items it may follow: earlier meetings of its board or the board it reports to."""
    board = item.meeting.board
    boards = [board.pk] + ([board.parent_id] if board.parent_id else [])
    return (
        AgendaItem.objects.visible_to(reach)
        .filter(
            meeting__board_id__in=boards,
            meeting__starts_at__lt=item.meeting.starts_at,
        )
        .exclude(pk__in=later_item_ids(item))
        .select_related("meeting__board")
        .order_by("-meeting__starts_at", "order")
    )
