import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from boards.tests.factories import OrganisationFactory, PersonFactory
from funding.models import Bid, FundEntry
from funding.services import allocate_from_fund, record_budget
from meetings.tests.factories import DecisionFactory

from .factories import BidFactory, BidLineFactory, FundFactory, SavingsEstimateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fund(board):
    fund = FundFactory(board=board, name="One Swindon Transformation Fund")
    record_budget(
        fund=fund, amount=25_000_000, financial_year=2013, entered_on=dt.date(2013, 4, 1)
    )
    return fund


@pytest.fixture
def decision(board):
    return DecisionFactory(
        item__meeting__board=board,
        item__meeting__starts_at=dt.datetime(2014, 3, 18, 14, tzinfo=dt.UTC),
        text="The Board agreed to fund £25k from the One Swindon Transformation Fund.",
    )


def _allocate_url(decision):
    return reverse("funding:allocate", args=[decision.pk])


def test_it_lets_the_secretary_allocate_from_a_decision(client_for, secretary, fund, decision):
    client = client_for(secretary)
    page = client.get(_allocate_url(decision))
    assert page.status_code == 200
    assert "2013/14" in page.content.decode()  # the meeting's financial year by default
    response = client.post(
        _allocate_url(decision),
        {
            "fund": fund.pk,
            "amount": "£25k",
            "purpose": "Scoping review",
            "financial_year": "2013/14",
        },
        follow=True,
    )
    line = fund.entries.allocations().get()
    assert response.redirect_chain[-1][0] == f"{fund.get_absolute_url()}#line-{line.pk}"
    assert (line.amount, line.decision, line.recorded_by) == (2_500_000, decision, secretary.user)
    assert "£225k" in response.content.decode()


