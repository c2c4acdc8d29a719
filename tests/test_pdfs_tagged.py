"""Every PDF the app makes, reached as a reader reaches it (by the link on the page it
belongs to), is tagged for screen readers (PDF/UA) and says its language: what
`pdfinfo` reports as "Tagged: yes", and what a screen reader needs to pick a voice."""

import re
import shutil
import subprocess
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def _href(page: str, text: str) -> str:
    """The address of the link whose text includes `text` (the button a reader clicks)."""
    for href, label in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', page, re.S):
        if text in re.sub(r"<[^>]+>", "", label):
            return href.replace("&amp;", "&")
    raise AssertionError(f"no link {text!r} on the page")


def _assert_tagged(data: bytes, what: str, tmp_path):
    root = PdfReader(BytesIO(data)).trailer["/Root"]
    assert bool(root.get("/MarkInfo", {}).get("/Marked")), f"{what} is not marked as tagged"
    assert "/StructTreeRoot" in root, f"{what} has no structure tree"
    assert root.get("/Lang") == "en-GB", f"{what} says no language"
    if shutil.which("pdfinfo"):  # the check the issue names, where poppler is installed
        path = tmp_path / "file.pdf"
        path.write_bytes(data)
        info = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.M), f"{what}: pdfinfo says\n{info}"


def test_every_pdf_is_linked_from_its_page_and_tagged_with_its_language(client, tmp_path):
    from demo.seed import seed_demo
    from meetings.models import Meeting

    seed_demo()
    meeting = Meeting.objects.order_by("-starts_at").first()
    client.force_login(get_user_model().objects.get(username="secretary"))

    page = client.get(meeting.get_absolute_url()).content.decode()
    pdfs = {
        "the minutes": _href(page, "Minutes PDF"),
        "the public copy": _href(page, "Public copy (PDF)"),
    }
    pack_page = _href(page, "Agenda pack")
    client.post(pack_page)  # build it (tasks run inline in tests)
    pdfs["the agenda pack"] = _href(
        client.get(pack_page).content.decode(), "Download the agenda pack (PDF)"
    )
    log = client.get(f"/actions/board/{meeting.board.slug}/").content.decode()
    pdfs["the action log"] = _href(log, "Open actions by owner (PDF)")

    for what, href in pdfs.items():
        response = client.get(href)
        assert response.status_code == 200, (what, href)
        assert response["Content-Type"] == "application/pdf", (what, href)
        _assert_tagged(b"".join(response), what, tmp_path)
