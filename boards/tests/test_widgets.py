from django import forms

from boards.widgets import QuickSelect


class ChoiceForm(forms.Form):
    pick = forms.ChoiceField(
        choices=[("", "Anyone"), ("1", "Smith & Jones <Ltd>"), ("Later", [("2", "Two")])],
        widget=QuickSelect(attrs={"class": "form-select"}),
        required=False,
    )


def test_it_marks_the_chosen_option_and_escapes_labels():
    html = str(ChoiceForm({"pick": "2"})["pick"])
    assert html.startswith('<select class="form-select" id="id_pick" name="pick">')
    assert '<option value="1">Smith &amp; Jones &lt;Ltd&gt;</option>' in html
    assert '<optgroup label="Later"><option value="2" selected>Two</option></optgroup>' in html
    assert html.count(" selected") == 1
