"""Every write to a fund's ledger, one transaction each.

Ledger lines are never edited or deleted (FundEntry.save refuses): a correction is a
new reversing line. A line that would take a fund's available balance for its financial
year below zero is refused with the figures, unless an override reason is given; the
reason is kept on the line, so the ledger itself shows why the year went overdrawn.

Every write first takes the fund's row lock (_lock), and only then reads balances or
earlier lines to check them: two secretaries at once are checked one after the other.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from boards.models import Organisation, Person
from meetings.models import LAST_DAY, Decision, outside_the_record

from .models import AVAILABLE_SIGN, Bid, BidLine, Fund, FundEntry, SavingsEstimate
from .money import (
    check_amount,
    check_financial_year,
    financial_year_label,
    financial_year_of,
    format_money,
)

# A decision that only noted, deferred or rejected something committed no money.
ALLOCATING_KINDS = {Decision.Kind.AGREED, Decision.Kind.APPROVED}


class FundingError(ValidationError):
    """A ledger rule was broken; the message says which, with the figures."""


class InsufficientFunds(FundingError):
    def __init__(self, *, fund: Fund, year: int, available: int, amount: int, what: str):
        self.fund, self.year, self.available, self.amount = fund, year, available, amount
        super().__init__(
            f"{fund} has {format_money(available)} available in "
            f"{financial_year_label(year)}; {what} of {format_money(amount)} would leave "
            f"it {format_money(available - amount)}. "
            "Give an override reason to record it anyway."
        )


def _lock(fund: Fund) -> Fund:
    # Serialises writers on one fund (PostgreSQL row lock), so two secretaries
    # allocating at once cannot both spend the last £25k. Taken before any balance is read.
    return Fund.objects.select_for_update().get(pk=fund.pk)


def _lock_funds(*funds: Fund) -> dict[int, Fund]:
    # In id order, so two writers needing the same two funds cannot deadlock.
    return {f.pk: _lock(f) for f in sorted({f.pk: f for f in funds}.values(), key=_pk)}


def _pk(fund: Fund) -> int:
    return fund.pk


def _check_available(
    *, fund: Fund, year: int, decrease: int, override_reason: str, what: str
) -> None:
    """The fund's money in that financial year must cover the decrease: a surplus in
    another year does not pay for it. Call with the fund locked."""
    if decrease <= 0 or override_reason.strip():
        return
    available = fund.entries.in_year(year).balance().available
    if decrease > available:
        raise InsufficientFunds(
            fund=fund, year=year, available=available, amount=decrease, what=what
        )


def _positive(amount: int) -> None:
    if amount is None or amount <= 0:
        raise FundingError("Enter an amount above £0.")
    _bounded(amount=amount)


def _bounded(*, amount: int | None = None, financial_year: int | None = None) -> None:
    """Within MAX_PENCE and the record's years, or a FundingError saying which."""
    try:
        if amount is not None:
            check_amount(amount)
        if financial_year is not None:
            check_financial_year(financial_year)
    except ValueError as error:
        raise FundingError(str(error)) from error


def _day_of(decision: Decision | None) -> date:
    """The day a line happened when none is given: its decision's meeting, else today
    (a past meeting's money is dated as the minutes have it, not when it was typed)."""
    if decision is None:
        return timezone.localdate()
    return timezone.localtime(decision.item.meeting.starts_at).date()


def _of_fund_board(decision: Decision | None, fund: Fund) -> None:
    """A line may name only a decision of its fund's own board."""
    if decision is not None and decision.item.meeting.board_id != fund.board_id:
        raise FundingError(
            f"{fund} is controlled by {fund.board}, not {decision.item.meeting.board}: "
            "name one of its own board's decisions."
        )


def _within_record(day: date | None, what: str) -> None:
    if day is not None and outside_the_record(day, what):
        raise FundingError(outside_the_record(day, what))


