"""Issue 15's walk: from an empty install with one staff user, through Minutebook's pages
only (never /admin/), with the Content-Security-Policy enforced. The staff user starts a
partnership; its secretary, invited by e-mail, sets up the board, a sub-board, eight
organisations (one merged away), fourteen people (some by the forms, most by a CSV upload
with a preview), memberships with standing deputies and a fund; invites two people, who
choose passwords from their e-mails' links; then records a meeting of March 2013 as the
minutes have it (attendance with the chair, the minute-taker, who joined and left, an
officer and a guest; an action owned by the officer, found by initials, due in 2013) and
reads the PDF.

It lives here, not in boards/tests, because it crosses every app (an app's own tests
import no app above it). Set SETUP_SHOTS=/some/dir to keep screenshots of every page at
1280 and 390 px, and the meeting's PDF."""

import datetime as dt
import io
import os
import re
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from actions.models import Action
from actions.reminders import run_reminder_pass
from boards.models import Board, Membership, Organisation, Person
from boards.tests.factories import UserFactory
from conftest import axe_violations
from funding.models import Fund
from meetings.models import Attendance, Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SETUP_SHOTS")
PASSWORD = "Lanterns-over-Kennet-42"
LONDON = timezone.get_default_timezone()

# Ten people and their memberships at once, a deputy among them, and one bad row.
PEOPLE_CSV = """name,title,email,organisation,role,started_on,deputy
Asha Patel,Dr,asha@kennet.example,Kennet Valley CCG,vice-chair,2013-01-15,
Tom Hughes,Supt,tom@kennet.example,Thames Valley Police,member,2013-01-15,ravi@kennet.example
Fiona Reed,,fiona@kennet.example,Kennet Fire and Rescue,member,2013-01-15,
Sam Okafor,,sam@kennet.example,Kennet Voluntary Action,member,2013-01-15,
Leah Byrne,,leah@kennet.example,Jobcentre Plus,member,2013-01-15,
Hugh Marsh,Cllr,hugh@kennet.example,Kennet DC,member,2013-01-15,
Grace Lee,,grace@kennet.example,Kennet Housing Trust,member,2013-01-15,
Mark Gordon,,mark@kennet.example,KDC,adviser,2013-01-15,
Ben Carter,,ben@kennet.example,PRA,observer,2013-01-15,
Zed Wrong,,not-an-e-mail,,member,,
Ravi Shah,,ravi@kennet.example,Thames Valley Police,adviser,2013-01-15,
"""


@pytest.fixture
def strict_context(browser):
    """A context of its own per person, the CSP enforced; violations collected."""
    contexts, violations, visited = [], [], []

    def new():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)  # two CPUs shared by many test runs
        page.on(
            "console",
            lambda m: (
                violations.append(f"{page.url}: {m.text}")
                if "Content Security Policy" in m.text
                else None
            ),
        )
        page.on("request", lambda request: visited.append(request.url))
        return page

    new.violations, new.visited = violations, visited
    yield new
    for context in contexts:
        context.close()


def _field(page, label):
    """The input labelled `label` (crispy marks a required field's label with "*")."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\*?\s*$"))


def _check(page, name):
    """Look at the page as a person would: no serious axe-core finding; screenshots kept
    when asked for."""
    # The pointer off the button just pressed, and its hover colours' transition over:
    # axe judges the page at rest, as it is read.
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)
    assert axe_violations(page) == [], name
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True, caret="initial")
        page.set_viewport_size({"width": 1280, "height": 900})


def _accept_invitation(new_page, url, message, board_name):
    """The invited person, in a browser of their own, follows the e-mail's link."""
    path = re.search(r"https?://[^/\s]+(/boards/invitation/\S+/)", message.body).group(1)
    page = new_page()
    page.goto(url + path)
    _field(page, "New password").fill(PASSWORD)
    _field(page, "New password confirmation").fill(PASSWORD)
    return page, lambda: (
        page.get_by_role("button", name="Set password and sign in").click(),
        page.get_by_role("heading", name=board_name).wait_for(),
    )


def _row(page, name):
    return page.locator(
        "#attendance tr", has=page.get_by_role("rowheader", name=re.compile(re.escape(name)))
    )


