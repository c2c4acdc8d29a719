"""How much the GIN index buys: full-text search against a plain icontains scan.

compare() builds a throw-away corpus of minutes-like paragraphs in a table that is rolled
back at the end of its transaction (so the real record is untouched), indexes it the way
migration 0002 indexes the minutes (a stored tsvector column with a GIN index), and times
the two ways of finding the same words.
"""

import random
import re
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

QUERY = "sharing protocol"
# One paragraph in this many carries the searched-for matter, as a real record would.
PLANTED_EVERY = 500
TABLE = "search_bench_paragraph"

_FALLBACK_WORDS = [
    "board",
    "partners",
    "agreed",
    "report",
    "funding",
    "council",
    "health",
    "police",
    "community",
    "budget",
    "action",
    "meeting",
    "minutes",
    "update",
    "project",
    "plan",
    "delivery",
    "transformation",
    "services",
    "customers",
]


def _vocabulary() -> list[str]:
    """Words from the sample minutes, so the corpus reads (and stems) like the real thing."""
    words: list[str] = []
    for folder in (settings.BASE_DIR / "demo" / "samples", Path("/work/shared/samples")):
        for path in sorted(folder.glob("*")) if folder.is_dir() else []:
            if path.suffix in (".txt", ".json"):
                words += re.findall(r"[A-Za-z]{3,}", path.read_text(errors="ignore"))
    # The searched-for words appear only where planted.
    words = [w for w in words if not w.lower().startswith(("shar", "protocol"))]
    return words or _FALLBACK_WORDS


def _paragraphs(n: int, seed: int = 2014):
    rng = random.Random(seed)
    vocabulary = _vocabulary()
    for index in range(n):
        words = rng.choices(vocabulary, k=rng.randint(25, 75))
        if index % PLANTED_EVERY == 0:
            words.insert(rng.randrange(len(words)), "data sharing protocol")
        yield (" ".join(words),)


def _timed(cursor, sql: str, params, repeat: int) -> tuple[float, int]:
    cursor.execute(sql, params)  # warm-up: plan and pages in cache
    cursor.fetchall()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(rows)


def compare(n_paragraphs: int = 100_000, *, repeat: int = 5) -> dict:
    """Median milliseconds of the indexed full-text query and of the icontains scan, and
    their ratio (how many times faster the index is), over `n_paragraphs` paragraphs."""
    if connection.vendor != "postgresql":
        return {"skipped": "full-text search with a GIN index needs PostgreSQL"}
    document = "to_tsvector('english'::regconfig, COALESCE(body, ''))"
    fts = (
        f"SELECT id FROM {TABLE} "
        "WHERE search_document @@ websearch_to_tsquery('english'::regconfig, %s)"
    )
    words = QUERY.split()
    # What Django's icontains compiles to on PostgreSQL, one condition a word.
    icontains = f"SELECT id FROM {TABLE} WHERE " + " AND ".join(
        "UPPER(body::text) LIKE UPPER(%s)" for _ in words
    )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        # Unlogged and rolled back at the end: fast to fill, never part of the record.
        cursor.execute(
            f"CREATE UNLOGGED TABLE {TABLE} (id serial, body text,"
            f" search_document tsvector GENERATED ALWAYS AS ({document}) STORED)"
        )
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        with cursor.cursor.copy(f"COPY {TABLE} (body) FROM STDIN") as copy:
            for row in _paragraphs(n_paragraphs):
                copy.write_row(row)
        cursor.execute(f"CREATE INDEX {TABLE}_fts ON {TABLE} USING GIN (search_document)")
        cursor.execute(f"ANALYZE {TABLE}")
        built_s = time.perf_counter() - started
        cursor.execute(f"EXPLAIN {fts}", [QUERY])
        plan = "\n".join(row[0] for row in cursor.fetchall())
        gin_ms, gin_hits = _timed(cursor, fts, [QUERY], repeat)
        scan_ms, scan_hits = _timed(cursor, icontains, [f"%{w}%" for w in words], repeat)
        transaction.set_rollback(True)
    return {
        "database": "postgresql",
        "n_paragraphs": n_paragraphs,
        "query": QUERY,
        "gin_ms": round(gin_ms, 3),
        "icontains_ms": round(scan_ms, 3),
        "ratio": round(scan_ms / gin_ms, 1) if gin_ms else None,
        "gin_hits": gin_hits,
        "icontains_hits": scan_hits,
        "index_used": f"{TABLE}_fts" in plan,
        "corpus_build_s": round(built_s, 1),
        "repeat": repeat,
    }
