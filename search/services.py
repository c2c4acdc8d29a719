from django.db import transaction

from meetings.models import AgendaItem

from .threads import later_item_ids


class ThreadError(ValueError):
    """The link would not make a thread: another board, a later meeting, or a loop."""


@transaction.atomic
def link_item(*, item: AgendaItem, follows: AgendaItem | None, by=None) -> AgendaItem:
    """An item follows one earlier item of its own board or of the board it reports to.

    `follows=None` removes the link. A loop (following one's own later item) is refused.
    """
    item = AgendaItem.objects.select_for_update().select_related("meeting__board").get(pk=item.pk)
    if follows is not None:
        board = item.meeting.board
        if follows.meeting.board_id not in {board.pk, board.parent_id}:
            raise ThreadError("Link only to an item of this board or the board it reports to.")
        if follows.meeting.starts_at >= item.meeting.starts_at:
            raise ThreadError("Link only to an item at an earlier meeting.")
        if follows.pk in later_item_ids(item):
            raise ThreadError("That item already follows this one; the thread would loop.")
    item.follows = follows
    item._history_user = by  # simple_history: the change is recorded as theirs
    item.save(update_fields=["follows", "updated_at"])
    return item
