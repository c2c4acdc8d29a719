"""In a real browser with the Content-Security-Policy enforced, pages raise no violation."""

import pytest

from conftest import axe_violations
from meetings.tests.factories import AgendaItemFactory, MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def strict_page(browser):
    """Like conftest's `page`, but the CSP is enforced (that fixture bypasses it for axe)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.csp_violations = violations
    yield page
    context.close()


def test_pages_run_under_the_policy_without_violations(strict_page, live_server, board, secretary):
    meeting = MeetingFactory(board=board)
    AgendaItemFactory(meeting=meeting, title="Shared strategy")
    page = strict_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(secretary.user.username)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    for path in (
        "/",
        board.get_absolute_url(),
        meeting.get_absolute_url(),
        f"/meetings/{meeting.pk}/edit/",
        "/actions/mine/",
        "/accounts/two-factor/",
    ):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    assert page.get_by_role("img", name="QR code to scan with your authenticator app").is_visible()
    assert page.csp_violations == []
    # The listener does hear a violation: an inline script is refused.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.ran === undefined")
    assert any("inline script" in text for text in page.csp_violations)


def test_a_member_turns_on_two_factor_and_signs_in_with_a_code(sign_in, page, live_server, member):
    import base64

    from django_otp.oath import totp

    sign_in(member)
    page.locator("#main-nav .dropdown-toggle").click()  # the signed-in person's menu
    page.get_by_role("link", name="Sign-in security").click()
    assert axe_violations(page) == []
    secret = page.get_by_label("Secret key").inner_text().replace(" ", "")
    key = base64.b32decode(secret)

    def code(steps_ahead=0):
        return f"{totp(key, t0=-steps_ahead * 30):06d}"

    page.get_by_label("Code from your authenticator app").fill(code())
    page.get_by_role("button", name="Confirm and turn on").click()
    assert page.get_by_text("Two-factor sign-in is on.").first.is_visible()
    page.locator("#main-nav .dropdown-toggle").click()
    page.get_by_role("button", name="Sign out").click()

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(member.user.username)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", name="Enter your code").is_visible()
    # The next 30-second step's code: the one used at set-up cannot be used twice.
    page.get_by_label("Code from your authenticator app").fill(code(steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/", timeout=30_000)  # CI runs workers beside it
    assert page.get_by_role("link", name="My boards").is_visible()


def test_a_member_issues_and_revokes_an_api_token(sign_in, page, member):
    from knox.models import AuthToken
    from knox.settings import CONSTANTS

    sign_in(member)
    page.locator("#main-nav .dropdown-toggle").click()
    page.get_by_role("link", name="Sign-in security").click()
    page.get_by_role("link", name="See and revoke your API tokens").click()
    assert page.get_by_text("You have no API tokens.").is_visible()
    page.get_by_role("button", name="Issue a new token").click()
    key = page.get_by_label("New token").inner_text()
    assert axe_violations(page) == []
    assert AuthToken.objects.filter(
        user=member.user, token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH]
    ).exists()
    page.get_by_role("button", name=f"Revoke token {key[:8]}").click()
    assert page.get_by_text("The token is revoked: it no longer works.").is_visible()
    assert page.get_by_text("You have no API tokens.").is_visible()
    assert not AuthToken.objects.filter(user=member.user).exists()
