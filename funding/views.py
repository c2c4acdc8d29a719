import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from boards.models import Board
from boards.permissions import Perm, Reach, perms_on, reach_of, require
from boards.spreadsheets import csv_response, spreadsheet_file
from meetings.models import Decision

from . import exports, forms, services
from .charts import NARROW, balance_chart
from .models import Balance, Bid, Fund, FundEntry
from .money import financial_year_of, find_money

# A ledger page: enough to scan a few months of a busy fund, small enough to stay quick
# as the ledger grows (each line carries its own Reverse and Release forms).
LINES_PER_PAGE = 50


def _ledger_page(fund, number, reach):
    """A page of movements, newest first; a page past the end gives the last page."""
    # "decision__actions" is the actions app's reverse relation: named, never imported.
    lines = (
        fund.entries.newest_first().with_disclosure(reach).prefetch_related("decision__actions")
    )
    return Paginator(lines, LINES_PER_PAGE).get_page(number)


def _page_of(entry) -> int:
    newer = FundEntry.objects.filter(fund_id=entry.fund_id).newer_than(entry).count()
    return newer // LINES_PER_PAGE + 1


def _line_url(entry) -> str:
    """The fund page that lists this line, scrolled to it."""
    page = _page_of(entry)
    query = f"?page={page}" if page > 1 else ""
    return f"{reverse('funding:fund', args=[entry.fund_id])}{query}#line-{entry.pk}"


def _fund_page(request, fund, *, page_number=None, status=200, **bound):
    perms = perms_on(request.user, fund.board)
    reach = reach_of(request.user)
    by_year = fund.entries.balance_by_year()
    balance = sum((b for _, b in by_year), start=Balance())
    page = _ledger_page(fund, page_number or request.GET.get("page"), reach)
    # The ones the selects offer, read once for both forms (nothing is validated here).
    decisions = forms.board_decisions(board=fund.board, reach=reach)[: forms.OFFERED_DECISIONS]
    days = list(fund.entries.daily_changes())
    if "allocate" in perms:
        list(decisions)
    return render(
        request,
        "funding/fund_detail.html",
        {
            "fund": fund,
            "board": fund.board,
            "perms": perms,
            "balance": balance,
            "by_year": by_year,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_ends=1),
            "chart": balance_chart(days, fund_name=fund.name),
            "narrow_chart": balance_chart(days, fund_name=fund.name, frame=NARROW),
            "line_form": forms.LineForm(decisions=decisions),
            "transfer_form": forms.TransferForm(fund=fund, decisions=decisions),
            "release_form": forms.ReleaseForm(decisions=decisions),
            **bound,
        },
        status=status,
    )


def _decisions(request, fund):
    """The decisions of the fund's board this reader may name on a line."""
    return forms.board_decisions(board=fund.board, reach=reach_of(request.user))


def _get_fund(pk):
    return get_object_or_404(Fund.objects.select_related("board"), pk=pk)


@login_required
def fund_detail(request, pk):
    fund = _get_fund(pk)
    require(request.user, Perm.VIEW, fund.board)
    # ?line=<pk>: a reversal's badge links to the line it reverses, and back. Show
    # whichever page lists that line.
    asked = request.GET.get("line", "")
    line = fund.entries.filter(pk=asked).first() if asked.isdigit() else None
    return _fund_page(request, fund, page_number=_page_of(line) if line else None)


@login_required
@require_POST
def fund_record_line(request, pk):
    """A budget or recovery line typed on the fund page."""
    fund = _get_fund(pk)
    require(request.user, Perm.ALLOCATE, fund.board)
    form = forms.LineForm(request.POST, decisions=_decisions(request, fund))
    if form.is_valid():
        data = dict(form.cleaned_data)
        record = (
            services.record_budget
            if data.pop("kind") == FundEntry.Kind.BUDGET
            else services.record_recovery
        )
        try:
            line = record(fund=fund, by=request.user, **data)
        except services.FundingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Line recorded.")
            return redirect(_line_url(line))
    return _fund_page(request, fund, line_form=form, status=400)


@login_required
@require_POST
def fund_reverse(request, pk, entry_pk):
    fund = _get_fund(pk)
    require(request.user, Perm.ALLOCATE, fund.board)
    entry = get_object_or_404(fund.entries.select_related("transfer_pair"), pk=entry_pk)
    form = forms.ReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the line is being reversed.")
        return redirect(_line_url(entry))
    try:
        reversal = services.reverse_entry(entry=entry, by=request.user, **form.cleaned_data)
    except services.FundingError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_line_url(entry))
    messages.success(request, "A reversing line was recorded; the original stays.")
    return redirect(_line_url(reversal))


