"""A board's secretary or chair opens a fund with its opening budget, in Minutebook's pages."""

import datetime as dt

import pytest
from django.urls import reverse

from funding.models import Fund

pytestmark = pytest.mark.django_db


def test_a_secretary_opens_a_fund_with_its_opening_budget(client_for, board, secretary):
    response = client_for(secretary).post(
        reverse("funding:fund_new", args=[board.slug]),
        {
            "name": "Kennet Capital Fund",
            "kind": "capital",
            "opening_budget": "£250k",
            "budget_on": "2013-02-01",
            "financial_year": "2013/14",
        },
    )
    fund = Fund.objects.get(name="Kennet Capital Fund")
    assert response.status_code == 302 and response["Location"] == fund.get_absolute_url()
    line = fund.entries.get()
    assert (line.amount, line.financial_year, line.entered_on) == (
        25_000_000,
        2013,
        dt.date(2013, 2, 1),
    )


def test_a_member_cannot_open_a_fund(client_for, board, member):
    response = client_for(member).get(reverse("funding:fund_new", args=[board.slug]))
    assert response.status_code == 403


def test_a_budget_date_outside_the_record_is_a_form_error_that_keeps_what_was_typed(
    client_for, board, secretary
):
    response = client_for(secretary).post(
        reverse("funding:fund_new", args=[board.slug]),
        {"name": "Kennet Capital Fund", "kind": "capital", "opening_budget": "£250k",
         "budget_on": "0013-02-01"},
    )  # fmt: skip
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="Kennet Capital Fund"' in body
    assert "Give a date between 1 January 1990 and 31 December 2100." in body  # the one message
    assert not Fund.objects.exists()
