import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone

from boards.models import Person

from .models import (
    UNKNOWN_START,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    NamedVote,
    outside_the_record,
)


class MeetingDetailsForm(forms.Form):
    """A meeting's details: a date alone is enough (old minutes often give no time)."""

    # A date input reads only ISO dates: the locale's "15 Jan 2013" would show it empty.
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = forms.TimeField(
        label="Start time",
        required=False,
        help_text="Leave empty if the minutes do not say.",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    end_time = forms.TimeField(
        required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    venue = forms.CharField(max_length=300, required=False)
    kind = forms.ChoiceField(choices=Meeting.Kind.choices, initial=Meeting.Kind.ORDINARY)
    title = forms.CharField(
        max_length=300, required=False, help_text="Leave blank for the board's name."
    )

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict:
        starts = timezone.localtime(meeting.starts_at)
        return {
            "date": starts.date(),
            "time": starts.time() if meeting.start_time_known else None,
            "end_time": timezone.localtime(meeting.ends_at).time() if meeting.ends_at else None,
            "venue": meeting.venue,
            "kind": meeting.kind,
            "title": meeting.title,
        }

    def clean_date(self):
        day = self.cleaned_data["date"]
        if outside_the_record(day):
            raise forms.ValidationError(outside_the_record(day))
        return day

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("time"), cleaned.get("end_time")
        if end is not None and start is None and "time" not in self.errors:
            self.add_error("end_time", "Give the start time too, or leave the end time empty.")
        elif end is not None and start is not None and end <= start:
            self.add_error("end_time", "The meeting must end after it starts.")
        return cleaned

    def _at(self, time: dt.time) -> dt.datetime:
        """The date and a time as the board means them: London time, stored in UTC."""
        zone = ZoneInfo(settings.TIME_ZONE)
        return dt.datetime.combine(self.cleaned_data["date"], time, tzinfo=zone).astimezone(dt.UTC)

    def starts_at(self) -> dt.datetime:
        return self._at(self.cleaned_data.get("time") or UNKNOWN_START)

    def ends_at(self) -> dt.datetime | None:
        end = self.cleaned_data.get("end_time")
        return self._at(end) if end else None

    def start_time_known(self) -> bool:
        return self.cleaned_data.get("time") is not None

    def details(self) -> dict:
        """The keyword arguments create_meeting and update_meeting_details take."""
        return {
            "starts_at": self.starts_at(),
            "ends_at": self.ends_at(),
            "start_time_known": self.start_time_known(),
            "venue": self.cleaned_data["venue"],
            "kind": self.cleaned_data["kind"],
            "title": self.cleaned_data["title"],
        }


class MeetingForm(MeetingDetailsForm):
    """A new meeting: its details, and whether the agenda starts with the standard items."""

    standard_items = forms.BooleanField(
        required=False,
        initial=True,
        label="Start the agenda with the standard items",
        help_text="Welcome and apologies; notes of the last meeting; matters arising; "
        "any other business; date of next meeting.",
    )


class EditMeetingForm(MeetingDetailsForm):
    reason = forms.CharField(
        required=False,
        max_length=2000,
        label="Reason for the amendment",
        help_text="Required: these minutes are approved, so the change is kept as an amendment.",
    )


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
    bring_back = forms.BooleanField(required=False)
    bring_back_meeting = forms.ModelChoiceField(queryset=Meeting.objects.none(), required=False)
    # <input type="month"> sends "2026-03"
    bring_back_month = forms.DateField(
        required=False, input_formats=["%Y-%m"], error_messages={"invalid": "Give a month."}
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bring_back_meeting"].queryset = Meeting.objects.filter(
            board_id=meeting.board_id, starts_at__gt=meeting.starts_at
        )


class VoteForm(forms.Form):
    """A recorded vote: mover, seconder, counts, or named votes (`vote_<person id>`)."""

    mover = forms.ModelChoiceField(queryset=Person.objects.none(), required=False)
    seconder = forms.ModelChoiceField(queryset=Person.objects.none(), required=False)
    votes_for = forms.IntegerField(min_value=0, max_value=999, required=False)
    votes_against = forms.IntegerField(min_value=0, max_value=999, required=False)
    votes_abstained = forms.IntegerField(min_value=0, max_value=999, required=False)

    def __init__(self, *args, voters, **kwargs):
        super().__init__(*args, **kwargs)
        self.voters = list(voters)
        people = Person.objects.filter(pk__in=[p.pk for p in self.voters])
        self.fields["mover"].queryset = people
        self.fields["seconder"].queryset = people
        for person in self.voters:
            self.fields[f"vote_{person.pk}"] = forms.ChoiceField(
                choices=[("", "–"), *NamedVote.Way.choices], required=False
            )

    def named(self) -> dict:
        return {p: self.cleaned_data.get(f"vote_{p.pk}", "") for p in self.voters}


class DeclarationForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.all())
    item = forms.ModelChoiceField(queryset=AgendaItem.objects.none(), required=False)
    nature = forms.CharField(max_length=5000)
    left_room = forms.BooleanField(required=False)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = AgendaItem.objects.filter(meeting=meeting)


class ApproveForm(forms.Form):
    earlier = forms.ModelChoiceField(
        queryset=Meeting.objects.none(), error_messages={"required": "Choose the meeting."}
    )
    corrections = forms.CharField(required=False, max_length=10_000)
    # Attendance corrections agreed with the approval, one (person, status) a row.
    CORRECTION_ROWS = 3

    def __init__(self, *args, candidates, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["earlier"].queryset = candidates
        for n in range(self.CORRECTION_ROWS):
            self.fields[f"correct_person_{n}"] = forms.ModelChoiceField(
                queryset=people if people is not None else Person.objects.none(),
                required=False,
            )
            self.fields[f"correct_status_{n}"] = forms.ChoiceField(
                choices=[("", "–"), *Attendance.Status.choices], required=False
            )

    def clean(self):
        cleaned = super().clean()
        for n in range(self.CORRECTION_ROWS):
            person, status = cleaned.get(f"correct_person_{n}"), cleaned.get(f"correct_status_{n}")
            if bool(person) != bool(status):
                self.add_error(
                    f"correct_status_{n}",
                    "For an attendance correction choose both the person and their attendance.",
                )
        return cleaned

    def attendance_corrections(self) -> list[tuple[Person, str]]:
        rows = (
            (
                self.cleaned_data.get(f"correct_person_{n}"),
                self.cleaned_data.get(f"correct_status_{n}"),
            )
            for n in range(self.CORRECTION_ROWS)
        )
        return [(person, status) for person, status in rows if person and status]


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Meeting.Status.choices)
    # Sent only with "Circulate the draft minutes": the box's state, or absent.
    remind_overdue = forms.BooleanField(required=False)
    remind_overdue_shown = forms.BooleanField(required=False)

    def remind_choice(self) -> bool | None:
        """The secretary's choice where the box was on the form; None: the default."""
        if not self.cleaned_data.get("remind_overdue_shown"):
            return None
        return self.cleaned_data["remind_overdue"]


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=[("", "No role"), *Attendance.Role.choices], required=False)


class DecideProposalForm(forms.Form):
    """The secretary's answer to a member's proposed correction."""

    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("reject", "Reject")])
    note = forms.CharField(required=False, max_length=2000)
