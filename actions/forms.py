import datetime as dt

from django import forms
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from boards.models import Person
from meetings.models import Decision, outside_the_record

from .models import Action
from .services import earliest_due_on

ALL_MEMBERS = "all"


class OwnersField(forms.MultipleChoiceField):
    """People by id, or "all" for the whole board ("ALL" in the minutes' action column)."""

    def __init__(self, people=(), meeting=None, **kwargs):
        kwargs.setdefault("label", "Owners")
        # data-owners: static/js/actions.js turns the list into a type-ahead (Tom Select).
        kwargs.setdefault(
            "widget",
            forms.SelectMultiple(
                attrs={
                    "data-owners": "",
                    "data-tom-select-js": static("vendor/tom-select/tom-select.complete.min.js"),
                    "data-tom-select-css": static(
                        "vendor/tom-select/tom-select.bootstrap5.min.css"
                    ),
                }
            ),
        )
        kwargs.setdefault(
            "help_text",
            'Type a name or initials ("MG"); choose "All members" when the whole board owns it.',
        )
        super().__init__(**kwargs)
        if meeting is not None:
            # The type-ahead asks the meeting's people search: initials, those present first.
            self.widget.attrs["data-people-url"] = reverse(
                "meetings:people_search", args=[meeting.pk]
            )
        self.set_people(people)

    def set_people(self, people):
        self.people = {str(p.pk): p for p in people}
        self.choices = [(ALL_MEMBERS, "All members")] + [
            (pk, p.with_organisation) for pk, p in self.people.items()
        ]

    def clean(self, value):
        value = super().clean(value)
        whole_board = ALL_MEMBERS in value
        if whole_board and len(value) > 1:
            raise forms.ValidationError(
                '"All members" already includes everyone; remove the other names.'
            )
        return whole_board, [self.people[pk] for pk in value if pk != ALL_MEMBERS]


class _DueMixin:
    """A due date, or "by the next meeting" (stored as no date)."""

    def _init_due(self):
        self.fields["due_kind"] = forms.ChoiceField(
            label="Due",
            choices=[("next_meeting", "By the next meeting"), ("date", "By a date")],
            widget=forms.RadioSelect,
            initial="next_meeting",
        )
        self.fields["due_on"] = forms.DateField(
            label="Due date",
            required=False,
            # A date input reads only ISO dates (en-GB's 28/02/2013 would show it empty).
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        )

    def _clean_due(self, cleaned, *, not_before: dt.date | None):
        """`not_before`: the earliest due date allowed (None: any)."""
        if cleaned.get("due_kind") == "date":
            due_on = cleaned.get("due_on")
            if due_on is None and "due_on" not in self.errors:
                self.add_error("due_on", 'Give the due date, or choose "By the next meeting".')
            elif due_on and outside_the_record(due_on, "a due date"):
                self.add_error("due_on", outside_the_record(due_on, "a due date"))
            elif due_on and not_before and due_on < not_before:
                day = date_format(not_before, "j F Y")
                self.add_error(
                    "due_on",
                    "The due date is in the past."
                    if not_before == timezone.localdate()
                    else f"The due date is before the meeting ({day}).",
                )
        else:
            cleaned["due_on"] = None
        return cleaned


class ActionForm(_DueMixin, forms.Form):
    """The secretary records an action under an agenda item."""

    text = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, *args, people=(), decisions=(), meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["owners"] = OwnersField(people=people, meeting=meeting)
        self._init_due()
        fetched = decisions if isinstance(decisions, list) else None
        if fetched is not None:  # already read: the queryset only checks a posted choice
            decisions = Decision.objects.filter(pk__in=[d.pk for d in fetched])
        field = self.fields["decision"] = forms.ModelChoiceField(
            label="From decision",
            queryset=decisions,
            required=False,
            empty_label="– none –",
        )
        field.label_from_instance = lambda d: f"{d.label} {d.text[:70]}"
        if fetched is not None:
            # a whole meeting's forms at once: offered without a query each
            field.choices = [("", field.empty_label)] + [
                (d.pk, field.label_from_instance(d)) for d in fetched
            ]

    def clean(self):
        # History entered as it happened: a past meeting's actions were due after it.
        not_before = earliest_due_on(self.meeting) if self.meeting else timezone.localdate()
        return self._clean_due(super().clean(), not_before=not_before)


class EditActionForm(_DueMixin, forms.Form):
    """The secretary or chair changes an action's text, owners or due date."""

    text = forms.CharField(label="Action", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, action: Action, people=(), **kwargs):
        people = list(people)
        owners = list(action.owners.all())
        # Keep current owners choosable even if they have since left, so the form shows them.
        people += [p for p in owners if p not in people]
        initial = {
            "text": action.text,
            "owners": ["all"] if action.whole_board else [str(p.pk) for p in owners],
            "due_kind": "date" if action.due_on else "next_meeting",
            "due_on": action.due_on,
        }
        kwargs.setdefault("initial", initial)
        kwargs.setdefault("auto_id", "edit-%s")
        super().__init__(*args, **kwargs)
        self.fields["owners"] = OwnersField(people=people, meeting=action.item.meeting)
        self._init_due()

    def clean(self):
        return self._clean_due(super().clean(), not_before=None)


class _OwnIds:
    """The action page shows several of these forms at once: each field's id says its form
    ("update-text" beside "edit-text"), so no two inputs share an id or a label."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class UpdateForm(_OwnIds, forms.Form):
    id_prefix = "update"
    text = forms.CharField(
        label="Update",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        help_text="What has happened since the last update.",
    )


class CloseForm(_OwnIds, forms.Form):
    id_prefix = "close"
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[(Action.Status.DONE, "Done"), (Action.Status.DROPPED, "Dropped")],
        widget=forms.RadioSelect,
        initial=Action.Status.DONE,
    )
    note = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        help_text="What was done, or why it is no longer needed.",
    )


class ReopenForm(_OwnIds, forms.Form):
    id_prefix = "reopen"
    note = forms.CharField(label="Why reopen it?", widget=forms.Textarea(attrs={"rows": 2}))


class MattersArisingForm(forms.Form):
    """An action under matters arising: an update reported at this meeting, or closing it."""

    action = forms.IntegerField(widget=forms.HiddenInput)
    op = forms.ChoiceField(choices=[("update", "Record update"), ("done", "Close")])
    text = forms.CharField(label="Update", widget=forms.Textarea(attrs={"rows": 2}))


class ReassignForm(forms.Form):
    """A leaver's open actions on the board go to one current member."""

    leaver = forms.IntegerField(widget=forms.HiddenInput)
    to = forms.ModelChoiceField(
        label="Reassign to", queryset=Person.objects.none(), empty_label="– choose –"
    )
    actions = forms.TypedMultipleChoiceField(
        label="Actions",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one action to reassign."},
    )

    def __init__(self, *args, people, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = people
        self.fields["to"].label_from_instance = lambda p: p.with_organisation
        self.fields["actions"].choices = [(a.pk, a.text) for a in actions]
