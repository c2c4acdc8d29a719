"""The meeting cycle walked in Chromium: invitation, apologies by the e-mail's link, the
meeting held, the draft circulated, a member's correction accepted from the redline, the
next meeting approving the minutes (the approved PDF lists the correction), and a
deferred decision offered on the next agenda."""

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from conftest import axe_violations
from meetings import pdf, services
from meetings.models import AmendmentProposal, Attendance, Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def _signed_in(browser, live_server, person):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("dialog", lambda d: d.accept())
    if person is not None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(person.user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")
    return page


def _item(page, title):
    return page.locator("li.agenda-item", has_text=title)


def _no_serious_axe(page):
    assert axe_violations(page) == [], page.url


def test_the_meeting_cycle_end_to_end(browser, live_server, board, secretary, chair, member):
    board.secretary = secretary
    board.save()
    spring = services.create_meeting(
        board=board, starts_at=timezone.now() + dt.timedelta(days=2), venue="Civic Offices"
    )
    budget = services.add_item(meeting=spring, title="Youth hub budget")
    services.save_minutes(
        item=budget, text="The Board discussed the budget of £25k.", version=budget.version
    )
    services.set_attendance(meeting=spring, person=chair, status="present")
    desk = _signed_in(browser, live_server, secretary)

    # Publish the agenda: every member is invited.
    desk.goto(f"{live_server.url}/meetings/{spring.pk}/edit/")
    desk.wait_for_load_state("networkidle")  # the items' fragments (SQLite: one writer)
    desk.get_by_role("button", name="Publish the agenda").click()
    expect(desk.get_by_text("Agenda published").first).to_be_visible()
    desk.wait_for_load_state("networkidle")
    invitation = next(m for m in mail.outbox if member.email in m.to[0])
    link = re.search(r"https?://\S+/meetings/reply/apologies/\S+/", invitation.body)
    assert link, invitation.body
    path = "/" + link.group(0).split("/", 3)[3]

    # The member replies with apologies by the e-mail's link, signed out.
    reply = _signed_in(browser, live_server, None)
    reply.goto(f"{live_server.url}{path}")
    _no_serious_axe(reply)
    reply.get_by_role("button", name="Send apologies").click()
    expect(reply.get_by_text(re.compile("your reply is recorded", re.I))).to_be_visible()
    assert Attendance.objects.get(meeting=spring, person=member).status == "apologies"
    # A month passes: the meeting has taken place.
    Meeting.objects.filter(pk=spring.pk).update(starts_at=timezone.now() - dt.timedelta(days=30))

    # The secretary sees the reply, records a deferred decision, holds and circulates.
    desk.reload()
    desk.wait_for_load_state("networkidle")
    expect(desk.locator("#replies, section", has_text="Replies").first).to_contain_text(
        member.display_name
    )
    item = _item(desk, "Youth hub budget")
    item.get_by_text("Add a decision").click()
    item.get_by_label("Kind of decision").select_option("deferred")
    item.get_by_label("Decision on “Youth hub budget”").fill("To come back with costs.")
    item.get_by_role("button", name="Add decision").click()
    expect(item.locator(".decisions")).to_contain_text("To come back with costs.")
    # A vote on it, and a declaration of one who left the room for the item.
    item.get_by_text("Record a vote").click()
    item.get_by_label("For", exact=True).fill("5")
    item.get_by_label("Against", exact=True).fill("1")
    item.get_by_role("button", name=re.compile("Save the vote")).click()
    expect(item.locator(".decisions")).to_contain_text("For 5, against 1.")
    desk.get_by_label("Who declared").select_option(label=chair.display_name)
    desk.get_by_label("Item", exact=True).select_option(str(budget.pk))
    desk.get_by_label("Interest declared").fill("a trustee of the hub")
    desk.get_by_label("Left the room for the item").check()
    desk.get_by_role("button", name="Record declaration").click()
    expect(desk.locator("#declarations")).to_contain_text("left the meeting for this item")
    _no_serious_axe(desk)
    desk.get_by_role("button", name="Mark as held").click()
    desk.wait_for_load_state("networkidle")
    mail.outbox.clear()
    desk.get_by_role("button", name="Circulate the draft minutes").click()
    expect(desk.get_by_text("Draft minutes circulated")).to_be_visible()
    draft = next(m for m in mail.outbox if member.email in m.to[0])
    (name, content, mimetype), *_ = [a for a in draft.attachments if a[2] == "application/pdf"]
    assert "£25k" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)

    # The member proposes a correction to the item's minutes.
    reader = _signed_in(browser, live_server, member)
    reader.goto(f"{live_server.url}{spring.get_absolute_url()}")
    reader.locator(f'a[href="/meetings/items/{budget.pk}/propose/"]').click()
    _no_serious_axe(reader)
    reader.get_by_label("The minutes as they should read").fill(
        "The Board discussed the budget of £30k."
    )
    reader.get_by_role("button", name="Send the correction").click()
    expect(reader.get_by_text("Your correction is sent to the secretary.")).to_be_visible()
    proposal = AmendmentProposal.objects.get()

    # The secretary accepts it from the redline.
    desk.goto(f"{live_server.url}/meetings/{spring.pk}/proposals/")
    redline = desk.locator(".redline").first
    expect(redline.locator("del")).to_contain_text("£25k")
    expect(redline.locator("ins")).to_contain_text("£30k")
    _no_serious_axe(desk)
    desk.get_by_role("button", name="Accept and apply").click()
    expect(desk.get_by_text("Accepted", exact=False).first).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    budget.refresh_from_db()
    assert "£30k" in budget.minutes

    # The next meeting: the deferred matter is offered, and the minutes are approved.
    summer = services.create_meeting(board=board, starts_at=timezone.now() - dt.timedelta(hours=1))
    desk.goto(f"{live_server.url}/meetings/{summer.pk}/edit/")
    desk.wait_for_load_state("networkidle")
    offer = desk.get_by_role("region", name="From the forward plan")
    expect(offer).to_contain_text("Youth hub budget")
    expect(offer.get_by_role("link", name=re.compile("the meeting of"))).to_have_attribute(
        "href", re.compile(rf"/meetings/{spring.pk}/#item-{budget.pk}$")
    )
    offer.get_by_role("button", name=re.compile("Add to the agenda")).click()
    desk.wait_for_load_state("networkidle")
    expect(_item(desk, "Youth hub budget")).to_be_visible()
    services.change_status(meeting=summer, status=Meeting.Status.HELD)
    approver = _signed_in(browser, live_server, chair)
    approver.goto(f"{live_server.url}/meetings/{summer.pk}/edit/")
    approver.wait_for_load_state("networkidle")
    notes = _item(approver, "Notes of the last meeting")
    notes.get_by_text("Approve the minutes of an earlier meeting").click()
    notes.get_by_role("button", name="Agreed as an accurate record").click()
    expect(notes.locator(".decisions")).to_contain_text("with the amendments circulated")
    spring.refresh_from_db()
    assert spring.is_frozen and spring.approved_at == summer
    text = " ".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(pdf.build_minutes_pdf(spring, public=False).read())).pages
    )
    assert "Amendments circulated" in text and "£30k" in text
    assert member.display_name in text
    assert "For 5, against 1." in text and "left the meeting for this item" in " ".join(
        text.split()
    )

    # The board's forward plan and decision register, and the cancel confirmation.
    for url, shows in (
        (f"/meetings/board/{board.slug}/forward-plan/", "Youth hub budget"),
        (f"/meetings/board/{board.slug}/decisions/", "To come back with costs."),
        (f"/meetings/{summer.pk}/approve-minutes/", "Approve"),
    ):
        approver.goto(f"{live_server.url}{url}")
        expect(approver.locator("main")).to_contain_text(shows)
        _no_serious_axe(approver)
    autumn = services.create_meeting(board=board, starts_at=timezone.now() + dt.timedelta(days=60))
    desk.goto(f"{live_server.url}/meetings/{autumn.pk}/edit/")
    desk.wait_for_load_state("networkidle")
    desk.get_by_role("link", name="Cancel the meeting…").click()
    _no_serious_axe(desk)
    desk.get_by_role("button", name=re.compile("Cancel the meeting")).click()
    autumn.refresh_from_db()
    assert autumn.status == Meeting.Status.CANCELLED
