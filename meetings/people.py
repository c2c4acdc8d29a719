"""People at a meeting as minutes write them: found by name or by initials ("MG",
"JGr"), and who was there for only part of it.

Minutes name action owners by initials: the first letter of each name, with extra letters
telling apart two people who share them ("JGr" is John Grant, not John Gilbert). Those
present at the meeting are who the initials most likely mean, so they come first.
"""

from __future__ import annotations

import re

from django.db.models import QuerySet
from django.utils import timezone

from boards.models import Person

from .models import Attendance, Meeting

# Initials are two to six letters with no space: "MG", "JGr", "mg".
_INITIALS = re.compile(r"^[A-Za-z]{2,6}$")


def initials_groups(typed: str) -> list[str]:
    """ "JGr" -> ["j", "gr"]; "MG" -> ["m", "g"]; "mg" -> ["m", "g"] (no capitals: one
    letter a name). [] when the text cannot be initials."""
    typed = typed.strip()
    if not _INITIALS.match(typed):
        return []
    if typed.islower() or typed.isupper():
        return list(typed.lower())
    if not typed[0].isupper():
        return []
    return [group.lower() for group in re.findall(r"[A-Z][a-z]*", typed)]


def matches_initials(name: str, groups: list[str]) -> bool:
    """Each group starts one name in order: the first the first name, the last the surname
    (a middle name may be skipped, so "MG" is also Mike Andrew Gregory)."""
    words = [w.lower() for w in re.split(r"[\s\-]+", name.strip()) if w]
    if len(groups) < 2 or len(words) < len(groups):
        return False
    if not words[0].startswith(groups[0]) or not words[-1].startswith(groups[-1]):
        return False
    middle, rest = groups[1:-1], words[1:-1]
    for group in middle:  # each middle group matches a later middle name
        while rest and not rest[0].startswith(group):
            rest = rest[1:]
        if not rest:
            return False
        rest = rest[1:]
    return True


def people_matching(meeting: Meeting, people: QuerySet, text: str, *, limit: int = 20) -> list:
    """People for a type-ahead at a meeting: initials matches first (those in its
    attendance before the rest), then name or e-mail matches (again the attendance first).
    `people` is who may be offered at all (the partnership)."""
    text = text.strip()
    present = set(
        Attendance.objects.filter(meeting=meeting)
        .exclude(status=Attendance.Status.APOLOGIES)
        .exclude(status=Attendance.Status.ABSENT)
        .values_list("person_id", flat=True)
    )

    def present_first(found):
        return sorted(found, key=lambda p: (p.pk not in present, p.name.lower()))

    if not text:
        return present_first(people[:200])[:limit]
    groups = initials_groups(text)
    by_initials = []
    if groups:
        # Only names starting with the first initial can match: the database narrows.
        candidates = people.filter(name__istartswith=groups[0])
        by_initials = present_first(p for p in candidates if matches_initials(p.name, groups))
    seen = {p.pk for p in by_initials}
    by_name = present_first(p for p in people.search(text)[:limit] if p.pk not in seen)
    return (by_initials + by_name)[:limit]


def possible_owners(meeting: Meeting) -> QuerySet:
    """Who may own an action of this meeting: anyone in its attendance (members,
    substitutes, officers, guests) or any current person of the board's partnership."""
    return (
        Person.objects.current()
        .of_partnership(meeting.board)
        .select_related("organisation")
        .order_by("name")
    )


def meeting_date(meeting: Meeting):
    """The London date the meeting took place on."""
    return timezone.localdate(meeting.starts_at)


def presence_notes(attendances) -> list[str]:
    """ "Cllr Jim Grant joined at item 3; left at item 5": those there for part of it."""
    return [
        f"{a.person.display_name} {a.presence_note}"
        for a in attendances
        if a.presence_note
        and a.status in (Attendance.Status.PRESENT, Attendance.Status.IN_ATTENDANCE)
    ]
