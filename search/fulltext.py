"""Full-text search over the record: item titles and minutes, decisions, actions, papers.

On PostgreSQL: English stemming ("sharing" finds "share"), ranking and highlighted
snippets. Each searched table has a stored tsvector column with a GIN index (migration
0002), so matching and ranking read it and never run to_tsvector per row. Elsewhere
(SQLite): every word must appear (case-insensitive, crude suffix stripping), ranked by how
often. Both weigh a match by where it is (Kind.weights): an item's title, then a decision,
a paper, an action, and last a passing mention in the minutes; the newer meeting first
between equals.
"""

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import (
    CharField,
    DateField,
    Expression,
    F,
    IntegerField,
    Lookup,
    Q,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from actions.models import Action
from boards.permissions import Reach
from meetings.models import AgendaItem, Decision, Meeting, Paper

CONFIG = "english"
# A search keeps its best this many hits (ten pages): enough to page through, and a cost
# bounded however many records in a decade of minutes match a common phrase.
MAX_HITS = 200
HITS_FETCHED = MAX_HITS + 1  # one more than is kept: tells "more than 200"
# A search looks first in the reader's latest this many meetings: a common phrase matches
# a quarter of a decade's minutes (50,000 rows at council scale, 170 ms to rank), and
# more than MAX_HITS of them among the latest meetings are the ones a reader wants. Only
# when the latest meetings hold fewer does it search the whole record, whose matches are
# then few (the text index finds them at once).
RECENT_MEETINGS = 200
# Within those meetings, decisions and actions (found by their items' ids) are matched row
# by row: some thousands of rows, however large the record. Through the text index a
# common phrase read every match in the council (7,126 actions for "troubled families",
# where PostgreSQL expected 255) to keep the 162 in the window: 28 ms, now 8.
WINDOWED_BY_ITEM = frozenset({"action", "decision"})
# ts_headline marks matches with these; they are swapped for <mark> after escaping.
_START, _STOP = "\u27ea", "\u27eb"


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    model: type
    fields: tuple[str, ...]  # the searched text; for items the first one is the title
    to_item: str  # lookup prefix from the row to its agenda item
    # What a match in each field is worth: a title or a decision says what the matter is,
    # a word in the minutes' body may be a passing mention.
    weights: tuple[float, ...]

    @property
    def rank_weights(self) -> list[float]:
        """ts_rank's weights, [D, C, B, A], for the stored document: an item's title is
        weighted A and its minutes B (migration 0002); the other kinds' one field is D."""
        if len(self.weights) == 2:
            return [0.1, 0.1, self.weights[1], self.weights[0]]
        return [self.weights[0], 0.1, 0.1, 0.1]


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("item", "Agenda item", AgendaItem, ("title", "minutes"), "", (1.0, 0.2)),
        Kind("decision", "Decision", Decision, ("text",), "item__", (0.9,)),
        Kind("action", "Action", Action, ("text",), "item__", (0.5,)),
        Kind("paper", "Paper", Paper, ("title",), "item__", (0.7,)),
    )
}
# ts_rank's normalisation: none. The fields' weights already put a passing mention in the
# minutes below a title or a decision; dividing by length would rank any one-line
# decision above the item whose title names the matter (measured: test_ranking).
RANK_NORMALIZATION = 0


class StoredDocument(Expression):
    """The row's stored search_document (PostgreSQL only; migration 0002 adds it outside the
    models): its kind's fields as a tsvector, an item's title weighted above its minutes."""

    output_field = SearchVectorField()
    column = "search_document"

    def __init__(self, *, indexed: bool = True):
        super().__init__()
        self.indexed = indexed

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        sql = f"{table}.{connection.ops.quote_name(self.column)}"
        # Not indexed: the same value as an expression, which the text index cannot serve.
        return (sql if self.indexed else f"({sql} || ''::tsvector)"), []


class AnyOf(Lookup):
    """`meeting__any=Value("{1,2,3}")`: `= ANY('{1,2,3}'::bigint[])`, the ids as one array
    literal that the database wrote itself (ids_literal): a board's decade of meetings is
    hundreds of ids, each of which `__in` would send, and Python read and write, alone.
    PostgreSQL only."""

    lookup_name = "any"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} = ANY({rhs}::bigint[])", [*lhs_params, *rhs_params]


AgendaItem._meta.get_field("meeting").register_lookup(AnyOf)
for _model in (Decision, Action):
    _model._meta.get_field("item").register_lookup(AnyOf)


@dataclass(frozen=True)
class Filters:
    text: str
    kinds: tuple[str, ...] = tuple(KINDS)
    board_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class HitRef:
    """A hit before it is loaded: enough to rank and paginate."""

    kind: str
    pk: int
    rank: float
    starts_at: dt.datetime


