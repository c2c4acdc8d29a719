"""Papers, cached PDFs and pack progress go through Django's storage API only: with both
storages in memory nothing reaches MEDIA_ROOT, so a shared bucket would hold it all."""

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from config.storage import ReplacingFileSystemStorage
from meetings import pdf
from meetings.tests.factories import AgendaItemFactory, MeetingFactory
from meetings.tests.test_pdf_pack import a_pdf, add_paper

IN_MEMORY = {"BACKEND": "django.core.files.storage.InMemoryStorage"}


@pytest.fixture
def in_memory(settings):
    settings.STORAGES = {**settings.STORAGES, "default": IN_MEMORY, "pdf_cache": IN_MEMORY}


def files_under(folder):
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_papers_packs_and_minutes_never_touch_media_root(
    in_memory, settings, board, member, client_for
):
    meeting = MeetingFactory(board=board)
    item = AgendaItemFactory(meeting=meeting, number="3", order=1, title="Budget")
    add_paper(item, "Budget report", a_pdf(2))
    client = client_for(member)

    page = reverse("meetings:agenda_pack", args=[meeting.pk])
    assert "The agenda pack is ready" in client.post(page, headers={"HX-Request": "true"}).text
    download = client.get(reverse("meetings:agenda_pack_pdf", args=[meeting.pk]))
    assert download.status_code == 200
    reader = PdfReader(BytesIO(b"".join(download.streaming_content)))
    assert [entry.title for entry in reader.outline] == ["Agenda", "3. Budget report"]

    minutes = client.get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    assert minutes.status_code == 200
    assert b"".join(minutes.streaming_content).startswith(b"%PDF")
    assert pdf.build_minutes_pdf(meeting, public=False).fresh is False  # served from storage

    assert files_under(settings.MEDIA_ROOT) == []


def test_progress_is_replaced_in_a_storage_that_never_overwrites(in_memory):
    pdf.write_progress("k", state="running", done=1, total=4)
    pdf.write_progress("k", state="running", done=3, total=4)
    assert pdf.read_progress("k")["done"] == 3
    assert pdf.cache_storage().listdir(pdf.CACHE_DIR)[1] == ["k.progress.json"]


def test_the_disk_cache_replaces_a_file_whole_and_leaves_no_part_files(tmp_path):
    storage = ReplacingFileSystemStorage(location=tmp_path)
    storage.save("pdf-cache/k.pdf", ContentFile(b"one"))
    storage.save("pdf-cache/k.pdf", ContentFile(b"two"))
    assert [p.name for p in (tmp_path / "pdf-cache").iterdir()] == ["k.pdf"]
    assert (tmp_path / "pdf-cache" / "k.pdf").read_bytes() == b"two"