@login_required
def fund_release(request, pk, entry_pk):
    """Unspent money from an allocation goes back to the fund. The ledger row's short
    form posts amount and note; this page's full form also names the decision that
    released it and the day."""
    fund = _get_fund(pk)
    require(request.user, Perm.ALLOCATE, fund.board)
    allocation = get_object_or_404(
        fund.entries.select_related("decision__item__meeting"), pk=entry_pk
    )
    full = request.method == "GET" or "full" in request.POST
    form = forms.ReleaseForm(request.POST or None, decisions=_decisions(request, fund))
    if request.method == "POST" and form.is_valid():
        try:
            release = services.release_unspent(
                allocation=allocation, by=request.user, **form.cleaned_data
            )
        except services.FundingError as error:
            form.add_error("amount", error)
        else:
            messages.success(request, "The unspent money is back in the fund.")
            return redirect(_line_url(release))
    if full:
        return render(
            request,
            "funding/release.html",
            {"fund": fund, "board": fund.board, "allocation": allocation, "form": form},
            status=400 if form.errors else 200,
        )
    # Shown again on the page that lists the allocation, its form open with the error.
    return _fund_page(
        request,
        fund,
        page_number=_page_of(allocation),
        release_form=form,
        release_entry_id=allocation.pk,
        status=400,
    )


@login_required
@require_POST
def fund_transfer(request, pk):
    fund = _get_fund(pk)
    require(request.user, Perm.ALLOCATE, fund.board)
    form = forms.TransferForm(request.POST, fund=fund, decisions=_decisions(request, fund))
    if form.is_valid():
        try:
            out, _ = services.transfer_between_funds(
                source=fund, by=request.user, **form.cleaned_data
            )
        except services.InsufficientFunds as error:
            form.add_error("amount", error)
        except services.FundingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Transfer recorded in both funds.")
            return redirect(_line_url(out))
    return _fund_page(request, fund, transfer_form=form, status=400)


@login_required
def fund_csv(request, pk):
    fund = _get_fund(pk)
    require(request.user, Perm.VIEW, fund.board)
    entries = fund.entries.movements().with_disclosure(reach_of(request.user))
    return csv_response(
        f"fund-{fund.pk}-ledger.csv",
        exports.LEDGER_HEADERS,
        exports.ledger_rows(entries.iterator(chunk_size=2000)),
    )


