"""The fund ledger CSV costs the same number of queries with 4 lines or 40."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boards.tests.factories import OrganisationFactory, PersonFactory
from funding.models import FundEntry
from meetings.tests.factories import DecisionFactory

from .factories import FundFactory

pytestmark = pytest.mark.django_db


def _add_lines(fund, n, *, confidential_every=3):
    """n allocations, each from a decision of its own meeting (untitled, so the meeting
    is named after its board), with a recipient and a lead."""
    FundEntry.objects.bulk_create(
        FundEntry(
            fund=fund,
            kind=FundEntry.Kind.ALLOCATION,
            amount=100_000 + k,
            financial_year=2014,
            decision=DecisionFactory(
                item__meeting__board=fund.board,
                item__meeting__title="",
                item__confidential=(k % confidential_every == 0),
                text=f"To fund line {k}",
            ),
            purpose=f"Purpose {k}",
            recipient=OrganisationFactory(),
            lead=PersonFactory(),
            entered_on=dt.date(2014, 5, 1) + dt.timedelta(days=k),
        )
        for k in range(n)
    )


def _csv(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        chunks = response.streaming_content if response.streaming else [response.content]
        body = b"".join(chunks).decode("utf-8")
    assert response.status_code == 200
    return len(ctx.captured_queries), list(csv.reader(io.StringIO(body)))


def test_it_exports_a_ledger_of_40_lines_in_the_queries_of_4(
    board, observer, client_for, django_assert_max_num_queries
):
    fund = FundFactory(board=board)
    url = reverse("funding:fund_csv", args=[fund.pk])
    client = client_for(observer)
    client.get(url)  # the first request after signing in also saves the session
    _add_lines(fund, 4)
    small, rows = _csv(client, url)
    assert len(rows) == 1 + 4
    _add_lines(fund, 36)
    large, rows = _csv(client, url)
    assert large == small
    assert len(rows) == 1 + 40
    # The observer reads the open lines in full and only the amount of a confidential one.
    withheld = [row for row in rows[1:] if row[5] == "Confidential"]
    assert len(withheld) == 2 + 12  # lines 0 and 3 of the first four, 0, 3, .. 33 of the rest
    assert all(row[6:8] == ["", ""] and row[9].endswith("Confidential item") for row in withheld)
    line_1 = next(row for row in rows if row[5] == "Purpose 1")
    assert line_1[6].startswith("Organisation") and line_1[7]
    assert line_1[8].startswith(f"{board.name}, ")
    assert line_1[10].endswith(" To fund line 1")


def test_it_streams_the_ledger_with_formulas_written_as_text(board, secretary, client_for):
    fund = FundFactory(board=board)
    FundEntry.objects.create(
        fund=fund,
        kind=FundEntry.Kind.BUDGET,
        amount=-100_000,
        financial_year=2014,
        purpose='=HYPERLINK("http://evil","x")',
    )
    response = client_for(secretary).get(reverse("funding:fund_csv", args=[fund.pk]))
    assert response.streaming
    assert response["Content-Disposition"] == f'attachment; filename="fund-{fund.pk}-ledger.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][4:6] == ["-1000.00", '\'=HYPERLINK("http://evil","x")']
