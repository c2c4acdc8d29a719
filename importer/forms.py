"""The upload form and the review screen's forms: every parsed field editable."""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError

from funding.money import MoneyError, format_money, parse_money
from meetings.models import Attendance, Decision

from .parse import ActionPoint, Amount, Attendee, Declaration, Item
from .parse import Decision as ParsedDecision

ROLE_CHOICES = [
    ("", "—"),
    ("chair", "Chair"),
    ("vice_chair", "Vice-chair"),
    ("minutes", "Minutes"),
]


class UploadForm(forms.Form):
    file = forms.FileField(
        required=False,
        label="Minutes file",
        help_text="A Word (.docx), text-based PDF or .txt file, up to 10 MB.",
    )
    text = forms.CharField(
        required=False,
        label="…or paste the text of the minutes",
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise ValidationError("Choose a file, or paste the text of the minutes.")
        return data


class MeetingForm(forms.Form):
    title = forms.CharField(
        required=False, help_text="Leave empty when it is simply the board's meeting."
    )
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    venue = forms.CharField(required=False)
    approved_on = forms.DateField(
        label="Minutes approved on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Historical minutes are imported as approved; when were they?",
    )


class AttendanceRowForm(forms.Form):
    name = forms.CharField()
    organisation = forms.CharField(required=False)
    status = forms.ChoiceField(choices=Attendance.Status.choices, initial="present")
    role = forms.ChoiceField(choices=ROLE_CHOICES, required=False)
    substitute_for = forms.CharField(required=False, label="Substitute for")
    person = forms.ChoiceField(required=False, label="Person")
    initials = forms.CharField(required=False, widget=forms.HiddenInput)
    joined_at = forms.CharField(
        required=False,
        max_length=60,
        label="Joined at item",
        widget=forms.TextInput(attrs={"placeholder": "joined"}),
    )
    left_at = forms.CharField(
        required=False,
        max_length=60,
        label="Left at item",
        widget=forms.TextInput(attrs={"placeholder": "left"}),
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "New person")] + [
            (str(p.pk), p.name + (f" ({p.organisation})" if p.organisation_id else ""))
            for p in people
        ]

    def clean_joined_at(self):
        return _item_of(self.cleaned_data["joined_at"], "joined")

    def clean_left_at(self):
        return _item_of(self.cleaned_data["left_at"], "left")

    def row(self) -> Attendee:
        d = self.cleaned_data
        return Attendee(
            name=d["name"].strip(),
            organisation=d["organisation"].strip(),
            status=d["status"],
            role=d["role"] or None,
            substitute_for=d["substitute_for"].strip() or None,
            initials=d["initials"],
            joined_at=d["joined_at"],
            left_at=d["left_at"],
        )


def _item_of(written: str, verb: str) -> str:
    """ "4", "item 4" or "7.20pm, during item 4" -> "item 4": the meeting records the item
    someone joined or left at, not the clock."""
    written = written.strip()
    if not written:
        return ""
    match = re.fullmatch(r"(\d{1,2}(?:\.\d{1,2})?)", written) or re.search(
        r"\bitem\s+(\d{1,2}(?:\.\d{1,2})?)\b", written, re.IGNORECASE
    )
    if not match:
        raise ValidationError(
            f"Give the number of the item they {verb} at (e.g. 4), or leave it empty."
        )
    return f"item {match[1]}"


class ItemRowForm(forms.Form):
    number = forms.CharField(max_length=20)
    title = forms.CharField(max_length=300)
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def row(self) -> Item:
        d = self.cleaned_data
        return Item(number=d["number"].strip(), title=d["title"].strip(), text=d["text"])


class DecisionRowForm(forms.Form):
    item = forms.CharField(max_length=20)
    kind = forms.ChoiceField(choices=Decision.Kind.choices, initial="agreed")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    orig = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def row(self) -> ParsedDecision:
        d = self.cleaned_data
        return ParsedDecision(item=d["item"].strip(), kind=d["kind"], text=d["text"].strip())


class DeclarationRowForm(forms.Form):
    person = forms.CharField(max_length=200, label="Who", help_text="A name from the attendance.")
    item = forms.CharField(max_length=20, required=False, label="Item")
    nature = forms.CharField(max_length=500, label="Interest declared")

    def row(self) -> Declaration:
        d = self.cleaned_data
        return Declaration(
            person=d["person"].strip(), item=d["item"].strip(), nature=d["nature"].strip()
        )


class ActionRowForm(forms.Form):
    item = forms.CharField(max_length=20)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    owners = forms.CharField(
        required=False, help_text="Full names from the attendance, separated by “;”, or All."
    )
    due = forms.CharField(required=False, help_text="A date, “next meeting”, or empty.")

    def clean_due(self):
        due = self.cleaned_data["due"].strip()
        if not due or due.lower() == "next meeting":
            return due.lower() or None
        try:
            return dt.date.fromisoformat(due).isoformat()
        except ValueError:
            raise ValidationError("Write the date as YYYY-MM-DD, or “next meeting”.") from None

    def row(self) -> ActionPoint:
        d = self.cleaned_data
        owners = [o.strip() for o in d["owners"].split(";") if o.strip()]
        return ActionPoint(
            item=d["item"].strip(), text=d["text"].strip(), owners=owners, due=d["due"]
        )


class AmountRowForm(forms.Form):
    use = forms.BooleanField(required=False, label="Record in a fund")
    written = forms.CharField(label="Amount")
    kind = forms.ChoiceField(
        choices=[
            ("allocation", "Allocation"),
            ("budget", "Budget line"),
            ("recovery", "Recovery"),
        ],
        required=False,
    )
    fund = forms.ModelChoiceField(queryset=None, required=False)
    orig = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, funds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds

    def clean(self):
        d = super().clean()
        if d.get("use"):
            if not d.get("fund"):
                self.add_error("fund", "Choose the fund this money is recorded in.")
            try:
                d["pence"] = parse_money(d.get("written", ""))
            except MoneyError as error:
                self.add_error("written", str(error))
        return d


class FutureMeetingForm(forms.Form):
    use = forms.BooleanField(required=False, label="Add as a draft meeting")
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


AttendanceFormSet = forms.formset_factory(AttendanceRowForm, extra=1, can_delete=True)
ItemFormSet = forms.formset_factory(ItemRowForm, extra=1, can_delete=True)
DecisionFormSet = forms.formset_factory(DecisionRowForm, extra=1, can_delete=True)
ActionFormSet = forms.formset_factory(ActionRowForm, extra=1, can_delete=True)
DeclarationFormSet = forms.formset_factory(DeclarationRowForm, extra=1, can_delete=True)
AmountFormSet = forms.formset_factory(AmountRowForm, extra=0)
FutureFormSet = forms.formset_factory(FutureMeetingForm, extra=0)


def amount_initial(index: int, amount: Amount) -> dict:
    written = amount.written or format_money(amount.pence, short=True)
    return {
        "use": False,
        "written": written,
        "kind": amount.kind if amount.kind in ("budget", "recovery") else "allocation",
        "orig": index,
    }
