"""The secretary's meeting screen, driven in Chromium as a secretary would use it."""

import contextlib
import re

import pytest
from playwright.sync_api import expect

from conftest import axe_violations
from meetings.models import AgendaItem, Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _item(page, title):
    return page.locator("li.agenda-item", has_text=title)


def _settle(page):
    # The screen loads each item's actions as a fragment; act once they have arrived, as
    # a person would (and SQLite's test database dislikes many writers at once).
    page.wait_for_load_state("networkidle")


def _retry_until_saved(item):
    """Press "Retry now" unless the page's own back-off retry gets there first."""
    from playwright.sync_api import Error

    # The automatic retry may replace the button first: that is fine too.
    with contextlib.suppress(Error):
        item.get_by_role("button", name="Retry now").click(timeout=3000)
    expect(item.get_by_text(re.compile(r"Saved at \d\d:\d\d"))).to_be_visible(timeout=40_000)


def test_it_builds_a_meeting_and_keeps_everything_after_a_reload(
    page, sign_in, live_server, board, secretary, member, chair, tmp_path
):
    sign_in(secretary)
    page.goto(f"{live_server.url}{board.get_absolute_url()}")
    page.get_by_role("link", name="New meeting").click()
    page.get_by_label("Date").fill("2026-12-08")
    page.get_by_label("Start time").fill("14:00")
    page.get_by_label("Venue").fill("Civic Offices, Swindon")
    page.get_by_role("button", name="Create meeting").click()
    _settle(page)
    expect(page.get_by_role("heading", name="Agenda and minutes")).to_be_visible()
    expect(_item(page, "Matters arising")).to_contain_text("3")

    page.get_by_label("New item title").fill("Data sharing protocol")
    page.get_by_role("button", name="Add item").click()
    _settle(page)
    item = _item(page, "Data sharing protocol")
    expect(item.locator(".item-number")).to_have_text("4")

    paper = tmp_path / "Data sharing protocol.pdf"
    paper.write_bytes(PDF)
    item.locator("details.add-paper > summary").click()
    item.get_by_label(re.compile("Attach a paper")).set_input_files(paper)
    item.get_by_role("button", name="Upload paper").click()
    expect(item.get_by_role("link", name="Data sharing protocol")).to_be_visible()

    page.get_by_role("group", name="Attendance of Mo Member").get_by_role(
        "button", name="Present"
    ).click()
    expect(
        page.get_by_role("group", name="Attendance of Mo Member").get_by_role(
            "button", name="Present"
        )
    ).to_have_attribute("aria-pressed", "true")
    page.get_by_role("group", name="Attendance of Chris Chair").get_by_role(
        "button", name="Apologies"
    ).click()
    expect(
        page.get_by_role("group", name="Attendance of Chris Chair").get_by_role(
            "button", name="Apologies"
        )
    ).to_have_attribute("aria-pressed", "true")

    minutes = item.get_by_label("Minutes of “Data sharing protocol”")
    minutes.press_sequentially("The Board considered the report.\n\n- A post is needed.")
    expect(item.get_by_text(re.compile(r"Saved at \d\d:\d\d"))).to_be_visible()

    item.get_by_text("Add a decision").click()  # the form loads when opened
    item.get_by_label("Decision on “Data sharing protocol”").fill(
        "To fund £25k for a data protection officer."
    )
    item.get_by_role("button", name="Add decision").click()
    expect(item.locator(".decisions")).to_contain_text("(1)")

    page.screenshot(path="/tmp/meeting-screen-1280.png", full_page=True)
    assert axe_violations(page) == []

    page.reload()
    _settle(page)
    item = _item(page, "Data sharing protocol")
    expect(item.get_by_label("Minutes of “Data sharing protocol”")).to_have_value(
        "The Board considered the report.\n\n- A post is needed."
    )
    expect(item.get_by_role("link", name="Data sharing protocol")).to_be_visible()
    expect(item.locator(".decisions")).to_contain_text("To fund £25k")
    expect(
        page.get_by_role("group", name="Attendance of Mo Member").get_by_role(
            "button", name="Present"
        )
    ).to_have_attribute("aria-pressed", "true")
    page.set_viewport_size({"width": 800, "height": 900})
    page.screenshot(path="/tmp/meeting-screen-800.png", full_page=True)
    meeting = Meeting.objects.get(board=board)
    assert meeting.items.get(title="Data sharing protocol").decisions.count() == 1


def test_it_keeps_typed_text_through_a_network_drop_and_saves_it_after(
    page, sign_in, live_server, board, secretary
):
    from django.utils import timezone

    from meetings.services import create_meeting

    meeting = create_meeting(board=board, starts_at=timezone.now())
    sign_in(secretary)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/edit/")
    _settle(page)
    item = _item(page, "Any other business")
    page.route("**/minutes/", lambda route: route.abort())
    minutes = item.get_by_label("Minutes of “Any other business”")
    minutes.press_sequentially("Liz Hickey asked the Board to note the award.")
    expect(item.get_by_text(re.compile("connection to the server was lost"))).to_be_visible()
    expect(minutes).to_have_value("Liz Hickey asked the Board to note the award.")
    page.unroute("**/minutes/")
    _retry_until_saved(item)
    saved = AgendaItem.objects.get(meeting=meeting, title="Any other business")
    assert saved.minutes == "Liz Hickey asked the Board to note the award."


