"""The review flow through the test client: upload, review, correct, confirm or cancel."""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import Action
from boards.models import Membership
from boards.tests.factories import MembershipFactory, PersonFactory
from funding.models import Fund, FundEntry
from importer.models import MinutesImport
from meetings.models import Meeting

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
MARCH = (CORPUS / "one-swindon-board-2014-03-18.txt").read_bytes()


class _Form(HTMLParser):
    """What a browser would post from the page's review form, as it was rendered."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "name" not in a and tag != "option":
            return
        if tag == "input":
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.data[a["name"]] = a.get("value", "on")
            elif a.get("type") != "submit":
                self.data[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a["name"]
            self.data.setdefault(a["name"], "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.data[a["name"]] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.inside = False

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += (
                data.lstrip("\n") if not self.data[self._textarea] else data
            )


def form_data(response, form_id="review-form") -> dict:
    parser = _Form(form_id)
    parser.feed(response.content.decode())
    return parser.data


@pytest.fixture
def signed_in_secretary(client, board, secretary):
    client.force_login(secretary.user)
    return secretary


def _upload(client, board, data=MARCH, name="one-swindon-board-2014-03-18.txt"):
    return client.post(
        reverse("importer:upload", args=[board.slug]),
        {"file": SimpleUploadedFile(name, data, content_type="text/plain")},
    )


def test_only_those_who_edit_meetings_may_import(client, board):
    member = PersonFactory()
    MembershipFactory(person=member, board=board, role=Membership.Role.MEMBER)
    outsider = PersonFactory()
    client.force_login(outsider.user)
    assert client.get(reverse("importer:upload", args=[board.slug])).status_code == 404
    client.force_login(member.user)
    assert client.get(reverse("importer:upload", args=[board.slug])).status_code == 403
    assert _upload(client, board).status_code == 403
    assert not MinutesImport.objects.exists()


def test_the_board_page_offers_the_import_to_the_secretary_only(client, board, secretary):
    client.force_login(secretary.user)
    assert "Import old minutes" in client.get(board.get_absolute_url()).content.decode()
    member = PersonFactory()
    MembershipFactory(person=member, board=board, role=Membership.Role.MEMBER)
    client.force_login(member.user)
    assert "Import old minutes" not in client.get(board.get_absolute_url()).content.decode()


def test_an_upload_is_read_and_shown_for_review_with_nothing_saved(
    client, board, signed_in_secretary
):
    existing = PersonFactory(name="Tony Ranzetta")
    MembershipFactory(person=existing, board=board)
    response = _upload(client, board)
    minutes_import = MinutesImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == minutes_import.get_absolute_url()
    assert default_storage.exists(minutes_import.file.name)
    page = client.get(response["Location"]).content.decode()
    assert "The document as read" in page
    assert "Welcome and notes of last meeting" in page
    assert "same name in the partnership" in page  # Tony Ranzetta, matched
    assert "a new person will be added" in page  # everyone else
    assert "full name in attendance" in page  # why an owner was chosen
    assert "is a range" in page  # "£1m - £2m", highlighted
    assert not Meeting.objects.exists()


def test_pasted_text_is_read_too_and_its_unplaced_lines_are_listed(
    client, board, signed_in_secretary
):
    response = client.post(
        reverse("importer:upload", args=[board.slug]),
        {"text": "Board\n5 June 2019\nA stray remark\n\n1. Welcome\nHello."},
    )
    page = client.get(response["Location"]).content.decode()
    assert "Lines the importer could not place (1)" in page
    assert "A stray remark" in page


def test_confirm_creates_the_approved_meeting_with_a_corrected_owner_and_a_ticked_allocation(
    client, board, signed_in_secretary
):
    fund = Fund.objects.create(board=board, name="One Swindon Transformation Fund")
    review = client.get(_upload(client, board)["Location"])
    data = form_data(review)
    owners = {k: v for k, v in data.items() if k.endswith("-owners")}
    four = next(k for k, v in owners.items() if v == "John Popowicz")
    data[four] = "Gavin Jones"  # the secretary corrects one owner
    amount = next(
        k.split("-")[1]
        for k, v in data.items()
        if k.endswith("-written") and v == "£25k" and data[k.replace("written", "orig")] == "1"
    )
    data[f"amounts-{amount}-use"] = "on"
    data[f"amounts-{amount}-fund"] = str(fund.pk)
    response = client.post(review.request["PATH_INFO"], data)
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get()
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.status == Meeting.Status.MINUTES_APPROVED
    assert meeting.approved_on.isoformat() == "2014-03-18"
    assert meeting.items.count() == 11
    assert meeting.attendances.count() == 22
    action = Action.objects.get(item__number="4")
    assert [p.name for p in action.owners.all()] == ["Gavin Jones"]
    assert Action.objects.get(item__number="3").whole_board
    entry = FundEntry.objects.get()
    assert (entry.kind, entry.amount, entry.decision.item.number) == ("allocation", 2_500_000, "4")
    minutes_import = MinutesImport.objects.get()
    assert minutes_import.status == MinutesImport.Status.CONFIRMED
    assert minutes_import.meeting == meeting
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Swindon Community Infrastructure" in page


def test_an_owner_not_in_the_attendance_is_refused_and_nothing_is_saved(
    client, board, signed_in_secretary
):
    review = client.get(_upload(client, board)["Location"])
    data = form_data(review)
    key = next(k for k, v in data.items() if k.endswith("-owners") and v == "John Popowicz")
    data[key] = "Nobody Known"
    response = client.post(review.request["PATH_INFO"], data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "who is not in the attendance" in page
    assert 'value="Nobody Known"' in page  # what was typed is kept
    assert not Meeting.objects.exists()
    assert MinutesImport.objects.get().status == MinutesImport.Status.PARSED


def test_cancel_leaves_nothing(
    client, board, signed_in_secretary, django_capture_on_commit_callbacks
):
    _upload(client, board)
    minutes_import = MinutesImport.objects.get()
    name = minutes_import.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("importer:cancel", args=[minutes_import.pk]))
    assert response.status_code == 302
    minutes_import.refresh_from_db()
    assert minutes_import.status == MinutesImport.Status.CANCELLED
    assert not default_storage.exists(name)
    assert (minutes_import.source_text, minutes_import.parsed) == ("", {})
    assert not Meeting.objects.exists()
    page = client.get(minutes_import.get_absolute_url()).content.decode()
    assert "Cancelled" in page and "Confirm and create the meeting" not in page
    assert "Swindon Community Infrastructure" not in page


def test_the_same_document_twice_is_detected(client, board, signed_in_secretary):
    first = _upload(client, board)["Location"]
    assert _upload(client, board)["Location"] == first  # still awaiting review: the same one
    client.post(first, form_data(client.get(first)))
    response = _upload(client, board)
    assert response.status_code == 200
    assert "This document was imported on" in response.content.decode()
    assert MinutesImport.objects.count() == 1


def test_who_left_part_way_is_kept_on_their_attendance(client, board, signed_in_secretary):
    text = (
        "Board\n5 June 2019\nPresent: Ann Lee (X), Bob Fox (Y)\n\n1. Welcome\nHello.\n\n"
        "2. Money\nBob Fox left the meeting during item 2.\n\n3. Other\nNothing.\n"
    )
    review = client.get(
        client.post(reverse("importer:upload", args=[board.slug]), {"text": text})["Location"]
    )
    assert client.post(review.request["PATH_INFO"], form_data(review)).status_code == 302
    bob = Meeting.objects.get().attendances.get(person__name="Bob Fox")
    assert bob.left_at_item.number == "2"


def test_a_file_that_is_not_minutes_is_refused_with_the_reason(client, board, signed_in_secretary):
    response = _upload(client, board, data=b"MZ\x90\x00", name="setup.exe")
    assert response.status_code == 200
    assert "is not a .docx, .pdf or .txt file" in response.content.decode()
    response = _upload(client, board, data=b"not a pdf at all", name="minutes.pdf")
    assert "The PDF could not be read" in response.content.decode()
    assert not MinutesImport.objects.exists()


def test_a_meeting_already_on_that_day_is_pointed_out(client, board, signed_in_secretary):
    import datetime as dt

    from importer.services import local_start
    from meetings.services import create_meeting

    create_meeting(board=board, starts_at=local_start(dt.date(2014, 3, 18), dt.time(14)))
    page = client.get(_upload(client, board)["Location"]).content.decode()
    assert "This board already has a meeting on this day" in page


PART_WAY = (
    "Board\n5 June 2019\nPresent: Ann Lee (X), Bob Fox (Y)\n\n1. Declarations of interest\n"
    "Ann Lee declared a pecuniary interest in item 2 as a director of Lee Builders.\n\n"
    "2. Money\nBob Fox left the meeting during item 2.\n\n3. Other\nNothing.\n"
)


def _review_of(client, board, text):
    location = client.post(reverse("importer:upload", args=[board.slug]), {"text": text})
    return client.get(location["Location"])


def _row_of(data, suffix, value):
    return next(k.split("-")[1] for k, v in data.items() if k.endswith(suffix) and v == value)


def test_who_joined_or_left_and_the_declarations_are_edited_on_review_and_saved(
    client, board, signed_in_secretary
):
    from meetings.models import Declaration

    review = _review_of(client, board, PART_WAY)
    page = review.content.decode()
    assert "Declarations of interest (1)" in page
    data = form_data(review)
    bob = _row_of(data, "-name", "Bob Fox")
    ann = _row_of(data, "-name", "Ann Lee")
    assert data[f"attendance-{bob}-left_at"] == "2"
    data[f"attendance-{bob}-left_at"] = "3"  # the secretary corrects the item
    data[f"attendance-{ann}-joined_at"] = "item 2"  # and adds a late arrival
    assert data["declarations-0-person"] == "Ann Lee"
    data["declarations-0-nature"] = "A pecuniary interest: director of Lee Builders"
    data["declarations-1-person"] = "Bob Fox"  # the blank row adds one
    data["declarations-1-item"] = "3"
    data["declarations-1-nature"] = "Trustee of the Fox Trust"
    response = client.post(review.request["PATH_INFO"], data)
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get()
    assert meeting.attendances.get(person__name="Bob Fox").left_at_item.number == "3"
    assert meeting.attendances.get(person__name="Ann Lee").joined_at_item.number == "2"
    declared = {
        (d.person.name, d.item.number if d.item else None, d.nature)
        for d in Declaration.objects.filter(meeting=meeting)
    }
    assert declared == {
        ("Ann Lee", "2", "A pecuniary interest: director of Lee Builders"),
        ("Bob Fox", "3", "Trustee of the Fox Trust"),
    }


def test_a_declaration_by_someone_not_in_the_attendance_or_a_clock_time_is_refused(
    client, board, signed_in_secretary
):
    review = _review_of(client, board, PART_WAY.replace("during item 2", "at 3pm"))
    page = review.content.decode()
    assert "left “at 3pm”: give the item number, or clear it" in page  # highlighted
    data = form_data(review)
    response = client.post(review.request["PATH_INFO"], data)
    assert response.status_code == 400
    assert "Give the number of the item they left at" in response.content.decode()

    bob = _row_of(data, "-name", "Bob Fox")
    data[f"attendance-{bob}-left_at"] = ""
    data["declarations-0-person"] = "Carol Nobody"
    response = client.post(review.request["PATH_INFO"], data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "“Carol Nobody” names someone who is not in the attendance" in page
    assert 'value="Carol Nobody"' in page  # what was typed is kept
    assert not Meeting.objects.exists()


def test_the_imported_march_meeting_behaves_like_one_entered_by_hand(
    client, board, signed_in_secretary
):
    """Issue 16, point 5: the fund page, the API, search, matters arising and the PDF."""
    import datetime as dt
    import subprocess

    from rest_framework.test import APIClient

    from actions.selectors import matters_arising
    from importer.services import local_start
    from meetings.services import create_meeting

    fund = Fund.objects.create(board=board, name="One Swindon Transformation Fund")
    review = client.get(_upload(client, board)["Location"])
    data = form_data(review)
    agreed = [
        n
        for n, a in enumerate(MinutesImport.objects.get().parsed["amounts"])
        if a["text"].startswith("The Board agreed to fund £25k")
    ]
    assert len(agreed) == 2  # items 4 and 9
    for row, kind in zip(agreed, ("allocation", "budget"), strict=True):
        index = next(
            k.split("-")[1]
            for k, v in data.items()
            if k.endswith("-orig") and k.startswith("amounts") and v == str(row)
        )
        data[f"amounts-{index}-use"] = "on"
        data[f"amounts-{index}-fund"] = str(fund.pk)
        data[f"amounts-{index}-kind"] = kind
    assert client.post(review.request["PATH_INFO"], data).status_code == 302
    meeting = Meeting.objects.get()

    fund_page = client.get(fund.get_absolute_url()).content.decode()
    for number in ("4", "9"):
        assert f"18 Mar 2014, item {number}" in fund_page  # the decision behind the money
    assert fund_page.count("£25,000") >= 2
    assert "data protection officer" in fund_page  # the action the decision set

    api = APIClient()
    api.force_authenticate(signed_in_secretary.user)
    meetings = api.get("/api/meetings/").json()
    meetings = meetings.get("results", meetings)
    [listed] = [m for m in meetings if m["id"] == meeting.pk]
    assert (listed["status"], listed["approved_on"]) == ("minutes_approved", "2014-03-18")
    actions = api.get("/api/actions/", {"meeting": meeting.pk}).json()
    actions = actions.get("results", actions)
    owners = {a["text"][:40]: [o["name"] for o in a["owners"]] for a in actions}
    assert len(actions) == 6
    assert owners["The Board agreed to fund £25k from the O"] == ["John Popowicz"]
    funds = api.get("/api/funds/").json()
    funds = funds.get("results", funds)
    [balance] = [f["balance"] for f in funds if f["id"] == fund.pk]
    assert (balance["allocated"], balance["budget"]) == (2_500_000, 2_500_000)

    found = client.get("/search/", {"q": "data sharing protocol"}).content.decode()
    assert meeting.get_absolute_url() in found

    later = create_meeting(board=board, starts_at=local_start(dt.date(2014, 5, 20), None))
    arising = list(matters_arising(later, signed_in_secretary.user))
    assert {a.item.meeting_id for a in arising} == {meeting.pk} and len(arising) == 6

    pdf = client.get(f"/meetings/{meeting.pk}/minutes.pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=b"".join(pdf.streaming_content) if pdf.streaming else pdf.content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    flat = " ".join(text.split())
    for item in meeting.items.all():
        assert item.title in flat
    assert "John Popowicz" in flat


def test_people_are_matched_to_the_partnership_with_the_reason_shown(board):
    from importer.services import match_person

    gott = PersonFactory(name="Matthew Gott")
    lee = PersonFactory(name="Ann Lee")
    people = [gott, lee]
    assert match_person("Ann Lee", people=people).why == "same name in the partnership"
    assert match_person("M Gott", people=people).person == gott
    by_initials = match_person("Matt G.", people=people, initials="MG")
    assert (by_initials.person, by_initials.why) == (gott, "initials MG in attendance")
    new = match_person("Zoe Quill", people=people)
    assert new.person is None and "a new person will be added" in new.why


def test_money_to_be_recovered_is_offered_and_recorded_as_a_recovery(
    client, board, signed_in_secretary
):
    fund = Fund.objects.create(board=board, name="One Swindon Transformation Fund")
    review = client.get(_upload(client, board)["Location"])
    amounts = MinutesImport.objects.get().parsed["amounts"]
    row = next(n for n, a in enumerate(amounts) if a["text"].startswith("An attempt will be"))
    data = form_data(review)
    index = next(
        k.split("-")[1]
        for k, v in data.items()
        if k.startswith("amounts") and k.endswith("-orig") and v == str(row)
    )
    assert data[f"amounts-{index}-kind"] == "recovery"  # offered as what the minutes say
    data[f"amounts-{index}-use"] = "on"
    data[f"amounts-{index}-fund"] = str(fund.pk)
    assert client.post(review.request["PATH_INFO"], data).status_code == 302
    entry = FundEntry.objects.get()
    assert (entry.kind, entry.amount, entry.decision.item.number) == ("recovery", 2_500_000, "9")
