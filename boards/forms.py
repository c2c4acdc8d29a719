from django import forms

from .models import Board, Membership, Organisation, Person


class ReminderPreferencesForm(forms.ModelForm):
    """How a person wants to hear about their actions: which kinds of reminder, and a
    morning digest or one e-mail each."""

    wants_digest = forms.TypedChoiceField(
        label="How should reminders reach you?",
        choices=[
            (True, "One e-mail each morning (07:00) listing everything due"),
            (False, "A separate e-mail for each reminder"),
        ],
        coerce=lambda value: value in (True, "True", "true", "1"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Person
        fields = ["wants_digest", *(f"reminds_{kind}" for kind in Person.REMINDER_KINDS)]


# --- a partnership's set-up -------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, organisation):
        if organisation.short_name:
            return f"{organisation.name} ({organisation.short_name})"
        return organisation.name


class BoardCreateForm(forms.Form):
    """The installation's staff start a partnership: its top board and its secretary."""

    name = forms.CharField(label="Board name", max_length=200)
    short_name = forms.CharField(max_length=40, required=False, help_text="e.g. OSB")
    secretary_name = forms.CharField(label="Secretary's name", max_length=200)
    secretary_email = forms.EmailField(
        label="Secretary's e-mail", help_text="They are sent a link to choose a password."
    )


class SubBoardForm(forms.Form):
    name = forms.CharField(label="Sub-board name", max_length=200)
    short_name = forms.CharField(max_length=40, required=False)
    secretary = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        help_text="One of the partnership's people; invited if they cannot sign in yet.",
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secretary"].queryset = people


class BoardSettingsForm(forms.ModelForm):
    class Meta:
        model = Board
        fields = [
            "name",
            "short_name",
            "description",
            "parent",
            "quorum",
            "reminder_days_before",
            "default_venue",
            "standard_items",
            "secretary_approves_minutes",
        ]
        labels = {"parent": "Reports to", "reminder_days_before": "Reminder days"}
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = "None: the partnership's top board"


class OrganisationForm(forms.Form):
    name = forms.CharField(max_length=200)
    short_name = forms.CharField(max_length=40, required=False, help_text="e.g. SBC, CCG, PCC")
    sector = forms.ChoiceField(choices=Organisation.Sector.choices)


class MergeOrganisationsForm(forms.Form):
    duplicate = OrganisationChoiceField(
        queryset=Organisation.objects.none(),
        label="Merge this duplicate",
        empty_label="Choose the duplicate",
    )
    keep = OrganisationChoiceField(
        queryset=Organisation.objects.none(), label="into", empty_label="Choose the one to keep"
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicate"].queryset = organisations
        self.fields["keep"].queryset = organisations

    def clean(self):
        data = super().clean()
        if data.get("keep") and data.get("keep") == data.get("duplicate"):
            raise forms.ValidationError("Choose two different organisations.")
        return data


class PersonForm(forms.Form):
    title = forms.CharField(max_length=40, required=False, help_text="e.g. Cllr, Dr")
    name = forms.CharField(max_length=200)
    email = forms.EmailField(label="E-mail", required=False)
    organisation = OrganisationChoiceField(
        queryset=Organisation.objects.none(), required=False, empty_label="None"
    )
    role_title = forms.CharField(
        label="Post", max_length=200, required=False, help_text="e.g. Chief Executive"
    )
    left_on = forms.DateField(
        required=False, widget=DateInput(), help_text="The day they left their post."
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class MembershipForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), empty_label="Choose a person")
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.MEMBER)
    representing = OrganisationChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Their own organisation",
        help_text="Leave as it is for the person's own organisation.",
    )
    started_on = forms.DateField(label="From", required=False, widget=DateInput())
    ended_on = forms.DateField(label="To", required=False, widget=DateInput())
    deputy = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        empty_label="None",
        label="Standing deputy",
        help_text="Who attends in their place when they cannot.",
    )

    def __init__(self, *args, people, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["deputy"].queryset = people
        self.fields["representing"].queryset = organisations

    def clean(self):
        data = super().clean()
        started, ended = data.get("started_on"), data.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", "The membership cannot end before it starts.")
        if data.get("deputy") and data.get("deputy") == data.get("person"):
            self.add_error("deputy", "A member cannot be their own deputy.")
        return data


class PeopleUploadForm(forms.Form):
    file = forms.FileField(
        label="Spreadsheet (CSV or Excel .xlsx)",
        help_text="A header row naming the columns: name, title, email, organisation, role, "
        "representing, started_on, ended_on, deputy (their e-mail or name). "
        "Only name is required.",
    )
