"""Ranking (issue 22): a title or a decision about the matter above a passing mention in
someone's minutes, and the newer meeting first between equals; on SQLite and PostgreSQL."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.tests.factories import ActionFactory
from boards.tests.factories import BoardFactory, MembershipFactory, UserFactory
from meetings.tests.factories import AgendaItemFactory, DecisionFactory, MeetingFactory
from search import fulltext

pytestmark = pytest.mark.django_db

URL = reverse("search:search")

FILLER = (
    "The chair welcomed members and noted apologies. The partnership manager summarised the "
    "quarter's performance report, the risk register and the forward plan; members asked "
    "about staffing at the hub and the timetable for the next round of consultation. "
)


def _meeting(board, year, month):
    return MeetingFactory(
        board=board, starts_at=timezone.make_aware(dt.datetime(year, month, 10, 14, 0))
    )


@pytest.fixture
def minutes(board):
    """A few years of one board's minutes, as secretaries write them."""
    old, mid, new = _meeting(board, 2021, 3), _meeting(board, 2023, 6), _meeting(board, 2025, 9)
    r = {}
    r["title"] = AgendaItemFactory(
        meeting=mid,
        title="Youth services review",
        minutes=FILLER + "The youth services review had reported; members discussed its findings.",
    )
    r["decision"] = DecisionFactory(
        item=AgendaItemFactory(meeting=old, title="Commissioning", minutes=FILLER),
        text="To commission the youth services review from the county council.",
    )
    r["action"] = ActionFactory(
        item=AgendaItemFactory(meeting=old, title="Any other business", minutes=FILLER),
        text="Circulate the terms of reference of the youth services review.",
    )
    r["mention_old"] = AgendaItemFactory(
        meeting=old,
        title="Community safety update",
        minutes=FILLER * 3 + "Youth services were mentioned in passing. " + FILLER * 2,
    )
    r["mention_new"] = AgendaItemFactory(
        meeting=new,
        title="Community safety update",
        minutes=FILLER * 3 + "Youth services were mentioned in passing. " + FILLER * 2,
    )
    r["budget_title"] = AgendaItemFactory(
        meeting=new, title="Budget 2025/26", minutes=FILLER + "The budget was presented."
    )
    r["budget_decision"] = DecisionFactory(
        item=r["budget_title"], number=2, text="To approve the budget for 2025/26."
    )
    r["budget_mention"] = AgendaItemFactory(
        meeting=new,
        title="Hub opening hours",
        minutes=FILLER * 4 + "Any change would need to come from next year's budget. " + FILLER,
    )
    r["data_title"] = AgendaItemFactory(
        meeting=old, title="Data sharing protocol", minutes=FILLER + "The protocol was tabled."
    )
    r["data_decision"] = DecisionFactory(
        item=AgendaItemFactory(meeting=mid, title="Information governance", minutes=FILLER),
        text="To sign the data sharing protocol with the police and the NHS trust.",
    )
    r["data_mention_old"] = AgendaItemFactory(
        meeting=old,
        title="Troubled families",
        minutes=FILLER * 2 + "Officers hoped data sharing would improve. " + FILLER * 2,
    )
    r["data_mention_new"] = AgendaItemFactory(
        meeting=mid,
        title="Troubled families",
        minutes=FILLER * 2 + "Officers hoped data sharing would improve. " + FILLER * 2,
    )
    return r


def _found(client, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return [hit.obj.pk for hit in response.context["hits"]], response.context["hits"]


def test_it_ranks_titles_and_decisions_above_passing_mentions_newest_first(
    client_for, member, minutes
):
    client = client_for(member)
    r = minutes

    found, hits = _found(client, "youth services")
    assert found == [
        r["title"].pk,
        r["decision"].pk,
        r["action"].pk,
        r["mention_new"].pk,  # equal mentions: the newer meeting first
        r["mention_old"].pk,
    ]
    # The rank separates them: a distinct value for each but the two equal mentions.
    assert len({round(h.rank, 6) for h in hits}) == 4

    found, _ = _found(client, "budget")
    assert found == [r["budget_title"].pk, r["budget_decision"].pk, r["budget_mention"].pk]

    found, _ = _found(client, "data sharing")
    assert found == [
        r["data_title"].pk,
        r["data_decision"].pk,
        r["data_mention_new"].pk,
        r["data_mention_old"].pk,
    ]


def _housing(boards, n):
    for board in boards:
        meeting = _meeting(board, 2024, 5)
        for k in range(n):
            item = AgendaItemFactory(meeting=meeting, title=f"Housing {k}", minutes="housing need")
            DecisionFactory(item=item, text="Housing plan agreed.")
            ActionFactory(item=item, text="Report on housing.")


@pytest.mark.parametrize("who", ["member_of_20", "staff"])
def test_search_costs_the_same_for_a_member_of_20_boards_and_staff_at_two_sizes(
    client, member, board, who
):
    boards = [board] + [BoardFactory() for _ in range(19)]
    if who == "member_of_20":
        for other in boards[1:]:
            MembershipFactory(person=member, board=other)
        user = member.user
    else:
        user = UserFactory(is_staff=True, is_superuser=True)  # reads every board
    client.force_login(user)
    client.get(URL, {"q": "housing"})  # the first request after signing in saves the session
    _housing(boards, 1)
    with CaptureQueriesContext(connection) as small:
        client.get(URL, {"q": "housing"})
    _housing(boards, 6)
    with CaptureQueriesContext(connection) as large:
        response = client.get(URL, {"q": "housing"})
    assert len(large) == len(small)
    assert response.context["page"].paginator.count == fulltext.MAX_HITS  # of 420 matches
