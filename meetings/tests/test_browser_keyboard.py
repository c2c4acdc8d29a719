"""The meeting screen with the keyboard alone, the Content-Security-Policy enforced:
after adding a decision or an action the keyboard stays where it was, a polite live region
says what happened, and unsent text survives a reload."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def keyboard_page(browser, live_server, secretary):
    """A signed-in secretary's page with the policy enforced (no bypass_csp)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.csp_violations = []
    page.on(
        "console",
        lambda m: page.csp_violations.append(m.text) if "Content Security" in m.text else None,
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(secretary.user.username)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    yield page
    context.close()


def _focused(page):
    return page.evaluate("() => document.activeElement.id || document.activeElement.outerHTML")


def test_it_keeps_the_keyboard_in_place_and_announces_what_was_added(
    keyboard_page, live_server, board, member
):
    from meetings.services import add_item, create_meeting

    meeting = create_meeting(board=board, starts_at=timezone.now())
    item = add_item(meeting=meeting, title="Data sharing protocol")
    page = keyboard_page
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/edit/")
    page.wait_for_load_state("networkidle")
    card = page.locator(f"#item-{item.pk}")
    announcer = page.locator("#agenda-announcer")

    # The add-action form is loaded when opened; open it first, to see its list follow.
    card.get_by_text("Add an action").click()
    from_decision = card.get_by_label("From decision")
    expect(from_decision.locator("option")).to_have_text(["– none –"])
    # So is the decision form: opened from the keyboard, its field is next.
    card.locator("details.add-decision > summary").focus()
    page.keyboard.press("Enter")
    decision = card.get_by_label("Decision on “Data sharing protocol”")
    decision.fill("To share data between partners.")
    decision.press("Tab")  # to "Add decision"
    page.keyboard.press("Enter")
    expect(card.locator(".decisions")).to_contain_text("To share data between partners.")
    expect(announcer).to_have_text("Decision (1) added.")
    assert _focused(page) == f"decision-text-{item.pk}"
    # The add-action form's list has the new decision without a reload.
    expect(from_decision.locator("option")).to_have_text(
        ["– none –", "(1) To share data between partners."]
    )

    # Text typed but not sent survives a reload, in both add forms.
    page.keyboard.type("To meet again in May.")
    card.get_by_role("textbox", name=re.compile(r"^Action\*?$")).fill("Draft the protocol.")
    page.reload()
    page.wait_for_load_state("networkidle")
    expect(decision).to_have_value("To meet again in May.")
    action_text = card.get_by_role("textbox", name=re.compile(r"^Action\*?$"))
    expect(action_text).to_have_value("Draft the protocol.")

    owners = card.get_by_role("combobox", name=re.compile(r"^Owners"))
    owners.click()
    owners.press_sequentially("Mo Me")
    page.locator(".ts-dropdown [role=option]", has_text="Mo Member").first.click()
    card.get_by_role("button", name="Record action").focus()
    page.keyboard.press("Enter")
    expect(card.get_by_role("link", name="Draft the protocol.")).to_be_visible()
    expect(announcer).to_have_text("Action added.")
    assert "Add an action" in _focused(page)
    page.reload()
    page.wait_for_load_state("networkidle")
    # Sent text is not put back: the draft went with the save.
    expect(card.locator("details.add-action")).not_to_have_attribute("open", "")
    card.get_by_text("Add an action").click()
    expect(card.locator("form[data-adds=action] textarea[name=text]")).to_have_value("")
    assert page.csp_violations == []


def test_it_keeps_the_keyboard_in_a_form_it_just_sent(keyboard_page, live_server, board, member):
    """A declaration recorded: the keyboard is back in the declaration form, not at the top."""
    from meetings.services import create_meeting

    meeting = create_meeting(board=board, starts_at=timezone.now())
    page = keyboard_page
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/edit/")
    page.wait_for_load_state("networkidle")
    page.get_by_label("Who declared").select_option(label="Mo Member")
    page.get_by_label("Interest declared").fill("Trustee of Swindon Carers")
    page.get_by_role("button", name="Record declaration").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#declarations")).to_contain_text("Trustee of Swindon Carers")
    expect(page.get_by_label("Who declared")).to_be_focused()
    assert page.csp_violations == []