def _line(**fields) -> FundEntry:
    entry = FundEntry(**fields)
    try:
        entry.full_clean(exclude=["reverses", "transfer_pair", "recorded_by"])
    except ValidationError as error:
        # A year or amount out of bounds is the user's to correct, not a server error.
        raise FundingError(error.messages) from error
    entry.save()
    return entry


@transaction.atomic
def record_budget(
    *,
    fund: Fund,
    amount: int,
    financial_year: int | None = None,
    purpose: str = "",
    decision: Decision | None = None,
    approximate: bool = False,
    entered_on: date | None = None,
    by=None,
) -> FundEntry:
    """A budget line adds money to the fund for one financial year. It may name the
    decision that set it (of the fund's board), and is dated on the day given, else its
    decision's meeting, else today; its financial year, unless given, is that day's."""
    _positive(amount)
    _of_fund_board(decision, fund)
    entered_on = entered_on or _day_of(decision)
    fund = _lock(fund)
    return _line(
        fund=fund,
        kind=FundEntry.Kind.BUDGET,
        amount=amount,
        approximate=approximate,
        financial_year=financial_year or financial_year_of(entered_on),
        purpose=purpose,
        decision=decision,
        entered_on=entered_on,
        recorded_by=by,
    )


@transaction.atomic
def allocate_from_fund(
    *,
    fund: Fund,
    decision: Decision | None,
    amount: int,
    purpose: str,
    financial_year: int | None = None,
    recipient: Organisation | None = None,
    lead: Person | None = None,
    override_reason: str = "",
    approximate: bool = False,
    entered_on: date | None = None,
    by=None,
) -> FundEntry:
    """An allocation must name the decision that made it (agreed or approved, on the
    fund's own board), and may not exceed the available balance unless an override
    reason is recorded."""
    if decision is None:
        raise FundingError("An allocation must name the decision that made it.")
    if decision.kind not in ALLOCATING_KINDS:
        raise FundingError(
            f"Decision {decision.label} was {decision.get_kind_display().lower()}: "
            "only an agreed or approved decision allocates money."
        )
    _positive(amount)
    _of_fund_board(decision, fund)
    meeting_day = _day_of(decision)
    financial_year = financial_year or financial_year_of(meeting_day)
    fund = _lock(fund)
    _check_available(
        fund=fund,
        year=financial_year,
        decrease=amount,
        override_reason=override_reason,
        what="an allocation",
    )
    return _line(
        fund=fund,
        kind=FundEntry.Kind.ALLOCATION,
        amount=amount,
        approximate=approximate,
        financial_year=financial_year,
        decision=decision,
        purpose=purpose,
        recipient=recipient,
        lead=lead,
        override_reason=override_reason.strip(),
        entered_on=entered_on or meeting_day,
        recorded_by=by,
    )


@transaction.atomic
def release_unspent(
    *,
    allocation: FundEntry,
    amount: int,
    purpose: str = "",
    financial_year: int | None = None,
    authorised_by: Decision | None = None,
    approximate: bool = False,
    entered_on: date | None = None,
    by=None,
) -> FundEntry:
    """Unspent money goes back to the fund; never more than the decision still holds.
    The later decision that released it ("the unspent £X is to be redirected"), of the
    fund's board, may be named; the line is dated on its meeting unless a day is given."""
    _positive(amount)
    if allocation.kind != FundEntry.Kind.ALLOCATION:
        raise FundingError("Only an allocation's unspent money can be released.")
    _of_fund_board(authorised_by, allocation.fund)
    fund = _lock(allocation.fund)
    held = fund.entries.filter(decision=allocation.decision).balance().spent
    if amount > held:
        raise FundingError(
            f"Decision {allocation.decision.label} holds {format_money(held)}; "
            f"{format_money(amount)} cannot be released from it."
        )
    return _line(
        fund=fund,
        kind=FundEntry.Kind.RELEASE,
        amount=amount,
        approximate=approximate,
        financial_year=financial_year or allocation.financial_year,
        decision=allocation.decision,
        authorised_by=authorised_by,
        purpose=purpose or f"Unspent: {allocation.purpose}"[:500],
        recipient=allocation.recipient,
        lead=allocation.lead,
        entered_on=entered_on or _day_of(authorised_by),
        recorded_by=by,
    )


