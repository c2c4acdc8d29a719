"""One test per layout rule of the parser (no database)."""

import io

import docx

from importer.parse import (
    Attendee,
    find_dates,
    parse_attendance_text,
    parse_due,
    parse_text,
    resolve_owner,
)
from importer.read import read_docx, read_text


def _names(people):
    return [(p.name, p.organisation) for p in people]


def test_it_gives_a_bracketed_organisation_to_the_names_before_it():
    people = parse_attendance_text(
        "Gavin Jones (SBC), Councillors David Renard, Stan Pajak and Brian Mattock (SBC), "
        "Liz Holmes (Chair of CTB)",
        "present",
    )
    assert _names(people) == [
        ("Gavin Jones", "SBC"),
        ("David Renard", "SBC"),
        ("Stan Pajak", "SBC"),
        ("Brian Mattock", "SBC"),
        ("Liz Holmes", "Chair of CTB"),
    ]
    assert [p.title for p in people[1:4]] == ["Cllr", "Cllr", "Cllr"]


def test_it_keeps_initials_roles_and_substitutes_from_brackets():
    matt, chair, sub = parse_attendance_text(
        "Matt Gott (MG) (SBC), Cllr Ann Lee (Chair), Kamala Devi (for Robert Hume) (JCP)",
        "present",
    )
    assert (matt.initials, matt.organisation) == ("MG", "SBC")
    assert (chair.role, chair.title) == ("chair", "Cllr")
    assert (sub.substitute_for, sub.organisation) == ("Robert Hume", "JCP")


def test_it_reads_a_substitute_named_inside_an_apology():
    people = parse_attendance_text(
        "Apologies for absence were received from Janet Morrow (Northvale Housing Trust) "
        "(Colin Street attended as substitute).",
        "apologies",
    )
    assert [(p.name, p.status, p.substitute_for) for p in people] == [
        ("Janet Morrow", "apologies", None),
        ("Colin Street", "present", "Janet Morrow"),
    ]


def test_it_reads_one_name_per_line_with_a_dash_or_a_post():
    (grace,) = parse_attendance_text(
        "Cllr Grace Whitfield – Millbrook Town Council (Chair)", "present"
    )
    assert (grace.name, grace.organisation, grace.role) == (
        "Grace Whitfield",
        "Millbrook Town Council",
        "chair",
    )
    (laura,) = parse_attendance_text("Laura Finch, Democratic Services (minutes)", "present")
    assert (laura.organisation, laura.role) == ("Democratic Services", "minutes")


def test_it_reads_organisations_with_names_beneath():
    meeting = parse_text(
        "Kingsmere Board\n1 May 2020\nMembers present:\nKingsmere District Council:\n"
        "Cllr Yvonne Baptiste (Chair)\nHealthwatch Kingsmere:\nColin Ambrose\n\n1. Welcome\nHello."
    )
    assert _names(meeting.attendance) == [
        ("Yvonne Baptiste", "Kingsmere District Council"),
        ("Colin Ambrose", "Healthwatch Kingsmere"),
    ]


def test_it_reads_an_attendance_table_in_word():
    document = docx.Document()
    document.add_paragraph("Harbour Board, 9 March 2021")
    document.add_paragraph("Present")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Name", "Organisation", "Role"), strict=True):
        cell.text = text
    for cell, text in zip(
        table.rows[1].cells, ("Dr Felix Arkwright", "PCN", "Chair"), strict=True
    ):
        cell.text = text
    document.add_paragraph("1. Welcome")
    data = io.BytesIO()
    document.save(data)
    from importer.parse import parse_minutes

    meeting = parse_minutes(read_docx(data.getvalue()))
    assert [(a.name, a.organisation, a.role) for a in meeting.attendance] == [
        ("Felix Arkwright", "PCN", "chair")
    ]


