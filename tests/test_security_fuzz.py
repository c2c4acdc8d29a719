"""Bad input never gives a 500: random query strings on list pages, random form posts.

Hypothesis draws the input; every response must be a page (200), a redirect or a 4xx.
Examples are few per URL (the suite must stay fast); the world is the permission matrix's.
"""

from dataclasses import replace

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_permission_matrix import MATRIX, _request, _restore_papers, shared_worlds

pytestmark = pytest.mark.django_db

# List and filter pages: the ones that read a query string.
LIST_PAGES = [
    "home",
    "boards:detail",
    "meetings:detail",
    "actions:mine",
    "actions:log",
    "actions:log_export",
    "actions:item_actions",
    "actions:matters_arising",
    "funding:bids",
    "funding:fund",
    "funding:board_panel",
    "search:search",
    "api:board-list",
    "api:meeting-list",
    "api:item-list",
    "api:decision-list",
    "api:action-list",
    "api:fund-list",
    "api:ocd_events",
]
POSTED = sorted(name for name, entry in MATRIX.items() if entry.method == "post")

PARAM_NAMES = [
    "q", "page", "status", "owner", "owners", "board", "due", "due_on", "due_kind", "sort",
    "order", "format", "public", "fmt", "meeting", "from", "to", "year", "kind", "fund",
    "decision", "amount", "text", "title", "number", "minutes", "version", "earlier",
    "corrections", "person", "name", "email", "organisation", "note", "outcome", "starts_at",
    "ends_at", "venue", "ids", "nature", "item", "funder", "programme", "amount_sought",
    "financial_year", "theme", "low", "high", "activity", "reason", "confidential", "parent",
    "presenters", "op", "action", "entry", "to_fund", "direction", "cursor", "page_size",
    "search", "ordering", "limit", "offset",
]  # fmt: skip
NASTY = st.sampled_from(
    [
        "", " ", "0", "-1", "1e309", "99999999999999999999", "NaN", "£25k", "£1m-£2m",
        "2014/15", "2014-02-30", "31/12/2014", "null", "[]", "{}", "'; DROP TABLE x;--",
        "<script>alert(1)</script>", "\x00", "a\x00b", "%", "\u202e", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "../../etc/passwd", "x" * 5000,
    ]
)  # fmt: skip
VALUES = st.one_of(NASTY, st.text(max_size=40), st.integers().map(str))
PARAMS = st.dictionaries(
    st.one_of(st.sampled_from(PARAM_NAMES), st.text(min_size=1, max_size=10)),
    st.one_of(VALUES, st.lists(VALUES, max_size=3)),
    max_size=6,
)


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker):
    yield from shared_worlds(django_db_blocker)


def _fine(response) -> bool:
    return response.status_code < 500


def _fuzz(max_examples):
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )


@pytest.mark.parametrize("name", LIST_PAGES)
def test_bad_query_strings_never_give_a_500(name, worlds, db):
    own, _ = worlds
    entry = MATRIX[name]
    url = reverse(name, kwargs=entry.kwargs(own) if entry.kwargs else {})
    client = own.clients["secretary"]

    @_fuzz(15)
    @given(params=PARAMS, htmx=st.booleans())
    def check(params, htmx):
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.get(url, params, headers=headers)
        assert _fine(response), f"{url}?{params} -> {response.status_code}"

    check()


GARBAGE = ["\x00", "x" * 5000, "-1", "<b>", "2014-02-30", "£1m-£2m", ""]


def test_every_form_survives_garbage_in_every_field(worlds, db):
    own, other = worlds
    _restore_papers(own, other)
    failures = []
    for name in POSTED:
        for junk in GARBAGE:
            data = dict.fromkeys(PARAM_NAMES, junk)
            entry = replace(MATRIX[name], data=lambda w, data=data: data)
            response, _ = _request(name, entry, own, own.clients["secretary"])
            if not _fine(response):
                failures.append(
                    f"POST {name} with every field {junk[:10]!r}: {response.status_code}"
                )
    assert failures == []


def test_random_form_posts_never_give_a_500(worlds, db):
    own, other = worlds
    _restore_papers(own, other)

    @_fuzz(60)
    @given(name=st.sampled_from(POSTED), data=PARAMS, htmx=st.booleans())
    def check(name, data, htmx):
        entry = replace(MATRIX[name], data=lambda w: data)
        response, _ = _request(name, entry, own, own.clients["secretary"], htmx=htmx)
        assert _fine(response), f"POST {name} {data} -> {response.status_code}"

    check()
