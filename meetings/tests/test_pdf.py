import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from boards.tests.factories import OrganisationFactory, PersonFactory
from meetings import pdf, services
from meetings.models import Attendance, Declaration, Meeting, Paper
from meetings.tasks import build_minutes_pdfs
from meetings.tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
)

SECRET_MINUTES = "Negotiations over the depot lease at Kembrey Park"
SECRET_DECISION = "To offer the landlord a break clause in year three"
SECRET_PAPER = "Kembrey Park heads of terms"
SECRET_INTEREST = "Director of the landlord company"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


@pytest.fixture
def meeting(board, chair):
    meeting = MeetingFactory(
        board=board,
        starts_at=dt.datetime(2014, 3, 18, 14, 0, tzinfo=dt.UTC),
        venue="Civic Offices, Euclid Street, Swindon",
        status=Meeting.Status.MINUTES_DRAFTED,
    )
    sbc = OrganisationFactory(name="Swindon Borough Council", short_name="SBC")
    AttendanceFactory(meeting=meeting, person=chair, representing=sbc, order=1)
    AttendanceFactory(
        meeting=meeting, person=PersonFactory(name="Stan Pajak"), representing=sbc, order=2
    )
    AttendanceFactory(
        meeting=meeting,
        person=PersonFactory(name="Maria Moore", organisation__short_name="GWH"),
        status=Attendance.Status.APOLOGIES,
    )
    AttendanceFactory(
        meeting=meeting,
        person=PersonFactory(name="Carmel Burton", organisation__short_name="SBC"),
        status=Attendance.Status.IN_ATTENDANCE,
    )
    bidding = AgendaItemFactory(
        meeting=meeting,
        number="7",
        order=1,
        title="Aligned bidding for external funding",
        minutes="The Board received a presentation on aligned bidding.\n\n- It was noted.",
    )
    for number, text in enumerate(
        ["To support two or three projects.", "More investigatory work.", "To discuss later."],
        start=1,
    ):
        DecisionFactory(item=bidding, number=number, text=text)
    private = AgendaItemFactory(
        meeting=meeting,
        number="8",
        order=2,
        title="Depot lease",
        minutes=SECRET_MINUTES,
        confidential=True,
    )
    DecisionFactory(item=private, number=1, text=SECRET_DECISION)
    Paper.objects.create(
        item=private,
        title=SECRET_PAPER,
        file=SimpleUploadedFile("terms.pdf", b"%PDF-1.4"),
        content_type="application/pdf",
    )
    Declaration.objects.create(meeting=meeting, person=chair, item=private, nature=SECRET_INTEREST)
    return meeting


def test_it_lays_out_the_note_of_meeting(meeting):
    # ACTION heads an item's column only where the item gives out an action (issue 20).
    bidding = meeting.items.get(number="7")
    bidding.actions.create(
        decision=bidding.decisions.first(), whole_board=True, text="Write the bid."
    )
    text = pdf_text(pdf.render_minutes_pdf(meeting, public=False))
    assert "Note of Meeting" in text
    assert "ONE SWINDON BOARD" in text  # the board's name, set in capitals
    assert "Tuesday 18 March 2014" in text
    assert "Present: Chris Chair and Stan Pajak (SBC)." in text
    assert "Apologies: Maria Moore (GWH)." in text
    assert "In attendance: Carmel Burton (SBC)." in text
    assert "7. Aligned bidding for external funding" in text
    assert "(1)" in text and "(2)" in text and "(3)" in text
    assert "ACTION" in text
    assert "DRAFT: SUBJECT TO APPROVAL" in text.upper()
    assert "Page 1 of" in text
    assert SECRET_MINUTES in text  # members see the confidential item


def test_it_is_a_tagged_pdf_for_screen_readers(meeting):
    reader = PdfReader(BytesIO(pdf.render_minutes_pdf(meeting, public=False)))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-GB"


def test_it_leaves_confidential_items_out_of_the_public_copy(meeting):
    text = pdf_text(pdf.render_minutes_pdf(meeting, public=True))
    assert "8. Depot lease" in text
    assert "considered in private" in text
    for secret in (SECRET_MINUTES, SECRET_DECISION, SECRET_PAPER, SECRET_INTEREST):
        assert secret not in text
    assert "To support two or three projects." in text


def test_it_signs_off_approved_minutes(meeting, chair, settings):
    later = MeetingFactory(board=meeting.board, starts_at=meeting.starts_at + dt.timedelta(60))
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.MINUTES_APPROVED,
        approved_on=dt.date(2014, 5, 20),
        approved_at=later,
        corrections="Item 8: the lease runs to 2030",
    )
    meeting.refresh_from_db()
    meeting.board.chair = chair
    meeting.board.save()
    data = pdf.render_minutes_pdf(meeting, public=False)
    (settings.MEDIA_ROOT / "approved.pdf").write_bytes(data)  # kept for a look by hand
    text = pdf_text(data)
    assert "Approved as an accurate record on 20 May 2014" in text
    assert "Signed: Chris Chair, Chair" in text
    assert "DRAFT" not in text
    assert "Date of next meeting" in text and "Saturday 17 May 2014" in text
    assert "with these corrections: Item 8: the lease runs to 2030" in " ".join(text.split())
    # a correction may quote the confidential item: the public copy only says there were some
    public = pdf_text(pdf.render_minutes_pdf(meeting, public=True))
    assert "with corrections" in public and "lease runs to 2030" not in public


