import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from importer.models import MinutesImport
from meetings.models import Meeting

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
MARCH = CORPUS / "one-swindon-board-2014-03-18.txt"


def test_a_dry_run_prints_the_parsed_meeting_as_one_json_object_and_saves_nothing(board, capsys):
    call_command("import_minutes", str(MARCH), "--board", board.slug, "--dry-run", "--json")
    parsed = json.loads(capsys.readouterr().out)
    assert parsed["date"] == "2014-03-18"
    assert len(parsed["items"]) == 11
    assert {"title", "time", "venue", "attendance", "decisions", "actions", "amounts"} <= set(
        parsed
    )
    assert parsed["attendance"][0] == {
        **parsed["attendance"][0],
        "name": "Gavin Jones",
        "organisation": "SBC",
        "status": "present",
    }
    four = next(a for a in parsed["actions"] if a["item"] == "4")
    assert four["owners"] == ["John Popowicz"]
    # The contract of issue 16, key by key.
    assert {"future_meetings", "unplaced"} <= set(parsed)
    names = {a["name"] for a in parsed["attendance"]}
    for person in parsed["attendance"]:
        assert {"name", "organisation", "status", "role", "substitute_for"} <= set(person)
        assert person["status"] in ("present", "apologies", "in_attendance", "absent")
    assert all({"number", "title", "text"} <= set(i) for i in parsed["items"])
    assert all({"item", "kind", "text"} <= set(d) for d in parsed["decisions"])
    for action in parsed["actions"]:
        assert {"item", "text", "owners", "due"} <= set(action)
        assert all(o in names or o == "All" for o in action["owners"])  # never initials
    assert all(isinstance(a["pence"], int) for a in parsed["amounts"])
    assert all(len(d) == 10 for d in parsed["future_meetings"])
    assert not MinutesImport.objects.exists()
    assert not Meeting.objects.exists()


def test_it_refuses_an_unknown_board(db):
    with pytest.raises(CommandError, match="No board"):
        call_command("import_minutes", str(MARCH), "--board", "nope", "--dry-run")


def test_without_dry_run_it_waits_for_review_and_with_confirm_it_creates_the_meeting(
    board, secretary, capsys
):
    board.secretary = secretary
    board.save()
    call_command("import_minutes", str(MARCH), "--board", board.slug)
    pending = MinutesImport.objects.get()
    assert pending.status == MinutesImport.Status.PARSED
    assert not Meeting.objects.exists()

    call_command("import_minutes", str(MARCH), "--board", board.slug, "--confirm")
    pending.refresh_from_db()
    meeting = pending.meeting
    assert pending.status == MinutesImport.Status.CONFIRMED
    assert meeting.status == Meeting.Status.MINUTES_APPROVED
    assert meeting.items.count() == 11
    assert meeting.attendances.count() == 22

    with pytest.raises(CommandError, match="already imported|was imported"):
        call_command("import_minutes", str(MARCH), "--board", board.slug)


def test_the_imported_meeting_behaves_like_one_entered_by_hand(
    board, secretary, client, django_capture_on_commit_callbacks
):
    import datetime as dt

    from actions.selectors import matters_arising
    from importer.services import local_start
    from meetings.services import create_meeting

    board.secretary = secretary
    board.save()
    call_command("import_minutes", str(MARCH), "--board", board.slug, "--confirm")
    imported = Meeting.objects.get()
    later = create_meeting(board=board, starts_at=local_start(dt.date(2014, 5, 20), None))
    arising = list(matters_arising(later, secretary.user))
    assert len(arising) == 6  # every imported action is open at the next meeting
    assert {a.item.meeting_id for a in arising} == {imported.pk}

    client.force_login(secretary.user)
    found = client.get("/search/", {"q": "Strategic Liaison Officer"}).content.decode()
    assert "Swindon Community Infrastructure" in found
    pdf = client.get(f"/meetings/{imported.pk}/minutes.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_it_marks_the_chair_and_the_minute_taker_and_keeps_an_unknown_start_unknown(
    board, secretary
):
    from meetings.models import Attendance

    board.secretary = secretary
    board.save()
    corpus = MARCH.parent
    call_command(
        "import_minutes",
        str(corpus / "ferndale-police-crime-panel-2021-09-14.txt"),
        "--board",
        board.slug,
        "--confirm",
    )
    roles = dict(Attendance.objects.exclude(role="").values_list("person__name", "role"))
    assert roles == {"Bernard Shaw": "chair", "Hugh Morley": "minutes"}

    call_command("import_minutes", str(MARCH), "--board", board.slug, "--confirm")
    march = Meeting.objects.get(starts_at__year=2014)
    assert not march.start_time_known  # the sample gives no time: the date alone shows