def _pdf_text(page, url):
    response = page.request.get(url)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_a_partnership_is_set_up_and_records_a_2013_meeting_through_the_pages(
    strict_context, live_server, tmp_path
):
    UserFactory(username="installer", is_staff=True, is_superuser=True)
    url = live_server.url

    # --- the installation's admin starts the partnership ------------------------------
    admin = strict_context()
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
    _check(admin, "01-new-partnership")
    admin.get_by_role("button", name="Create board and invite secretary").click()
    admin.get_by_text("has been sent an invitation").wait_for()
    assert [m.to for m in mail.outbox] == [["rita@kennet.example"]]

    # --- the secretary chooses a password from the e-mail's link ----------------------
    page, accept = _accept_invitation(
        strict_context, url, mail.outbox[0], "Kennet Valley Partnership"
    )
    _check(page, "02-invitation")
    accept()

    # --- board settings and a sub-board --------------------------------------------------
    page.get_by_role("link", name="Set up board").click()
    _field(page, "Quorum").fill("4")
    _field(page, "Reminder days").fill("5")
    _field(page, "Default venue").fill("Kennet House, Newbury")
    _field(page, "Standard items").fill(
        "Welcome and apologies\nNotes of the last meeting\nMatters arising\n"
        "Any other business\nDate of next meeting"
    )
    _check(page, "03-settings")
    page.get_by_role("button", name="Save settings").click()
    page.get_by_text("settings are saved").wait_for()
    page.get_by_role("link", name="New sub-board").click()
    _field(page, "Sub-board name").fill("Pinehurst Task Group")
    _check(page, "04-sub-board")
    page.get_by_role("button", name="Create sub-board").click()
    page.get_by_role("heading", name="Pinehurst Task Group").wait_for()
    page.get_by_role("link", name="Kennet Valley Partnership").first.click()

    # --- organisations: three by the form (the CSV brings the rest) -------------------
    page.get_by_role("link", name="Set up board").click()
    page.get_by_role("link", name="Organisations", exact=True).click()
    for name, short, sector in (
        ("Kennet District Council", "KDC", "Public"),
        ("Pinehurst Residents Association", "PRA", "Community"),
        ("Kennet Valley CCG", "CCG", "Public"),
    ):
        _field(page, "Name").fill(name)
        _field(page, "Short name").fill(short)
        _field(page, "Sector").select_option(label=sector)
        page.get_by_role("button", name="Add organisation").click()
        page.get_by_text(f"{name} is listed.").wait_for()
    _check(page, "05-organisations")

    # --- people: three by the form, ten by the CSV upload ------------------------------
    page.get_by_role("link", name="People", exact=True).click()
    for title, name, email, org, post in (
        ("Cllr", "Jane Ward", "jane@kennet.example", "Kennet District Council (KDC)", ""),
        ("", "Dev Deputy", "dev@kennet.example", "Kennet District Council (KDC)", ""),
        ("", "Morag Gill", "morag@kennet.example", "Kennet District Council (KDC)", "Officer"),
    ):
        page.get_by_role("link", name="Add a person").click()
        _field(page, "Title").fill(title)
        _field(page, "Name").fill(name)
        _field(page, "E-mail").fill(email)
        _field(page, "Organisation").select_option(label=org)
        _field(page, "Post").fill(post)
        if name == "Morag Gill":
            _check(page, "06-person")
        page.get_by_role("button", name="Save person").click()
        page.get_by_text(" is saved.").wait_for()

    page.get_by_role("link", name="Import", exact=True).click()
    upload = tmp_path / "kennet-people.csv"
    upload.write_text(PEOPLE_CSV)
    page.get_by_label(re.compile("Spreadsheet")).set_input_files(upload)
    _check(page, "07-import")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("Row 11: 'not-an-e-mail' is not an e-mail address")).to_be_visible()
    expect(page.get_by_text("10 rows ready")).to_be_visible()
    assert Person.objects.count() == 4  # the preview saves nothing
    _check(page, "08-import-preview")
    page.get_by_role("button", name="Add 10 people").click()
    page.get_by_text("10 people added to Kennet Valley Partnership.").wait_for()

    # "Kennet DC" came in by the CSV: the council's duplicate, merged away.
    page.get_by_role("link", name="Organisations", exact=True).click()
    _field(page, "Merge this duplicate").select_option(label="Kennet DC")
    _field(page, "into").select_option(label="Kennet District Council (KDC)")
    page.get_by_role("button", name="Merge").click()
    page.get_by_text("The two are now one: Kennet District Council.").wait_for()
    expect(page.get_by_role("heading", name="Partner organisations (8)")).to_be_visible()

    # --- memberships: the chair, by the form, with a standing deputy -------------------
    page.get_by_role("link", name="Members", exact=True).click()
    page.get_by_role("link", name="Add a member").click()
    _field(page, "Person").select_option(label="Cllr Jane Ward")
    _field(page, "Role").select_option(label="Chair")
    _field(page, "From").fill("2013-01-15")
    _field(page, "Standing deputy").select_option(label="Dev Deputy")
    _check(page, "09-membership")
    page.get_by_role("button", name="Save membership").click()
    page.get_by_text("Cllr Jane Ward's membership is saved.").wait_for()
    _check(page, "10-members")

    # --- a fund with its opening budget of 2013/14 ---------------------------------------
    page.get_by_role("link", name="New fund").click()
    _field(page, "Name").fill("Kennet Valley Fund")
    _field(page, "Capital or revenue").select_option(label="Revenue")
    _field(page, "Opening budget").fill("£250k")
    _field(page, "Budget dated").fill("2013-04-01")
    _field(page, "Financial year").fill("2013/14")
    _check(page, "11-fund")
    page.get_by_role("button", name="Open fund").click()
    page.get_by_role("heading", name="Kennet Valley Fund").wait_for()

    # --- two people invited; they choose passwords from their links ---------------------
    page.goto(f"{url}/boards/kennet-valley-partnership/people/")
    sent = len(mail.outbox)
    for name, email in (("Cllr Jane Ward", "jane"), ("Dr Asha Patel", "asha")):
        page.get_by_role("button", name=f"Invite {name}").click()
        page.get_by_text(f"An invitation is on its way to {email}@kennet.example").wait_for()
    expect(page.get_by_role("heading", name="Pending invitations")).to_be_visible()
    _check(page, "12-people")
    invited = mail.outbox[sent:]
    assert [m.to for m in invited] == [["jane@kennet.example"], ["asha@kennet.example"]]
    for message in invited:
        _, accept = _accept_invitation(strict_context, url, message, "Kennet Valley Partnership")
        accept()

    # --- a meeting of 12 March 2013, recorded as the minutes have it --------------------
    page.goto(f"{url}/boards/kennet-valley-partnership/")
    page.get_by_role("link", name="New meeting").click()
    _field(page, "Date").fill("2013-03-12")
    _field(page, "Start time").fill("14:00")
    _field(page, "End time").fill("16:00")
    page.get_by_role("button", name="Create meeting").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("New item title").fill("Community safety plan")
    page.get_by_role("button", name="Add item").click()
    page.locator("li.agenda-item", has_text="Community safety plan").wait_for()
    page.wait_for_load_state("networkidle")

    def mark(name, status):
        group = page.get_by_role("group", name=f"Attendance of {name}")
        group.get_by_role("button", name=status).click()
        expect(
            page.get_by_role("group", name=f"Attendance of {name}").get_by_role(
                "button", name=status
            )
        ).to_have_attribute("aria-pressed", "true")

    for name in ("Cllr Jane Ward", "Rita Clerk", "Dr Asha Patel", "Supt Tom Hughes"):
        mark(name, "Present")
    for name in ("Fiona Reed", "Sam Okafor", "Cllr Hugh Marsh"):
        mark(name, "Present")
    mark("Grace Lee", "Present")  # a slip, put right: she sent her apologies
    for name in ("Leah Byrne", "Grace Lee"):
        mark(name, "Apologies")
    # One row per person: with apologies now, so no longer present.
    expect(
        page.get_by_role("group", name="Attendance of Grace Lee").get_by_role(
            "button", name="Present"
        )
    ).to_have_attribute("aria-pressed", "false")

    for name, role in (("Cllr Jane Ward", "Chair"), ("Rita Clerk", "Took the minutes")):
        # The choice saves itself and the attendance comes back from the server in
        # place of this one: wait for it, as a person would, before the next.
        box = page.get_by_label(f"Role of {name} at the meeting").element_handle()
        box.select_option(label=role)
        box.wait_for_element_state("hidden")
        expect(page.get_by_label(f"Role of {name} at the meeting")).to_have_value(
            "chair" if role == "Chair" else "minutes"
        )

    def presence(name, joined="", left=""):
        row = _row(page, name)
        row.get_by_text("Joined late or left early?").click()
        if joined:
            page.get_by_label(f"{name} joined at item").select_option(label=joined)
        if left:
            page.get_by_label(f"{name} left at item").select_option(label=left)
        row.get_by_role("button", name="Save").click()

    presence("Sam Okafor", joined="Joined at item 2")
    expect(_row(page, "Sam Okafor").locator("summary")).to_have_text("Joined at item 2")
    presence("Cllr Hugh Marsh", left="Left at item 4")
    expect(_row(page, "Cllr Hugh Marsh").locator("summary")).to_have_text("Left at item 4")

    def add_attendee(typed, option):
        box = page.get_by_role("combobox", name="Add an officer, guest or substitute")
        box.click()
        box.press_sequentially(typed, delay=40)
        page.locator(".add-attendee .ts-dropdown").get_by_text(option).first.click()
        page.get_by_label("As", exact=True).select_option(label="In attendance (officer or guest)")
        page.get_by_role("button", name="Add to attendance").click()

    add_attendee("Morag", "Morag Gill")  # the council's officer, of the partnership
    expect(page.locator("#attendance")).to_contain_text("Morag Gill (Officer)")
    add_attendee("Gina Guest (Pinehurst Residents Association)", "Add new person")
    expect(page.locator("#attendance")).to_contain_text("Gina Guest (PRA)")
    _check(page, "13-meeting-attendance")

    # The officer owns an action, found by her initials; due in 2013, as minuted.
    item = page.locator("li.agenda-item", has_text="Community safety plan")
    item.get_by_text("Add an action").click()
    item.get_by_role("textbox", name=re.compile(r"^Action\*?$")).fill(
        "Draft the community safety plan for consultation"
    )
    owners = item.get_by_role("combobox", name=re.compile(r"^Owners"))
    owners.click()
    owners.press_sequentially("MGi", delay=60)
    dropdown = page.locator(".ts-dropdown")
    expect(dropdown.get_by_role("option").first).to_have_text(re.compile("Morag Gill"))
    expect(dropdown.get_by_role("option", name=re.compile("Mark Gordon"))).to_have_count(0)
    dropdown.get_by_role("option", name=re.compile("Morag Gill")).click()
    item.get_by_label("By a date").check()
    item.get_by_label("Due date").fill("2013-04-30")
    item.get_by_role("button", name="Record action").click()
    expect(
        item.get_by_role("link", name="Draft the community safety plan for consultation")
    ).to_be_visible()

    # Held, and circulated without reminders of what was overdue long ago.
    page.get_by_role("button", name="Mark as held").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_label("Remind owners of actions already overdue")).not_to_be_checked()
    page.get_by_role("button", name="Circulate the draft minutes").click()
    expect(page.get_by_text("Draft minutes circulated")).to_be_visible()

    meeting = Meeting.objects.get(board__slug="kennet-valley-partnership")
    page.goto(f"{url}{meeting.get_absolute_url()}")
    expect(page.get_by_text("Cllr Jane Ward (KDC) (Chair)").first).to_be_visible()
    expect(page.get_by_text("Rita Clerk (minutes)").first).to_be_visible()
    _check(page, "14-minutes")
    text = _pdf_text(page, f"{url}/meetings/{meeting.pk}/minutes.pdf")
    if SHOTS:
        Path(SHOTS, "minutes-2013.pdf").write_bytes(
            page.request.get(f"{url}/meetings/{meeting.pk}/minutes.pdf").body()
        )

    # --- what the PDF, and the record, say ------------------------------------------------
    assert "KENNET VALLEY PARTNERSHIP" in text.upper()  # no title: the board's name
    assert "Tuesday 12 March 2013, 2.00pm to 4.00pm" in text
    assert "Cllr Jane Ward (Chair)" in text and "Rita Clerk (minutes)" in text
    assert "Apologies: Grace Lee (Kennet Housing Trust) and Leah Byrne" in text
    in_attendance = re.search(r"In attendance: (.*?)\. ", text).group(1)
    assert "Gina Guest (PRA)" in in_attendance and "Morag Gill" in in_attendance, in_attendance
    assert "Cllr Hugh Marsh left at item 4" in text and "Sam Okafor joined at item 2" in text
    assert "Draft the community safety plan for consultation (by 30 April 2013) Morag Gill" in text

    board = Board.objects.get(slug="kennet-valley-partnership")
    assert (board.quorum, board.reminder_days_before, board.chair.name) == (4, 5, "Jane Ward")
    assert Board.objects.get(name="Pinehurst Task Group").parent == board
    assert Person.objects.of_partnership(board).count() == 15  # fourteen and the guest
    assert Organisation.objects.of_partnership(board).count() == 8
    assert board.memberships.get(person__name="Jane Ward").deputy.name == "Dev Deputy"
    tom = board.memberships.get(person__name="Tom Hughes")
    assert (tom.deputy.name, tom.started_on) == ("Ravi Shah", dt.date(2013, 1, 15))
    assert board.memberships.get(person__name="Hugh Marsh").representing.short_name == "KDC"
    assert Person.objects.get(name="Jane Ward").user.check_password(PASSWORD)
    assert Person.objects.get(name="Asha Patel").user is not None
    fund = Fund.objects.get(board=board)
    assert fund.entries.get().entered_on == dt.date(2013, 4, 1)
    action = Action.objects.get()
    assert (list(action.owners.values_list("name", flat=True)), action.due_on) == (
        ["Morag Gill"],
        dt.date(2013, 4, 30),
    )
    assert (
        not Attendance.objects.filter(meeting=meeting, status="present")
        .filter(person__name__in=["Leah Byrne", "Grace Lee"])
        .exists()
    )

    # The next reminder pass: nothing about an action overdue since 2013.
    before = len(mail.outbox)
    run_reminder_pass(dt.datetime.combine(timezone.localdate(), dt.time(8), tzinfo=LONDON))
    assert not any("community safety plan" in m.body for m in mail.outbox[before:])
    assert not [seen for seen in strict_context.visited if "/admin/" in seen]
    assert strict_context.violations == [], "\n".join(strict_context.violations)
    assert Membership.objects.filter(board=board).count() == 12