@dataclass
class Hit:
    kind: Kind
    obj: object
    item: AgendaItem
    meeting: Meeting
    rank: float
    title: SafeString
    snippet: SafeString

    @property
    def url(self) -> str:
        return f"{reverse('meetings:detail', args=[self.meeting.pk])}#item-{self.item.pk}"


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def _scoped(
    kind: Kind,
    reach: Reach,
    filters: Filters,
    meeting_ids: str | None = None,
    *,
    within: tuple[str, str] | None = None,
):
    """The rows of a kind the search looks in; `within`, the (meeting ids, item ids) of the
    latest meetings, keeps it to those."""
    prefix = kind.to_item
    rows = kind.model.objects.visible_to(reach)
    if within is not None and kind.name in WINDOWED_BY_ITEM:
        # By their items' ids: through the meetings, the planner matched every decision
        # in the council first and joined the window's items after.
        rows = rows.filter(item__any=Value(within[1]))
    elif within is not None:
        rows = rows.filter(**{f"{prefix}meeting__any": Value(within[0])})
    elif kind.model in (Action, Decision):
        # These keep their board: the planner can AND the board index with the text
        # index instead of fetching every matching row in the council to sort out.
        rows = rows.filter(board__in=reach.board_ids)
    elif meeting_ids is not None:
        # The same for the rest, through their meetings' ids written out: a list the
        # planner can AND with the text index (a sub-select it would join after the fact).
        # As an expression: Django walks a plain string character by character, checking
        # that none is a model instance of the wrong type.
        rows = rows.filter(**{f"{prefix}meeting__any": Value(meeting_ids)})
    if filters.board_id is not None:
        rows = rows.filter(**{f"{prefix}meeting__board_id": filters.board_id})
    if filters.date_from:
        rows = rows.filter(**{f"{prefix}meeting__starts_at__date__gte": filters.date_from})
    if filters.date_to:
        rows = rows.filter(**{f"{prefix}meeting__starts_at__date__lte": filters.date_to})
    return rows


def find(*, reach: Reach, filters: Filters) -> list[HitRef]:
    """The best hits of every kind, best first (ties: the latest meeting first): at most
    MAX_HITS, and one more when there are more, for the page to say so."""
    if not filters.text.strip() or not reach.board_ids:
        return []
    # Literal ids: the planner ANDs them with the text index (a sub-select it joins after).
    reach = reach.resolved()
    if uses_postgres():
        # (Without parallel workers, as every connection of the app: DATABASE_PARALLEL_WORKERS.)
        return _find_latest_first(reach, filters)
    scoped = [(KINDS[name], _scoped(KINDS[name], reach, filters)) for name in filters.kinds]
    refs: list[HitRef] = []
    for kind, rows in scoped:
        refs += _find_words(kind, rows, filters.text)
    refs.sort(key=lambda ref: (-ref.rank, -ref.starts_at.timestamp(), ref.kind, ref.pk))
    return refs[: MAX_HITS + 1]


def _find_latest_first(reach: Reach, filters: Filters) -> list[HitRef]:
    """PostgreSQL: the reader's latest meetings first, the whole record when they hold
    too few matches (RECENT_MEETINGS)."""
    meetings = Meeting.objects.filter(board__in=reach.board_ids)
    if filters.board_id is not None:
        meetings = meetings.filter(board_id=filters.board_id)
    if filters.date_from:
        meetings = meetings.filter(starts_at__date__gte=filters.date_from)
    if filters.date_to:
        meetings = meetings.filter(starts_at__date__lte=filters.date_to)
    latest = ids_literal(meetings.order_by("-starts_at", "-pk")[:RECENT_MEETINGS])
    within = (latest, ids_literal(AgendaItem.objects.filter(meeting__any=Value(latest))))
    refs = _find_postgres(
        [(KINDS[n], _scoped(KINDS[n], reach, filters, within=within)) for n in filters.kinds],
        filters.text,
        row_by_row=WINDOWED_BY_ITEM,
    )
    if len(refs) > MAX_HITS or latest.count(",") + 1 < RECENT_MEETINGS:
        return refs  # enough among the latest meetings, or they are all the meetings
    every = ids_literal(meetings) if set(filters.kinds) - {"action", "decision"} else None
    scoped = [(KINDS[n], _scoped(KINDS[n], reach, filters, every)) for n in filters.kinds]
    return _find_postgres(scoped, filters.text)


def ids_literal(rows: QuerySet) -> str:
    """The rows' ids as a PostgreSQL array literal, "{1,2,3}", aggregated in the database."""
    if rows.query.is_sliced:  # the latest few: aggregated over the slice
        rows = rows.model.objects.filter(pk__in=rows.values("pk"))
    found = rows.order_by().aggregate(ids=Cast(ArrayAgg("pk"), CharField()))["ids"]
    return found or "{}"


