"""What makes the views derived from the record stale: any change to what the reminder
plan, a "my actions" page or a calendar feed is built from adds a boards.RecordChange.
Within a London day these are a function of the record alone, so with no change since, the
15-minute pass has nothing to plan (issue 22: the idle pass) and a page or feed built
earlier is still the page.

Saves that name their fields (`update_fields`) and touch none of these, such as an item's
minutes saved as they are typed, or a sign-in's last_login, change nothing.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save

from boards.models import Board, Membership, Person, RecordChange
from meetings.models import AgendaItem, Decision, Meeting

from .models import Action, ActionUpdate

# The fields each model's derived views read; None: any of them.
BUILT_FROM: dict[type, frozenset[str] | None] = {
    Action: None,
    ActionUpdate: None,
    Membership: None,
    Person: None,
    # The reminder plan's fields, then those a calendar feed's event shows.
    Meeting: frozenset(
        {"board", "starts_at", "title", "minutes_circulated_at", "remind_overdue"}
        | {"start_time_known", "ends_at", "kind", "venue", "status"}
    ),
    AgendaItem: frozenset({"meeting", "confidential", "number", "title", "order"}),
    Decision: frozenset({"item", "number", "text"}),
    Board: frozenset({"name", "slug", "reminder_days_before", "secretary"}),
    # Who may read what: a superuser reads every board.
    get_user_model(): frozenset({"is_superuser", "is_staff", "is_active"}),
}


def changed(*, sender, update_fields=None, **kwargs) -> None:
    fields = BUILT_FROM.get(sender)
    if update_fields is not None and fields is not None and not fields & set(update_fields):
        return
    RecordChange.objects.create()


def owners_changed(*, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        RecordChange.objects.create()


def connect() -> None:
    for model in BUILT_FROM:
        name = model.__name__
        post_save.connect(changed, sender=model, dispatch_uid=f"record-change-save-{name}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"record-change-delete-{name}")
    m2m_changed.connect(
        owners_changed, sender=Action.owners.through, dispatch_uid="record-change-owners"
    )
