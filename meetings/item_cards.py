"""The meeting screen's item cards, kept in the cache under a digest of everything a card
shows: at 80 items the cards were most of the screen's time (about 0.5 ms of template
work each), and mid-meeting a secretary's reload finds all but the item they typed in
unchanged. A card is drawn again exactly when something on it changed."""

import hashlib
import os

from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from .models import AgendaItem

CARD_TEMPLATE = "meetings/edit.html#item"
SECONDS = 3600


def _shown(item: AgendaItem, context: dict) -> tuple:
    """Every value the card (templates/meetings/edit.html, partial "item") reads, from the
    item's prefetched lists (AgendaItem.objects.for_screen) and the screen's context."""
    meeting = context["meeting"]
    return (
        (item.pk, item.parent_id, item.number, item.title, item.confidential),
        (item.minutes, item.version, item.updated_at),
        (meeting.pk, meeting.is_frozen),
        sorted(context["perms"]),
        bool(context["voters"]),
        [(m.pk, m.starts_at) for m in context["approvable"]],
        (list(context["correction_rows"]), context["attendance_choices"]),
        [p.with_organisation for p in item.presenter_list],
        [(p.pk, p.title, p.size) for p in item.paper_list],
        [
            (a.pk, a.at, a.reason, a.before, a.after)
            + ((a.by.get_full_name(), a.by.get_username()) if a.by else ())
            for a in item.amendment_list
        ],
        [
            (d.pk, d.number, d.kind, d.text, d.approves_id, d.vote_summary, d.bring_back)
            + (
                d.bring_back_month,
                d.bring_back_meeting.starts_at if d.bring_back_meeting else None,
            )
            for d in item.decision_list
        ],
    )


def fingerprint(item: AgendaItem, context: dict, template_version: tuple) -> str:
    shown = (template_version, _shown(item, context))
    return hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()


def _template_version(template) -> tuple:
    """The card's template file as it is now (its path, size and time): a deploy or an edit
    that changes it draws every card afresh."""
    found = os.stat(template.origin.name)
    return (template.origin.name, found.st_size, found.st_mtime_ns)


def draw(items: list[AgendaItem], context: dict) -> None:
    """Each item's card as HTML (`item.card_html`), read from the cache in one round trip;
    only the cards whose fingerprint changed are drawn (with the screen's context)."""
    template = get_template(CARD_TEMPLATE)
    version = _template_version(template)
    keys = [f"item-card:{fingerprint(item, context, version)}" for item in items]
    cached = cache.get_many(keys)
    drawn = {}
    for item, key in zip(items, keys, strict=True):
        html = cached.get(key)
        if html is None:
            html = drawn[key] = template.render({**context, "item": item})
        item.card_html = mark_safe(html)  # noqa: S308 – rendered by our own template
    if drawn:
        cache.set_many(drawn, SECONDS)
