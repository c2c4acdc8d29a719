"""Changes to the minutes queue the PDF build, so the chair's click is not a render."""

from unittest import mock

import pytest

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
    assert queued.call_args.kwargs["kwargs"] == {"meeting_id": item.meeting_id}


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