def test_it_hides_the_form_from_members_and_the_board_from_outsiders(
    client_for, member, outsider, decision
):
    assert client_for(member).get(_allocate_url(decision)).status_code == 403
    assert client_for(outsider).get(_allocate_url(decision)).status_code == 404


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("£1m - £2m", "is a range"),
        ("-£5k", "negative"),
        ("25.000", "ambiguous"),
        ("lots", "not an amount"),
    ],
)
def test_it_keeps_what_was_typed_when_the_amount_is_unclear(
    client_for, secretary, fund, decision, typed, message
):
    response = client_for(secretary).post(
        _allocate_url(decision),
        {"fund": fund.pk, "amount": typed, "purpose": "Toolkit", "financial_year": "2013/14"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert 'value="Toolkit"' in body
    from html import escape

    assert f'value="{escape(typed)}"' in body
    assert not fund.entries.allocations().exists()


def test_it_refuses_more_than_available_until_a_reason_is_given(
    client_for, secretary, fund, decision
):
    client = client_for(secretary)
    data = {"fund": fund.pk, "amount": "£300k", "purpose": "x", "financial_year": "2013/14"}
    response = client.post(_allocate_url(decision), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "£250,000 available" in body and "-£50,000" in body
    response = client.post(_allocate_url(decision), {**data, "override_reason": "Top-up agreed"})
    assert response.status_code == 302
    assert fund.entries.allocations().get().override_reason == "Top-up agreed"


def _fund_with_lines(board, count):
    """A budget line then count - 1 allocations, one a day: line n is on 2 April 2013 + n."""
    fund = FundFactory(board=board)
    record_budget(fund=fund, amount=10**12, financial_year=2013, entered_on=dt.date(2013, 4, 1))
    decisions = [DecisionFactory(item__meeting__board=board) for _ in range(3)]
    FundEntry.objects.bulk_create(
        FundEntry(
            fund=fund,
            kind="allocation",
            amount=100_000 + n,
            financial_year=2013 + n % 3,
            decision=decisions[n % 3],
            purpose=f"Line {n}",
            entered_on=dt.date(2013, 4, 2) + dt.timedelta(days=n),
        )
        for n in range(count - 1)
    )
    return fund


def _purposes(body):
    """The allocations' purposes in the order the movements table lists them."""
    return re.findall(r"<td>Line (\d+)\s", body)


@pytest.mark.parametrize(("count", "other_funds"), [(5, 0), (500, 6)])
def test_it_shows_the_fund_page_in_a_fixed_number_of_queries(
    client_for, secretary, board, count, other_funds, django_assert_max_num_queries
):
    fund = _fund_with_lines(board, count)
    for n in range(other_funds):  # each one a choice in the transfer form
        record_budget(fund=FundFactory(board=board), amount=100 + n, financial_year=2013)
    client = client_for(secretary)
    # The page itself makes 9 queries (the board's decisions, offered to name on a
    # budget line or transfer, are read once for both); the rest are sign-in and the nav
    # (its count, after a change, reads the record's version too).
    with django_assert_max_num_queries(17):
        response = client.get(fund.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('<tr id="line-') == min(count, 50)
    assert f"Showing lines 1–{min(count, 50)} of {count}, newest first" in body
    assert "<svg" in body
    assert body.count("available)</option>") == other_funds


def test_it_pages_the_movements_newest_first(client_for, member, board):
    fund = _fund_with_lines(board, 120)  # the budget line and allocations "Line 0" to "Line 118"
    client = client_for(member)
    first = client.get(fund.get_absolute_url()).content.decode()
    assert _purposes(first) == [str(n) for n in range(118, 68, -1)]
    assert 'aria-label="Movements pages"' in first
    assert '<a class="page-link" href="?page=2#movements-h" rel="next">Older</a>' in first

    second = client.get(fund.get_absolute_url(), {"page": 2}).content.decode()
    assert "Showing lines 51–100 of 120, newest first · page 2 of 3" in second
    assert _purposes(second) == [str(n) for n in range(68, 18, -1)]
    assert '<li class="page-item active" aria-current="page"><span class="page-link">2<' in second

    # Past the end: the last page, which holds the oldest lines and the budget.
    last = client.get(fund.get_absolute_url(), {"page": 99}).content.decode()
    assert "Showing lines 101–120 of 120" in last
    assert _purposes(last) == [str(n) for n in range(18, -1, -1)]
    assert last.count('<tr id="line-') == 20
    not_a_number = client.get(fund.get_absolute_url(), {"page": "x"}).content.decode()
    assert "Showing lines 1–50 of 120" in not_a_number


def test_it_marks_a_line_reversed_when_its_reversal_is_on_another_page(
    client_for, secretary, board
):
    fund = _fund_with_lines(board, 120)
    old = fund.entries.get(purpose="Line 5")
    client = client_for(secretary)
    response = client.post(
        reverse("funding:fund_reverse", args=[fund.pk, old.pk]), {"reason": "Wrong fund"}
    )
    reversal = fund.entries.get(reverses=old)
    # The reversing line is the newest: page 1, scrolled to it.
    assert response.url == f"{fund.get_absolute_url()}#line-{reversal.pk}"
    first = client.get(response.url).content.decode()
    assert f"reversal of #{old.pk}" in first and f'id="line-{old.pk}"' not in first
    third = client.get(fund.get_absolute_url(), {"page": 3}).content.decode()
    row = third[third.index(f'<tr id="line-{old.pk}"') :]
    row = row[: row.index("</tr>")]
    assert f'>reversed<span class="visually-hidden"> by line #{reversal.pk}</span></a>' in row
    assert "Record reversing line" not in row  # no second reversal offered
    # Each badge links to the other line, on whichever page lists it.
    assert f'href="?line={old.pk}#line-{old.pk}">reversal of #{old.pk}</a>' in first
    found = client.get(fund.get_absolute_url(), {"line": old.pk}).content.decode()
    assert "page 3 of 3" in found and f'<tr id="line-{old.pk}"' in found
    assert f'href="?line={reversal.pk}#line-{reversal.pk}"' in found
    elsewhere = FundFactory(board=board)  # another fund's line number: the first page
    record_budget(fund=elsewhere, amount=100, financial_year=2013)
    other_line = elsewhere.entries.get()
    assert (
        "page 1 of 3"
        in client.get(fund.get_absolute_url(), {"line": other_line.pk}).content.decode()
    )
    for nonsense in ["x", "9" * 30]:
        page = client.get(fund.get_absolute_url(), {"line": nonsense}).content.decode()
        assert "page 1 of 3" in page


def test_it_returns_to_the_page_of_the_line_after_a_refused_reversal_or_release(
    client_for, secretary, board
):
    fund = _fund_with_lines(board, 120)
    old = fund.entries.get(purpose="Line 5")  # on page 3
    client = client_for(secretary)
    refused = client.post(reverse("funding:fund_reverse", args=[fund.pk, old.pk]), {})
    assert refused.url == f"{fund.get_absolute_url()}?page=3#line-{old.pk}"
    too_much = client.post(
        reverse("funding:fund_release", args=[fund.pk, old.pk]), {"amount": "£1m"}
    )
    body = too_much.content.decode()
    assert too_much.status_code == 400
    assert "page 3 of 3" in body
    assert '<details class="release-line mt-1" open>' in body and 'value="£1m"' in body
    released = client.post(
        reverse("funding:fund_release", args=[fund.pk, old.pk]), {"amount": "£10"}
    )
    release = fund.entries.get(kind="release")
    assert released.url == f"{fund.get_absolute_url()}#line-{release.pk}"


def test_it_exports_the_ledger_and_360giving_grants(client_for, member, fund, decision):
    allocate_from_fund(fund=fund, decision=decision, amount=2_500_000, purpose="Scoping review")
    client = client_for(member)
    ledger = client.get(reverse("funding:fund_csv", args=[fund.pk]))
    assert ledger["Content-Type"].startswith("text/csv")
    assert "Allocation,25000.00,Scoping review" in b"".join(ledger.streaming_content).decode()
    grants = client.get(reverse("funding:grants_csv", args=[fund.pk])).content.decode()
    header = grants.splitlines()[0]
    for column in ["Identifier", "Title", "Amount Awarded", "Award Date", "Recipient Org:Name"]:
        assert column in header
    assert "Funding Org:Name" in header and "Grant Programme:Title" in header
    assert "2014-03-18" in grants
    data = json.loads(client.get(reverse("funding:grants_json", args=[fund.pk])).content)
    grant = data["grants"][0]
    assert grant["amountAwarded"] == 25000.0
    assert grant["grantProgramme"] == [{"title": "One Swindon Transformation Fund"}]


def test_it_records_a_reversing_line_from_the_fund_page(client_for, secretary, fund, decision):
    line = allocate_from_fund(fund=fund, decision=decision, amount=2_500_000, purpose="x")
    client = client_for(secretary)
    url = reverse("funding:fund_reverse", args=[fund.pk, line.pk])
    response = client.post(url, {"reason": "Wrong fund"}, follow=True)
    assert "reversing line was recorded" in response.content.decode()
    assert fund.entries.balance().available == 25_000_000
    assert fund.entries.count() == 3


def test_it_records_a_budget_line_typed_as_the_board_writes_it(client_for, secretary, fund):
    client = client_for(secretary)
    url = reverse("funding:fund_record_line", args=[fund.pk])
    bad = client.post(
        url,
        {"kind": "budget", "amount": "£1m-£2m", "financial_year": "2014/15", "purpose": "Top-up"},
    )
    assert bad.status_code == 400 and "is a range" in bad.content.decode()
    client.post(
        url,
        {"kind": "budget", "amount": "£1.5m", "financial_year": "2014/15", "purpose": "Top-up"},
    )
    assert fund.entries.balance().budget == 175_000_000


def test_it_warns_when_the_lines_do_not_add_up(client_for, member, board):
    bid = BidFactory(board=board, amount_sought=38_000_000)
    for amount in [5_000_000, 7_000_000, 10_000_000, 10_000_000, 5_000_000]:
        BidLineFactory(bid=bid, amount=amount)
    body = client_for(member).get(bid.get_absolute_url()).content.decode()
    assert "The lines add up to <strong>£370,000</strong>" in body
    assert "£10,000 short" in body


def test_it_totals_savings_ranges_like_the_bid(client_for, member, board):
    bid = BidFactory(board=board)
    SavingsEstimateFactory(
        bid=bid, theme="Adults", financial_year=2014, low=100_000_000, high=200_000_000
    )
    SavingsEstimateFactory(
        bid=bid, theme="Other", financial_year=2014, low=500_000_000, high=500_000_000
    )
    body = client_for(member).get(bid.get_absolute_url()).content.decode()
    assert "£1m-£2m" in body and "£5m" in body and "£6m-£7m" in body


def test_it_adds_a_savings_range_and_refuses_a_backwards_one(client_for, secretary, board):
    bid = BidFactory(board=board)
    client = client_for(secretary)
    url = reverse("funding:bid_add_savings", args=[bid.pk])
    bad = client.post(url, {"theme": "Adults", "financial_year": "2014/15", "estimate": "£3m-£2m"})
    assert bad.status_code == 400 and "low end is above" in bad.content.decode()
    assert 'value="£3m-£2m"' in bad.content.decode()
    client.post(url, {"theme": "Adults", "financial_year": "2014/15", "estimate": "£1-2m"})
    assert list(bid.savings.values_list("low", "high")) == [(100_000_000, 200_000_000)]


def test_it_turns_an_award_into_a_budget_line_in_one_step(client_for, secretary, board, fund):
    bid = BidFactory(board=board, status=Bid.Status.SUBMITTED)
    client = client_for(secretary)
    no_amount = client.post(reverse("funding:bid_status", args=[bid.pk]), {"status": "awarded"})
    assert (
        no_amount.status_code == 400 and "needs the amount awarded" in no_amount.content.decode()
    )
    client.post(
        reverse("funding:bid_status", args=[bid.pk]),
        {"status": "awarded", "amount_awarded": "£380K"},
    )
    response = client.post(
        reverse("funding:bid_award", args=[bid.pk]), {"fund": fund.pk, "financial_year": "2014/15"}
    )
    assert response.status_code == 302
    assert fund.entries.balance().budget == 25_000_000 + 38_000_000


def test_it_shows_each_funds_available_balance_on_the_board_panel(
    client_for, member, board, fund, decision
):
    allocate_from_fund(fund=fund, decision=decision, amount=2_500_000, purpose="Scoping review")
    body = (
        client_for(member).get(reverse("funding:board_panel", args=[board.slug])).content.decode()
    )
    assert "£225k" in body and "Scoping review" in body
    assert "<html" not in body


def test_it_shows_the_demo_funds_two_allocations(client_for, db, settings):
    from django.core.management import call_command

    from boards.models import Person
    from funding.models import Fund

    # Through the command, not an import: funding sits below demo in the layers.
    settings.DEBUG = True  # seed_demo runs on a development site only
    call_command("seed_demo")
    fund = Fund.objects.get(name="One Swindon Transformation Fund")
    secretary = Person.objects.filter(user__username="secretary").get()
    body = client_for(secretary).get(fund.get_absolute_url()).content.decode()
    allocations = fund.entries.allocations()
    assert [line.amount for line in allocations] == [2_500_000, 2_500_000]
    assert body.count('<td data-label="Kind">Allocation</td>') == 2
    assert body.count("£25,000</td>") == 2
    assert 'data-testid="available">£200k<' in body
    assert fund.entries.balance().available == 20_000_000


@pytest.mark.parametrize("count", [2, 40])
def test_it_lists_bids_and_panels_in_a_fixed_number_of_queries(
    client_for, member, board, count, django_assert_max_num_queries
):
    for n in range(count):
        BidLineFactory(bid=BidFactory(board=board), amount=1_000_000 + n)
        fund = FundFactory(board=board)
        allocate_from_fund(
            fund=fund,
            decision=DecisionFactory(item__meeting__board=board),
            amount=100,
            purpose=f"Purpose {n}",
            override_reason="test",
        )
    client = client_for(member)
    with django_assert_max_num_queries(12):
        bids = client.get(reverse("funding:bids", args=[board.slug]))
    with django_assert_max_num_queries(12):
        panel = client.get(reverse("funding:board_panel", args=[board.slug]))
    assert bids.content.decode().count("bid-status-draft") == count
    assert panel.content.decode().count("available of") == count


def test_it_shows_the_demo_bid_short_of_its_lines_and_its_savings_totals(client_for, db, settings):
    from django.core.management import call_command

    from boards.models import Person
    from funding.models import Bid

    settings.DEBUG = True  # seed_demo runs on a development site only
    call_command("seed_demo")
    member = Person.objects.filter(user__username="member").get()
    bid = Bid.objects.get()
    body = client_for(member).get(bid.get_absolute_url()).content.decode()
    assert "<strong>£370,000</strong> but the bid seeks <strong>£380,000</strong>" in body
    assert "£10,000 short" in body
    for total in ["£7m-£9m", "£7.5m-£10m", "£9.5m-£12m"]:
        assert total in body


def test_it_releases_unspent_money_and_keeps_a_bad_amount(client_for, secretary, fund, decision):
    line = allocate_from_fund(fund=fund, decision=decision, amount=2_500_000, purpose="x")
    client = client_for(secretary)
    url = reverse("funding:fund_release", args=[fund.pk, line.pk])
    too_much = client.post(url, {"amount": "£30k"})
    body = too_much.content.decode()
    assert too_much.status_code == 400 and "holds £25,000" in body
    assert 'value="£30k"' in body
    client.post(url, {"amount": "£5k", "purpose": "Review came in under budget"})
    balance = fund.entries.balance()
    assert (balance.released, balance.available) == (500_000, 23_000_000)


def test_it_transfers_to_another_fund_of_the_board(client_for, secretary, board, fund):
    capital = FundFactory(board=board, name="Capital pot", kind="capital")
    client = client_for(secretary)
    url = reverse("funding:fund_transfer", args=[fund.pk])
    # 2013/14: the year the fund's budget is in (availability is checked per year).
    data = {"target": capital.pk, "amount": "£300k", "financial_year": "2013/14", "purpose": "x"}
    refused = client.post(url, data)
    assert refused.status_code == 400 and "£250,000 available" in refused.content.decode()
    client.post(url, {**data, "amount": "£50k"})
    assert capital.entries.balance().available == 5_000_000
    assert fund.entries.balance().available == 20_000_000


def test_it_creates_a_bid_for_secretaries_only(client_for, secretary, member, board):
    url = reverse("funding:bid_new", args=[board.slug])
    assert client_for(member).get(url).status_code == 403
    client = client_for(secretary)
    bad = client.post(url, {"title": "TCA", "funder": "DCLG", "amount_sought": "£380K-£400K"})
    assert bad.status_code == 400 and "is a range" in bad.content.decode()
    response = client.post(url, {"title": "TCA", "funder": "DCLG", "amount_sought": "£380K"})
    bid = Bid.objects.get()
    assert response.url == bid.get_absolute_url()
    assert (bid.amount_sought, bid.status, bid.match_funding) == (38_000_000, "draft", 0)


def test_it_keeps_exempt_decisions_out_of_exports(client_for, observer, secretary, board, fund):
    decision = DecisionFactory(
        item__meeting__board=board,
        item__confidential=True,
        item__title="Staffing restructure",
        text="To fund the secret redundancy scheme.",
    )
    allocate_from_fund(
        fund=fund, decision=decision, amount=2_500_000, purpose="Scheme", financial_year=2013
    )
    csv_url = reverse("funding:fund_csv", args=[fund.pk])
    seen_by_observer = b"".join(client_for(observer).get(csv_url).streaming_content).decode()
    assert "secret redundancy" not in seen_by_observer
    assert "Confidential item" in seen_by_observer
    by_secretary = b"".join(client_for(secretary).get(csv_url).streaming_content).decode()
    assert "secret redundancy" in by_secretary
    # 360Giving data are for publication: an allocation decided in private is left out.
    grants = client_for(secretary).get(reverse("funding:grants_json", args=[fund.pk]))
    assert json.loads(grants.content)["grants"] == []


@pytest.mark.parametrize(
    "name", ["funding:fund", "funding:fund_csv", "funding:grants_csv", "funding:grants_json"]
)
def test_it_hides_a_fund_from_people_not_on_its_board(client_for, outsider, fund, name):
    assert client_for(outsider).get(reverse(name, args=[fund.pk])).status_code == 404


def test_it_hides_bids_and_the_panel_from_people_not_on_the_board(client_for, outsider, board):
    bid = BidFactory(board=board)
    client = client_for(outsider)
    assert client.get(bid.get_absolute_url()).status_code == 404
    assert client.get(reverse("funding:board_panel", args=[board.slug])).status_code == 404
    assert client.get(reverse("funding:bids", args=[board.slug])).status_code == 404


def test_it_lets_only_allocators_write(client_for, member, board, fund):
    client = client_for(member)
    bid = BidFactory(board=board)
    line = fund.entries.get()
    for url in [
        reverse("funding:fund_record_line", args=[fund.pk]),
        reverse("funding:fund_reverse", args=[fund.pk, line.pk]),
        reverse("funding:fund_transfer", args=[fund.pk]),
        reverse("funding:bid_status", args=[bid.pk]),
        reverse("funding:bid_award", args=[bid.pk]),
        reverse("funding:bid_add_line", args=[bid.pk]),
    ]:
        assert client.post(url, {}).status_code == 403, url


def test_allocations_from_confidential_decisions_hide_purpose_and_recipient_from_observers(
    client_for, observer, secretary, board, fund
):
    """Issue 17: the amount counts in every balance; what it was for, who received it, who
    leads it and why it was allowed beyond the balance are as confidential as the
    decision that made it."""
    decision = DecisionFactory(
        item__meeting__board=board,
        item__meeting__starts_at=dt.datetime(2014, 3, 18, 14, tzinfo=dt.UTC),
        item__confidential=True,
        text="To fund the staffing review.",
    )
    allocate_from_fund(
        fund=fund,
        decision=decision,
        amount=2_500_000,
        purpose="Voluntary severance scheme",
        recipient=OrganisationFactory(name="Hillside Staffing Ltd"),
        lead=PersonFactory(name="Lena Leadbetter"),
        override_reason="Agreed beyond the balance for the redundancies",
    )
    urls = [
        reverse("funding:fund", args=[fund.pk]),
        reverse("funding:board_panel", args=[board.slug]),
        reverse("funding:fund_csv", args=[fund.pk]),
        reverse("funding:grants_csv", args=[fund.pk]),
        reverse("funding:grants_json", args=[fund.pk]),
    ]
    private = (
        "Voluntary severance scheme",
        "Hillside Staffing Ltd",
        "Lena Leadbetter",
        "beyond the balance for the redundancies",
    )
    for url in urls:
        seen = client_for(observer).get(url)
        assert seen.status_code == 200, url
        assert not [words for words in private if words in seen.getvalue().decode()], url
    page = client_for(secretary).get(urls[0]).content.decode()
    assert all(words in page for words in private)
    panel = client_for(secretary).get(urls[1]).content.decode()
    assert "Voluntary severance scheme" in panel
    assert "decided in a confidential item" in client_for(observer).get(urls[1]).content.decode()
    ledger = client_for(secretary).get(urls[2]).getvalue().decode()
    assert "Voluntary severance scheme" in ledger and "Hillside Staffing Ltd" in ledger


def test_it_summarises_a_refused_line_at_the_top_of_the_fund_page(client_for, secretary, fund):
    response = client_for(secretary).post(
        reverse("funding:fund_record_line", args=[fund.pk]),
        {"kind": "budget", "amount": "", "financial_year": "2014/15", "purpose": "Top-up"},
    )
    page = response.content.decode()
    summary = page.index("There is a problem")
    assert summary < page.index('id="balance-h"')  # where the page lands, not 1,300 px down
    assert 'href="#id_amount"' in page[summary:]


def test_it_lets_a_keyboard_reach_the_fund_tables_that_scroll(client_for, member, fund):
    page = client_for(member).get(fund.get_absolute_url()).content.decode()
    for heading in ("years-h", "movements-h"):
        assert f'role="region" aria-labelledby="{heading}" tabindex="0"' in page


def test_the_fund_page_offers_the_latest_decisions_and_accepts_an_older_one(
    client_for, secretary, fund, decision, monkeypatch
):
    from funding import forms

    monkeypatch.setattr(forms, "OFFERED_DECISIONS", 3)
    newer = [
        DecisionFactory(
            item__meeting__board=fund.board,
            item__meeting__starts_at=dt.datetime(2015, 1 + k, 10, 14, tzinfo=dt.UTC),
            text=f"Decision of 2015 number {k}",
        )
        for k in range(4)
    ]
    client = client_for(secretary)
    page = client.get(reverse("funding:fund", args=[fund.pk])).content.decode()
    [select] = re.findall(r'<select name="decision"[^>]*>(.*?)</select>', page, re.S)[:1]
    offered = re.findall(r'<option value="(\d+)"', select)
    assert offered == [str(d.pk) for d in reversed(newer)][:3]

    url = reverse("funding:fund_record_line", args=[fund.pk])
    client.post(
        url,
        {
            "kind": "budget",
            "amount": "£1m",
            "financial_year": "2014/15",
            "purpose": "Top-up",
            "decision": decision.pk,  # March 2014: older than the three offered
        },
    )
    assert fund.entries.filter(decision=decision).exists()
