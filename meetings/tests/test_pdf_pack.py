"""The agenda pack: the agenda, then every PDF paper with its own bookmark."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from meetings import builds, pdf
from meetings.models import Paper
from meetings.tests.factories import AgendaItemFactory, MeetingFactory


def a_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def add_paper(item, title, data, content_type="application/pdf", name="paper.pdf"):
    return Paper.objects.create(
        item=item,
        title=title,
        file=SimpleUploadedFile(name, data),
        content_type=content_type,
        size=len(data),
    )


@pytest.fixture
def meeting(board):
    meeting = MeetingFactory(board=board)
    strategy = AgendaItemFactory(meeting=meeting, number="2", order=1, title="Shared strategy")
    add_paper(strategy, "Shared strategy 2014", a_pdf(3))
    add_paper(strategy, "Notes in Word", b"PK\x03\x04", "application/msword", "notes.docx")
    bidding = AgendaItemFactory(meeting=meeting, number="7", order=2, title="Aligned bidding")
    add_paper(bidding, "Bidding options", a_pdf(2))
    lease = AgendaItemFactory(
        meeting=meeting, number="8", order=3, title="Depot lease", confidential=True
    )
    add_paper(lease, "Heads of terms", a_pdf(1))
    return meeting


def outline_titles(reader: PdfReader) -> list[str]:
    return [entry.title for entry in reader.outline]


def test_it_binds_the_agenda_and_pdf_papers_with_a_bookmark_each(meeting):
    pack = pdf.agenda_pack(meeting, public=False)
    reader = PdfReader(pdf.cache_storage().open(builds.build_agenda_pack(pack)))
    assert outline_titles(reader) == [
        "Agenda",
        "2. Shared strategy 2014",
        "7. Bidding options",
        "8. Heads of terms",
    ]
    cover_pages = len(reader.pages) - 6
    assert cover_pages >= 1
    assert "Agenda" in reader.pages[0].extract_text()
    assert pdf.read_progress(pack.key)["state"] == "done"


def test_it_leaves_private_papers_out_of_the_public_pack(meeting):
    reader = PdfReader(
        pdf.cache_storage().open(builds.build_agenda_pack(pdf.agenda_pack(meeting, public=True)))
    )
    assert "8. Heads of terms" not in outline_titles(reader)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Depot lease" in text and "Heads of terms" not in text


def test_it_leaves_out_a_broken_paper_and_says_so(meeting):
    item = meeting.items.get(number="7")
    add_paper(item, "Corrupt upload", b"%PDF-1.4 garbage")
    pack = pdf.agenda_pack(meeting, public=False)
    builds.build_agenda_pack(pack)
    assert pdf.read_progress(pack.key)["skipped"] == ["7. Corrupt upload"]


def test_it_builds_the_pack_from_the_page_and_shows_progress(meeting, member, client_for):
    client = client_for(member)
    page_url = reverse("meetings:agenda_pack", args=[meeting.pk])
    page = client.get(page_url)
    assert page.status_code == 200
    assert "Build the agenda pack" in page.content.decode()
    # no broker in tests: the task runs at once, so the partial comes back finished
    partial = client.post(page_url, headers={"HX-Request": "true"})
    assert "The agenda pack is ready" in partial.content.decode()
    assert "<html" not in partial.content.decode()
    download = client.get(reverse("meetings:agenda_pack_pdf", args=[meeting.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"


def test_it_polls_while_a_pack_is_building(meeting, member, client_for):
    pack = pdf.agenda_pack(meeting, public=False)
    pdf.write_progress(pack.key, state="running", done=2, total=5)
    response = client_for(member).get(
        reverse("meetings:agenda_pack", args=[meeting.pk]), headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert "step 2 of 5" in body and 'value="2"' in body


def test_it_sends_a_download_of_an_unbuilt_pack_to_the_page(meeting, member, client_for):
    response = client_for(member).get(reverse("meetings:agenda_pack_pdf", args=[meeting.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:agenda_pack", args=[meeting.pk])


def test_it_hides_the_agenda_pack_from_outsiders(meeting, outsider, client_for):
    client = client_for(outsider)
    assert client.get(reverse("meetings:agenda_pack", args=[meeting.pk])).status_code == 404
    assert client.post(reverse("meetings:agenda_pack", args=[meeting.pk])).status_code == 404


def test_it_is_a_tagged_pdf_in_english_with_the_papers_after_the_agenda(meeting):
    reader = PdfReader(
        pdf.cache_storage().open(builds.build_agenda_pack(pdf.agenda_pack(meeting, public=False)))
    )
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-GB"
    assert "The papers follow in agenda order" in reader.pages[0].extract_text()


def test_it_does_not_promise_papers_when_there_are_none(board):
    meeting = MeetingFactory(board=board)
    AgendaItemFactory(meeting=meeting, number="1", order=1, title="Welcome")
    reader = PdfReader(
        pdf.cache_storage().open(builds.build_agenda_pack(pdf.agenda_pack(meeting, public=False)))
    )
    text = reader.pages[0].extract_text()
    assert "The papers follow" not in text
    assert "No papers have been attached to this agenda." in text
