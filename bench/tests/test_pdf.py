"""The PDF half of the bench: its figures and the documents it derives from the minutes."""

import datetime as dt
from io import BytesIO

import pytest

from bench import pdf
from meetings import pdf as meetings_pdf
from meetings.models import Meeting
from meetings.tests.factories import AgendaItemFactory, DecisionFactory, MeetingFactory


@pytest.fixture
def meeting(board):
    meeting = MeetingFactory(
        board=board,
        starts_at=dt.datetime(2014, 3, 18, 14, 0, tzinfo=dt.UTC),
        status=Meeting.Status.MINUTES_DRAFTED,
    )
    for order, number in enumerate(["7", "8"], start=1):
        item = AgendaItemFactory(
            meeting=meeting, number=number, order=order, title=f"Item {number}",
            minutes="The Board received a presentation.\n\n- It was noted.",
        )  # fmt: skip
        DecisionFactory(item=item, number=1, text="To note the report.")
    return meeting


def test_it_reports_the_benchmark_figures_make_bench_prints(meeting, monkeypatch):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    one_page = BytesIO()
    writer.write(one_page)
    fake = lambda html, **options: one_page.getvalue()  # noqa: E731
    monkeypatch.setattr(pdf, "html_to_pdf", fake)
    monkeypatch.setattr(meetings_pdf, "html_to_pdf", fake)
    monkeypatch.setattr(pdf, "_soffice_seconds", lambda html: 2.0)
    monkeypatch.setattr(pdf, "_chromium_warm_seconds", lambda html: 0.1)
    figures = pdf.bench(meeting, renders=2, repeat=1)
    assert figures["pages"] == 1
    assert set(figures["layout_s"]) == {"table", "grid_1fr", "grid_minmax_0_1fr"}
    assert figures["fresh_vs_soffice_ratio"] == round(figures["fresh_render_s"] / 2.0, 2)
    assert figures["cached_vs_chromium_ratio"] is not None
    assert figures["memory_growth_mb"] >= 0


def test_it_measures_the_same_minutes_as_a_grid_and_ten_times_longer(meeting):
    html = meetings_pdf.minutes_document(meeting, public=False).html
    grid = pdf._as_grid(html, "minmax(0, 1fr)")
    assert "<table" not in grid and "grid-template-columns: 9mm minmax(0, 1fr) 34mm" in grid
    longer = pdf._longer(html, 10)
    assert longer.count('<table class="item') == 10 * html.count('<table class="item')
    assert longer.count('id="item-7"') == 1
