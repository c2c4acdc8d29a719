"""Every page of the app, for every role, at 1280 and 390 px, in Chromium with the
Content-Security-Policy enforced: axe-core (WCAG 2.2 AA tags, from the app's own static
files) finds no violation of any impact, and the page never scrolls sideways.

"Every page" is every address that answers GET with a page (config/urls.py): the walk
below names each, and the ones left out are said with why (fragments that load inside a
page are checked inside it; files and feeds are not pages)."""

import os
import re
from pathlib import Path

import pytest
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = (1280, 390)
MARCH = Path(__file__).resolve().parent.parent / "importer/corpus/one-swindon-board-2014-03-18.txt"
INVITATION_TOKEN = "walk-invitation-token"
# WALK_SCREENSHOTS=/some/folder keeps a full-page screenshot of every page checked, to
# look at (the issue asks for every page at both widths to be looked at, not only tested).
SCREENSHOTS = os.environ.get("WALK_SCREENSHOTS")


@pytest.fixture
def world(db):
    """The demo record (two boards, their meetings, actions, a fund and a bid), with an
    observer beside the demo's secretary and member, a matter in the forward plan, a
    member's proposed correction, minutes read for import and a pending invitation."""
    from django.utils import timezone

    from boards.models import Invitation, Membership, Organisation, Person, hash_token
    from boards.tests.factories import MembershipFactory, PersonFactory
    from demo.seed import seed_demo
    from funding.models import Bid, Fund, FundEntry
    from importer.services import start_import
    from meetings.models import Decision, ForwardPlanEntry, Meeting
    from meetings.responses import propose_amendment

    seed_demo()
    board = Meeting.objects.order_by("-starts_at").first().board
    observer = PersonFactory(name="Olu Observer")
    MembershipFactory(person=observer, board=board, role=Membership.Role.OBSERVER)
    meeting = board.meetings.order_by("-starts_at").first()
    secretary = Person.objects.get(user__username="secretary")
    member = Person.objects.get(user__username="member")
    item = meeting.items.exclude(minutes="").order_by("order").first()
    propose_amendment(item=item, proposer=member, text=item.minutes + "\n\nAlso noted: a typo.")
    agreed = Decision.objects.filter(item__meeting=meeting, kind="agreed").first()
    ForwardPlanEntry.objects.create(
        board=board,
        title="Refreshed data sharing protocol",
        source_decision=agreed,
        target_month=meeting.starts_at.date().replace(day=1),
    )
    outsider = Person.objects.of_partnership(board).filter(user__isnull=True).first()
    Invitation.objects.create(
        person=outsider,
        board=board,
        email="invited@example.org",
        token_hash=hash_token(INVITATION_TOKEN),
        expires_at=timezone.now() + timezone.timedelta(days=7),
    )
    imported = start_import(board=board, by=secretary, name=MARCH.name, data=MARCH.read_bytes())
    fund = Fund.objects.filter(board=board).first()
    return {
        "board": board,
        "meeting": meeting,
        "item": item,
        "action": meeting.items.filter(actions__isnull=False).first().actions.first(),
        "fund": fund,
        "allocation": FundEntry.objects.filter(fund=fund).allocations().first(),
        "bid": Bid.objects.filter(board=board).first(),
        "agreed": agreed,
        "observer": observer.user,
        "member": member,
        "organisation": Organisation.objects.of_partnership(board).first(),
        "membership": board.memberships.order_by("pk").first(),
        "import": imported,
    }


