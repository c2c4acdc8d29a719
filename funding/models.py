from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import BigIntegerField, Case, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from boards.models import Board, Organisation, Person
from boards.permissions import Reach
from meetings.models import FIRST_DAY, FIRST_YEAR, LAST_DAY, LAST_YEAR, Decision

from .money import MAX_PENCE, financial_year_label, format_money, format_savings

# Each bound is written once (money.py, meetings.models) and held twice: by the field's
# validators, so forms and full_clean() say what is wrong, and by a CHECK constraint, so
# no path around them (admin, shell, bulk_create) stores a row the sums cannot carry.
_AMOUNT_VALIDATORS = [MinValueValidator(-MAX_PENCE), MaxValueValidator(MAX_PENCE)]
_YEAR_VALIDATORS = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
_DAY_VALIDATORS = [MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)]


def _amount_within(field: str) -> Q:
    return Q(**{f"{field}__gte": -MAX_PENCE, f"{field}__lte": MAX_PENCE})


def _year_within(field: str, *, nullable: bool = False) -> Q:
    within = Q(**{f"{field}__gte": FIRST_YEAR, f"{field}__lte": LAST_YEAR})
    return within | Q(**{f"{field}__isnull": True}) if nullable else within


def _day_within(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(
        **{f"{field}__gte": FIRST_DAY, f"{field}__lte": LAST_DAY}
    )


@dataclass(frozen=True)
class Balance:
    """A fund's position, every figure a sum of ledger lines (pence).

    Allocations commit money; releases hand unspent money back; recoveries and
    transfers in add to it. available = budget - allocated + released + recovered
    + transfers.
    """

    budget: int = 0
    allocated: int = 0
    released: int = 0
    recovered: int = 0
    transfers: int = 0

    @classmethod
    def from_totals(cls, totals: dict[str, int]) -> "Balance":
        return cls(
            budget=totals.get("budget", 0),
            allocated=totals.get("allocation", 0),
            released=totals.get("release", 0),
            recovered=totals.get("recovery", 0),
            transfers=totals.get("transfer", 0),
        )

    @property
    def available(self) -> int:
        return self.budget - self.allocated + self.released + self.recovered + self.transfers

    @property
    def spent(self) -> int:
        """Allocated and not released: money committed to a purpose."""
        return self.allocated - self.released

    def __add__(self, other: "Balance") -> "Balance":
        return Balance(
            budget=self.budget + other.budget,
            allocated=self.allocated + other.allocated,
            released=self.released + other.released,
            recovered=self.recovered + other.recovered,
            transfers=self.transfers + other.transfers,
        )


# How each kind of line moves the available balance (reversals carry the opposite sign).
AVAILABLE_SIGN = {
    "budget": 1,
    "allocation": -1,
    "release": 1,
    "recovery": 1,
    "transfer": 1,
}


class FundQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(board__in=Board.objects.for_user(user))

    def with_balances(self):
        """Annotate each fund with its sums by kind in one query (see Fund.balance)."""
        return self.annotate(
            **{
                f"sum_{kind}": Coalesce(
                    Sum("entries__amount", filter=Q(entries__kind=kind)), Value(0)
                )
                for kind in FundEntry.Kind.values
            }
        )


def _disclosed(reach: Reach) -> Q:
    """A line whose purpose, recipient and decisions the reader may read: each decision
    it names (the one behind it, and a release's authorising one) is under an item they
    may read."""
    return (Q(decision__isnull=True) | reach.scope("decision__item__")) & (
        Q(authorised_by__isnull=True) | reach.scope("authorised_by__item__")
    )


class FundEntryQuerySet(models.QuerySet):
    def visible_to(self, reach: Reach):
        """Every line of the funds of the reader's boards: the balance adds up for every
        reader, even where a line's purpose is withheld (see with_disclosure)."""
        return self.filter(fund__board__in=reach.boards)

    def with_disclosure(self, reach: Reach):
        """Each line with `withheld`: True where it comes from a decision the reader may
        not read (a confidential item): they see its amount and date, not its purpose,
        recipient, lead, decision or override reason (which says why it was decided)."""
        return self.visible_to(reach).annotate(
            withheld=Case(
                When(_disclosed(reach), then=Value(False)),
                default=Value(True),
                output_field=models.BooleanField(),
            )
        )

    def disclosed_to(self, reach: Reach):
        """Only the lines the reader may read in full: for data that lists purposes and
        recipients line by line (360Giving)."""
        return self.visible_to(reach).filter(_disclosed(reach))

    def totals(self) -> dict[str, int]:
        """Sums in pence by kind; a fund's balance is always a sum, never a field."""
        rows = self.values("kind").annotate(total=Sum("amount")).order_by()
        totals = dict.fromkeys(FundEntry.Kind.values, 0)
        totals.update({row["kind"]: row["total"] for row in rows})
        return totals

    def balance(self) -> Balance:
        return Balance.from_totals(self.totals())

    def balance_by_year(self) -> list[tuple[int, Balance]]:
        """[(2013, Balance), (2014, Balance)] in year order, one query."""
        rows = (
            self.values("financial_year", "kind")
            .annotate(total=Sum("amount"))
            .order_by("financial_year")
        )
        years: dict[int, dict[str, int]] = {}
        for row in rows:
            years.setdefault(row["financial_year"], {})[row["kind"]] = row["total"]
        return [(year, Balance.from_totals(totals)) for year, totals in years.items()]

    def balance_by_fund_kind(self) -> dict[str, Balance]:
        """Revenue and capital kept apart: {"revenue": Balance, "capital": Balance}."""
        rows = self.values("fund__kind", "kind").annotate(total=Sum("amount")).order_by()
        kinds: dict[str, dict[str, int]] = {k: {} for k in Fund.Kind.values}
        for row in rows:
            kinds[row["fund__kind"]][row["kind"]] = row["total"]
        return {kind: Balance.from_totals(totals) for kind, totals in kinds.items()}

    def allocations(self):
        return self.filter(kind=FundEntry.Kind.ALLOCATION)

    def in_year(self, start_year: int):
        return self.filter(financial_year=start_year)

    def movements(self):
        """Lines in the order they happened, with what a movements table shows."""
        return self.select_related(
            "decision__item__meeting__board",
            "authorised_by__item__meeting__board",
            "recipient",
            "lead",
            "transfer_pair__fund",
        ).order_by("entered_on", "pk")

    def newest_first(self):
        """Movements as a ledger on screen lists them, each with reversal_id (the line
        that reverses it, if any). That is looked up for each line from the whole ledger,
        so a line shows as reversed even when its reversal is on another page."""
        # A join on the unique reverses_id: the cost stays with the lines read.
        return (
            self.movements()
            .annotate(reversal_id=F("reversed_by__id"))
            .order_by("-entered_on", "-pk")
        )

    def newer_than(self, entry: "FundEntry"):
        """The lines listed above this one when the newest comes first."""
        return self.filter(
            Q(entered_on__gt=entry.entered_on) | Q(entered_on=entry.entered_on, pk__gt=entry.pk)
        )

    def daily_changes(self):
        """One row a day with movements, oldest first: how the available and committed
        money changed that day. The balance chart is drawn from these, so its cost grows
        with the days the ledger covers, not with its number of lines."""
        available = Case(
            *(When(kind=kind, then=F("amount") * sign) for kind, sign in AVAILABLE_SIGN.items()),
            output_field=BigIntegerField(),
        )
        committed = Case(
            When(kind=FundEntry.Kind.ALLOCATION, then=F("amount")),
            When(kind=FundEntry.Kind.RELEASE, then=-F("amount")),
            default=Value(0),
            output_field=BigIntegerField(),
        )
        return (
            self.values("entered_on")
            .annotate(available=Sum(available), committed=Sum(committed))
            .order_by("entered_on")
        )


class Fund(models.Model):
    class Kind(models.TextChoices):
        REVENUE = "revenue", "Revenue"
        CAPITAL = "capital", "Capital"

    name = models.CharField(max_length=200)
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="funds")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.REVENUE)
    currency = models.CharField(max_length=3, default="GBP", editable=False)
    description = models.TextField(blank=True)

    objects = FundQuerySet.as_manager()

    class Meta:
        ordering = ["board", "name"]
        constraints = [
            models.UniqueConstraint(fields=["board", "name"], name="fund_unique_name_per_board"),
            models.CheckConstraint(condition=Q(currency="GBP"), name="fund_currency_gbp"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("funding:fund", args=[self.pk])

    @property
    def balance(self) -> Balance:
        """From with_balances() annotations when present, else one query."""
        if hasattr(self, "sum_budget"):
            return Balance.from_totals(
                {kind: getattr(self, f"sum_{kind}") for kind in FundEntry.Kind.values}
            )
        return self.entries.balance()


class FundEntry(models.Model):
    """An immutable ledger line. A correction is a new line that reverses an old one."""

    class Kind(models.TextChoices):
        BUDGET = "budget", "Budget"
        ALLOCATION = "allocation", "Allocation"
        RELEASE = "release", "Release of unspent money"
        RECOVERY = "recovery", "Recovery"
        TRANSFER = "transfer", "Transfer"

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # Pence. Positive for the line's natural direction (a budget adds, an allocation
    # commits); a reversing line carries the opposite sign. Transfers: + in, - out.
    amount = models.BigIntegerField(validators=_AMOUNT_VALIDATORS)
    # The minutes gave the figure as approximate ("c£800k"): shown as "c. £800k".
    approximate = models.BooleanField(default=False)
    financial_year = models.PositiveSmallIntegerField(
        help_text="The year the financial year starts: 2014 means 2014/15.",
        validators=_YEAR_VALIDATORS,
    )
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="fund_entries"
    )
    # A release keeps its allocation's decision in `decision` (what that decision still
    # holds is a sum over it); the later decision that released or redirected the money
    # ("the unspent £X is to be redirected") is named here.
    authorised_by = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="authorised_fund_entries",
    )
    purpose = models.CharField(max_length=500, blank=True)
    recipient = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lead = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    transfer_pair = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    override_reason = models.TextField(
        blank=True, help_text="Why this line was allowed to exceed the available balance."
    )
    entered_on = models.DateField(default=timezone.localdate, validators=_DAY_VALIDATORS)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = FundEntryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["fund", "entered_on", "pk"]
        verbose_name_plural = "fund entries"
        indexes = [models.Index(fields=["fund", "entered_on"])]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="fundentry_amount_not_zero"),
            models.CheckConstraint(
                condition=~Q(kind="allocation") | Q(decision__isnull=False),
                name="fundentry_allocation_has_decision",
            ),
            models.CheckConstraint(
                condition=_year_within("financial_year"), name="fundentry_financial_year_sane"
            ),
            models.CheckConstraint(
                condition=_amount_within("amount"), name="fundentry_amount_within_max"
            ),
            models.CheckConstraint(
                condition=_day_within("entered_on"), name="fundentry_entered_on_sane"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {format_money(self.amount)} ({self.fund})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise ValidationError("Ledger lines are never edited; record a reversing line.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Ledger lines are never deleted; record a reversing line.")

    @property
    def financial_year_label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def amount_label(self) -> str:
        """ "£25,000", or "c. £800k" where the minutes gave the figure as approximate."""
        if self.approximate:
            return f"c. {format_money(self.amount, short=True)}"
        return format_money(self.amount)


class Bid(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        AWARDED = "awarded", "Awarded"
        DECLINED = "declined", "Declined"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="bids")
    title = models.CharField(max_length=300)
    funder = models.CharField(max_length=200)
    programme = models.CharField(max_length=200, blank=True)
    amount_sought = models.BigIntegerField(help_text="Pence.", validators=_AMOUNT_VALIDATORS)
    match_funding = models.BigIntegerField(
        default=0, help_text="Pence.", validators=_AMOUNT_VALIDATORS
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    amount_awarded = models.BigIntegerField(
        null=True, blank=True, help_text="Pence.", validators=_AMOUNT_VALIDATORS
    )
    submitted_on = models.DateField(null=True, blank=True, validators=_DAY_VALIDATORS)
    awarded_on = models.DateField(null=True, blank=True, validators=_DAY_VALIDATORS)
    summary = models.TextField(blank=True)
    # The fund whose budget line the award became, once it has.
    fund = models.ForeignKey(
        Fund, null=True, blank=True, on_delete=models.SET_NULL, related_name="bids"
    )

    class Meta:
        ordering = ["-submitted_on", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_sought__gt=0), name="bid_sought_positive"),
            models.CheckConstraint(
                condition=Q(match_funding__gte=0), name="bid_match_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(status="awarded") | Q(amount_awarded__gt=0),
                name="bid_awarded_has_amount",
            ),
            models.CheckConstraint(
                condition=_amount_within("amount_sought")
                & _amount_within("match_funding")
                & (_amount_within("amount_awarded") | Q(amount_awarded__isnull=True)),
                name="bid_amounts_within_max",
            ),
            models.CheckConstraint(
                condition=_day_within("submitted_on") & _day_within("awarded_on"),
                name="bid_dates_sane",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("funding:bid", args=[self.pk])

    # The reads below work on prefetched lines/savings ("lines", "savings").

    @property
    def lines_total(self) -> int:
        return sum(line.amount for line in self.lines.all())

    @property
    def lines_funded(self) -> int:
        """What the lines are paid from: the amount sought and the match funding."""
        return self.amount_sought + (self.match_funding or 0)

    @property
    def lines_difference(self) -> int:
        """How far the lines miss the bid: below the amount sought they are short (the
        sample bid's lines come to £370K of £380K); above it, the match funding pays for
        the rest, so they are over only past sought plus match. 0 when they fit."""
        if self.lines_total < self.amount_sought:
            return self.lines_total - self.amount_sought
        return max(self.lines_total - self.lines_funded, 0)

    def lines_by_year(self) -> list[tuple[int | None, list["BidLine"], int]]:
        """[(2013, [lines], subtotal), ..., (None, [lines without a year], subtotal)]."""
        years: dict[int | None, list[BidLine]] = {}
        for line in self.lines.all():
            years.setdefault(line.financial_year, []).append(line)
        order = sorted(years, key=lambda y: (y is None, y or 0))
        return [(y, years[y], sum(line.amount for line in years[y])) for y in order]

    def savings_table(self) -> dict:
        """Themes × financial years of estimates, with a total row, like the bid's table.

        An estimate over several years sits in its first year's column (it says its span);
        the totals add only what can be added: amounts of one year with both ends given
        (not percentages, "up to" figures or several years' sums), and say when some
        were left out (`partial`)."""
        # Themes in the order they were entered, as the bid lists them.
        estimates = sorted(self.savings.all(), key=lambda e: e.pk)
        years = sorted({e.financial_year for e in estimates})
        themes: dict[str, dict[int, SavingsEstimate]] = {}
        for estimate in estimates:
            themes.setdefault(estimate.theme, {})[estimate.financial_year] = estimate
        rows = [(theme, [cells.get(year) for year in years]) for theme, cells in themes.items()]
        summed = [e for e in estimates if e.adds_up]
        totals = [
            (
                sum(e.low for e in summed if e.financial_year == year),
                sum(e.high for e in summed if e.financial_year == year),
            )
            for year in years
        ]
        partial = len(summed) < len(estimates)
        return {"years": years, "rows": rows, "totals": totals, "partial": partial}


class BidLine(models.Model):
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="lines")
    financial_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=_YEAR_VALIDATORS
    )
    activity = models.CharField(max_length=500)
    amount = models.BigIntegerField(help_text="Pence.", validators=_AMOUNT_VALIDATORS)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["bid", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="bidline_amount_positive"),
            models.CheckConstraint(
                condition=_amount_within("amount"), name="bidline_amount_within_max"
            ),
            models.CheckConstraint(
                condition=_year_within("financial_year", nullable=True),
                name="bidline_financial_year_sane",
            ),
        ]

    def __str__(self):
        return f"{format_money(self.amount)} {self.activity[:60]}"


