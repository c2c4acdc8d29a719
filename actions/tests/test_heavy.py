"""Heavy users (issue 22): a person owning hundreds of actions, a chair on 20 boards. Their
pages show bounded lists and cost the same queries whatever the record around them holds."""

import datetime as dt
import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions import selectors
from actions.models import Action, ActionUpdate
from actions.selectors import GROUP_SIZE
from boards.models import Membership
from boards.tests.factories import BoardFactory, MembershipFactory
from meetings.tests.factories import AgendaItemFactory, DecisionFactory, MeetingFactory


def _owned(board, person, n, due, *, text="Action", whole_board=False, others=()):
    """n actions of one past meeting of the board, due on due(k), owned by the person."""
    meeting = MeetingFactory(board=board, starts_at=timezone.now() - dt.timedelta(days=60))
    item = AgendaItemFactory(meeting=meeting, title="Youth services")
    decision = DecisionFactory(item=item, number=1)
    actions = Action.objects.bulk_create(
        Action(
            item=item,
            board=board,
            decision=decision if k % 2 else None,
            text=f"{text} {k:03d}",
            due_on=due(k),
            whole_board=whole_board,
            order=k,
        )
        for k in range(n)
    )
    if not whole_board:
        Action.owners.through.objects.bulk_create(
            Action.owners.through(action=a, person=p) for a in actions for p in (person, *others)
        )
    ActionUpdate.objects.bulk_create(
        ActionUpdate(action=a, by=person, text=f"Update on {a.text}") for a in actions
    )
    return actions


def _spread(board, person, n, days, others=()):
    """n actions across every group: overdue, due soon, later, by the next meeting, done."""
    kinds = [days(-3), days(2), days(40), None]
    actions = _owned(board, person, n, lambda k: kinds[k % 4], others=others)
    for action in actions[::5]:
        action.set_status(Action.Status.DONE)
        action.save(update_fields=["status", "closed_at"])
    return actions


def _after(cursor):
    return urlencode({"after": cursor})


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.fixture
def chair_of_20(db, chair, board):
    """The chair of `board` and of 19 more boards, each with "ALL" actions."""
    boards = [board] + [BoardFactory() for _ in range(19)]
    for other in boards[1:]:
        MembershipFactory(person=chair, board=other, role=Membership.Role.CHAIR)
    chair.boards_chaired = boards
    return chair


@pytest.mark.django_db
def test_it_shows_each_groups_first_25_and_links_to_the_rest(client_for, board, member, days):
    _owned(board, member, 40, lambda k: days(-1 - k), text="Late")
    _owned(board, member, 3, lambda k: days(40), text="Later")

    response = client_for(member).get(reverse("actions:mine"))

    mine = response.context["mine"]
    overdue = next(g for g in mine.groups if g.slug == "overdue")
    assert (overdue.total, len(overdue.rows)) == (40, GROUP_SIZE)
    # The longest overdue first (the earliest due date), as before.
    assert [a.text for a in overdue.rows[:2]] == ["Late 039", "Late 038"]
    assert mine.open_count == 43
    page = response.content.decode()
    assert "Overdue <span" in page and "(40)" in page
    assert f'href="{reverse("actions:mine_group", args=["overdue"])}">All 40 overdue' in page
    # A short group has no link to the rest.
    assert reverse("actions:mine_group", args=["later"]) not in page
    assert page.count('class="list-group-item action-row') == GROUP_SIZE + 3
    # The navigation count is every overdue one, not only those shown.
    assert '<span class="badge rounded-pill text-bg-warning">40<' in page


@pytest.mark.django_db
def test_a_groups_pages_follow_one_another_in_order_at_the_same_cost(
    client_for, board, member, days
):
    _owned(board, member, 60, lambda k: days(-1 - k % 7), text="Late")
    client = client_for(member)
    url = reverse("actions:mine_group", args=["overdue"])
    expected = list(
        Action.objects.filter(board=board)
        .order_by("due_on", "order", "pk")
        .values_list("text", flat=True)
    )
    seen, costs = [], []
    while url:
        cost, response = _queries(client, url)
        costs.append(cost)
        seen += [a.text for a in response.context["rows"]]
        cursor = response.context["next_cursor"]
        url = (
            f"{reverse('actions:mine_group', args=['overdue'])}?{_after(cursor)}" if cursor else ""
        )
    assert seen == expected
    assert len(costs) == 3  # 25 + 25 + 10
    assert len(set(costs[1:])) == 1 and costs[1] <= costs[0]
    assert 'rel="next"' not in response.content.decode()


