"""The ACTION column of the minutes PDF, and the board's action log PDF."""

from io import BytesIO

from django.urls import reverse
from pypdf import PdfReader

from actions.models import Action
from actions.tests.factories import ActionFactory
from boards.tests.factories import PersonFactory
from meetings import pdf as meetings_pdf
from meetings.tests.factories import AgendaItemFactory


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def test_it_prints_owners_in_the_action_column_beside_their_decision(past_meeting, decision):
    griffin = PersonFactory(name="James Griffin")
    ranzetta = PersonFactory(name="Tony Ranzetta")
    ActionFactory(
        item=decision.item,
        decision=decision,
        text="Appoint a consultant",
        owners=[griffin, ranzetta],
        due_on=None,
    )
    everyone = AgendaItemFactory(meeting=past_meeting, number="5", title="Common cohorts")
    ActionFactory(item=everyone, text="Release analysts' time", whole_board=True)
    text = pdf_text(meetings_pdf.render_minutes_pdf(past_meeting, public=False))
    # the owners sit in the right-hand column of the decision's own row, before item 5
    row = text[text.index("(1) To fund £25k") : text.index("5. Common cohorts")]
    assert "Action: Appoint a consultant" in row
    assert "James Griffin / Tony" in row and "Ranzetta" in row
    assert "ALL" in text


def test_it_keeps_actions_of_confidential_items_out_of_the_public_minutes(past_meeting):
    secret = AgendaItemFactory(
        meeting=past_meeting, number="9", title="Depot lease", confidential=True
    )
    ActionFactory(
        item=secret, text="Instruct the surveyor", owners=[PersonFactory(name="Ann Sur")]
    )
    text = pdf_text(meetings_pdf.render_minutes_pdf(past_meeting, public=True))
    assert "Depot lease" in text
    assert "Instruct the surveyor" not in text
    assert "Ann Sur" not in text


def test_it_lists_open_actions_by_owner(board, item, member, chair, client_for, days):
    ActionFactory(
        item=item, text="Scope the data sharing review", owners=[member], due_on=days(-3)
    )
    ActionFactory(item=item, text="Write to the unions", owners=[chair], due_on=days(10))
    ActionFactory(item=item, text="Champion the business cases", whole_board=True)
    done = ActionFactory(item=item, text="Already finished", owners=[member])
    done.set_status(Action.Status.DONE)
    done.save()
    response = client_for(member).get(reverse("actions:log_pdf", args=[board.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response.streaming_content))
    assert "Action log" in text and board.name.upper() in text
    assert text.index("The whole board (ALL)") < text.index("Chris Chair")
    assert text.index("Chris Chair") < text.index("Mo Member")
    assert "Scope the data sharing review" in text and "Overdue" in text
    assert "Already finished" not in text
    assert "item 4" in text


def test_it_hides_confidential_actions_from_observers(board, past_meeting, observer, client_for):
    secret = AgendaItemFactory(meeting=past_meeting, title="Depot lease", confidential=True)
    ActionFactory(item=secret, text="Instruct the surveyor", owners=[observer])
    response = client_for(observer).get(reverse("actions:log_pdf", args=[board.slug]))
    assert "Instruct the surveyor" not in pdf_text(b"".join(response.streaming_content))


def test_it_hides_the_action_log_pdf_from_outsiders(board, outsider, client_for):
    response = client_for(outsider).get(reverse("actions:log_pdf", args=[board.slug]))
    assert response.status_code == 404


def test_it_never_leaves_a_heading_or_an_owner_stranded_at_a_page_break(past_meeting):
    """Items of every length, so page breaks fall everywhere: no page ends on an item
    heading or "The Board agreed:", and each owner shares a page with its decision."""
    sentence = "The Board discussed the proposal at length and noted the risks. "
    for n in range(1, 16):
        item = AgendaItemFactory(
            meeting=past_meeting,
            number=str(n),
            order=n,
            title=f"Heading number {n}",
            minutes="\n\n".join(sentence * 3 for _ in range(n % 5 + 1)),
        )
        decision = item.decisions.create(number=1, text=f"Decision text {n}. " + sentence * 2)
        ActionFactory(
            item=item, decision=decision, owners=[PersonFactory(name=f"Owner Number{n}")]
        )
    reader = PdfReader(BytesIO(meetings_pdf.render_minutes_pdf(past_meeting, public=False)))
    assert len(reader.pages) > 3
    for page in reader.pages:
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        # the running head and the footer are not the body's last line
        body = [ln for ln in lines if not ln.startswith("Page ") and "Note of Meeting, " not in ln]
        assert not body[-1].endswith("ACTION"), body[-3:]
        assert body[-1] != "The Board agreed:"
        text = " ".join(lines)
        for n in range(1, 16):
            if f"Number{n} " in text + " ":
                assert f"Decision text {n}." in text


def test_it_names_the_other_owners_of_a_shared_action_without_a_stray_comma(
    board, item, member, chair, client_for, days
):
    from meetings.templatetags.minutes import other_names

    ActionFactory(item=item, owners=[member, chair], text="Write the bid.", due_on=days(5))
    from actions.pdf import action_log_html

    html = action_log_html(board, member.user)
    assert "(with Chris Chair)" in html and "(with Mo Member)" in html
    assert ", )" not in html
    assert other_names([member, chair], "Mo Member") == ["Chris Chair"]