@transaction.atomic
def record_recovery(
    *,
    fund: Fund,
    amount: int,
    purpose: str,
    financial_year: int | None = None,
    decision: Decision | None = None,
    recipient: Organisation | None = None,
    approximate: bool = False,
    entered_on: date | None = None,
    by=None,
) -> FundEntry:
    """Money recovered from elsewhere (e.g. the £25k back from the Treasury) adds to the
    fund; dated and tied to a decision like a budget line."""
    _positive(amount)
    _of_fund_board(decision, fund)
    entered_on = entered_on or _day_of(decision)
    fund = _lock(fund)
    return _line(
        fund=fund,
        kind=FundEntry.Kind.RECOVERY,
        amount=amount,
        approximate=approximate,
        financial_year=financial_year or financial_year_of(entered_on),
        purpose=purpose,
        decision=decision,
        recipient=recipient,
        entered_on=entered_on,
        recorded_by=by,
    )


@transaction.atomic
def transfer_between_funds(
    *,
    source: Fund,
    target: Fund,
    amount: int,
    purpose: str,
    financial_year: int | None = None,
    decision: Decision | None = None,
    override_reason: str = "",
    approximate: bool = False,
    entered_on: date | None = None,
    by=None,
) -> tuple[FundEntry, FundEntry]:
    """A transfer is two linked lines, out of one fund and into another, same amount;
    it may name the decision (of the source fund's board) that moved the money."""
    _positive(amount)
    if source.pk == target.pk:
        raise FundingError("A transfer needs two different funds.")
    _of_fund_board(decision, source)
    entered_on = entered_on or _day_of(decision)
    financial_year = financial_year or financial_year_of(entered_on)
    locked = _lock_funds(source, target)
    source, target = locked[source.pk], locked[target.pk]
    _check_available(
        fund=source,
        year=financial_year,
        decrease=amount,
        override_reason=override_reason,
        what="a transfer out",
    )
    common = {
        "kind": FundEntry.Kind.TRANSFER,
        "financial_year": financial_year,
        "purpose": purpose,
        "decision": decision,
        "approximate": approximate,
        "entered_on": entered_on,
        "recorded_by": by,
    }
    out = _line(fund=source, amount=-amount, override_reason=override_reason.strip(), **common)
    into = _line(fund=target, amount=amount, transfer_pair=out, **common)
    # The pair link is set on the first line by an UPDATE: the line's money never changes.
    FundEntry.objects.filter(pk=out.pk).update(transfer_pair=into)
    out.transfer_pair = into
    return out, into