@pytest.mark.django_db
def test_a_stale_or_forged_page_link_starts_the_group_again(client_for, member):
    client = client_for(member)
    url = reverse("actions:mine_group", args=["overdue"])
    response = client.get(f"{url}?after=2026-01-01~not-a-time~1~2~3", follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "That page link is out of date" in response.content.decode()
    assert client.get(reverse("actions:mine_group", args=["someday"])).status_code == 404


@pytest.mark.django_db
def test_my_actions_costs_the_same_for_a_heavy_owner_at_two_sizes(
    client_for, board, member, secretary, days
):
    """30 actions, then 400: the same queries, and the page still shows at most 25 a group."""
    client = client_for(member)
    client.get(reverse("actions:mine"))  # the first request after signing in saves the session
    _spread(board, member, 30, days, others=[secretary])
    small, _ = _queries(client, reverse("actions:mine"))
    _spread(board, member, 370, days, others=[secretary])
    large, response = _queries(client, reverse("actions:mine"))
    assert large == small <= 8
    mine = response.context["mine"]
    assert mine.open_count + mine.totals["done"] == 400
    assert all(len(g.rows) == GROUP_SIZE for g in mine.groups)
    for group in ("overdue", "done"):
        url = reverse("actions:mine_group", args=[group])
        first, response = _queries(client, url)
        deep, _ = _queries(client, f"{url}?{_after(response.context['next_cursor'])}")
        assert deep == first


@pytest.mark.django_db
def test_my_actions_costs_the_same_for_a_chair_on_20_boards_at_two_sizes(
    client_for, chair_of_20, days
):
    client = client_for(chair_of_20)
    client.get(reverse("actions:mine"))
    for board in chair_of_20.boards_chaired:
        _owned(board, chair_of_20, 2, lambda k: days(-k), whole_board=True)
    small, _ = _queries(client, reverse("actions:mine"))
    for board in chair_of_20.boards_chaired:
        _owned(board, chair_of_20, 20, lambda k: days(k - 10), whole_board=True)
    large, response = _queries(client, reverse("actions:mine"))
    assert large == small <= 8
    assert response.context["mine"].open_count == 20 * 22
    assert sum(len(g.rows) for g in response.context["mine"].groups) <= 5 * GROUP_SIZE


@pytest.mark.django_db
def test_home_costs_the_same_for_a_chair_on_20_boards_at_two_sizes(client_for, chair_of_20, days):
    client = client_for(chair_of_20)
    client.get(reverse("home"))
    for board in chair_of_20.boards_chaired:
        _owned(board, chair_of_20, 2, lambda k: days(-k), whole_board=True)
    small, _ = _queries(client, reverse("home"))
    for board in chair_of_20.boards_chaired:
        _owned(board, chair_of_20, 30, lambda k: days(k), whole_board=True)
        MeetingFactory(board=board, starts_at=timezone.now() + dt.timedelta(days=9))
    large, response = _queries(client, reverse("home"))
    assert large == small <= 7
    # Nothing changed since: the navigation count is the one counted before.
    again, _ = _queries(client, reverse("home"))
    assert again == large - 2
    page = response.content.decode()
    assert page.count("<tr>") == 1 + 20
    assert ">32</td>" in page


@pytest.mark.django_db
def test_home_counts_a_boards_open_actions_up_to_a_cap(
    client_for, board, other_board, member, days, monkeypatch
):
    monkeypatch.setattr(selectors, "OPEN_COUNT_CAP", 5)
    MembershipFactory(person=member, board=other_board)
    _owned(board, member, 7, lambda k: days(k))
    _owned(other_board, member, 3, lambda k: days(k))
    page = client_for(member).get(reverse("home")).content.decode()
    assert '5+<span class="visually-hidden"> (more than 5)</span></td>' in page
    assert '<td class="text-end">3</td>' in page


@pytest.mark.django_db
def test_the_navigation_badge_stops_counting_at_99(client_for, board, member, days):
    _owned(board, member, 120, lambda k: days(-1))
    page = client_for(member).get(reverse("home")).content.decode()
    assert 'text-bg-warning">99+<span class="visually-hidden"> overdue' in page
    # "My actions" itself still says how many.
    mine = client_for(member).get(reverse("actions:mine")).content.decode()
    assert "(120)" in mine


def _log_page(client, board, query):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{reverse('actions:log', args=[board.slug])}?{query}")
    assert response.status_code == 200
    return ctx.captured_queries, response


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["", "due", "-due", "meeting"])
def test_the_logs_last_page_costs_the_same_at_two_sizes(
    client_for, board, member, secretary, days, sort
):
    """The deep page's sub-selects (last update, next meeting) run for the 25 rows shown,
    not for every row the offset skips; the last page shows the right rows."""
    client = client_for(member)
    client.get(reverse("actions:log", args=[board.slug]))
    _spread(board, member, 30, days, others=[secretary])
    small, _ = _log_page(client, board, f"sort={sort}&page=2")  # the last of 30
    _spread(board, member, 300, days, others=[secretary])
    large, response = _log_page(client, board, f"sort={sort}&page=14")  # the last of 330
    assert len(large) == len(small)
    # The queries that choose the page: those that end in a LIMIT.
    paging = [q["sql"] for q in large if re.search(r"LIMIT \d+( OFFSET \d+)?$", q["sql"])]
    assert paging and not [sql for sql in paging if "actions_actionupdate" in sql]
    if sort in ("", "meeting"):
        # Read from the near end: the first rows of the reverse order, not an offset of 325.
        assert not [sql for sql in paging if "OFFSET" in sql]
    page = response.context["page"]
    assert page.number == 14 and len(page.object_list) == 330 - 13 * 25
    everything = list(response.context["filter"].qs)
    assert [a.pk for a in page.object_list] == [a.pk for a in everything[13 * 25 :]]
    for number in (1, 7, 8):  # either side of the middle, and the first
        page = _log_page(client, board, f"sort={sort}&page={number}")[1].context["page"]
        expected = everything[(number - 1) * 25 : number * 25]
        assert [a.pk for a in page.object_list] == [a.pk for a in expected]
    # Each row still carries what the page shows.
    row = page.object_list[-1]
    assert row.last_update_text == f"Update on {row.text}"
    assert (row.item.title, row.board.name) == ("Youth services", board.name)


@pytest.mark.django_db
def test_a_heavy_owners_calendar_costs_the_same_at_two_sizes(client, board, member, days):
    url = reverse("actions:person_feed", args=[member.calendar_token])
    _spread(board, member, 30, days)
    small, _ = _queries(client, url)
    _spread(board, member, 300, days)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert len(ctx.captured_queries) == small <= 5
    # A to-do shows neither the owners nor the last update: neither is read.
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "actions_actionupdate" not in sql
    assert '"actions_action_owners"."action_id" IN (' not in sql  # no owners prefetch
    assert response.content.count(b"BEGIN:VTODO") == 330
