import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import axe_violations
from meetings.models import Paper
from meetings.tests.factories import AgendaItemFactory, MeetingFactory
from meetings.tests.test_pdf_pack import a_pdf


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_builds_the_agenda_pack_from_the_page(page, sign_in, live_server, board, secretary):
    meeting = MeetingFactory(board=board)
    item = AgendaItemFactory(meeting=meeting, number="2", title="Shared strategy")
    Paper.objects.create(
        item=item,
        title="Shared strategy 2014",
        file=SimpleUploadedFile("strategy.pdf", a_pdf(2)),
        content_type="application/pdf",
    )
    sign_in(secretary)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/agenda-pack/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Build the agenda pack").click()
    link = page.get_by_role("link", name="Download the agenda pack (PDF)")
    link.wait_for()
    for width in (1280, 800):
        page.set_viewport_size({"width": width, "height": 700})
        page.screenshot(path=f"/tmp/agenda-pack-{width}.png")
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.evaluate(
            "href => { const a = document.createElement('a'); a.href = href; "
            "a.download = ''; document.body.append(a); a.click(); }",
            link.get_attribute("href"),
        )
    assert download.value.suggested_filename.endswith("-agenda-pack.pdf")
