from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator

from boards.models import Organisation, Person
from meetings.models import Decision, outside_the_record

from .models import Bid, Fund, FundEntry
from .money import (
    MoneyError,
    financial_year_label,
    format_money,
    is_approximate,
    parse_financial_year,
    parse_money,
    parse_savings,
)


class MoneyField(forms.CharField):
    """Pence from "£25k", "25,000", "£1.5m", "£90,000.50"; a bad amount is a form error
    and, being a CharField, the text the user typed is shown back to them unchanged."""

    default_error_messages = {"required": "Enter an amount, such as £25,000 or £25k."}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        kwargs.setdefault("help_text", "For example £25,000, £25k or £1.5m.")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return format_money(value) if isinstance(value, int) else value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_money(value)
        except MoneyError as error:
            raise ValidationError(str(error), code="money") from error

    def validate(self, value):
        super().validate(value)
        if value is not None and value <= 0:
            raise ValidationError("Enter an amount above £0.", code="zero")


class SavingsEstimateField(forms.CharField):
    """(kind, low, high) from "£1m-£2m", "15-20%", "up to £1m" or "£5m" (see parse_savings)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text", "An amount (£5m), a range (£1m-£2m), a percentage (15-20%) or up to £1m."
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_savings(value)
        except MoneyError as error:
            raise ValidationError(str(error), code="money") from error


class DayField(forms.DateField):
    """A date within the years the record holds: an old meeting's 2013 is fine, a typing
    slip of 0013 or 9999 is a form error."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and outside_the_record(value):
            raise ValidationError(outside_the_record(value), code="day")


class FinancialYearField(forms.CharField):
    """2014 from "2014/15"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"maxlength": 9, "size": 9}))
        kwargs.setdefault("help_text", "April to March, written 2014/15.")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return financial_year_label(value) if isinstance(value, int) else value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_financial_year(value)
        except ValueError as error:
            raise ValidationError(str(error), code="year") from error


class _ReadOnceChoices(ModelChoiceIterator):
    """Choices from the field's own queryset, so its result cache is kept: a fund page
    that asks whether there is a fund to transfer to, then draws the select, reads the
    funds once rather than once a look (and a select drawn in each ledger row reads the
    decisions once)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in self.queryset:
            yield self.choice(row)

    def __len__(self):
        return len(self.queryset) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.queryset)


class FundChoiceField(forms.ModelChoiceField):
    iterator = _ReadOnceChoices

    def label_from_instance(self, fund):
        available = format_money(fund.balance.available)
        return f"{fund.name} ({fund.get_kind_display().lower()}, {available} available)"


# A select offers the board's latest this many decisions: a decade of a board's minutes
# is 1,600 of them, and the fund page drew two selects of them (400 KB). Any decision the
# reader may read is still accepted; an older one is named from the decision itself.
OFFERED_DECISIONS = 100


class _LatestChoices(_ReadOnceChoices):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in self.queryset[:OFFERED_DECISIONS]:
            yield self.choice(row)

    def __len__(self):
        return min(len(self.queryset), OFFERED_DECISIONS) + (self.field.empty_label is not None)


class DecisionChoiceField(forms.ModelChoiceField):
    """A decision of the fund's board the reader may read: "18 Mar 2014, item 5 (2) …"."""

    iterator = _LatestChoices

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Decision.objects.none())
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", "None named")
        super().__init__(**kwargs)

    def _set_queryset(self, queryset):
        # Decisions already read for one form of the page are kept as read, so every
        # form on it that offers them costs one query between them.
        if queryset is not None and queryset._result_cache is not None:
            self._queryset = queryset
            self.widget.choices = self.choices
        else:
            super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def label_from_instance(self, decision):
        item = decision.item
        return (
            f"{item.meeting.starts_at:%-d %b %Y}, item {item.number} {decision.label} "
            f"{decision.text[:80]}"
        )


def board_decisions(*, board, reach):
    """The decisions of a board a reader may name on a ledger line, newest meeting first;
    what they may read is the one rule of Decision.objects.visible_to."""
    return (
        Decision.objects.visible_to(reach)
        .filter(board=board)
        .select_related("item__meeting")
        .order_by("-item__meeting__starts_at", "item__order", "number")
    )


class ApproximateAmount:
    """For a form whose `amount` may be written as approximate ("c£800k"): cleaned_data
    gains `approximate`, so the line is marked and shown as "c. £800k"."""

    def clean(self):
        data = super().clean()
        data["approximate"] = is_approximate(self.data.get(self.add_prefix("amount")))
        return data


class AllocationForm(ApproximateAmount, forms.Form):
    fund = FundChoiceField(queryset=Fund.objects.none(), empty_label=None)
    amount = MoneyField()
    purpose = forms.CharField(max_length=500, help_text="What the money is for.")
    recipient = forms.ModelChoiceField(
        label="Recipient organisation",
        queryset=Organisation.objects.all(),
        required=False,
        empty_label="None named",
        widget=forms.Select(attrs={"class": "searchable-select"}),
    )
    lead = forms.ModelChoiceField(
        label="Lead person",
        queryset=Person.objects.select_related("organisation"),
        required=False,
        empty_label="None named",
        widget=forms.Select(attrs={"class": "searchable-select"}),
    )
    financial_year = FinancialYearField(label="Financial year")
    entered_on = DayField(
        label="Dated",
        help_text="The day the money was allocated (the meeting's date if left empty).",
    )
    override_reason = forms.CharField(
        required=False,
        label="Override reason",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only if the board agreed to allocate more than is available: say why. "
        "It is kept in the ledger.",
    )

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = Fund.objects.filter(board=board).with_balances()
        # Never another partnership's people: their names are theirs to share.
        self.fields["lead"].queryset = Person.objects.of_partnership(board).select_related(
            "organisation"
        )
        self.fields["lead"].label_from_instance = lambda person: person.with_organisation


