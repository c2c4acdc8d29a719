"""What is kept in the cache until the record changes: each value is stored under the
record's version (boards.RecordChange, which actions.signals adds on every change these
are built from), so a reader of an unchanged record costs one index probe, not the
queries and rendering behind the value (issue 22: "my actions" under load at half the
trivial page's rate; the action log's owner list, which read every open action).

Entries also expire: "closed in the last 30 days" moves with the clock, not only with
the record, and a write committed out of order behind a newer one is caught up by then.
"""

from collections.abc import Callable

from django.core.cache import cache
from django.utils import timezone

from boards.models import Board, Person, RecordChange

SECONDS = 300


def kept(key: str, build: Callable[[], object], *, version: int | None = None) -> object:
    """`build()`, or what it gave when the record was last as it is now (`version`, read
    here unless the caller has it)."""
    if version is None:
        version = RecordChange.objects.version()
    versioned = f"{key}:{version}"
    found = cache.get(versioned)
    if found is None:
        found = build()
        cache.set(versioned, found, SECONDS)
    return found


def _mine(kind: str, person: Person) -> str:
    return f"my-actions-{kind}:{person.pk}:{timezone.localdate().isoformat()}"


def my_lists(person: Person, build: Callable[[], dict]) -> dict:
    """The "my actions" lists as `build` makes them (a dict with "needs_attention"); their
    count is kept for the navigation bar too."""
    version = RecordChange.objects.version()

    def counted() -> dict:
        lists = build()
        cache.set(f"{_mine('count', person)}:{version}", lists["needs_attention"], SECONDS)
        return lists

    return kept(_mine("lists", person), counted, version=version)


def needs_attention(person: Person, count: Callable[[], int]) -> int:
    """The navigation bar's count: what the lists last counted, or `count()`."""
    return kept(_mine("count", person), count)


def log_owners(board: Board, build: Callable[[], list]) -> list:
    """The action log's owner choices: the board's members and its open actions' owners."""
    return kept(f"log-owners:{board.pk}", build)


def person_feed(person: Person, build: Callable[[], bytes]) -> bytes:
    """A person's calendar feed. Its window ("from a year ago") moves with the clock, which
    the entries' expiry follows."""
    return kept(f"calendar-feed:{person.pk}", build)