def _pages(world, role):
    """Each role's pages. The secretary walks every page a board's officers have (edit
    buttons, forms, set-up); the member and the observer walk what they see differently."""
    board, meeting, slug = world["board"], world["meeting"], world["board"].slug
    shared = [
        "/",
        board.get_absolute_url(),
        meeting.get_absolute_url(),
        f"/actions/board/{slug}/",
        f"/meetings/board/{slug}/decisions/",
        f"/meetings/board/{slug}/forward-plan/",
        f"/search/items/{world['item'].pk}/thread/",
        "/accounts/api-tokens/",
        "/accounts/two-factor/",
        "/accounts/password_change/",
        "/accounts/password_change/done/",
    ]
    reader = [
        "/actions/mine/",
        world["action"].get_absolute_url(),
        world["fund"].get_absolute_url(),
        "/search/?q=data",
        "/accounts/reminders/",
        f"/meetings/{meeting.pk}/agenda-pack/",
        f"/meetings/items/{world['item'].pk}/propose/",
        "/no-such-page/",
    ]
    member = [
        f"/meetings/{meeting.pk}/edit/",  # the 403 page, in the site's layout
    ]
    secretary = [
        f"/meetings/{meeting.pk}/edit/",
        f"/meetings/{meeting.pk}/details/",
        f"/meetings/{meeting.pk}/delete/",
        f"/meetings/{meeting.pk}/proposals/",
        f"/meetings/new/{slug}/",
        f"/funding/decisions/{world['agreed'].pk}/allocate/",
        f"/funding/funds/{world['fund'].pk}/lines/{world['allocation'].pk}/release/",
        f"/funding/bids/{world['bid'].pk}/",
        f"/funding/boards/{slug}/bids/",
        f"/funding/boards/{slug}/bids/new/",
        f"/funding/boards/{slug}/funds/new/",
        f"/actions/board/{slug}/leavers/",
        f"/boards/{slug}/settings/",
        f"/boards/{slug}/sub-boards/new/",
        f"/boards/{slug}/organisations/",
        f"/boards/{slug}/organisations/{world['organisation'].pk}/",
        f"/boards/{slug}/people/",
        f"/boards/{slug}/people/new/",
        f"/boards/{slug}/people/import/",
        f"/boards/{slug}/people/{world['member'].pk}/",
        f"/boards/{slug}/members/",
        f"/boards/{slug}/members/new/",
        f"/boards/{slug}/members/{world['membership'].pk}/",
        f"/imports/boards/{slug}/",
        f"/imports/{world['import'].pk}/",
    ]
    chair = [
        f"/meetings/{meeting.pk}/approve-minutes/",  # the chair approves; the secretary may not
    ]
    return {
        "chair": chair,
        "observer": shared,
        "member": [meeting.get_absolute_url(), *shared[3:], *reader, *member],
        "secretary": shared + reader + secretary,
    }[role]


def _anonymous_pages(world):
    """Signed out: sign-in and password pages, and the pages an e-mail's link opens."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from boards.unsubscribe import unsubscribe_token
    from meetings.mail import reply_token

    member = world["member"]
    member.user.refresh_from_db()  # a reset link is good until the next sign-in
    uid = urlsafe_base64_encode(force_bytes(member.user.pk))
    return [
        "/accounts/login/",
        "/about/",
        "/accessibility/",
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        f"/accounts/reset/{uid}/{default_token_generator.make_token(member.user)}/",
        f"/accounts/reset/{uid}/not-a-token/",
        "/accounts/reset/done/",
        f"/boards/invitation/{INVITATION_TOKEN}/",
        f"/accounts/reminders/unsubscribe/{unsubscribe_token(member)}/",
        f"/meetings/reply/attend/{reply_token(world['meeting'], member, 'attend')}/",
    ]


def _admin_pages(world):
    """The installation's staff in the Django admin (secretaries set boards up in the
    app's own pages): the index, an app, lists, change and add forms, history, delete."""
    board = world["board"]
    return [
        "/admin/",
        "/admin/boards/",
        "/admin/boards/board/",
        f"/admin/boards/board/{board.pk}/change/",
        f"/admin/boards/board/{board.pk}/history/",
        "/admin/boards/person/?q=a",
        f"/admin/boards/person/{world['member'].pk}/change/",
        "/admin/boards/membership/add/",
        f"/admin/meetings/meeting/{world['meeting'].pk}/change/",
        f"/admin/meetings/meeting/{world['meeting'].pk}/delete/",
        "/admin/actions/action/",
        "/admin/auth/user/",
        f"/admin/auth/user/{world['member'].user.pk}/change/",
        "/admin/password_change/",
        "/boards/new/",
    ]


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
    if SCREENSHOTS:
        name = re.sub(r"[^A-Za-z0-9]+", "-", where).strip("-")[:120]
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)
    _reflows(page, problems, where)
    viewport = page.viewport_size
    if viewport["width"] < 768:
        # And at 320 px (1280 at 400% zoom, WCAG 1.4.10's width) and 640 (200% zoom): the
        # same page made narrower, a resize rather than another load.
        for narrower in (320, 640):
            page.set_viewport_size({"width": narrower, "height": viewport["height"]})
            _reflows(page, problems, f"{where} at {narrower}px")
        page.set_viewport_size(viewport)


