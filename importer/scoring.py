"""How well the importer reads a document, against hand-written expected JSON.

Facts are counted per kind: attendance entries (name, status, organisation, role,
substitute), items (number and title), decisions (item, kind, text), actions (text; and
owners, counted apart) and amounts (item and pence). A kind's share is the facts found
right over the larger of expected and found, so extra, wrong facts cost as much as
missing ones.
"""

import json
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from .parse import ParsedMeeting, parse_minutes
from .read import read_document

CORPUS = Path(__file__).resolve().parent / "corpus"
KINDS = ("attendance", "items", "decisions", "action_texts", "action_owners", "amounts")


@dataclass
class Score:
    document: str
    counts: dict[str, tuple[int, int]]  # kind -> (right, out of)

    @property
    def right(self) -> int:
        return sum(r for r, _ in self.counts.values())

    @property
    def total(self) -> int:
        return sum(t for _, t in self.counts.values())

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 1.0


def _norm(text: str | None) -> str:
    text = (text or "").lower().replace("’", "'").replace("&", "and")
    return re.sub(r"[^a-z0-9£']+", " ", text).strip()


def _similar(a: str, b: str) -> bool:
    a, b = _norm(a), _norm(b)
    return a == b or SequenceMatcher(None, a, b).ratio() >= 0.85


def _match(expected: list, found: list, same) -> int:
    """How many expected rows have a found row that is the same; each found row used once."""
    left = list(found)
    right = 0
    for row in expected:
        for index, candidate in enumerate(left):
            if same(row, candidate):
                right += 1
                del left[index]
                break
    return right


def _person(row: dict) -> tuple:
    return (
        _norm(row.get("name")),
        row.get("status"),
        _norm(row.get("organisation")),
        row.get("role") or None,
        _norm(row.get("substitute_for")) or None,
    )


def score(expected: dict, found: dict, document: str = "") -> Score:
    counts = {}

    def count(kind, exp_rows, got_rows, same):
        counts[kind] = (_match(exp_rows, got_rows, same), max(len(exp_rows), len(got_rows)))

    count(
        "attendance",
        expected["attendance"],
        found["attendance"],
        lambda e, g: _person(e) == _person(g),
    )
    count(
        "items",
        expected["items"],
        found["items"],
        lambda e, g: e["number"] == g["number"] and _norm(e["title"]) == _norm(g["title"]),
    )
    count(
        "decisions",
        expected["decisions"],
        found["decisions"],
        lambda e, g: (
            e["item"] == g["item"] and e["kind"] == g["kind"] and _similar(e["text"], g["text"])
        ),
    )
    count(
        "action_texts",
        expected["actions"],
        found["actions"],
        lambda e, g: e["item"] == g["item"] and _similar(e["text"], g["text"]),
    )
    count(
        "action_owners",
        expected["actions"],
        found["actions"],
        lambda e, g: (
            e["item"] == g["item"]
            and _similar(e["text"], g["text"])
            and sorted(e["owners"]) == sorted(g["owners"])
        ),
    )
    count(
        "amounts",
        expected["amounts"],
        found["amounts"],
        lambda e, g: e["item"] == g["item"] and e["pence"] == g["pence"],
    )
    return Score(document=document, counts=counts)


def corpus_documents() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".docx", ".pdf"))


def parse_file(path: Path) -> ParsedMeeting:
    return parse_minutes(read_document(path.name, path.read_bytes()))


def expected_for(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".expected.json").read_text())


def score_corpus() -> list[Score]:
    return [score(expected_for(p), parse_file(p).to_json(), p.name) for p in corpus_documents()]


def overall(scores: list[Score]) -> float:
    total = sum(s.total for s in scores)
    return sum(s.right for s in scores) / total if total else 1.0
