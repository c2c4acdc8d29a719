"""The audit trail of one record, read from django-simple-history, as a person would read it.

Every tracked change is a historical row (who, when, the whole record after the change);
the difference between consecutive rows gives field, before and after.

Why django-simple-history: it is well kept (Jazzband), records every save, delete and
many-to-many change as a full row with the user (HistoryRequestMiddleware), has
bulk_create/bulk_update_with_history for bulk changes, and its diffs need no extra tables.

Use on a page (only where the reader may see the record, e.g. not for a confidential
item shown to an observer):  {% load audit %}{% history_panel item %}
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from simple_history.models import DeletedObject
from simple_history.utils import get_m2m_reverse_field_name

# Bookkeeping columns a reader of the record does not care about.
NOT_SHOWN = frozenset({"updated_at", "version", "order"})
KINDS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Change:
    who: str
    at: datetime
    kind: str  # created / changed / deleted
    reason: str = ""
    fields: list[FieldChange] = field(default_factory=list)


def history_of(obj: models.Model, *, limit: int = 50) -> list[Change]:
    """Newest first: who changed what on `obj`, with before and after for each field."""
    records = list(
        obj.history.select_related("history_user__person").order_by(
            "-history_date", "-history_id"
        )[: limit + 1]
    )
    changes = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        if len(changes) == limit:
            break
        kind = KINDS.get(newer.history_type, newer.history_type)
        fields = _field_changes(newer, older) if older is not None else []
        if kind == "changed" and not fields and older is not None:
            continue  # a save that changed nothing a reader sees (e.g. only updated_at)
        changes.append(
            Change(
                who=_who(newer.history_user),
                at=newer.history_date,
                kind=kind,
                reason=newer.history_change_reason or "",
                fields=fields,
            )
        )
    return changes


def _who(user) -> str:
    if user is None:
        return "the system"  # a management command, a task or the shell
    person = getattr(user, "person", None)
    return person.display_name if person else user.get_username()


def _field_changes(newer, older) -> list[FieldChange]:
    delta = newer.diff_against(older, foreign_keys_are_objs=True)
    model = newer.instance_type
    shown = []
    for change in delta.changes:
        if change.field in NOT_SHOWN:
            continue
        model_field = model._meta.get_field(change.field)
        shown.append(
            FieldChange(
                field=str(model_field.verbose_name).capitalize(),
                before=_display(model_field, change.old),
                after=_display(model_field, change.new),
            )
        )
    return shown


def _display(model_field, value) -> str:
    if isinstance(model_field, models.ManyToManyField):
        other = get_m2m_reverse_field_name(model_field)
        names = sorted(str(row[other]) for row in value)
        return ", ".join(names) or "—"
    if value is None or value == "":
        return "—"
    if isinstance(value, DeletedObject):
        return f"(deleted {value.model._meta.verbose_name})"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)