def _reflows(page, problems, where):
    width, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if width > inner:
        problems.append(f"{where}: the page is {width}px wide in a {inner}px window")


def _visit(page, problems, where, path):
    response = page.goto(path)
    if response.status >= 500:
        problems.append(f"{where}: answered {response.status}")
    _check(page, problems, where)


def _signed_in_as(context, live_server, user):
    client = Client()
    client.force_login(user)
    context.clear_cookies()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _submit(page, button):
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def _server_error(page, problems, width):
    """The 500 page, as Django's handler renders it (no URL of the app fails on purpose):
    the browser is handed it for an address of the live server, so its CSS and scripts
    load from there as they would."""
    from django.test import RequestFactory
    from django.views.defaults import server_error

    body = server_error(RequestFactory().get("/")).content
    page.route(
        "**/walk-server-error/",
        lambda route: route.fulfill(status=500, body=body, content_type="text/html"),
    )
    page.goto("/walk-server-error/")
    assert page.get_by_role("heading", name="Sorry, something went wrong").is_visible()
    _check(page, problems, f"{width}px anonymous server error")


def _signed_out_states(page, problems, width):
    """The sign-in form in its error state, the two-factor step, the CSRF failure page
    and both "too many requests" pages (429)."""
    page.goto("/accounts/login/")
    _submit(page, "Sign in")
    _check(page, problems, f"{width}px anonymous sign-in errors")
    page.get_by_label("Username").fill("chair")  # chair has an authenticator app
    page.get_by_label("Password").fill("minutebook-demo")
    _submit(page, "Sign in")
    assert "/two-factor/verify/" in page.url
    _check(page, problems, f"{width}px anonymous two-factor code")
    page.context.clear_cookies()
    page.goto("/accounts/password_reset/")
    page.context.clear_cookies()  # the form's CSRF cookie is gone: Django refuses it
    page.get_by_label("Email").fill("member@example.org")
    _submit(page, "Send the link")
    assert page.get_by_role("heading", name="The form could not be sent").is_visible()
    _check(page, problems, f"{width}px anonymous CSRF failure")
    for _ in range(2):  # the rate is one an hour in this test
        page.goto("/accounts/password_reset/")
        page.get_by_label("Email").fill("member@example.org")
        _submit(page, "Send the link")
    _check(page, problems, f"{width}px anonymous too many password resets")
    for _ in range(2):  # one wrong password locks the name out in this test
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(f"nobody-{width}")
        page.get_by_label("Password").fill("wrong")
        _submit(page, "Sign in")
    _check(page, problems, f"{width}px anonymous locked out")
    _server_error(page, problems, width)


def _chart_labels(page, problems, width, fund_url):
    """The fund's chart: every label at least 12 px on screen, and none cut off."""
    page.goto(fund_url)
    smallest, outside = page.evaluate(
        """() => {
            const svg = [...document.querySelectorAll('svg.fund-chart')]
                .find(s => s.getBoundingClientRect().width > 0);
            const box = svg.getBoundingClientRect(), scale = svg.getScreenCTM().a;
            let smallest = 99, outside = [];
            for (const t of svg.querySelectorAll('text')) {
                smallest = Math.min(smallest, parseFloat(getComputedStyle(t).fontSize) * scale);
                const r = t.getBoundingClientRect();
                if (r.left < box.left - 1 || r.right > box.right + 1) outside.push(t.textContent);
            }
            return [smallest, outside];
        }"""
    )
    if smallest < 12:
        problems.append(f"{width}px fund chart: labels {smallest:.1f}px on screen")
    if outside:
        problems.append(f"{width}px fund chart: labels cut off: {outside}")


