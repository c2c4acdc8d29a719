import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from actions.tests.factories import ActionFactory
from api.pagination import NewestFirst
from funding.models import FundEntry
from funding.tests.factories import FundEntryFactory, FundFactory
from meetings.tests.factories import AgendaItemFactory, DecisionFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def as_(api, person):
    api.force_authenticate(person.user)
    return api


@pytest.fixture
def record(board, other_board):
    meeting = MeetingFactory(board=board)
    public = AgendaItemFactory(meeting=meeting, title="Data sharing protocol")
    secret = AgendaItemFactory(meeting=meeting, title="Redundancy proposals", confidential=True)
    elsewhere = AgendaItemFactory(meeting=MeetingFactory(board=other_board), title="Elsewhere")
    fund = FundFactory(board=board, name="Transformation Fund")
    FundEntryFactory(fund=fund, kind=FundEntry.Kind.BUDGET, amount=25_000_000)
    FundEntryFactory(
        fund=fund,
        kind=FundEntry.Kind.ALLOCATION,
        amount=2_500_000,
        decision=DecisionFactory(item=public),
    )
    return {
        "meeting": meeting,
        "public": public,
        "secret": secret,
        "elsewhere": elsewhere,
        "public_decision": public.decisions.get(),
        "secret_decision": DecisionFactory(item=secret, text="To consult on redundancy."),
        "public_action": ActionFactory(item=public),
        "secret_action": ActionFactory(item=secret, text="Write to staff."),
        "fund": fund,
        "other_fund": FundFactory(board=other_board),
    }


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_it_refuses_anonymous_callers(api, record):
    for name in ("board", "meeting", "item", "decision", "action", "fund"):
        assert api.get(reverse(f"api:{name}-list")).status_code in (401, 403)


def test_it_lists_only_the_callers_boards(api, member, record, board):
    client = as_(api, member)
    assert ids(client.get("/api/boards/")) == {board.pk}
    assert ids(client.get("/api/meetings/")) == {record["meeting"].pk}
    assert record["elsewhere"].pk not in ids(client.get("/api/items/"))
    assert ids(client.get("/api/funds/")) == {record["fund"].pk}


def test_it_gives_members_confidential_items_and_what_hangs_off_them(api, member, record):
    client = as_(api, member)
    assert record["secret"].pk in ids(client.get("/api/items/"))
    assert record["secret_decision"].pk in ids(client.get("/api/decisions/"))
    assert record["secret_action"].pk in ids(client.get("/api/actions/"))


def test_it_hides_confidential_items_from_an_observer(api, observer, record):
    client = as_(api, observer)
    assert ids(client.get("/api/items/")) == {record["public"].pk}
    assert ids(client.get("/api/decisions/")) == {record["public_decision"].pk}
    assert ids(client.get("/api/actions/")) == {record["public_action"].pk}
    assert client.get(f"/api/items/{record['secret'].pk}/").status_code == 404
    assert client.get(f"/api/decisions/{record['secret_decision'].pk}/").status_code == 404
    assert "Redundancy" not in client.get("/api/items/?confidential=true").content.decode()


def test_it_does_not_disclose_another_board(api, outsider, record, board):
    client = as_(api, outsider)
    assert client.get(f"/api/boards/{board.pk}/").status_code == 404
    assert client.get(f"/api/meetings/{record['meeting'].pk}/").status_code == 404
    assert client.get(f"/api/funds/{record['fund'].pk}/").status_code == 404
    # Filtering by a board one is not on gives an empty list, as for a board that is not there.
    assert ids(client.get(f"/api/meetings/?board={board.pk}")) == set()
    assert ids(client.get("/api/meetings/?board=999999")) == set()