def _query(text: str) -> SearchQuery:
    # websearch syntax: "exact phrase", -excluded, or.
    return SearchQuery(text, config=CONFIG, search_type="websearch")


def _find_postgres(
    scoped: list[tuple[Kind, QuerySet]], text: str, *, row_by_row: frozenset[str] = frozenset()
) -> list[HitRef]:
    """Every kind's matches ranked in one UNION ALL, of which only the best come back:
    the database sorts a decade's matches, not Python. The kinds in `row_by_row` are
    matched on each of their scoped rows, without the text index."""
    query = _query(text)
    selects = [
        rows.alias(document=StoredDocument(indexed=kind.name not in row_by_row))
        .filter(document=query)
        .annotate(
            hit_kind=Value(kind.name, output_field=CharField()),
            rank=SearchRank(
                StoredDocument(),
                query,
                weights=kind.rank_weights,
                normalization=RANK_NORMALIZATION,
            ),
            hit_starts_at=F(f"{kind.to_item}meeting__starts_at"),
        )
        .order_by()
        .values_list("hit_kind", "pk", "rank", "hit_starts_at")
        for kind, rows in scoped
    ]
    best = selects[0].union(*selects[1:], all=True) if len(selects) > 1 else selects[0]
    best = best.order_by("-rank", "-hit_starts_at", "hit_kind", "pk")[:HITS_FETCHED]
    return [HitRef(kind, pk, float(rank), starts_at) for kind, pk, rank, starts_at in best]


_SUFFIXES = ("ings", "ing", "ies", "ied", "es", "ed", "s")


def words_of(text: str) -> list[str]:
    """The words to look for without a stemmer: "sharing" -> "shar", which finds "share"."""
    words = []
    for raw in re.findall(r"[\w'£-]+", text.lower()):
        word = raw.strip("'-")
        if not word or raw.startswith("-"):
            continue
        for suffix in _SUFFIXES:
            if len(word) - len(suffix) >= 4 and word.endswith(suffix):
                word = word[: -len(suffix)]
                break
        words.append(word)
    return list(dict.fromkeys(words))


def _find_words(kind: Kind, rows, text: str) -> list[HitRef]:
    words = words_of(text)
    if not words:
        return []
    for word in words:
        any_field = Q()
        for name in kind.fields:
            any_field |= Q(**{f"{name}__icontains": word})
        rows = rows.filter(any_field)
    values = rows.values_list("pk", f"{kind.to_item}meeting__starts_at", *kind.fields)
    refs = []
    for pk, starts_at, *texts in values[: HITS_FETCHED * 4]:
        rank = 0.0
        for weight, body in zip(kind.weights, texts, strict=True):
            lowered = (body or "").lower()
            found = sum(lowered.count(word) for word in words)
            # As ts_rank does: more matches count, with diminishing returns.
            rank += weight * math.log1p(found)
        refs.append(HitRef(kind.name, pk, rank, starts_at))
    refs.sort(key=lambda ref: -ref.rank)
    return refs[:HITS_FETCHED]


def load(refs: list[HitRef], *, text: str) -> list[Hit]:
    """The page's hits with their meeting, board and a highlighted snippet, in two queries
    whatever kinds the page holds: the hits' own columns (and headlines) as one UNION ALL,
    then their agenda items with meeting and board."""
    by_kind: dict[str, list[int]] = {}
    for ref in refs:
        by_kind.setdefault(ref.kind, []).append(ref.pk)
    if not by_kind:
        return []
    selects = [_hit_columns(KINDS[name], pks, text) for name, pks in by_kind.items()]
    union = selects[0].union(*selects[1:], all=True) if len(selects) > 1 else selects[0]
    rows = {(row.kind, row.pk): row for row in map(_HitRow._make, union)}
    items = AgendaItem.objects.select_related("meeting__board").in_bulk(
        {row.item_id for row in rows.values()}
    )
    # On PostgreSQL ts_headline marked the matches; elsewhere they are found in the text.
    words = None if uses_postgres() else words_of(text)
    hits = []
    for ref in refs:
        row = rows.get((ref.kind, ref.pk))
        if row is not None and row.item_id in items:
            hits.append(_hit(KINDS[ref.kind], row, items[row.item_id], ref.rank, words))
    return hits


class _HitRow(NamedTuple):
    """A hit's columns as load() fetches them, the same for every kind (NULL where a kind
    has no such column): the text is marked by ts_headline on PostgreSQL, raw elsewhere."""

    kind: str
    pk: int
    item_id: int
    title: str | None
    body: str | None
    number: int | None
    status: str | None
    due_on: dt.date | None


def _null(field_class: type) -> Cast:
    """A typed NULL: a kind's column that another kind fills, so the UNION's types agree."""
    return Cast(Value(None), field_class())