@transaction.atomic
def reverse_entry(
    *, entry: FundEntry, reason: str, override_reason: str = "", by=None
) -> FundEntry:
    """A correction is a new line with the opposite sign; each line is reversed at most
    once, a reversal is not itself reversed, and a transfer is reversed on both sides.

    An allocation whose unspent money has been released is refused (not reversed with
    its releases): reversing it would leave its decision holding less than nothing and
    hand the released money back twice. Reverse the releases first, then the allocation.
    Like any line, a reversal may not take its financial year below zero without an
    override reason. Both funds of a transfer are locked before anything is checked."""
    if not reason.strip():
        raise FundingError("Say why the line is being reversed.")
    pair_fund = entry.transfer_pair.fund if entry.transfer_pair_id else None
    locked = _lock_funds(entry.fund, *([pair_fund] if pair_fund else []))
    fund = locked[entry.fund_id]
    # Re-read under the lock: another reversal may have committed since the caller read it.
    entry = FundEntry.objects.select_related("decision", "transfer_pair").get(pk=entry.pk)
    if entry.reverses_id is not None:
        raise FundingError("This line is already a reversal; record the original line again.")
    if FundEntry.objects.filter(reverses=entry).exists():
        raise FundingError("This line has already been reversed.")
    if entry.kind == FundEntry.Kind.ALLOCATION:
        held = fund.entries.filter(decision=entry.decision).balance().spent
        if entry.amount > held:
            raise FundingError(
                f"{format_money(entry.amount - held)} of decision {entry.decision.label}'s "
                f"money has been released back to {fund}; reverse those releases first, "
                "then this allocation."
            )
    _check_available(
        fund=fund,
        year=entry.financial_year,
        decrease=AVAILABLE_SIGN[entry.kind] * entry.amount,
        override_reason=override_reason,
        what="this reversal",
    )
    reversal = _line(
        fund=fund,
        kind=entry.kind,
        amount=-entry.amount,
        approximate=entry.approximate,
        financial_year=entry.financial_year,
        decision=entry.decision,
        authorised_by=entry.authorised_by,
        purpose=f"Reversal: {reason.strip()}"[:500],
        recipient=entry.recipient,
        lead=entry.lead,
        reverses=entry,
        override_reason=override_reason.strip(),
        entered_on=timezone.localdate(),
        recorded_by=by,
    )
    pair = entry.transfer_pair
    if pair is not None and not FundEntry.objects.filter(reverses=pair).exists():
        pair_fund = locked[pair.fund_id]
        _check_available(
            fund=pair_fund,
            year=pair.financial_year,
            decrease=pair.amount,
            override_reason=override_reason,
            what="reversing the other side of this transfer",
        )
        other = _line(
            fund=pair_fund,
            kind=pair.kind,
            amount=-pair.amount,
            approximate=pair.approximate,
            financial_year=pair.financial_year,
            decision=pair.decision,
            purpose=f"Reversal: {reason.strip()}"[:500],
            reverses=pair,
            transfer_pair=reversal,
            override_reason=override_reason.strip(),
            entered_on=timezone.localdate(),
            recorded_by=by,
        )
        FundEntry.objects.filter(pk=reversal.pk).update(transfer_pair=other)
        reversal.transfer_pair = other
    return reversal


# --- Bids -----------------------------------------------------------------------------


@transaction.atomic
def create_bid(
    *,
    board,
    title: str,
    funder: str,
    amount_sought: int,
    programme: str = "",
    match_funding: int | None = None,
    summary: str = "",
) -> Bid:
    """A bid starts as a draft; its lines and savings are added on its page."""
    _positive(amount_sought)
    _bounded(amount=match_funding)
    return Bid.objects.create(
        board=board,
        title=title,
        funder=funder,
        programme=programme,
        amount_sought=amount_sought,
        match_funding=match_funding or 0,
        summary=summary,
    )


@transaction.atomic
def change_bid_status(
    *,
    bid: Bid,
    status: str,
    amount_awarded: int | None = None,
    submitted_on: date | None = None,
    awarded_on: date | None = None,
) -> Bid:
    """An awarded bid must say how much was awarded; other statuses clear the award.
    A bid keeps its own dates: submitted and awarded on the days given (an old bid is
    entered as it happened), else the day its status first became so; never awarded
    before it was submitted."""
    if status not in Bid.Status.values:
        raise FundingError(f"“{status}” is not a bid status.")
    _within_record(submitted_on, "a submission date")
    _within_record(awarded_on, "an award date")
    if submitted_on:
        bid.submitted_on = submitted_on
    if awarded_on:
        bid.awarded_on = awarded_on
    if status == Bid.Status.AWARDED:
        _positive(amount_awarded)
        bid.amount_awarded = amount_awarded
        bid.awarded_on = bid.awarded_on or timezone.localdate()
    elif status in (Bid.Status.DRAFT, Bid.Status.DECLINED):
        bid.amount_awarded = None
        bid.awarded_on = None
    if status != Bid.Status.DRAFT and bid.submitted_on is None:
        bid.submitted_on = min(timezone.localdate(), bid.awarded_on or LAST_DAY)
    if bid.awarded_on and bid.submitted_on and bid.awarded_on < bid.submitted_on:
        raise FundingError(
            f"The award ({bid.awarded_on:%-d %B %Y}) cannot come before the bid was "
            f"submitted ({bid.submitted_on:%-d %B %Y})."
        )
    bid.status = status
    bid.save(update_fields=["status", "amount_awarded", "submitted_on", "awarded_on"])
    return bid


