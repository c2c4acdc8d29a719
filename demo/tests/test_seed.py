import pytest

from actions.models import Action
from boards.models import Board, Person
from demo.seed import seed_demo
from funding.models import Bid, Fund, FundEntry
from meetings.models import Attendance, Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    return seed_demo()


def test_it_builds_the_board_and_its_sub_board(seeded):
    sub = Board.objects.get(slug="one-swindon-delivery-board")
    assert sub.parent.name == "One Swindon Board"


def test_it_loads_the_march_2014_meeting_in_full(seeded):
    march = Meeting.objects.get(starts_at__date="2014-03-18")
    assert list(march.items.values_list("number", flat=True)) == [str(n) for n in range(1, 12)]
    item7 = march.items.get(number="7")
    assert [d.label for d in item7.decisions.all()] == ["(1)", "(2)", "(3)"]
    assert march.attendances.filter(status=Attendance.Status.PRESENT).count() == 22
    assert "Mosaic Public Sector" in march.items.get(number="3").minutes


def test_it_keeps_the_action_column_owners(seeded):
    march = Meeting.objects.get(starts_at__date="2014-03-18")
    actions = Action.objects.filter(item__meeting=march).prefetch_related("owners")
    by_item = {a.item.number: a.owner_label() for a in actions.select_related("item")}
    assert by_item == {
        "3": "ALL",
        "4": "John Popowicz",
        "7": "James Griffin",
        "9": "James Griffin / Tony Ranzetta",
        "10": "David Wray",
        "11": "Tony Ranzetta",
    }


def test_it_records_the_away_day_apologies(seeded):
    away_day = Meeting.objects.get(kind=Meeting.Kind.AWAY_DAY)
    apologies = away_day.attendances.filter(status=Attendance.Status.APOLOGIES)
    assert apologies.count() == 11
    assert Person.objects.get(name="Alison Chamberlain").left_on is not None


def test_it_ties_each_25k_allocation_to_its_decision(seeded):
    fund = Fund.objects.get(name="One Swindon Transformation Fund")
    allocations = fund.entries.filter(kind=FundEntry.Kind.ALLOCATION)
    assert [a.amount for a in allocations] == [2_500_000, 2_500_000]
    assert sorted(a.decision.item.number for a in allocations) == ["4", "9"]


def test_it_loads_the_380k_bid_by_financial_year(seeded):
    bid = Bid.objects.get()
    assert bid.amount_sought == 38_000_000
    assert sorted({line.financial_year for line in bid.lines.all()}) == [2013, 2014]
    assert bid.savings.count() == 12


def test_running_it_twice_changes_nothing(seeded):
    assert seed_demo() == seeded
