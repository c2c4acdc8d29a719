"""Import the 18 March 2014 minutes as a Word file, in Chromium, as a secretary would."""

import re
import subprocess
from pathlib import Path

import docx
import pytest
from playwright.sync_api import expect

from conftest import axe_violations
from funding.models import Fund, FundEntry
from importer.read import read_text
from meetings.models import Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "one-swindon-board-2014-03-18.txt"
SHOTS = Path("/tmp/importer-shots")
ITEM = re.compile(r"^(\d{1,2})\.?\s+(.+)$")


def march_docx(path: Path) -> Path:
    """The sample as Word minutes: heading lines, then a No | Minute | Action table."""
    lines = [ln for ln in read_text(SAMPLE.read_text()) if ln.text or ln.margin]
    document = docx.Document()
    rows: list[dict] = []
    for line in lines:
        heading = ITEM.match(line.text) if not line.bullet else None
        if heading and len(heading[2].split()) <= 8:
            rows.append({"number": heading[1], "paragraphs": [(heading[2], True)], "action": ""})
        elif rows:
            rows[-1]["paragraphs"].append((line.text, line.bullet))
            if line.margin and line.margin != "ACTION":
                rows[-1]["action"] = line.margin
        else:
            document.add_paragraph(line.text)
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("No", "Minute", "ACTION"), strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        cells[0].text = row["number"] + "."
        cells[1].paragraphs[0].add_run(row["paragraphs"][0][0]).bold = True
        for text, bullet in row["paragraphs"][1:]:
            cells[1].add_paragraph(text, style="List Bullet" if bullet else None)
        cells[2].text = row["action"]
    document.save(path)
    return path


def test_it_imports_the_march_minutes_from_word_and_the_meeting_shows_them(
    page, sign_in, live_server, board, secretary, tmp_path
):
    fund = Fund.objects.create(board=board, name="One Swindon Transformation Fund")
    minutes = march_docx(tmp_path / "One Swindon Board 18 March 2014.docx")
    sign_in(secretary)
    page.goto(f"{live_server.url}{board.get_absolute_url()}")
    page.get_by_role("link", name="Import old minutes").click()
    page.get_by_label("Minutes file").set_input_files(minutes)
    page.get_by_role("button", name="Read the minutes").click()
    expect(page.get_by_role("heading", name=re.compile("Review"))).to_be_visible()

    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / "review-1280.png")
    page.screenshot(path=SHOTS / "review-1280-full.png", full_page=True)
    for name in ("Attendance", "Declarations", "Actions", "Money"):
        group = page.get_by_role("group", name=re.compile(name))
        group.screenshot(path=SHOTS / f"review-1280-{name.lower()}.png")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=SHOTS / "review-390.png")
    page.get_by_role("group", name=re.compile("Attendance")).screenshot(
        path=SHOTS / "review-390-attendance.png"
    )
    page.set_viewport_size({"width": 1280, "height": 900})

    owners = page.get_by_label("Owners of action 2")
    expect(owners).to_have_value("John Popowicz")
    owners.fill("Gavin Jones")  # the secretary corrects one owner
    money = page.get_by_role("group", name=re.compile("Money")).locator(
        ".review-row", has_text="The Board agreed to fund £25k"
    )
    expect(money).to_have_count(2)  # items 4 and 9
    for index in (0, 1):
        row = money.nth(index)
        row.get_by_label("Record in a fund").check()
        row.get_by_label("Fund", exact=True).select_option(label=fund.name)
    page.get_by_role("button", name="Confirm and create the meeting").click()

    expect(page.get_by_text(re.compile("the minutes are approved"))).to_be_visible()
    meeting = Meeting.objects.get()
    assert meeting.status == Meeting.Status.MINUTES_APPROVED
    for title in (
        "Welcome and notes of last meeting",
        "Data sharing protocol and action plan",
        "Swindon Community Infrastructure",
        "Any Other Business",
    ):
        expect(page.get_by_text(title, exact=True).first).to_be_visible()
    assert meeting.items.count() == 11
    body = page.locator("main").inner_text()
    assert "Gavin Jones" in body and "James Griffin" in body
    assert sorted(e.amount for e in FundEntry.objects.filter(kind="allocation")) == [
        2_500_000,
        2_500_000,
    ]

    pdf = page.request.get(f"{live_server.url}/meetings/{meeting.pk}/minutes.pdf")
    assert pdf.ok
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf.body(), capture_output=True, check=True
    ).stdout.decode()
    assert "Swindon Community Infrastructure" in text
    assert "£25k" in text or "£25,000" in text
