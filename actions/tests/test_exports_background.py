"""The action log's PDF and spreadsheet are built in the background with progress (as the
agenda pack is), served from storage once built, and built again after a change."""

import io
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from actions.tests.factories import ActionFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def worker(monkeypatch):
    """As with a broker: a click queues the build; `worker.run()` is the worker doing it."""
    from meetings import tasks

    tasks.run_build.app.conf.task_always_eager = False  # conftest restores it
    queued = []
    monkeypatch.setattr(tasks.run_build, "delay", lambda **kw: queued.append(kw))

    class Worker:
        jobs = queued

        def run(self):
            while queued:
                tasks.run_build.run(**queued.pop(0))

    return Worker()


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _pdf_text(response) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(BytesIO(_body(response))).pages)


def _poll(client, response) -> str:
    """What the progress page's htmx poll shows now."""
    page = client.get(response["Location"])
    assert page.status_code == 200
    poll = client.get(page.context["poll_url"], **HTMX)
    return poll.content.decode()


def test_it_builds_the_action_log_pdf_in_the_background(client_for, board, item, member, worker):
    ActionFactory(item=item, text="Scope the data sharing review", owners=[member])
    client = client_for(member)
    url = reverse("actions:log_pdf", args=[board.slug])

    click = client.get(url)
    assert click.status_code == 302  # to the progress page, not an 18-second render
    page = client.get(click["Location"])
    assert "Waiting to build the open actions by owner" in page.content.decode()
    assert 'hx-trigger="every 1s"' in page.content.decode()
    assert len(worker.jobs) == 1

    assert client.get(url).status_code == 302  # a second click while it is queued…
    assert len(worker.jobs) == 1  # …starts no second build

    worker.run()
    assert "The open actions by owner are ready" in _poll(client, click)
    served = client.get(url)
    assert served["Content-Type"] == "application/pdf"
    assert "Scope the data sharing review" in _pdf_text(served)
    assert worker.jobs == []  # served from storage: nothing built again

    ActionFactory(item=item, text="Write to the unions", owners=[member])
    assert client.get(url).status_code == 302  # the log changed: a new build
    worker.run()
    assert "Write to the unions" in _pdf_text(client.get(url))


def test_it_builds_the_spreadsheet_in_the_background_with_the_filter(
    client_for, board, item, member, worker, days
):
    ActionFactory(item=item, text="Overdue one", owners=[member], due_on=days(-3))
    ActionFactory(item=item, text="Later one", owners=[member], due_on=days(30))
    client = client_for(member)
    url = reverse("actions:log_export", args=[board.slug, "xlsx"]) + "?overdue=on"

    click = client.get(url)
    assert click.status_code == 302
    assert "overdue=on" in click["Location"]
    assert "Waiting to build the action log" in _poll(client, click)
    client.get(url)
    assert len(worker.jobs) == 1

    worker.run()
    assert "Download the action log (Excel)" in _poll(client, click)
    served = client.get(url)
    assert served["Content-Disposition"].startswith("attachment")
    rows = list(openpyxl.load_workbook(io.BytesIO(_body(served))).active.values)
    assert rows[0][:3] == ("Meeting", "Item", "Action")
    assert [row[2] for row in rows[1:]] == ["Overdue one"]

    action = item.actions.get(text="Overdue one")
    action.text = "Overdue one, reworded"
    action.save()
    assert client.get(url).status_code == 302  # changed: built again, not the old file
    worker.run()
    rows = list(openpyxl.load_workbook(io.BytesIO(_body(client.get(url)))).active.values)
    assert [row[2] for row in rows[1:]] == ["Overdue one, reworded"]


def test_it_shows_the_rows_done_while_the_spreadsheet_builds(client_for, board, member):
    from meetings import pdf

    client = client_for(member)
    page = client.get(reverse("actions:log_build", args=[board.slug, "xlsx"]))
    key = page.context["poll_url"].split("build=")[1]
    pdf.write_progress(key, state="running", done=2000, total=5000)
    poll = client.get(page.context["poll_url"], **HTMX).content.decode()
    assert "Building the action log: 2000 of 5000 rows (40%)" in poll
    assert 'value="2000"' in poll


def test_it_offers_a_new_build_after_a_failure(client_for, board, member, worker):
    from meetings import pdf

    client = client_for(member)
    page = client.get(reverse("actions:log_build", args=[board.slug, "pdf"]))
    key = page.context["poll_url"].split("build=")[1]
    pdf.write_progress(key, state="failed", done=0, total=0, error="The disk was full.")
    page = client.get(reverse("actions:log_build", args=[board.slug, "pdf"]))
    assert "The last build failed: The disk was full." in page.content.decode()
    client.post(page.context["start_url"])
    assert len(worker.jobs) == 1
