from django import forms

from .models import Person


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
