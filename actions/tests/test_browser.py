import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import Action
from actions.tests.factories import ActionFactory
from boards.tests.factories import MembershipFactory, PersonFactory
from conftest import axe_violations
from meetings.tests.factories import AgendaItemFactory, MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _patient(page):
    # Seven test suites share two CPUs at times: allow slow page loads before failing.
    page.set_default_timeout(30_000)


@pytest.fixture
def meeting(board):
    return MeetingFactory(board=board, starts_at=timezone.now() - dt.timedelta(days=30))


@pytest.fixture
def item(meeting):
    return AgendaItemFactory(meeting=meeting, number="9", title="Joint Commissioning")


def test_it_lets_a_member_close_an_action_with_a_note(page, sign_in, live_server, item, member):
    ActionFactory(
        item=item,
        owners=[member],
        text="Appoint a consultant for the toolkit",
        due_on=timezone.localdate() - dt.timedelta(days=2),
    )
    ActionFactory(item=item, owners=[member], text="Re-write the family example")
    sign_in(member)

    page.get_by_role("link", name=re.compile("My actions")).click()
    overdue = page.get_by_role("region", name=re.compile("Overdue"))
    link = overdue.get_by_role("link", name="Appoint a consultant for the toolkit")
    expect(link).to_be_visible()
    assert axe_violations(page) == []

    link.click()
    expect(page.get_by_role("heading", name="Close this action")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Note").fill("Consultant appointed on 1 May")
    page.get_by_role("button", name="Close action").click()
    expect(page.get_by_text("Action marked done.")).to_be_visible()
    expect(page.get_by_text("Consultant appointed on 1 May")).to_be_visible()

    page.get_by_role("link", name=re.compile("My actions")).click()
    done = page.get_by_role("region", name=re.compile("Recently done"))
    expect(done.get_by_role("link", name="Appoint a consultant for the toolkit")).to_be_visible()
    expect(done).to_contain_text("Consultant appointed on 1 May")
    overdue = page.get_by_role("region", name=re.compile("Overdue"))
    expect(overdue).to_contain_text("None.")


def test_it_lets_the_secretary_reassign_a_leavers_actions(
    page, sign_in, live_server, board, item, secretary, member
):
    leaver = PersonFactory(name="Alison Chamberlain", left_on=timezone.localdate())
    MembershipFactory(person=leaver, board=board, ended_on=timezone.localdate())
    first = ActionFactory(item=item, owners=[leaver], text="Local supply chain workshop")
    second = ActionFactory(item=item, owners=[leaver], text="Procurement leads")
    sign_in(secretary)

    page.goto(f"{live_server.url}/boards/{board.slug}/")
    page.get_by_role("link", name="Action log").click()
    expect(page.get_by_role("link", name="Local supply chain workshop")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="People who have left").click()
    section = page.get_by_role("region", name=re.compile("Alison Chamberlain"))
    expect(section.get_by_label("Local supply chain workshop")).to_be_checked()
    assert axe_violations(page) == []
    section.get_by_label("Reassign to").select_option(label=member.with_organisation)
    section.get_by_role("button", name="Reassign actions").click()

    done = page.get_by_text("2 actions of Alison Chamberlain reassigned to Mo Member.")
    expect(done).to_be_visible()
    expect(page.get_by_text("Nobody who has left holds an open action")).to_be_visible()
    for action in (first, second):
        assert list(action.owners.all()) == [member]
    page.goto(f"{live_server.url}{first.get_absolute_url()}")
    expect(page.get_by_text(re.compile("Reassigned from Alison Chamberlain"))).to_be_visible()
    expect(page.get_by_role("heading", name="Change text, owners or due date")).to_be_visible()
    assert axe_violations(page) == []


def test_it_lets_the_secretary_record_an_all_members_action(
    page, sign_in, live_server, item, secretary, member
):
    sign_in(secretary)
    page.goto(f"{live_server.url}/actions/item/{item.pk}/")
    page.get_by_text("Add an action").click()
    page.get_by_role("textbox", name=re.compile(r"^Action")).fill("Everyone to read the toolkit")
    owners = page.get_by_role("combobox", name=re.compile(r"^Owners"))
    owners.click()
    owners.fill("All")
    page.locator(".ts-dropdown").get_by_role("option", name="All members").click()
    page.get_by_label("By a date").check()
    page.get_by_label("Due date").fill((timezone.localdate() + dt.timedelta(days=10)).isoformat())
    assert axe_violations(page) == []
    page.get_by_role("button", name="Record action").click()

    fragment = page.locator(".item-actions")
    expect(fragment.get_by_role("link", name="Everyone to read the toolkit")).to_be_visible()
    expect(fragment).to_contain_text("ALL")
    action = Action.objects.get(text="Everyone to read the toolkit")
    assert action.whole_board


def test_it_finds_an_owner_by_initials_among_those_present(
    page, sign_in, live_server, board, item, secretary
):
    from meetings.models import Attendance

    grant = PersonFactory(name="John Grant", added_for=board)
    PersonFactory(name="John Gilbert", added_for=board)
    officer = PersonFactory(name="Jill Annal", added_for=board)
    for person, status in [(grant, "present"), (officer, "in_attendance")]:
        Attendance.objects.create(meeting=item.meeting, person=person, status=status)
    sign_in(secretary)
    page.goto(f"{live_server.url}/actions/item/{item.pk}/")
    page.get_by_text("Add an action").click()
    page.get_by_role("textbox", name=re.compile(r"^Action")).fill("Write to the funders")
    owners = page.get_by_role("combobox", name=re.compile(r"^Owners"))
    owners.click()
    owners.press_sequentially("JGr", delay=60)
    dropdown = page.locator(".ts-dropdown")
    expect(dropdown.get_by_role("option").first).to_have_text(re.compile("John Grant"))
    expect(dropdown.get_by_role("option", name=re.compile("John Gilbert"))).to_have_count(0)
    dropdown.get_by_role("option", name=re.compile("John Grant")).click()
    owners.press_sequentially("JA", delay=60)
    dropdown.get_by_role("option", name=re.compile("Jill Annal")).click()
    page.get_by_role("button", name="Record action").click()

    expect(
        page.locator(".item-actions").get_by_role("link", name="Write to the funders")
    ).to_be_visible()
    action = Action.objects.get(text="Write to the funders")
    assert {p.name for p in action.owners.all()} == {"John Grant", "Jill Annal"}