_LINE_DAY_HELP = "The day it happened (the decision's meeting, or today, if left empty)."
_LINE_YEAR_HELP = "April to March, written 2014/15; left empty: the year of the date."


class LineForm(ApproximateAmount, forms.Form):
    """A budget or recovery line typed on the fund page, dated as it happened."""

    kind = forms.ChoiceField(
        choices=[(FundEntry.Kind.BUDGET, "Budget"), (FundEntry.Kind.RECOVERY, "Recovery")]
    )
    amount = MoneyField(help_text="For example £25,000, £25k, £1.5m, or c£800k if approximate.")
    entered_on = DayField(label="Dated", help_text=_LINE_DAY_HELP)
    financial_year = FinancialYearField(
        label="Financial year", required=False, help_text=_LINE_YEAR_HELP
    )
    purpose = forms.CharField(max_length=500)
    decision = DecisionChoiceField(label="Decision behind it")

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions


class ReleaseForm(ApproximateAmount, forms.Form):
    amount = MoneyField(label="Unspent amount to release")
    purpose = forms.CharField(max_length=500, required=False, label="Note")
    authorised_by = DecisionChoiceField(label="Decision that released it")
    entered_on = DayField(label="Dated", help_text=_LINE_DAY_HELP)

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authorised_by"].queryset = decisions


class TransferForm(ApproximateAmount, forms.Form):
    target = FundChoiceField(queryset=Fund.objects.none(), empty_label=None, label="To fund")
    amount = MoneyField()
    entered_on = DayField(label="Dated", help_text=_LINE_DAY_HELP)
    financial_year = FinancialYearField(
        label="Financial year", required=False, help_text=_LINE_YEAR_HELP
    )
    purpose = forms.CharField(max_length=500)
    decision = DecisionChoiceField(label="Decision behind it")
    override_reason = forms.CharField(
        required=False,
        label="Override reason",
        help_text="Only if this leaves the fund short: say why. It is kept in the ledger.",
    )

    def __init__(self, *args, fund, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (
            Fund.objects.filter(board=fund.board).exclude(pk=fund.pk).with_balances()
        )
        self.fields["decision"].queryset = decisions


class BidForm(forms.Form):
    title = forms.CharField(max_length=300)
    funder = forms.CharField(max_length=200)
    programme = forms.CharField(max_length=200, required=False)
    amount_sought = MoneyField(label="Amount sought")
    match_funding = MoneyField(label="Match funding", required=False)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReverseForm(forms.Form):
    reason = forms.CharField(max_length=400, label="Why is this line wrong?")
    override_reason = forms.CharField(required=False, max_length=1000, label="Override reason")


class BidStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Bid.Status.choices)
    amount_awarded = MoneyField(required=False, label="Amount awarded")
    submitted_on = DayField(label="Submitted on", help_text="Today if left empty.")
    awarded_on = DayField(label="Awarded on", help_text="For an awarded bid; today if left empty.")

    def clean(self):
        data = super().clean()
        awarded = data.get("status") == Bid.Status.AWARDED
        if awarded and not data.get("amount_awarded") and "amount_awarded" not in self.errors:
            self.add_error("amount_awarded", "An awarded bid needs the amount awarded.")
        return data


class BidLineForm(forms.Form):
    financial_year = FinancialYearField(required=False, label="Financial year")
    activity = forms.CharField(max_length=500)
    amount = MoneyField()


class SavingsForm(forms.Form):
    theme = forms.CharField(max_length=200)
    financial_year = FinancialYearField(label="Financial year")
    to_year = FinancialYearField(
        label="To financial year",
        required=False,
        help_text="Only for an estimate over several years: its last year.",
    )
    estimate = SavingsEstimateField(label="Savings estimate")

    def clean(self):
        data = super().clean()
        first, last = data.get("financial_year"), data.get("to_year")
        if first and last and last <= first:
            self.add_error("to_year", "The last year comes after the first.")
        return data


class AwardToFundForm(forms.Form):
    fund = FundChoiceField(queryset=Fund.objects.none(), empty_label=None)
    financial_year = FinancialYearField(label="Financial year")
    entered_on = DayField(label="Dated", help_text="The award's date if left empty.")

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = Fund.objects.filter(board=board).with_balances()


class OpenFundForm(forms.Form):
    """A new fund, with its opening budget if it has one."""

    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(label="Capital or revenue", choices=Fund.Kind.choices)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    opening_budget = MoneyField(required=False, label="Opening budget")
    budget_on = DayField(
        label="Budget dated", help_text="The day the budget was set (today if left empty)."
    )
    financial_year = FinancialYearField(
        label="Financial year",
        required=False,
        help_text="April to March, written 2014/15; left empty: the budget date's year.",
    )

    def __init__(self, *args, board, **kwargs):
        self.board = board
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Fund.objects.filter(board=self.board, name__iexact=name).exists():
            raise ValidationError(f"{self.board} already has a fund called {name}.")
        return name