def _secretary_states(page, problems, width, world):
    """Menus and drop-downs open, and forms in their error state."""
    if width < 768:
        # The minutes are one column on a phone, not three with the text squeezed.
        page.goto(world["meeting"].get_absolute_url())
        text = page.locator(".minutes-table tbody td").first.bounding_box()["width"]
        assert text > 0.8 * width, f"minutes text column {text}px wide at {width}px"
        # The decision register too: each decision's text the width of the screen.
        page.goto(f"/meetings/board/{world['board'].slug}/decisions/")
        text = page.locator(".decision-text").first.bounding_box()["width"]
        assert text > 0.8 * width, f"decision register text {text}px wide at {width}px"
        # The action log: each action's text, not two words a line.
        page.goto(f"/actions/board/{world['board'].slug}/")
        text = page.locator(".action-log tbody td:nth-child(3)").first.bounding_box()["width"]
        assert text > 0.8 * width, f"action log text {text}px wide at {width}px"
        # And the fund's ledger: each line's purpose, not a letter a line.
        page.goto(world["fund"].get_absolute_url())
        text = page.locator(".movements-table tbody td:nth-child(5)").first.bounding_box()["width"]
        assert text > 0.8 * width, f"fund ledger purpose {text}px wide at {width}px"
        page.goto(world["meeting"].get_absolute_url())
        # The count of actions due shows beside the menu button, not behind it.
        count = page.get_by_role("link", name=re.compile("of my actions overdue"))
        assert count.is_visible()
    _chart_labels(page, problems, width, world["fund"].get_absolute_url())
    # The admin is the installation staff's: a secretary is sent to sign in as one.
    page.goto("/admin/")
    assert "/accounts/login/" in page.url
    # Menus open: the signed-in person's menu (behind the menu button on a phone).
    page.goto("/")
    if width < 992:
        page.get_by_role("button", name="Toggle navigation").click()
        page.locator("#main-nav.collapse.show").wait_for()  # opened, not still sliding
    page.locator("#main-nav .dropdown-toggle").click()
    page.locator("#main-nav .dropdown-menu.show").wait_for()
    _check(page, problems, f"{width}px secretary menu open")
    # The attendee drop-down with its "Add new person" line.
    page.goto(f"/meetings/{world['meeting'].pk}/edit/")
    attendee = page.get_by_role("combobox", name="Add an officer, guest or substitute")
    attendee.click()
    attendee.press_sequentially("Zed Newcomer (VAS)")
    page.locator(".ts-dropdown .create").wait_for()
    _check(page, problems, f"{width}px secretary attendee drop-down open")
    # Forms in their error state: the fund's budget line with no amount, a new person
    # with no name, a new bid with nothing filled in.
    slug = world["board"].slug
    for path, button in (
        (world["fund"].get_absolute_url(), "Record line"),
        (f"/boards/{slug}/people/new/", "Save person"),
        (f"/funding/boards/{slug}/bids/new/", "Create bid"),
        (world["action"].get_absolute_url(), "Save changes"),
    ):
        page.goto(path)
        _submit(page, button)
        _check(page, problems, f"{width}px secretary {path} with errors")


def test_every_page_passes_axe_and_reflows_for_every_role(browser, live_server, world, settings):
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.PASSWORD_RESET_RATE = "1/hour"
    settings.AXES_FAILURE_LIMIT = 1
    users = get_user_model().objects
    TOTPDevice.objects.create(user=users.get(username="chair"), name="Phone", confirmed=True)
    roles = {
        "observer": world["observer"],
        "member": users.get(username="member"),
        "chair": users.get(username="chair"),
        "secretary": users.get(username="secretary"),
        "admin": users.get(username="admin"),
    }
    pages = {role: _pages(world, role) for role in ("observer", "member", "chair", "secretary")}
    pages["admin"] = _admin_pages(world)
    problems = []
    for width in WIDTHS:
        context = browser.new_context(
            viewport={"width": width, "height": 900}, locale="en-GB", base_url=live_server.url
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        # The Content-Security-Policy is enforced: a page that breaks it is a problem too
        # (axe's own check styles, injected by the test, are not the page's).
        context.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => console.log("
            "'CSP violation', e.violatedDirective, e.sourceFile, JSON.stringify(e.sample)))"
        )
        page.on(
            "console",
            lambda m, page=page: (
                problems.append(f"{page.url}: {m.text[:200]}")
                if m.text.startswith("CSP violation") and "axe-core" not in m.text
                else None
            ),
        )
        for path in _anonymous_pages(world):
            _visit(page, problems, f"{width}px anonymous {path}", path)
        _signed_out_states(page, problems, width)

        for role, user in roles.items():
            _signed_in_as(context, live_server, user)
            for path in pages[role]:
                _visit(page, problems, f"{width}px {role} {path}", path)
            if role == "secretary":
                _secretary_states(page, problems, width, world)
            if role == "admin":  # an admin form in its error state
                page.goto("/admin/boards/organisation/add/")
                _submit(page, "Save")
                _check(page, problems, f"{width}px admin organisation form errors")
        context.close()
    assert problems == [], "\n".join(problems)
