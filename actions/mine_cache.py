"""A person's "my actions" lists and navigation count, kept in the cache until the record
changes: each is stored under the record's version (boards.RecordChange, which
actions.signals adds on every change they are built from) and the London day, so a
reader of an unchanged record costs one index probe, not the lists' queries and
rendering (issue 22: "my actions" under load at half the trivial page's rate).

Entries also expire: "closed in the last 30 days" moves with the clock, not only with
the record, and a write committed out of order behind a newer one is caught up by then.
"""

from collections.abc import Callable

from django.core.cache import cache
from django.utils import timezone

from boards.models import Person, RecordChange

SECONDS = 300


def _key(kind: str, person: Person, version: int) -> str:
    return f"my-actions-{kind}:{person.pk}:{timezone.localdate().isoformat()}:{version}"


def lists(person: Person, build: Callable[[], dict]) -> dict:
    """The page's lists as `build` makes them (a dict with "needs_attention"),
    built only when the record has changed since they were last built."""
    version = RecordChange.objects.version()
    key = _key("lists", person, version)
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set_many(
            {key: found, _key("count", person, version): found["needs_attention"]}, SECONDS
        )
    return found


def needs_attention(person: Person, count: Callable[[], int]) -> int:
    """The navigation bar's count: what the lists last counted, or `count()`."""
    key = _key("count", person, RecordChange.objects.version())
    found = cache.get(key)
    if found is None:
        found = count()
        cache.set(key, found, SECONDS)
    return found