def test_it_numbers_items_in_the_ways_boards_do():
    meeting = parse_text(
        "Board, 1 May 2020\n\n1 Welcome\nText.\n\n2. Minutes of the last meeting\nText.\n\n"
        "Item 3: Budget\nText.\n\n3.1 Capital\nText.\n\n3.2 The budget was noted by members "
        "after a long debate about it.\n"
    )
    assert [(i.number, i.title) for i in meeting.items] == [
        ("1", "Welcome"),
        ("2", "Minutes of the last meeting"),
        ("3", "Budget"),
        ("3.1", "Capital"),
    ]


def test_it_takes_unnumbered_bold_headings_as_items():
    meeting = parse_minutes_of_lines(
        ["**Board notes**", "1 May 2020", "**Welcome**", "Hello all.", "**Budget**", "Money."]
    )
    assert [(i.number, i.title, i.text) for i in meeting.items] == [
        ("1", "Welcome", "Hello all."),
        ("2", "Budget", "Money."),
    ]


def parse_minutes_of_lines(lines):
    return parse_text("\n".join(lines))


def test_it_reads_decisions_and_their_kinds():
    meeting = parse_text(
        "Board, 1 May 2020\n\n1. Report\nThe Board noted the update.\n\n2. Plan\n"
        "The Board agreed:\n(1) To support the bid. (2) To review it in June.\n\n3. Fund\n"
        "RESOLVED: That the report be noted.\n\n4. Other\nIt was agreed that Ann would write.\n\n"
        "5. Minutes\nThe minutes of the last meeting were approved as a true record.\n"
    )
    assert [(d.item, d.kind, d.text) for d in meeting.decisions] == [
        ("1", "noted", "The Board noted the update."),
        ("2", "agreed", "To support the bid."),
        ("2", "agreed", "To review it in June."),
        ("3", "noted", "That the report be noted."),
        ("4", "agreed", "It was agreed that Ann would write."),
        ("5", "approved", "The minutes of the last meeting were approved as a true record."),
    ]


def test_it_reads_an_action_column_and_resolves_initials_surnames_and_all():
    text = (
        "Board\n18 March 2014\nPresent: James Griffin (JGr) (SBC), Jim Grant (SBC), "
        "Tony Ranzetta (CCG)\n\n"
        "1.\tFunding\tACTION\n\t<p>The Board agreed to fund £25k.</p>\tJGr / Ranzetta\n"
        "2.\tOther\tACTION\n\t<p>Members were asked to help.</p>\tALL\n"
    )
    meeting = parse_text(text)
    assert [(a.item, a.owners) for a in meeting.actions] == [
        ("1", ["James Griffin", "Tony Ranzetta"]),
        ("2", ["All"]),
    ]
    assert meeting.actions[0].text == "The Board agreed to fund £25k."
    assert "initials JGr in attendance" in meeting.actions[0].owner_reasons[0]


def test_it_reads_inline_action_lines_and_an_actions_table():
    meeting = parse_text(
        "Forum\nDate: 14 November 2019\nAttendees:\nPriya Shah (PS) – Chair\nTom Kinsella (TK)\n\n"
        "Item 1 – Fair\nThe fair is booked. Action – TK to send the details by 6 December\n\n"
        "Item 2 – Map\nMembers agreed to publish a map.\nACTION: PS\n\n"
        "Summary of actions\n| Item | Action | Lead | By |\n"
        "| 2 | Draw the map | TK | next meeting |\n"
    )
    assert [(a.item, a.text, a.owners, a.due) for a in meeting.actions] == [
        ("1", "send the details by 6 December", ["Tom Kinsella"], "2019-12-06"),
        ("2", "Members agreed to publish a map.", ["Priya Shah"], None),
        ("2", "Draw the map", ["Tom Kinsella"], "next meeting"),
    ]


def test_it_flags_an_owner_it_cannot_find():
    meeting = parse_text("Board, 1 May 2020\nPresent: Ann Lee (X)\n\n1. Item\nText. ACTION: ZZ\n")
    assert meeting.actions[0].owners == ["ZZ"]
    assert meeting.uncertain[0]["field"] == "actions.0.owners"


def test_it_resolves_a_first_name_preferring_those_present():
    people = [
        Attendee(name="John Popowicz", status="apologies"),
        Attendee(name="John Gilbert", status="present"),
    ]
    assert resolve_owner("John", people)[0] == "John Gilbert"