@transaction.atomic
def award_bid_to_fund(
    *, bid: Bid, fund: Fund, financial_year: int, entered_on: date | None = None, by=None
) -> FundEntry:
    """An awarded bid becomes one budget line of a fund on the bid's board, once."""
    bid = Bid.objects.select_for_update().get(pk=bid.pk)
    if bid.status != Bid.Status.AWARDED or not bid.amount_awarded:
        raise FundingError("Only an awarded bid can become a budget line.")
    if bid.fund_id is not None:
        raise FundingError(f"This award is already in {bid.fund}.")
    if fund.board_id != bid.board_id:
        raise FundingError(f"{fund} belongs to another board.")
    line = record_budget(
        fund=fund,
        amount=bid.amount_awarded,
        financial_year=financial_year,
        purpose=f"{bid.funder}: {bid.title}"[:500],
        entered_on=entered_on or bid.awarded_on,
        by=by,
    )
    bid.fund = fund
    bid.save(update_fields=["fund"])
    return line


@transaction.atomic
def add_bid_line(*, bid: Bid, activity: str, amount: int, financial_year: int | None) -> BidLine:
    """A bid's spending line, added at the end."""
    _positive(amount)
    _bounded(financial_year=financial_year)
    last = bid.lines.order_by("-order").values_list("order", flat=True).first()
    return BidLine.objects.create(
        bid=bid,
        activity=activity,
        amount=amount,
        financial_year=financial_year,
        order=(last or 0) + 1,
    )


@transaction.atomic
def record_savings_estimate(
    *,
    bid: Bid,
    theme: str,
    financial_year: int,
    low: int | None,
    high: int,
    kind: str = SavingsEstimate.Kind.AMOUNT,
    to_year: int | None = None,
) -> SavingsEstimate:
    """One estimate per theme and first year: a second entry replaces the first. An
    estimate is an amount or a percentage, a range or one figure, or "up to" a figure
    (no low end), for one year or from one year to a later one."""
    if (low is not None and low < 0) or high < (low or 0):
        raise FundingError("A savings range runs from a low figure up to a high one.")
    if kind not in SavingsEstimate.Kind.values:
        raise FundingError(f"“{kind}” is not a kind of savings estimate.")
    if kind == SavingsEstimate.Kind.PERCENT and high > 100 * 100:
        raise FundingError("A saving of more than 100% is not a saving; check the figure.")
    _bounded(amount=high, financial_year=financial_year)
    _bounded(financial_year=to_year)
    if to_year is not None and to_year <= financial_year:
        raise FundingError("An estimate over several years ends after the year it starts.")
    estimate, _ = SavingsEstimate.objects.update_or_create(
        bid=bid,
        theme=theme.strip(),
        financial_year=financial_year,
        defaults={"low": low, "high": high, "kind": kind, "to_year": to_year},
    )
    return estimate


@transaction.atomic
def open_fund(
    *,
    board,
    name: str,
    kind: str,
    description: str = "",
    opening_budget: int | None = None,
    budget_on: date | None = None,
    financial_year: int | None = None,
    by=None,
) -> Fund:
    """A board opens a fund; its opening budget, if any, is the ledger's first line (a
    budget line like any other, in the budget date's financial year unless one is given)."""
    fund = Fund(board=board, name=name.strip(), kind=kind, description=description)
    fund.full_clean()
    fund.save()
    if opening_budget:
        budget_on = budget_on or timezone.localdate()
        record_budget(
            fund=fund,
            amount=opening_budget,
            financial_year=financial_year or financial_year_of(budget_on),
            purpose="Opening budget",
            entered_on=budget_on,
            by=by,
        )
    return fund