def test_it_serves_the_pdf_to_members(meeting, member, client_for):
    response = client_for(member).get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "one-swindon-board-2014-03-18-minutes.pdf" in response["Content-Disposition"]
    assert SECRET_MINUTES in pdf_text(b"".join(response.streaming_content))


def test_it_serves_the_public_copy_on_request(meeting, member, client_for):
    url = reverse("meetings:minutes_pdf", args=[meeting.pk]) + "?public=1"
    response = client_for(member).get(url)
    assert SECRET_MINUTES not in pdf_text(b"".join(response.streaming_content))


def test_it_gives_observers_the_public_copy(meeting, observer, client_for):
    response = client_for(observer).get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 200
    assert SECRET_MINUTES not in pdf_text(b"".join(response.streaming_content))


def test_it_hides_the_pdf_from_outsiders(meeting, outsider, client_for):
    response = client_for(outsider).get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 404


def test_it_asks_anonymous_readers_to_sign_in(meeting, client):
    response = client.get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_serves_unchanged_minutes_from_the_cache(meeting, member, client_for, monkeypatch):
    build_minutes_pdfs(meeting_id=meeting.pk)  # what a change to the minutes schedules

    def no_render(*args, **kwargs):
        raise AssertionError("the chair's click rendered a PDF")

    monkeypatch.setattr(pdf, "html_to_pdf", no_render)
    client = client_for(member)
    for query in ("", "?public=1"):
        url = reverse("meetings:minutes_pdf", args=[meeting.pk]) + query
        assert client.get(url).status_code == 200


def test_it_renders_again_when_the_minutes_change(meeting):
    first = pdf.build_minutes_pdf(meeting, public=False)
    assert pdf.build_minutes_pdf(meeting, public=False).fresh is False
    meeting.items.filter(number="7").update(minutes="The Board noted the update.")
    second = pdf.build_minutes_pdf(meeting, public=False)
    assert second.fresh and second.key != first.key
    assert "The Board noted the update." in pdf_text(second.read())


def test_it_keys_the_public_copy_apart(meeting):
    member_copy = pdf.minutes_document(meeting, public=False)
    public_copy = pdf.minutes_document(meeting, public=True)
    assert member_copy.key != public_copy.key


def test_it_answers_a_repeat_download_with_not_modified(meeting, member, client_for):
    client = client_for(member)
    url = reverse("meetings:minutes_pdf", args=[meeting.pk])
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_it_refuses_to_fetch_anything_but_static_files():
    fetcher = pdf.StaticFileFetcher()
    for url in (
        "http://example.org/logo.png",
        "https://example.org/style.css",
        "file:///etc/passwd",
        "file:///static/../../etc/passwd",
        "data:text/css,body{}",
    ):
        with pytest.raises(Exception):  # noqa: B017 - any refusal will do, nothing fetched
            fetcher.fetch(url)
    assert fetcher.fetch("file:///static/css/pdf.css").read().startswith(b"/*")


def test_it_writes_a_pdf_from_the_command_line(meeting, tmp_path):
    out = tmp_path / "minutes.pdf"
    call_command("render_minutes", str(meeting.pk), "--out", str(out), "--public")
    reader = PdfReader(out)
    assert len(reader.pages) >= 1
    assert SECRET_MINUTES not in pdf_text(out.read_bytes())


def test_it_explains_a_wrong_meeting_id_on_the_command_line(db, tmp_path):
    with pytest.raises(CommandError, match="No meeting with id 999"):
        call_command("render_minutes", "999", "--out", str(tmp_path / "x.pdf"))


def test_it_groups_colleagues_from_one_organisation():
    sbc = OrganisationFactory.build(short_name="SBC")
    people = [PersonFactory.build(name=n, organisation=sbc) for n in ("A One", "B Two", "C Three")]
    people.append(
        PersonFactory.build(
            name="D Four", organisation=OrganisationFactory.build(short_name="CCG")
        )
    )
    rows = [Attendance(person=p) for p in people]
    assert pdf.attendance_line(rows) == "A One, B Two and C Three (SBC) and D Four (CCG)"


