"""What makes the next reminder pass plan again: any change to what reminders are planned
from. Within a London day the plan is a function of the record alone, so a pass with no
such change since the last plan has nothing to plan (issue 22: the idle 15-minute pass).

Saves that name their fields (`update_fields`) and touch none the plan reads, such as an
item's minutes saved as they are typed, change nothing.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from boards.models import Board, Membership, Person
from meetings.models import AgendaItem, Meeting

from .models import Action, ReminderReplan

# The fields each model's plan reads; None: any of them.
PLANNED_FROM: dict[type, frozenset[str] | None] = {
    Action: None,
    Membership: None,
    Person: None,
    Meeting: frozenset({"board", "starts_at", "minutes_circulated_at", "remind_overdue"}),
    AgendaItem: frozenset({"meeting", "confidential"}),
    Board: frozenset({"reminder_days_before", "secretary"}),
}


def replan(*, sender, update_fields=None, **kwargs) -> None:
    fields = PLANNED_FROM.get(sender)
    if update_fields is not None and fields is not None and not fields & set(update_fields):
        return
    ReminderReplan.objects.create()


def owners_changed(*, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        ReminderReplan.objects.create()


def connect() -> None:
    for model in PLANNED_FROM:
        post_save.connect(replan, sender=model, dispatch_uid=f"replan-save-{model.__name__}")
        post_delete.connect(replan, sender=model, dispatch_uid=f"replan-delete-{model.__name__}")
    m2m_changed.connect(owners_changed, sender=Action.owners.through, dispatch_uid="replan-owners")
