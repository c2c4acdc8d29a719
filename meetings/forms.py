import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings

from boards.models import Person

from .models import FIRST_DAY, LAST_DAY, AgendaItem, Attendance, Decision, Meeting


class MeetingForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        initial=dt.time(14, 0), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    venue = forms.CharField(max_length=300, required=False)
    kind = forms.ChoiceField(choices=Meeting.Kind.choices, initial=Meeting.Kind.ORDINARY)
    title = forms.CharField(
        max_length=300, required=False, help_text="Leave blank for the board's name."
    )
    standard_items = forms.BooleanField(
        required=False,
        initial=True,
        label="Start the agenda with the standard items",
        help_text="Welcome and apologies; notes of the last meeting; matters arising; "
        "any other business; date of next meeting.",
    )

    def clean_date(self):
        day = self.cleaned_data["date"]
        if not FIRST_DAY <= day <= LAST_DAY:
            raise forms.ValidationError(
                f"Give a date between {FIRST_DAY:%-d %B %Y} and {LAST_DAY:%-d %B %Y}."
            )
        return day

    def starts_at(self) -> dt.datetime:
        """The date and time as the board means them: London time."""
        zone = ZoneInfo(settings.TIME_ZONE)
        return dt.datetime.combine(
            self.cleaned_data["date"], self.cleaned_data["time"], tzinfo=zone
        ).astimezone(dt.UTC)


class AddItemForm(forms.Form):
    title = forms.CharField(max_length=300, label="New item title")
    sub_item = forms.BooleanField(required=False, label="Sub-item of the item above")
    confidential = forms.BooleanField(required=False, label="Confidential")


class ItemForm(forms.Form):
    title = forms.CharField(max_length=300)
    confidential = forms.BooleanField(required=False)
    presenters = forms.ModelMultipleChoiceField(queryset=Person.objects.all(), required=False)


class MinutesForm(forms.Form):
    minutes = forms.CharField(required=False, strip=False, max_length=200_000)
    version = forms.IntegerField(min_value=1)
    reason = forms.CharField(required=False, max_length=2000)


class PaperForm(forms.Form):
    file = forms.FileField(label="Paper")
    title = forms.CharField(max_length=300, required=False)


class PersonForm(forms.Form):
    name = forms.CharField(max_length=250)
    organisation = forms.CharField(max_length=200, required=False)


class AttendanceForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.all())
    status = forms.ChoiceField(choices=Attendance.Status.choices)


class GuestForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.all(), label="Person")
    status = forms.ChoiceField(
        choices=[
            (Attendance.Status.IN_ATTENDANCE, "In attendance (officer or guest)"),
            (Attendance.Status.PRESENT, "Present (substitute member)"),
        ]
    )
    substitute_for = forms.ModelChoiceField(
        queryset=Person.objects.all(), required=False, label="Substitute for"
    )


class PresenceForm(forms.Form):
    joined_at_item = forms.ModelChoiceField(queryset=AgendaItem.objects.none(), required=False)
    left_at_item = forms.ModelChoiceField(queryset=AgendaItem.objects.none(), required=False)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        items = AgendaItem.objects.filter(meeting=meeting)
        self.fields["joined_at_item"].queryset = items
        self.fields["left_at_item"].queryset = items


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(choices=Decision.Kind.choices, initial=Decision.Kind.AGREED)
    text = forms.CharField(max_length=10_000)


class DeclarationForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.all())
    item = forms.ModelChoiceField(queryset=AgendaItem.objects.none(), required=False)
    nature = forms.CharField(max_length=5000)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = AgendaItem.objects.filter(meeting=meeting)


class ApproveForm(forms.Form):
    earlier = forms.ModelChoiceField(queryset=Meeting.objects.none())
    corrections = forms.CharField(required=False, max_length=10_000)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["earlier"].queryset = candidates


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Meeting.Status.choices)