def test_it_reads_due_dates_as_boards_write_them():
    day = find_dates("1 March 2015")[0]
    assert parse_due("by the next meeting", day)[0] == "next meeting"
    assert parse_due("before 15 March", day)[0] == "2015-03-15"
    assert parse_due("by end of April", day)[0] == "2015-04-30"
    assert parse_due("at the autumn meeting", day) == (None, "at the autumn meeting")


def test_it_reads_money_ranges_and_allocations():
    meeting = parse_text(
        "Board, 1 May 2020\n\n1. Fund\nAround £1m - £2m may come. "
        "The Board agreed to fund £25k for a post and £40K capital for vans.\n"
    )
    amounts = [(a.pence, a.high_pence, a.kind) for a in meeting.amounts]
    assert amounts == [
        (100_000_000, 200_000_000, "mention"),
        (2_500_000, None, "allocation"),
        (4_000_000, None, "allocation"),
    ]
    assert any(u["why"].endswith("is a range") for u in meeting.uncertain)


def test_it_reads_future_meetings_declarations_and_who_left():
    meeting = parse_text(
        "Board\n5 June 2019\nPresent: Ann Lee (X), Bob Fox (Y)\n\n1. Declarations of interest\n"
        "None declared.\n\n2. Money\nBob Fox left the meeting at 3pm.\n\n3. Future meetings\n"
        "Future meetings will be held on 6 June, 5 September and 5 December 2019.\n"
    )
    assert meeting.declarations_none
    assert meeting.future_meetings == ["2019-06-06", "2019-09-05", "2019-12-05"]
    assert meeting.attendance[1].left_at == "at 3pm"


def test_it_lists_lines_it_could_not_place():
    meeting = parse_text("Board\n5 June 2019\nSome stray words here\n\n1. Welcome\nHello.")
    assert meeting.unplaced == ["Some stray words here"]


def test_it_reads_date_time_and_venue_of_the_meeting():
    meeting = parse_text(
        "NORTHVALE PARTNERSHIP\n\nMinutes of the meeting held at Committee Room 2, Civic Centre "
        "on Wednesday 5 June 2019 at 2.00 pm\n\n1. Welcome\nHello."
    )
    assert (meeting.title, meeting.date, meeting.time, meeting.venue) == (
        "NORTHVALE PARTNERSHIP",
        "2019-06-05",
        "14:00",
        "Committee Room 2, Civic Centre",
    )


def test_it_joins_a_paragraph_broken_by_a_page_in_a_text_table():
    lines = read_text("1.\tItem\tACTION\n\t<p>the start of</p>\t\n\t<p>the end.</p>\tAll\n")
    assert [ln.text for ln in lines if ln.text] == ["1. Item", "the start of the end."]


def test_a_new_title_starts_a_new_group_for_a_bracketed_organisation():
    people = parse_attendance_text(
        "Councillors Ahmed Riaz and Derek Moss, Mrs Pauline Oyelaran (Independent Member), "
        "Hugh Morley (Panel Clerk), Dr Rachel Imber (Independent Chair)",
        "present",
    )
    assert [(p.name, p.organisation, p.role) for p in people] == [
        ("Ahmed Riaz", "", None),
        ("Derek Moss", "", None),
        ("Pauline Oyelaran", "Independent Member", None),
        ("Hugh Morley", "Panel Clerk", "minutes"),
        ("Rachel Imber", "", "chair"),
    ]


def test_it_reads_items_numbered_2_0_and_an_action_no_column_and_money_before_a_comma():
    meeting = parse_text(
        "Board\n3 February 2022\nPresent: Owen Fitch (X)\n\n1.0 Budget\n"
        "1.1 The budget would be £22,000, of which £8,500 is committed.\n\nAction log\n"
        "| Action No | Action | Lead | Deadline |\n| 1 | Commission training | OF | |\n"
    )
    assert [(i.number, i.title) for i in meeting.items] == [("1", "Budget")]
    assert [a.pence for a in meeting.amounts] == [2_200_000, 850_000]
    assert [(a.item, a.owners) for a in meeting.actions] == [("1", ["Owen Fitch"])]


