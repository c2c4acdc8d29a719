"""List pages cost the same number of queries with 3 actions or 300."""

import csv

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ActionUpdate
from meetings.tests.factories import AgendaItemFactory, DecisionFactory, MeetingFactory


def _make_actions(board, owners, n, days):
    """n actions spread over meetings and items, each with co-owners, a decision and updates."""
    meetings = [
        MeetingFactory(board=board, starts_at=timezone.now() - timezone.timedelta(days=30 * k))
        for k in range(1, 4)
    ]
    items = [AgendaItemFactory(meeting=m) for m in meetings]
    decisions = [DecisionFactory(item=i, number=1) for i in items]
    actions = Action.objects.bulk_create(
        Action(
            item=items[k % 3],
            board=board,
            decision=decisions[k % 3] if k % 2 else None,
            text=f"Action {k}",
            due_on=days(k % 40 - 10) if k % 5 else None,
            whole_board=(k % 7 == 0),
        )
        for k in range(n)
    )
    Through = Action.owners.through
    Through.objects.bulk_create(
        Through(action=a, person=p) for a in actions if not a.whole_board for p in owners
    )
    ActionUpdate.objects.bulk_create(
        ActionUpdate(action=a, by=owners[0], text=f"Update on {a.text}") for a in actions
    )
    for a in actions[:: max(1, n // 3)]:
        a.set_status(Action.Status.DONE)
        a.save()


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["actions:mine", "actions:log"])
def test_it_costs_the_same_queries_for_3_and_300_actions(
    url_name, board, member, secretary, client_for, days, django_assert_max_num_queries
):
    client = client_for(member)
    url = reverse(url_name) if url_name == "actions:mine" else reverse(url_name, args=[board.slug])
    _make_actions(board, [member, secretary], 3, days)
    small = _count(client, url)
    _make_actions(board, [member, secretary], 297, days)
    with django_assert_max_num_queries(small):
        response = client.get(url)
    if url_name == "actions:log":
        assert response.context["page"].paginator.count == 300
    else:
        mine = response.context["mine"]
        assert mine.open_count + len(mine.recently_done) == 300
    # The person's own action ids are read first (ActionQuerySet.owned_by); after a change
    # the log's navigation count and owner list each read the record's version too.
    assert small <= 20


def test_it_streams_the_log_csv_of_300_actions_in_the_queries_of_3(
    board, member, secretary, client_for, days
):
    client = client_for(member)
    url = reverse("actions:log_export", args=[board.slug, "csv"])
    client.get(url)  # the first request after signing in also saves the session

    def export():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
            lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
        return len(ctx.captured_queries), lines

    _make_actions(board, [member, secretary], 3, days)
    small, lines = export()
    assert len(lines) == 1 + 3
    _make_actions(board, [member, secretary], 297, days)
    large, lines = export()
    assert (large, len(lines)) == (small, 1 + 300)


@pytest.mark.django_db
def test_the_csv_names_each_actions_owners_across_chunks(
    board, member, secretary, client_for, days, monkeypatch
):
    from actions import exports

    monkeypatch.setattr(exports, "CHUNK", 40)  # 300 actions: eight chunks
    _make_actions(board, [member, secretary], 300, days)
    client = client_for(member)
    response = client.get(reverse("actions:log_export", args=[board.slug, "csv"]))
    rows = list(
        csv.DictReader(b"".join(response.streaming_content).decode("utf-8-sig").splitlines())
    )

    assert len(rows) == 300
    by_text = {row["Action"]: row for row in rows}
    for k in range(300):
        owners = by_text[f"Action {k}"]["Owners"]
        expected = "ALL" if k % 7 == 0 else " / ".join(p.display_name for p in (member, secretary))
        assert owners == expected, k