def test_it_reorders_by_keyboard_adds_a_new_presenter_and_shows_a_conflict(
    page, sign_in, live_server, board, secretary
):
    from django.utils import timezone

    from meetings.services import create_meeting, save_minutes

    meeting = create_meeting(board=board, starts_at=timezone.now())
    sign_in(secretary)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/edit/")
    _settle(page)

    page.get_by_role("button", name="Move “Welcome and apologies” down").click()
    expect(_item(page, "Welcome and apologies").locator(".item-number")).to_have_text("2")
    expect(_item(page, "Notes of the last meeting").locator(".item-number")).to_have_text("1")
    assert meeting.items.get(title="Welcome and apologies").number == "2"

    item = _item(page, "Matters arising")
    item.get_by_text("Edit title, presenters or confidentiality").click()
    item.get_by_role("combobox", name="Presenters").fill("Mike Dearing (Transformation Hub)")
    page.get_by_text("Add new person").click()
    item.get_by_label("Confidential (left out of the public minutes)").check()
    item.get_by_role("button", name="Save item").click()
    expect(item.get_by_text("Presented by Mike Dearing (Transformation Hub)")).to_be_visible()
    expect(item.get_by_text("Confidential", exact=True)).to_be_visible()

    other = meeting.items.get(title="Any other business")
    save_minutes(item=other, text="Typed by the other secretary.", version=1)
    aob = _item(page, "Any other business")
    aob.get_by_label("Minutes of “Any other business”").press_sequentially("Typed here.")
    expect(aob.get_by_text("Someone else saved this item")).to_be_visible()
    expect(aob.locator(".conflict")).to_contain_text("Typed by the other secretary.")
    expect(aob.locator(".conflict")).to_contain_text("Typed here.")
    other.refresh_from_db()
    assert other.minutes == "Typed by the other secretary."
    aob.screenshot(path="/tmp/meeting-conflict.png")
    assert axe_violations(page) == []
    aob.get_by_role("button", name="Keep my version").click()
    expect(aob.get_by_text(re.compile(r"Saved at \d\d:\d\d"))).to_be_visible()
    other.refresh_from_db()
    assert other.minutes == "Typed here."


def test_it_approves_the_last_minutes_which_then_need_a_reason_to_change(
    page, sign_in, live_server, board, chair
):
    import datetime as dt

    from django.utils import timezone

    from meetings.models import Meeting
    from meetings.services import change_status, create_meeting

    january = create_meeting(board=board, starts_at=timezone.now() - dt.timedelta(days=49))
    january.items.filter(title="Welcome and apologies").update(minutes="Gavin Jones was present.")
    march = create_meeting(board=board, starts_at=timezone.now())
    # The chair approves minutes (APPROVE_MINUTES), at a meeting that has been held.
    change_status(meeting=march, status=Meeting.Status.HELD)
    sign_in(chair)
    page.goto(f"{live_server.url}/meetings/{march.pk}/edit/")
    _settle(page)
    item = _item(page, "Notes of the last meeting")
    item.get_by_text("Approve the minutes of an earlier meeting").click()
    item.get_by_label("Corrections (optional)").fill("Gavin Jones sent apologies.")
    item.get_by_role("button", name="Agreed as an accurate record").click()
    expect(item.locator(".decisions")).to_contain_text("agreed as an accurate record")
    january.refresh_from_db()
    assert january.is_frozen and january.approved_at == march

    page.goto(f"{live_server.url}/meetings/{january.pk}/edit/")
    _settle(page)
    expect(page.get_by_text("A change now needs a reason")).to_be_visible()
    welcome = _item(page, "Welcome and apologies")
    welcome.get_by_label("Minutes of “Welcome and apologies”").fill("Gavin Jones sent apologies.")
    welcome.get_by_role("button", name="Save amendment").click()
    expect(welcome.get_by_text("give a reason for the change")).to_be_visible()
    welcome.get_by_label(re.compile("Reason for the amendment")).fill("Corrected on approval")
    welcome.get_by_role("button", name="Save amendment").click()
    expect(welcome.get_by_text(re.compile(r"Saved at \d\d:\d\d"))).to_be_visible()
    page.reload()
    _settle(page)
    expect(page.get_by_text("Amendments after approval")).to_be_visible()
    expect(page.get_by_text(re.compile("Corrected on approval"))).to_be_visible()
    page.screenshot(path="/tmp/meeting-frozen-1280.png", full_page=True)
    assert axe_violations(page) == []


