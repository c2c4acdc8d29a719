import pytest

from actions.models import Action, ActionUpdate
from boards.models import Board, Person
from demo.generate import BENCH_OWNED, BENCH_WHOLE_BOARD, generate, plan_for
from funding.models import FundEntry
from meetings.models import AgendaItem, Meeting

pytestmark = pytest.mark.django_db


def test_it_scales_the_record_to_the_plan():
    plan = plan_for(0.001)
    generate(scale=0.001)
    assert Board.objects.count() == plan.boards
    assert Meeting.objects.count() == plan.meetings
    assert AgendaItem.objects.count() == plan.items
    assert Action.objects.count() == plan.actions
    assert ActionUpdate.objects.count() == plan.updates
    assert FundEntry.objects.count() == plan.entries
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


def test_it_runs_twice_without_errors():
    generate(scale=0.001)
    generate(scale=0.001)
    assert Action.objects.count() == 2 * plan_for(0.001).actions
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