# Rules added after scoring the held-out Westlea (.pdf) and Kestrel Hill (.docx) minutes.


def test_it_joins_a_minute_number_on_its_own_line_to_the_title_beneath():
    meeting = parse_text(
        "Board\n5 June 2019\nPresent: Ann Lee (X), Bob Fox (Y)\n\n27.\n\nAPOLOGIES FOR ABSENCE\n"
        "Minutes:\nNone.\n\n28.\nDECLARATIONS OF INTEREST\n\nMinutes:\nNone declared.\n"
    )
    assert [(i.number, i.title) for i in meeting.items] == [
        ("27", "APOLOGIES FOR ABSENCE"),
        ("28", "DECLARATIONS OF INTEREST"),
    ]
    assert meeting.items[0].text == "None."  # the "Minutes:" label is not the minute
    assert meeting.declarations_none


def test_it_reads_apologies_listed_a_line_each_under_an_item_with_a_substitute():
    meeting = parse_text(
        "Board\n5 June 2019\nPresent: Ann Lee (X)\n\n1. Apologies for absence\n"
        "Apologies for absence were received from the following:\n\nCouncillor Paul Hext\n\n"
        "Nadia Fenwick - Owen Lacey substituted\n\nDr Aled Morris\n\n2. Minutes\nAgreed.\n"
    )
    people = {(a.name, a.status, a.substitute_for) for a in meeting.attendance}
    assert people == {
        ("Ann Lee", "present", None),
        ("Paul Hext", "apologies", None),
        ("Nadia Fenwick", "apologies", None),
        ("Owen Lacey", "present", "Nadia Fenwick"),
        ("Aled Morris", "apologies", None),
    }


def test_it_reads_not_attended_as_absent():
    meeting = parse_text(
        "Board\n5 June 2019\nPresent: Ann Lee (X)\nNot attended: Ben Castle (Y)\n\n1. Welcome\nHi."
    )
    assert [(a.name, a.status) for a in meeting.attendance] == [
        ("Ann Lee", "present"),
        ("Ben Castle", "absent"),
    ]


def test_it_reads_between_two_amounts_as_one_range():
    meeting = parse_text(
        "Board\n5 June 2019\n\n1. Campaign\nA campaign costing between £20k and £30k was "
        "proposed. Ann spent £5k and £2k on leaflets.\n"
    )
    assert [(a.pence, a.high_pence) for a in meeting.amounts] == [
        (2_000_000, 3_000_000),
        (500_000, None),
        (200_000, None),
    ]
    assert "is a range" in meeting.uncertain[0]["why"]


def test_it_reads_an_action_line_written_as_owner_would_do_it():
    meeting = parse_text(
        "Board\n5 June 2019\nPresent: Mark Ebdon (X)\n\n1. Discharge\nFigures were discussed.\n"
        "ACTION: Mark Ebdon would circulate the figures to members by 28 June 2019.\n"
    )
    [action] = meeting.actions
    assert (action.text, action.owners, action.due) == (
        "circulate the figures to members by 28 June 2019.",
        ["Mark Ebdon"],
        "2019-06-28",
    )


def test_it_names_who_declared_and_who_came_and_went_as_the_attendance_does():
    meeting = parse_text(
        "Board\n5 June 2019\nPresent: Priya Lal (PL) (X), Yusuf Karim (Y)\n\n"
        "1. Declarations of interest\nPL declared a personal interest in item 3 as a trustee.\n\n"
        "2. Grants\nKarim arrived at 7.20pm.\n\n3. Pantry\nPL left the meeting for this item.\n"
    )
    [declaration] = meeting.declarations
    assert (declaration.person, declaration.item) == ("Priya Lal", "3")
    priya, yusuf = meeting.attendance
    assert priya.left_at == "item 3"
    assert yusuf.joined_at == "7.20pm, during item 2"
