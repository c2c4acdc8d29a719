from django import forms

from boards.models import Board

from .fulltext import KINDS, Filters


class EarlierItemField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        meeting = obj.meeting
        return f"{meeting.starts_at:%-d %b %Y} · {meeting.board.name} · {obj}"


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search for",
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "e.g. data sharing", "autofocus": True}
        ),
    )
    board = forms.ModelChoiceField(
        label="Board", queryset=Board.objects.none(), required=False, empty_label="All my boards"
    )
    kind = forms.MultipleChoiceField(
        label="Look in",
        choices=[(kind.name, f"{kind.label}s") for kind in KINDS.values()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    date_from = forms.DateField(
        label="Meetings from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="to", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, reach, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = Board.objects.filter(pk__in=reach.boards)

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            text=data["q"].strip(),
            kinds=tuple(data["kind"]) or tuple(KINDS),
            board_id=data["board"].pk if data["board"] else None,
            date_from=data["date_from"],
            date_to=data["date_to"],
        )


class LinkForm(forms.Form):
    follows = EarlierItemField(
        label="Follows the earlier item",
        queryset=None,
        required=False,
        empty_label="— not linked to an earlier item —",
        help_text="The same matter at an earlier meeting of this board or the board it "
        "reports to.",
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follows"].queryset = candidates
