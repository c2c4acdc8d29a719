import pytest

from actions.models import Action, ActionUpdate
from boards.models import Board, Person
from demo import generate as generator
from demo.generate import BENCH_OWNED, BENCH_WHOLE_BOARD, generate, plan_for
from funding.models import FundEntry
from meetings.models import AgendaItem, Meeting

pytestmark = pytest.mark.django_db


def test_it_scales_the_record_to_the_plan():
    plan = plan_for(0.001)
    generate(scale=0.001)
    assert Board.objects.count() == plan.boards
    assert Meeting.objects.count() == plan.meetings + generator.PERSONA_MEETINGS
    assert AgendaItem.objects.count() == plan.items + generator.PERSONA_ITEMS
    assert Action.objects.count() == plan.actions + generator.PERSONA_ACTIONS
    assert ActionUpdate.objects.count() == plan.updates + 540  # one per persona action
    assert FundEntry.objects.count() == plan.entries + plan.big_fund_lines
    assert not FundEntry.objects.filter(kind="allocation", decision__isnull=True).exists()


def test_it_asks_for_council_scale_at_one():
    plan = plan_for(1)
    assert (plan.boards, plan.people, plan.meetings) == (40, 600, 8_000)
    assert (plan.items, plan.actions, plan.updates) == (100_000, 200_000, 400_000)
    assert (plan.funds, plan.entries) == (50, 20_000)


def test_it_gives_the_bench_person_the_same_share_at_any_scale():
    generate(scale=0.001)
    bench = Person.objects.get(user__username="bench")
    assert Action.objects.owned_by(bench).count() == BENCH_OWNED + BENCH_WHOLE_BOARD
    assert bench.memberships.count() == 3


def persona_figures():
    """What each heavy user's pages are made of: the part that must not grow."""
    owner = Person.objects.get(user__username=generator.PERSONAS["heavy_owner"])
    chair = Person.objects.get(user__username=generator.PERSONAS["chair_20"])
    staff = Person.objects.get(user__username=generator.PERSONAS["staff"])
    screens = {
        n: AgendaItem.objects.filter(meeting__title=generator.screen_title(n)).count()
        for n in generator.SCREEN_MEETINGS
    }
    return {
        "owner_open": Action.objects.owned_by(owner).filter(status="open").count(),
        "owner_all": Action.objects.owned_by(owner).count(),
        "owner_boards": owner.memberships.count(),
        "chair_all": Action.objects.owned_by(chair).count(),
        "chair_boards": chair.memberships.filter(role="chair").count(),
        "chaired": Board.objects.filter(chair=chair).count(),
        "staff": (staff.user.is_superuser, staff.memberships.count()),
        "screens": screens,
    }


@pytest.mark.parametrize("scale", [0.001, 0.003])
def test_it_gives_the_heavy_users_the_same_share_at_any_scale(scale):
    generate(scale=scale)
    assert persona_figures() == {
        "owner_open": 420 + 8,  # and the "All members" action on each of their 8 boards
        "owner_all": 480 + 8,
        "owner_boards": 8,
        "chair_all": 40 + 20,
        "chair_boards": 20,
        "chaired": 20,
        "staff": (True, 0),
        "screens": {80: 80, 5: 5},
    }


def test_its_big_board_grows_with_the_record_and_its_fund_does_not():
    generate(scale=0.01)
    big = Board.objects.get(funds__name__startswith="Big Board Fund")
    others = Board.objects.exclude(pk=big.pk)
    assert big.actions.count() > 2 * max(b.actions.count() for b in others)
    assert FundEntry.objects.filter(fund__board=big).count() == plan_for(0.01).big_fund_lines
    assert plan_for(1).big_fund_lines == plan_for(0.01).big_fund_lines == 5_000


def test_it_runs_twice_without_errors():
    generate(scale=0.001)
    generate(scale=0.001)
    assert Action.objects.count() == 2 * plan_for(0.001).actions + generator.PERSONA_ACTIONS
    bench = Person.objects.get(user__username="bench")
    assert Action.objects.owned_by(bench).count() == BENCH_OWNED + BENCH_WHOLE_BOARD
    # New rows after a generated record still get fresh ids from the sequences.
    assert Board.objects.create(name="After", slug="after-the-record").pk


def test_its_minutes_are_plain_text_laid_out_as_a_secretary_types_them():
    from meetings.templatetags.minutes import minutes_html

    generate(scale=0.001)
    minutes = AgendaItem.objects.exclude(minutes="").values_list("minutes", flat=True).first()
    assert "<" not in minutes
    html = minutes_html(minutes)
    assert html.count("<p>") == 3 and "<ul><li>" in html
