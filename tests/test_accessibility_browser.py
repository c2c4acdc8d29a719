"""Every main page for the main roles, at 1280 and 390 px, in Chromium with the
Content-Security-Policy enforced: axe-core (WCAG 2.2 AA tags, from the app's own static
files) finds no violation of any impact, and the page never scrolls sideways."""

import re

import pytest
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = (1280, 390)


@pytest.fixture
def world(db):
    """The demo record (two boards, their meetings, actions, a fund and a bid), with an
    observer beside the demo's secretary and member."""
    from boards.models import Membership
    from boards.tests.factories import MembershipFactory, PersonFactory
    from demo.seed import seed_demo
    from funding.models import Bid, Fund
    from meetings.models import Decision, Meeting

    seed_demo()
    board = Meeting.objects.order_by("-starts_at").first().board
    observer = PersonFactory(name="Olu Observer")
    MembershipFactory(person=observer, board=board, role=Membership.Role.OBSERVER)
    meeting = board.meetings.order_by("-starts_at").first()
    return {
        "board": board,
        "meeting": meeting,
        "action": meeting.items.filter(actions__isnull=False).first().actions.first(),
        "fund": Fund.objects.filter(board=board).first(),
        "bid": Bid.objects.filter(board=board).first(),
        "agreed": Decision.objects.filter(item__meeting=meeting, kind="agreed").first(),
        "observer": observer.user,
    }


def _pages(world, role):
    """Each role's pages. The secretary walks them all (they show the most: edit buttons,
    forms); the member and the observer walk what they see differently."""
    board, meeting = world["board"], world["meeting"]
    shared = [
        "/",
        board.get_absolute_url(),
        meeting.get_absolute_url(),
        f"/actions/board/{board.slug}/",
    ]
    reader = [
        "/actions/mine/",
        world["action"].get_absolute_url(),
        world["fund"].get_absolute_url(),
        "/search/?q=data",
        "/accounts/reminders/",
        f"/meetings/{meeting.pk}/agenda-pack/",
        "/no-such-page/",
    ]
    secretary = [
        f"/meetings/{meeting.pk}/edit/",
        f"/meetings/new/{board.slug}/",
        f"/funding/decisions/{world['agreed'].pk}/allocate/",
        f"/funding/bids/{world['bid'].pk}/",
        f"/funding/boards/{board.slug}/bids/",
        f"/actions/board/{board.slug}/leavers/",
    ]
    return {
        "observer": shared,
        "member": [meeting.get_absolute_url(), *reader],
        "secretary": shared + reader + secretary,
    }[role]


def _check(page, problems, where):
    """axe with the WCAG 2.2 AA tags, and the reflow rule (WCAG 1.4.10)."""
    # Fragments (an item's actions, matters arising) load after the page: wait for them.
    page.wait_for_function("() => !document.body.textContent.includes('Loading actions…')")
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    found = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                               resultTypes: ['violations']});
            return r.violations.map(v => `${v.id} (${v.impact}) ${v.nodes.length}x: `
                + v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(' | '));
        }""",
        WCAG_22_AA,
    )
    problems += [f"{where}: {v}" for v in found]
    width, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if width > inner:
        problems.append(f"{where}: the page is {width}px wide in a {inner}px window")


def _signed_in_as(context, live_server, user):
    client = Client()
    client.force_login(user)
    context.clear_cookies()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_every_main_page_passes_axe_and_reflows_for_every_role(browser, live_server, world):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    roles = {
        "observer": world["observer"],
        "member": users.get(username="member"),
        "secretary": users.get(username="secretary"),
    }
    problems = []
    for width in WIDTHS:
        context = browser.new_context(
            viewport={"width": width, "height": 900}, locale="en-GB", base_url=live_server.url
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        csp = []
        page.on(
            "console",
            lambda m, csp=csp: csp.append(m.text) if "Content Security" in m.text else None,
        )

        # Signed out: the sign-in form, in its error state too.
        for path in ("/accounts/login/", "/about/", "/accessibility/"):
            page.goto(path)
            _check(page, problems, f"{width}px anonymous {path}")
        page.goto("/accounts/login/")
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        _check(page, problems, f"{width}px anonymous sign-in errors")

        for role, user in roles.items():  # the secretary last: the menus, drop-downs, errors
            _signed_in_as(context, live_server, user)
            for path in _pages(world, role):
                page.goto(path)
                _check(page, problems, f"{width}px {role} {path}")
            if role != "secretary":
                continue
            if width < 768:
                # The minutes are one column on a phone, not three with the text squeezed.
                page.goto(world["meeting"].get_absolute_url())
                text = page.locator(".minutes-table tbody td").first.bounding_box()["width"]
                assert text > 0.8 * width, f"minutes text column {text}px wide at {width}px"
                # The count of actions due shows beside the menu button, not behind it.
                count = page.get_by_role("link", name=re.compile("of my actions overdue"))
                assert count.is_visible()
            # Menus open: the signed-in person's menu (behind the menu button on a phone).
            page.goto("/")
            if width < 992:
                page.get_by_role("button", name="Toggle navigation").click()
                page.locator("#main-nav.collapse.show").wait_for()  # opened, not still sliding
            page.locator("#main-nav .dropdown-toggle").click()
            page.locator("#main-nav .dropdown-menu.show").wait_for()
            _check(page, problems, f"{width}px {role} menu open")
            # The attendee drop-down with its "Add new person" line.
            page.goto(f"/meetings/{world['meeting'].pk}/edit/")
            attendee = page.get_by_role("combobox", name="Add an officer, guest or substitute")
            attendee.click()
            attendee.press_sequentially("Zed Newcomer (VAS)")
            page.locator(".ts-dropdown .create").wait_for()
            _check(page, problems, f"{width}px {role} attendee drop-down open")
            # A form in its error state: the fund's budget line with no amount.
            page.goto(world["fund"].get_absolute_url())
            with page.expect_navigation():
                page.get_by_role("button", name="Record line").click()
            _check(page, problems, f"{width}px {role} fund form errors")
        assert csp == [], csp
        context.close()
    assert problems == [], "\n".join(problems)