class SavingsEstimate(models.Model):
    class Kind(models.TextChoices):
        AMOUNT = "amount", "Amount"
        PERCENT = "percent", "Percentage"

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="savings")
    theme = models.CharField(max_length=200)
    # The first financial year the estimate covers; to_year is its last, when it spans
    # several ("£2m-£3m over 2014/15 to 2016/17").
    financial_year = models.PositiveSmallIntegerField(validators=_YEAR_VALIDATORS)
    to_year = models.PositiveSmallIntegerField(null=True, blank=True, validators=_YEAR_VALIDATORS)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.AMOUNT)
    # Pence for an amount, hundredths of a per cent for a percentage ("15-20%" is
    # 1500-2000). No low end: "up to" the high one.
    low = models.BigIntegerField(
        null=True, blank=True, help_text="Pence.", validators=_AMOUNT_VALIDATORS
    )
    high = models.BigIntegerField(help_text="Pence.", validators=_AMOUNT_VALIDATORS)

    class Meta:
        ordering = ["bid", "theme", "financial_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(low__gte=0), name="savings_low_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(high__gte=models.F("low")),
                name="savings_low_le_high",
            ),
            models.CheckConstraint(
                condition=~Q(kind="percent") | Q(high__lte=100 * 100),
                name="savings_percent_at_most_100",
            ),
            models.CheckConstraint(
                condition=Q(to_year__isnull=True) | Q(to_year__gt=models.F("financial_year")),
                name="savings_to_year_after_from_year",
            ),
            models.CheckConstraint(
                condition=_year_within("to_year", nullable=True),
                name="savings_to_year_sane",
            ),
            models.UniqueConstraint(
                fields=["bid", "theme", "financial_year"], name="savings_unique_theme_year"
            ),
            models.CheckConstraint(
                condition=Q(high__lte=MAX_PENCE), name="savings_high_within_max"
            ),
            models.CheckConstraint(
                condition=_year_within("financial_year"), name="savings_financial_year_sane"
            ),
        ]

    def __str__(self):
        return f"{self.theme} {financial_year_label(self.financial_year)}"

    @property
    def adds_up(self) -> bool:
        """An amount of one year with both ends: what a year's total can include."""
        return self.kind == self.Kind.AMOUNT and self.low is not None and self.to_year is None

    @property
    def label(self) -> str:
        """ "£1m-£2m", "15-20%", "up to £1m", with its span: "… over 2014/15 to 2016/17"."""
        text = format_savings(self.kind, self.low, self.high)
        if self.to_year:
            first = financial_year_label(self.financial_year)
            text += f" over {first} to {financial_year_label(self.to_year)}"
        return text