@login_required
def fund_grants(request, pk, fmt):
    """Allocations as 360Giving-shaped data, CSV or JSON."""
    fund = _get_fund(pk)
    require(request.user, Perm.VIEW, fund.board)
    # 360Giving data is for publication: only what the public copy of the minutes shows
    public = Reach.copy_of(fund.board_id, confidential=False)
    entries = list(fund.entries.disclosed_to(public).movements())
    if fmt == "json":
        body = json.dumps(exports.grants_json(fund, entries), indent=2)
        response = HttpResponse(body, content_type="application/json")
    else:
        data = exports.grants_dataset(fund, entries)
        response = HttpResponse(
            spreadsheet_file(data, "csv"), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="fund-{fund.pk}-360giving.{fmt}"'
    return response


@login_required
def allocate(request, pk):
    """'This decision allocates money': a ledger line naming the decision."""
    decision = get_object_or_404(Decision.objects.select_related("item__meeting__board"), pk=pk)
    meeting = decision.item.meeting
    board = meeting.board
    require(request.user, Perm.ALLOCATE, board)
    meeting_day = timezone.localtime(meeting.starts_at).date()
    # The decision usually names the sum ("agreed to fund £25k…"): offer it. The money
    # was allocated when the board decided, however long ago that meeting was.
    initial = {
        "financial_year": financial_year_of(meeting_day),
        "entered_on": meeting_day,
        "amount": find_money(decision.text),
    }
    form = forms.AllocationForm(request.POST or None, board=board, initial=initial)
    over = False
    if request.method == "POST" and form.is_valid():
        try:
            line = services.allocate_from_fund(
                decision=decision, by=request.user, **form.cleaned_data
            )
        except services.InsufficientFunds as error:
            over = True
            form.add_error("amount", error)
        except services.FundingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Allocation recorded against decision {decision.label}.")
            return redirect(_line_url(line))
    return render(
        request,
        "funding/allocate.html",
        {
            "decision": decision,
            "meeting": meeting,
            "board": board,
            "form": form,
            "over": over,
            "allocates": decision.kind in services.ALLOCATING_KINDS,
            "existing": decision.fund_entries.select_related("fund", "recipient").order_by("pk"),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


# --- Bids -----------------------------------------------------------------------------


def _get_bid(pk):
    return get_object_or_404(
        Bid.objects.select_related("board", "fund").prefetch_related("lines", "savings"), pk=pk
    )


def _bid_page(request, bid, *, status=200, **bound):
    board = bid.board
    # An old award goes into the year it was awarded in.
    award_year = financial_year_of(bid.awarded_on or timezone.localdate())
    context = {
        "bid": bid,
        "board": board,
        "perms": perms_on(request.user, board),
        "lines_by_year": bid.lines_by_year(),
        "savings": bid.savings_table(),
        "status_form": forms.BidStatusForm(
            initial={
                "status": bid.status,
                "amount_awarded": bid.amount_awarded,
                "submitted_on": bid.submitted_on,
                "awarded_on": bid.awarded_on,
            }
        ),
        "line_form": forms.BidLineForm(),
        "savings_form": forms.SavingsForm(),
        "award_form": forms.AwardToFundForm(board=board, initial={"financial_year": award_year}),
    }
    context.update(bound)
    return render(request, "funding/bid_detail.html", context, status=status)


@login_required
def bid_detail(request, pk):
    bid = _get_bid(pk)
    require(request.user, Perm.VIEW, bid.board)
    return _bid_page(request, bid)


@login_required
def bid_list(request, slug):
    board = get_object_or_404(Board, slug=slug)
    require(request.user, Perm.VIEW, board)
    bids = board.bids.prefetch_related("lines").select_related("fund")
    return render(
        request,
        "funding/bid_list.html",
        {"board": board, "bids": bids, "perms": perms_on(request.user, board)},
    )


@login_required
def bid_create(request, slug):
    board = get_object_or_404(Board, slug=slug)
    require(request.user, Perm.ALLOCATE, board)
    form = forms.BidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        bid = services.create_bid(board=board, **form.cleaned_data)
        return redirect(bid)
    return render(
        request,
        "funding/bid_form.html",
        {"board": board, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def bid_status(request, pk):
    bid = _get_bid(pk)
    require(request.user, Perm.ALLOCATE, bid.board)
    form = forms.BidStatusForm(request.POST)
    if form.is_valid():
        try:
            services.change_bid_status(bid=bid, **form.cleaned_data)
        except services.FundingError as error:
            form.add_error(None, error)
            bid = _get_bid(pk)  # as stored: the refused change was rolled back
        else:
            messages.success(request, f"Bid marked {bid.get_status_display().lower()}.")
            return redirect(bid)
    return _bid_page(request, bid, status_form=form, status=400)


@login_required
@require_POST
def bid_add_line(request, pk):
    bid = _get_bid(pk)
    require(request.user, Perm.ALLOCATE, bid.board)
    form = forms.BidLineForm(request.POST)
    if form.is_valid():
        services.add_bid_line(bid=bid, **form.cleaned_data)
        return redirect(bid)
    return _bid_page(request, bid, line_form=form, status=400)


@login_required
@require_POST
def bid_add_savings(request, pk):
    bid = _get_bid(pk)
    require(request.user, Perm.ALLOCATE, bid.board)
    form = forms.SavingsForm(request.POST)
    if form.is_valid():
        kind, low, high = form.cleaned_data["estimate"]
        try:
            services.record_savings_estimate(
                bid=bid,
                theme=form.cleaned_data["theme"],
                financial_year=form.cleaned_data["financial_year"],
                to_year=form.cleaned_data["to_year"],
                kind=kind,
                low=low,
                high=high,
            )
        except services.FundingError as error:
            form.add_error(None, error)
        else:
            return redirect(bid)
    return _bid_page(request, bid, savings_form=form, status=400)


@login_required
@require_POST
def bid_award(request, pk):
    """An awarded bid becomes a fund's budget line in one step."""
    bid = _get_bid(pk)
    require(request.user, Perm.ALLOCATE, bid.board)
    form = forms.AwardToFundForm(request.POST, board=bid.board)
    if form.is_valid():
        try:
            line = services.award_bid_to_fund(bid=bid, by=request.user, **form.cleaned_data)
        except services.FundingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"The award is now a budget line: {line}.")
            return redirect(line.fund)
    return _bid_page(request, bid, award_form=form, status=400)


# --- Board panel ----------------------------------------------------------------------


@login_required
def board_panel(request, slug):
    """htmx fragment for the board page: each fund's available balance, latest allocations."""
    board = get_object_or_404(Board, slug=slug)
    require(request.user, Perm.VIEW, board)
    funds = list(Fund.objects.filter(board=board).with_balances())
    latest = (
        FundEntry.objects.filter(fund__board=board)
        .with_disclosure(reach_of(request.user))
        .allocations()
        .select_related("fund", "recipient", "decision__item__meeting")
        .order_by("-entered_on", "-pk")[:5]
    )
    return render(
        request,
        "funding/board_panel.html#panel",
        {
            "board": board,
            "perms": perms_on(request.user, board),
            "funds": funds,
            "by_kind": _by_kind(funds),
            "latest": latest,
            "bid_count": board.bids.exclude(status=Bid.Status.DECLINED).count(),
        },
    )


def _by_kind(funds):
    """Revenue and capital totals kept apart."""
    totals = {}
    for fund in funds:
        totals[fund.get_kind_display()] = (
            totals.get(fund.get_kind_display(), 0) + fund.balance.available
        )
    return totals


@login_required
def fund_new(request, slug):
    """A board's secretary or chair opens a fund, with its opening budget."""
    board = get_object_or_404(Board, slug=slug)
    require(request.user, Perm.MANAGE_BOARD, board)
    form = forms.OpenFundForm(request.POST or None, board=board)
    if request.method == "POST" and form.is_valid():
        try:
            fund = services.open_fund(board=board, by=request.user, **form.cleaned_data)
        except services.FundingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{fund.name} is open.")
            return redirect(fund)
    return render(
        request,
        "funding/fund_new.html",
        {"board": board, "form": form, "tab": "funds", "perms": perms_on(request.user, board)},
        status=400 if form.errors else 200,
    )