def _hit_columns(kind: Kind, pks: list[int], text: str) -> QuerySet:
    """One kind's part of load()'s UNION ALL: the same columns, in the same order, for all."""
    headlines = uses_postgres()
    if kind.name in ("item", "paper"):
        title = _headline("title", text, whole=True) if headlines else F("title")
    else:
        title = _null(TextField)
    if kind.name == "paper":
        body = _null(TextField)
    elif headlines:
        # An item's minutes in two fragments; decisions and actions are short, shown whole
        # as the minutes word them.
        body = _headline(kind.fields[-1], text, whole=kind.name != "item")
    else:
        body = F(kind.fields[-1])
    columns = {
        "hit_kind": Value(kind.name, output_field=CharField()),
        "hit_pk": F("pk"),
        "hit_item": F("pk") if kind.name == "item" else F("item_id"),
        "hit_title": title,
        "hit_body": body,
        "hit_number": F("number") if kind.name == "decision" else _null(IntegerField),
        "hit_status": F("status") if kind.name == "action" else _null(CharField),
        "hit_due": F("due_on") if kind.name == "action" else _null(DateField),
    }
    return (
        kind.model.objects.filter(pk__in=pks).order_by().annotate(**columns).values_list(*columns)
    )


def _headline(field: str, text: str, *, whole: bool) -> SearchHeadline:
    options = {"start_sel": _START, "stop_sel": _STOP, "config": CONFIG}
    if whole:
        return SearchHeadline(field, _query(text), highlight_all=True, **options)
    return SearchHeadline(
        field,
        _query(text),
        max_words=35,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
        **options,
    )


def _hit(kind: Kind, row: _HitRow, item: AgendaItem, rank: float, words: list[str] | None) -> Hit:
    """Items and papers are headed by their own title; decisions and actions by their item's.
    `words`: those to mark in the raw text, None when ts_headline has marked it."""
    marked = words is None
    if kind.name in ("item", "paper"):
        title = _marked(row.title) if marked else _highlight(row.title, words)
        if kind.name == "item" and item.number:
            title = mark_safe(f"{escape(item.number)}. {title}")  # noqa: S308 – escaped
    else:
        title = escape(str(item))
    if kind.name == "paper":
        snippet = escape(f"A paper to item {item}")
    elif marked:
        snippet = _marked(row.body)
    else:
        snippet = _snippet(row.body, words)
    if kind.name == "decision":
        label = Decision.format_label(row.number)
        snippet = mark_safe(f"{escape(label)} {snippet}")  # noqa: S308 – both escaped
    return Hit(
        kind=kind,
        obj=item if kind.name == "item" else _partial(kind, row, item),
        item=item,
        meeting=item.meeting,
        rank=rank,
        title=title,
        snippet=snippet,
    )


def _partial(kind: Kind, row: _HitRow, item: AgendaItem):
    """The hit's row as a model instance holding the columns load() fetched (the others
    deferred, as .only() leaves them), with its item attached."""
    known = {"id": row.pk, "item_id": row.item_id}
    if kind.name == "decision":
        known["number"] = row.number
    if kind.name == "action":
        known |= {"status": row.status, "due_on": row.due_on}
    # from_db takes the values in the model's field order, whatever order the names are in.
    names = [f.attname for f in kind.model._meta.concrete_fields if f.attname in known]
    obj = kind.model.from_db(connection.alias, names, [known[name] for name in names])
    obj.item = item
    return obj


def _marked(headline: str) -> SafeString:
    """ts_headline's text escaped, then its markers made into <mark>: no markup gets through."""
    html = escape(headline or "").replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 – escaped above


def _pattern(words: list[str]) -> re.Pattern | None:
    if not words:
        return None
    return re.compile(r"(\w*(?:" + "|".join(re.escape(w) for w in words) + r")\w*)", re.I)


def _highlight(text: str, words: list[str]) -> SafeString:
    pattern = _pattern(words)
    parts = pattern.split(text) if pattern else [text]
    # split() with one group alternates: plain, match, plain, match, ...
    html = "".join(
        f"<mark>{escape(part)}</mark>" if index % 2 else escape(part)
        for index, part in enumerate(parts)
    )
    return mark_safe(html)  # noqa: S308 – every part escaped


def _snippet(text: str, words: list[str], width: int = 120) -> SafeString:
    """About `width` characters either side of the first match, with the matches marked."""
    text = " ".join((text or "").split())
    pattern = _pattern(words)
    match = pattern.search(text) if pattern else None
    start = max(0, match.start() - width) if match else 0
    end = min(len(text), (match.end() + width) if match else 2 * width)
    if start:
        start = text.find(" ", start) + 1 or start
    piece = text[start:end]
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(f"{prefix}{_highlight(piece, words)}{suffix}")  # noqa: S308
