"""Changes to the minutes queue the PDF build, so the chair's click is not a render."""

from unittest import mock

import pytest
from django.urls import reverse

from boards.tests.factories import PersonFactory
from meetings import services
from meetings.tests.factories import AgendaItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    from meetings.tasks import build_minutes_pdfs

    # as with a real broker and worker
    build_minutes_pdfs.app.conf.task_always_eager = False  # conftest restores it
    with mock.patch("meetings.tasks.build_minutes_pdfs.apply_async") as apply_async:
        yield apply_async


def test_it_queues_a_build_when_minutes_are_saved(queued, django_capture_on_commit_callbacks):
    item = AgendaItemFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.save_minutes(item=item, text="The Board noted the update.", version=1)
    queued.assert_called_once()
    assert queued.call_args.kwargs["kwargs"]["meeting_id"] == item.meeting_id


def test_it_queues_a_build_when_attendance_or_decisions_change(
    queued, django_capture_on_commit_callbacks
):
    item = AgendaItemFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.set_attendance(meeting=item.meeting, person=PersonFactory(), status="present")
        services.add_decision(item=item, kind="agreed", text="To fund £25k.")
    assert queued.call_count == 2


def test_it_queues_nothing_when_the_text_did_not_change(
    queued, django_capture_on_commit_callbacks
):
    item = AgendaItemFactory(minutes="Same words.")
    with django_capture_on_commit_callbacks(execute=True):
        services.save_minutes(item=item, text="Same words.", version=1)
    queued.assert_not_called()


def _text(response) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    body = b"".join(response.streaming_content)
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(body)).pages)


def test_it_builds_a_few_seconds_after_the_last_edit_not_after_each(
    queued, board, member, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    from meetings import pdf, tasks

    item = AgendaItemFactory(meeting__board=board, number="7")
    with django_capture_on_commit_callbacks(execute=True):
        services.save_minutes(item=item, text="The Board noted", version=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.save_minutes(item=item, text="The Board noted the report.", version=2)
    first, last = (call.kwargs for call in queued.call_args_list)
    assert first["countdown"] <= 3 and last["countdown"] <= 3  # seconds, not thirty
    assert tasks.build_minutes_pdfs(**first["kwargs"]) == []  # typed on since: no render
    assert len(tasks.build_minutes_pdfs(**last["kwargs"])) == 2  # members' and public copy
    assert tasks.minutes_build_state(item.meeting) is None

    def no_render(*args, **kwargs):
        raise AssertionError("the click rendered a PDF")

    monkeypatch.setattr(pdf, "html_to_pdf", no_render)
    response = client_for(member).get(reverse("meetings:minutes_pdf", args=[item.meeting_id]))
    assert "The Board noted the report." in _text(response)


def test_it_never_renders_on_a_click_while_the_rebuild_is_under_way(
    queued, board, member, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    from meetings import pdf, tasks

    item = AgendaItemFactory(meeting__board=board, number="7")
    with django_capture_on_commit_callbacks(execute=True):
        services.save_minutes(item=item, text="Agreed the budget.", version=1)
    render = pdf.html_to_pdf

    def no_render(*args, **kwargs):
        raise AssertionError("the click rendered a PDF")

    monkeypatch.setattr(pdf, "html_to_pdf", no_render)
    client = client_for(member)
    url = reverse("meetings:minutes_pdf", args=[item.meeting_id])
    waiting = client.get(url)
    assert waiting.status_code == 202
    page = waiting.content.decode()
    assert "being prepared" in page and 'hx-trigger="every 1s"' in page
    assert (
        "Waiting to build the minutes" in client.get(url, HTTP_HX_REQUEST="true").content.decode()
    )

    monkeypatch.setattr(pdf, "html_to_pdf", render)  # the worker renders
    tasks.build_minutes_pdfs(**queued.call_args.kwargs["kwargs"])
    monkeypatch.setattr(pdf, "html_to_pdf", no_render)
    poll = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "The minutes are ready" in poll and "every 1s" not in poll
    assert "Agreed the budget." in _text(client.get(url))
