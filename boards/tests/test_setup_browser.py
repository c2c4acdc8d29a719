"""From an empty install, through the pages only (never /admin/), with the CSP enforced:
the staff user starts a partnership, the invited secretary chooses a password from the
e-mail's link and sets up organisations, people, a sub-board and a membership with a
deputy."""

import os
import re
from pathlib import Path

import pytest
from django.core import mail

from boards.models import Board, Membership
from boards.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SETUP_SHOTS", "/tmp/setup-shots"))
PASSWORD = "Lanterns-over-Kennet-42"


@pytest.fixture
def strict_context(browser):
    """The CSP enforced (conftest's `page` bypasses it); violations collected."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.csp_violations = []
    yield context
    context.close()


def _page(context):
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on(
        "console",
        lambda m: (
            context.csp_violations.append(m.text) if "Content Security Policy" in m.text else None
        ),
    )
    return page


def _axe(page):
    """axe-core evaluated through the browser's own channel (not a script tag: the CSP
    forbids inline scripts, as it should)."""
    axe = Path(__file__).parents[2] / "node_modules" / "axe-core" / "axe.min.js"
    page.evaluate(axe.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _field(page, label):
    """The input labelled `label` (crispy marks a required field's label with "*")."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\*?\s*$"))


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_partnership_is_set_up_through_the_pages(strict_context, live_server):
    UserFactory(username="installer", is_staff=True, is_superuser=True)
    url = live_server.url
    admin = _page(strict_context)
    admin.goto(f"{url}/accounts/login/")
    _field(admin, "Username").fill("installer")
    _field(admin, "Password").fill("correct-horse-battery")
    admin.get_by_role("button", name="Sign in").click()
    admin.wait_for_url(f"{url}/")
    admin.get_by_role("link", name="New partnership").click()
    _field(admin, "Board name").fill("Kennet Valley Partnership")
    _field(admin, "Short name").fill("KVP")
    _field(admin, "Secretary's name").fill("Rita Clerk")
    _field(admin, "Secretary's e-mail").fill("rita@kennet.example")
    _shot(admin, "01-new-partnership")
    assert _axe(admin) == []
    admin.get_by_role("button", name="Create board and invite secretary").click()
    admin.get_by_text("has been sent an invitation").wait_for()

    # The secretary, in a browser of their own, follows the e-mail's link.
    assert [m.to for m in mail.outbox] == [["rita@kennet.example"]]
    link = re.search(r"https?://\S+/boards/invitation/\S+/", mail.outbox[0].body).group(0)
    own = strict_context.browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    own.csp_violations = strict_context.csp_violations
    secretary = _page(own)
    secretary.goto(link.replace("http://127.0.0.1:8000", url))
    _field(secretary, "New password").fill(PASSWORD)
    _field(secretary, "New password confirmation").fill(PASSWORD)
    _shot(secretary, "02-invitation")
    secretary.get_by_role("button", name="Set password and sign in").click()
    secretary.get_by_role("heading", name="Kennet Valley Partnership").wait_for()

    secretary.get_by_role("link", name="Set up board").click()
    _field(secretary, "Quorum").fill("4")
    _shot(secretary, "03-settings")
    assert _axe(secretary) == []
    secretary.get_by_role("button", name="Save settings").click()
    secretary.get_by_text("settings are saved").wait_for()

    secretary.get_by_role("link", name="Organisations").click()
    for name, short, sector in (
        ("Kennet District Council", "KDC", "Public"),
        ("Pinehurst Residents Association", "PRA", "Community"),
    ):
        _field(secretary, "Name").fill(name)
        _field(secretary, "Short name").fill(short)
        _field(secretary, "Sector").select_option(label=sector)
        secretary.get_by_role("button", name="Add organisation").click()
        secretary.get_by_text(f"{name} is listed.").wait_for()
    _shot(secretary, "04-organisations")
    assert _axe(secretary) == []

    secretary.get_by_role("link", name="People", exact=True).click()
    for title, name, email, org in (
        ("Cllr", "Jane Ward", "jane@kennet.example", "Kennet District Council (KDC)"),
        ("", "Dev Deputy", "dev@kennet.example", "Kennet District Council (KDC)"),
        ("", "Priya Resident", "priya@kennet.example", "Pinehurst Residents Association (PRA)"),
    ):
        secretary.get_by_role("link", name="Add a person").click()
        _field(secretary, "Title").fill(title)
        _field(secretary, "Name").fill(name)
        _field(secretary, "E-mail").fill(email)
        _field(secretary, "Organisation").select_option(label=org)
        secretary.get_by_role("button", name="Save person").click()
        secretary.get_by_text(" is saved.").wait_for()
    secretary.get_by_role("button", name="Invite Dev Deputy").click()
    secretary.get_by_text("An invitation is on its way to dev@kennet.example").wait_for()
    _shot(secretary, "05-people")
    assert _axe(secretary) == []

    secretary.get_by_role("link", name="Members").click()
    secretary.get_by_role("link", name="Add a member").click()
    _field(secretary, "Person").select_option(label="Cllr Jane Ward")
    _field(secretary, "Role").select_option(label="Chair")
    _field(secretary, "From").fill("2013-01-15")
    _field(secretary, "Standing deputy").select_option(label="Dev Deputy")
    _shot(secretary, "06-membership")
    assert _axe(secretary) == []
    secretary.get_by_role("button", name="Save membership").click()
    secretary.get_by_role("cell", name="Dev Deputy").wait_for()
    _shot(secretary, "07-members")

    secretary.get_by_role("link", name="Board", exact=True).click()
    secretary.get_by_role("link", name="New sub-board").click()
    _field(secretary, "Sub-board name").fill("Pinehurst Task Group")
    secretary.get_by_role("button", name="Create sub-board").click()
    secretary.get_by_role("heading", name="Pinehurst Task Group").wait_for()

    secretary.get_by_role("link", name="Set up board").click()
    secretary.get_by_role("link", name="Import").click()
    _shot(secretary, "08-import")

    board = Board.objects.get(name="Kennet Valley Partnership")
    assert board.quorum == 4 and board.chair.name == "Jane Ward"
    jane = board.memberships.get(person__name="Jane Ward")
    assert jane.role == Membership.Role.CHAIR and jane.deputy.name == "Dev Deputy"
    sub = Board.objects.get(name="Pinehurst Task Group")
    assert sub.parent == board and sub.secretary.name == "Rita Clerk"
    assert len(mail.outbox) == 2  # Rita's and Dev's invitations
    assert strict_context.csp_violations == []
    own.close()