def test_it_carries_actions_to_the_next_meeting_where_the_minutes_are_approved(
    page, sign_in, live_server, board, secretary, member, chair
):
    """The whole path: minutes with two actions, then the next meeting approves them."""
    import datetime as dt

    from django.utils import timezone

    from meetings.services import create_meeting

    first = create_meeting(board=board, starts_at=timezone.now() - dt.timedelta(days=42))
    # This board's terms of reference let the secretary record the approval.
    board.secretary_approves_minutes = True
    board.save()
    sign_in(secretary)
    page.goto(f"{live_server.url}/meetings/{first.pk}/edit/")
    _settle(page)
    item = _item(page, "Any other business")
    expect(item.get_by_text("Add an action")).to_be_visible()
    for text, owner in [
        ("Re-write the example family story.", "Mo Member"),
        ("Report back on the trade unions.", "Chris Chair"),
    ]:
        item.get_by_text("Add an action").click()
        item.get_by_role("textbox", name=re.compile(r"^Action\*?$")).fill(text)
        owners = item.get_by_role("combobox", name=re.compile(r"^Owners"))
        owners.click()
        owners.press_sequentially(owner[:5])
        page.locator(".ts-dropdown [role=option]", has_text=owner).first.click()
        item.get_by_role("button", name="Record action").click()
        expect(item.get_by_role("link", name=text)).to_be_visible()
    page.get_by_role("button", name="Mark as held").click()
    page.get_by_role("button", name="Circulate the draft minutes").click()
    expect(page.get_by_text("Draft minutes circulated")).to_be_visible()

    page.goto(f"{live_server.url}{board.get_absolute_url()}")
    page.get_by_role("link", name="New meeting").click()
    page.get_by_label("Date").fill(timezone.localdate().isoformat())
    page.get_by_label("Start time").fill("00:00")
    page.get_by_role("button", name="Create meeting").click()
    _settle(page)
    # Minutes are approved at a meeting that has been held.
    page.get_by_role("button", name="Mark as held").click()
    _settle(page)
    matters = _item(page, "Matters arising")
    expect(matters.get_by_role("link", name="Re-write the example family story.")).to_be_visible()
    expect(matters.get_by_role("link", name="Report back on the trade unions.")).to_be_visible()

    notes = _item(page, "Notes of the last meeting")
    notes.get_by_text("Approve the minutes of an earlier meeting").click()
    notes.get_by_role("button", name="Agreed as an accurate record").click()
    expect(notes.locator(".decisions")).to_contain_text("agreed as an accurate record")
    first.refresh_from_db()
    assert first.is_frozen
    page.goto(f"{live_server.url}/meetings/{first.pk}/")
    expect(page.get_by_text("Approved as an accurate record")).to_be_visible()
    expect(page.locator(".action-column")).to_contain_text(["ACTION"])


def test_it_keeps_typed_text_when_the_session_expires_and_saves_after_signing_in(
    page, sign_in, live_server, board, secretary
):
    from django.utils import timezone

    from meetings.services import create_meeting

    meeting = create_meeting(board=board, starts_at=timezone.now())
    sign_in(secretary)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/edit/")
    _settle(page)
    page.context.clear_cookies(name="sessionid")  # as if the session had timed out
    item = _item(page, "Date of next meeting")
    minutes = item.get_by_label("Minutes of “Date of next meeting”")
    minutes.press_sequentially("Tuesday 29 April 2014.")
    expect(item.get_by_text(re.compile("your session has expired"))).to_be_visible()

    other = page.context.new_page()
    other.goto(f"{live_server.url}/accounts/login/")
    other.get_by_label("Username").fill(secretary.user.username)
    other.get_by_label("Password").fill("correct-horse-battery")
    other.get_by_role("button", name="Sign in").click()
    other.wait_for_url(f"{live_server.url}/")
    other.close()

    _retry_until_saved(item)
    expect(minutes).to_have_value("Tuesday 29 April 2014.")
    assert meeting.items.get(title="Date of next meeting").minutes == "Tuesday 29 April 2014."


def test_it_restores_unsaved_text_after_a_reload_and_saves_it(
    page, sign_in, live_server, board, secretary
):
    from django.utils import timezone

    from meetings.services import create_meeting

    meeting = create_meeting(board=board, starts_at=timezone.now())
    sign_in(secretary)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/edit/")
    _settle(page)
    page.route("**/minutes/", lambda route: route.abort())
    item = _item(page, "Welcome and apologies")
    item.get_by_label("Minutes of “Welcome and apologies”").press_sequentially(
        "Cllr David Renard welcomed everyone."
    )
    expect(item.get_by_text(re.compile("connection to the server was lost"))).to_be_visible()
    page.unroute("**/minutes/")
    page.reload()  # the tab was closed or reloaded before the text reached the server
    _settle(page)
    item = _item(page, "Welcome and apologies")
    expect(item.get_by_label("Minutes of “Welcome and apologies”")).to_have_value(
        "Cllr David Renard welcomed everyone."
    )
    expect(item.get_by_text(re.compile(r"Saved at \d\d:\d\d"))).to_be_visible()
    saved = meeting.items.get(title="Welcome and apologies")
    assert saved.minutes == "Cllr David Renard welcomed everyone."
    page.screenshot(path="/tmp/meeting-restored-800.png")