def test_it_queues_a_settled_build_after_a_change(
    meeting, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from meetings import tasks

    tasks.build_minutes_pdfs.app.conf.task_always_eager = False  # conftest restores it
    queued = []
    monkeypatch.setattr(tasks.build_minutes_pdfs, "apply_async", lambda **kw: queued.append(kw))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.schedule_minutes_pdfs(meeting)
    assert [(q["kwargs"]["meeting_id"], q["countdown"]) for q in queued] == [(meeting.pk, 2)]
    assert tasks.minutes_build_state(meeting) == "queued"  # a click now waits for it


def test_it_does_not_make_a_save_wait_for_renders_without_a_worker(
    meeting, monkeypatch, django_capture_on_commit_callbacks
):
    from meetings import tasks

    tasks.build_minutes_pdfs.app.conf.task_always_eager = True  # conftest restores it
    with django_capture_on_commit_callbacks() as callbacks:
        tasks.schedule_minutes_pdfs(meeting)
    assert callbacks == []


def test_it_lists_the_amendments_of_amended_minutes(meeting, chair):
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.MINUTES_APPROVED, approved_on=dt.date(2014, 5, 20)
    )
    meeting.refresh_from_db()
    bidding = meeting.items.get(number="7")
    private = meeting.items.get(number="8")
    services.add_decision(
        item=bidding,
        kind="agreed",
        text="To write to the funders.",
        by=chair.user,
        reason="Left out of the draft",
    )
    services.save_minutes(
        item=private,
        text="Talks over the lease ended.",
        version=private.version,
        by=chair.user,
        reason="Confidential correction",
    )
    text = " ".join(pdf_text(pdf.render_minutes_pdf(meeting, public=False)).split())
    assert "Amended after approval" in text
    assert "Amendments after approval" in text
    assert "Left out of the draft" in text
    assert "After: (4) Agreed: To write to the funders." in text
    assert "Confidential correction" in text and f"Before: {SECRET_MINUTES}" in text
    public = " ".join(pdf_text(pdf.render_minutes_pdf(meeting, public=True)).split())
    assert "Left out of the draft" in public
    assert "an amendment to an item considered in private" in public
    assert SECRET_MINUTES not in public and "Confidential correction" not in public


# --- Issue 20: the glitches of the printed minutes, the log and the agenda pack ----------


def test_it_heads_the_action_column_only_over_items_with_an_action(meeting):
    text = pdf_text(pdf.render_minutes_pdf(meeting, public=False))
    assert "ACTION" not in text
    meeting.items.get(number="7").actions.create(whole_board=True, text="Write the bid.")
    assert pdf_text(pdf.render_minutes_pdf(meeting, public=False)).count("ACTION") == 1


def test_it_prints_the_date_of_next_meeting_once_under_its_own_item(meeting):
    AgendaItemFactory(
        meeting=meeting, number="9", order=3, title="Date of next meeting", minutes=""
    )
    MeetingFactory(
        board=meeting.board,
        starts_at=dt.datetime(2014, 4, 29, 13, 0, tzinfo=dt.UTC),
        venue="Civic Offices.",
    )
    text = pdf_text(pdf.render_minutes_pdf(meeting, public=False))
    assert text.count("Date of next meeting") == 1
    assert "Tuesday 29 April 2014, 2.00pm, Civic Offices." in text
    assert "Offices.." not in text


def test_it_never_doubles_a_full_stop_after_a_name(meeting):
    # A guest typed in as "Nicky Alberry, Chair of Influence." with no organisation.
    AttendanceFactory(
        meeting=meeting,
        person=PersonFactory(name="Nicky Alberry, Chair of Influence.", organisation=None),
        status=Attendance.Status.IN_ATTENDANCE,
        order=9,
    )
    text = pdf_text(pdf.render_minutes_pdf(meeting, public=False))
    assert "Chair of Influence." in text
    assert "Influence.." not in text


def test_it_keeps_bullets_and_line_breaks_in_decisions_and_actions(meeting):
    bidding = meeting.items.get(number="7")
    decision = DecisionFactory(
        item=bidding, number=4, text="To ask partners to:\n- share data\n- name a lead"
    )
    bidding.actions.create(decision=decision, whole_board=True, text="Write to:\n- SBC\n- CCG")
    html = pdf.minutes_document(meeting, public=False).html
    assert "<p>To ask partners to:</p><ul><li>share data</li><li>name a lead</li></ul>" in html
    assert 'Action: <div class="text-blocks"><p>Write to:</p><ul><li>SBC</li><li>CCG</li>' in html


def test_it_renders_every_pdf_with_the_process_font_configuration(meeting, monkeypatch):
    # A configuration made per render kept every system font loaded again (a leak of
    # about 0.3 MB a render): one per thread is made, then shared.
    made = []
    real = pdf.FontConfiguration
    monkeypatch.setattr(pdf, "FontConfiguration", lambda: made.append(1) or real())
    monkeypatch.setattr(pdf._fonts, "config", None, raising=False)
    first = pdf.render_minutes_pdf(meeting, public=False)
    pdf.render_minutes_pdf(meeting, public=True)
    again = pdf.render_minutes_pdf(meeting, public=False)
    assert len(made) == 1
    assert pdf_text(first) == pdf_text(again)  # the fonts of @font-face still apply alike
    fonts = PdfReader(BytesIO(again)).pages[0]["/Resources"]["/Font"]
    assert any("Source-Sans-3" in str(font.get_object()["/BaseFont"]) for font in fonts.values())