def test_it_accepts_a_token(api, member, record):
    _, key = AuthToken.objects.create(user=member.user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert ids(api.get("/api/items/")) == {record["public"].pk, record["secret"].pk}
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api.get("/api/items/").status_code == 401


def test_it_hands_out_a_token_for_a_username_and_password(api, member):
    response = api.post(
        "/api/token/", {"username": member.user.username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get("/api/boards/").status_code == 200
    assert AuthToken.objects.filter(user=member.user).count() == 1
    bad = api.post("/api/token/", {"username": member.user.username, "password": "wrong"})
    assert bad.status_code == 400


def test_it_shows_a_funds_balance_in_pence(api, member, record):
    fund = as_(api, member).get(f"/api/funds/{record['fund'].pk}/").json()
    assert fund["balance"]["budget"] == 25_000_000
    assert fund["balance"]["allocated"] == 2_500_000
    assert fund["balance"]["available"] == 22_500_000


def test_it_filters_and_pages(api, member, board):
    meeting = MeetingFactory(board=board)
    for _ in range(55):
        AgendaItemFactory(meeting=meeting)
    AgendaItemFactory(meeting=MeetingFactory(board=board))  # filtered out
    client = as_(api, member)
    first = client.get(f"/api/items/?meeting={meeting.pk}").json()
    assert len(first["results"]) == 50
    assert first["previous"] is None
    # A cursor page: the next link keeps the filter and starts after the last id shown.
    assert f"meeting={meeting.pk}" in first["next"] and "cursor=" in first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 5
    assert second["next"] is None
    ids = [row["id"] for row in first["results"] + second["results"]]
    assert ids == sorted(meeting.items.values_list("pk", flat=True), reverse=True)
    assert client.get(f"/api/items/?meeting={meeting.pk}&cursor=bogus").status_code == 404
    assert client.get("/api/items/?meeting=not-a-number").status_code == 400


def test_it_names_an_actions_owners(api, member, board):
    action = ActionFactory(item=AgendaItemFactory(meeting=MeetingFactory(board=board)))
    action.owners.set([member])
    row = as_(api, member).get(f"/api/actions/{action.pk}/").json()
    assert row["owners"] == [{"id": member.pk, "name": member.display_name}]
    assert row["owner_label"] == member.display_name


@pytest.mark.parametrize(
    ("path", "size"),
    [(path, size) for path in ("items", "decisions", "actions", "funds") for size in (2, 20)],
)
def test_lists_take_a_fixed_number_of_queries(
    api, member, board, path, size, django_assert_max_num_queries
):
    meeting = MeetingFactory(board=board)
    for _ in range(size):
        item = AgendaItemFactory(meeting=meeting)
        ActionFactory(item=item).owners.set([member])
        FundEntryFactory(
            fund=FundFactory(board=board),
            kind=FundEntry.Kind.ALLOCATION,
            amount=100,
            decision=DecisionFactory(item=item),
        )
    client = as_(api, member)
    with django_assert_max_num_queries(8):
        response = client.get(f"/api/{path}/")
    assert len(response.json()["results"]) == size


def _last_page(client, path):
    """Follows the next links to the end: (queries of the last page, ids seen in all)."""
    url, ids = f"/api/{path}/", []
    while url:
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url).json()
        ids += [row["id"] for row in page["results"]]
        url = page["next"]
    return len(ctx.captured_queries), ids


@pytest.mark.parametrize("path", ["meetings", "items", "decisions", "actions"])
def test_its_last_page_costs_the_queries_of_a_short_list(api, member, board, path, monkeypatch):
    """Keyset pages: the last of many costs what the only one of a few does, and walking
    the pages shows every row once, newest recorded first."""
    monkeypatch.setattr(NewestFirst, "page_size", 5)
    client = as_(api, member)
    for _ in range(3):
        ActionFactory(
            item=AgendaItemFactory(meeting=MeetingFactory(board=board)),
            decision=None,
        ).owners.set([member])
        DecisionFactory(item=AgendaItemFactory(meeting=MeetingFactory(board=board)))
    client.get(f"/api/{path}/")  # the first request after signing in also saves the session
    small, _ = _last_page(client, path)
    for _ in range(12):
        item = AgendaItemFactory(meeting=MeetingFactory(board=board))
        ActionFactory(item=item).owners.set([member])
        DecisionFactory(item=item)
    large, ids = _last_page(client, path)
    assert large == small
    assert len(ids) == len(set(ids)) >= 15  # three pages of five
    assert ids == sorted(ids, reverse=True)


def test_it_accepts_a_signed_in_browser_session(client_for, member, record):
    response = client_for(member).get("/api/items/")
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {
        record["public"].pk,
        record["secret"].pk,
    }


def test_it_publishes_its_openapi_schema(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/boards/", "/api/meetings/", "/api/items/", "/api/funds/{id}/"):
        assert path in paths


def test_it_takes_any_iso_offset_in_a_date_filter(api, member, record):
    """Python allows offsets to ±23:59, PostgreSQL to ±15:59: the filter must not 500."""
    url = reverse("api:meeting-list")
    far_west = dt.timezone(-dt.timedelta(hours=17, minutes=14))
    just_after = (record["meeting"].starts_at + dt.timedelta(minutes=1)).astimezone(far_west)
    client = as_(api, member)
    assert record["meeting"].pk in ids(client.get(url, {"starts_after": "2000-01-01T00:00-17:14"}))
    assert record["meeting"].pk not in ids(
        client.get(url, {"starts_after": just_after.isoformat()})
    )
