"""Reading a spreadsheet of people and their memberships, and checking each row, before
anything is saved: the secretary sees every bad row and why, then confirms.

Columns (the header row names them, in any order; only `name` is required): name, title,
email, organisation, role, representing, started_on, ended_on, deputy. Dates as 2013-01-15
or 15/01/2013; roles as the board writes them (chair, vice-chair, member, secretary,
adviser, observer). A deputy (who attends when the member cannot) is named by e-mail or
name: someone on another row of the file, someone already of the partnership, or, by a
name found nowhere, a new person added as the deputy only.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

import tablib
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .models import Board, Membership, Organisation, Person

COLUMNS = (
    "name",
    "title",
    "email",
    "organisation",
    "role",
    "representing",
    "started_on",
    "ended_on",
    "deputy",
)
MAX_ROWS = 2000
_ROLES = {
    **{value: value for value in Membership.Role.values},
    **{label.lower(): value for value, label in Membership.Role.choices},
    "vice chair": Membership.Role.VICE_CHAIR,
    "": Membership.Role.MEMBER,
}


class UnreadableFile(ValidationError):
    """The upload is not a spreadsheet of people this page can read."""


@dataclass
class PersonRow:
    number: int  # as the spreadsheet numbers it: the header is row 1
    name: str = ""
    title: str = ""
    email: str = ""
    organisation_name: str = ""
    organisation: Organisation | None = None
    role: str = Membership.Role.MEMBER
    representing_name: str = ""
    representing: Organisation | None = None
    started_on: date | None = None
    ended_on: date | None = None
    person: Person | None = None  # already of the partnership, found by e-mail
    deputy_text: str = ""
    deputy_person: Person | None = None  # already of the partnership
    deputy_row: int | None = None  # or the person of another row of the file
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def role_label(self) -> str:
        return Membership.Role(self.role).label

    deputy_label: str = ""  # who the deputy is, as the preview names them

    @property
    def new_deputy(self) -> str:
        """The name of a deputy found nowhere: a person added as the deputy only."""
        if self.deputy_text and self.deputy_person is None and self.deputy_row is None:
            return self.deputy_text
        return ""


def read_upload(upload) -> str:
    """The uploaded CSV or XLSX as CSV text: the preview carries it to the confirmation,
    so nothing is stored before the secretary confirms."""
    content = upload.read()
    try:
        if upload.name.lower().endswith(".xlsx"):
            data = tablib.Dataset().load(content, format="xlsx")
        else:
            data = tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")
    except Exception as error:  # tablib raises whatever its reader raises
        raise UnreadableFile(
            "This file could not be read: upload a CSV (UTF-8) or an Excel .xlsx file "
            "with a header row."
        ) from error
    return data.export("csv")


def read_people(*, text: str) -> tablib.Dataset:
    try:
        data = tablib.Dataset().load(text, format="csv")
    except Exception as error:
        raise UnreadableFile("This file could not be read as a CSV with a header row.") from error
    headers = [str(h or "").strip().lower().replace(" ", "_") for h in data.headers or []]
    if "name" not in headers:
        raise UnreadableFile("The first row must name the columns, and one must be 'name'.")
    unknown = [h for h in headers if h and h not in COLUMNS]
    if unknown:
        raise UnreadableFile(
            f"Unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
            f"The columns are: {', '.join(COLUMNS)}."
        )
    if len(data) > MAX_ROWS:
        raise UnreadableFile(f"Upload at most {MAX_ROWS} people at a time.")
    data.headers = headers
    return data


def _date(text: str, column: str, row: PersonRow) -> date | None:
    text = text.strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    row.errors.append(f"{column} '{text}' is not a date (write 2013-01-15 or 15/01/2013)")
    return None


def check_rows(*, board: Board, dataset: tablib.Dataset) -> list[PersonRow]:
    """Each row with what is wrong with it; a row with no errors can be saved as it is."""
    people = Person.objects.of_partnership(board)
    members = set(
        Membership.objects.filter(board=board, ended_on__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    seen_emails: dict[str, int] = {}
    rows = []
    for index, values in enumerate(dataset.dict, start=2):
        cell = {key: str(values.get(key) or "").strip() for key in COLUMNS}
        row = PersonRow(number=index, name=cell["name"], title=cell["title"])
        row.email = cell["email"].lower()
        if not row.name:
            row.errors.append("the name is empty")
        role = _ROLES.get(cell["role"].lower())
        if role is None:
            row.errors.append(f"'{cell['role']}' is not a role (chair, member, observer…)")
        else:
            row.role = role
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                row.errors.append(f"'{row.email}' is not an e-mail address")
            else:
                if row.email in seen_emails:
                    row.errors.append(f"the e-mail is also on row {seen_emails[row.email]}")
                seen_emails.setdefault(row.email, index)
                existing = Person.objects.filter(email__iexact=row.email).first()
                if existing is not None and not people.filter(pk=existing.pk).exists():
                    row.errors.append(
                        "the e-mail is someone's on another partnership's board "
                        "(ask the installation's admin)"
                    )
                elif existing is not None:
                    row.person = existing
                    row.notes.append(f"already in the people list as {existing.display_name}")
                    if existing.pk in members:
                        row.errors.append(f"{existing.display_name} is already a member")
        for column in ("organisation", "representing"):
            text = cell[column]
            if text:
                found = Organisation.objects.named(text)
                setattr(row, column if column == "representing" else "organisation", found)
                setattr(row, f"{column}_name", text)
                if found is None:
                    row.notes.append(f"new organisation: {text}")
        row.started_on = _date(cell["started_on"], "started_on", row)
        row.ended_on = _date(cell["ended_on"], "ended_on", row)
        if row.started_on and row.ended_on and row.ended_on < row.started_on:
            row.errors.append("ended_on is before started_on")
        row.deputy_text = cell["deputy"]
        rows.append(row)
    _find_deputies(rows, people)
    return rows


def _find_deputies(rows: list[PersonRow], people) -> None:
    """Each row's deputy: a row of the file, or a person of the partnership (by e-mail,
    or by a name only one of them has); a row whose deputy's row cannot be saved cannot
    be saved either."""
    by_email = {row.email: row for row in rows if row.email}
    for row in rows:
        text = row.deputy_text
        if not text:
            continue
        row.deputy_label = text
        if "@" in text:
            found = by_email.get(text.lower())
            existing = None if found else Person.objects.filter(email__iexact=text).first()
            if existing is not None and not people.filter(pk=existing.pk).exists():
                row.errors.append(f"the deputy {text} is someone on another partnership's board")
                continue
            if found is None and existing is None:
                row.errors.append(f"no one has the deputy's e-mail {text}: add a row for them")
                continue
        else:
            name = text.lower()
            found = [
                r
                for r in rows
                if r.name and name in (r.name.lower(), Person.format_name(r.title, r.name).lower())
            ]
            known = [
                p for p in people.filter(name__iexact=text) if p not in {r.person for r in found}
            ]
            if len(found) + len(known) > 1:
                row.errors.append(
                    f"the deputy '{text}' could be one of several people: give their e-mail"
                )
                continue
            found = found[0] if found else None
            existing = known[0] if known else None
        if found is not None:
            existing = found.person
            row.deputy_row = None if existing else found.number
        row.deputy_person = existing
        if found is row or (existing is not None and existing == row.person):
            row.errors.append("a member cannot be their own deputy")
        elif row.new_deputy:
            row.notes.append(f"new person, as deputy only: {text}")
        if existing is not None:
            row.deputy_label = existing.display_name
        elif found is not None:
            row.deputy_label = (
                f"{Person.format_name(found.title, found.name)} (row {found.number})"
            )
    # A deputy's row that cannot be saved takes the rows it deputises for with it.
    numbers = {row.number: row for row in rows}
    changed = True
    while changed:
        changed = False
        for row in rows:
            deputy = numbers.get(row.deputy_row)
            if deputy is not None and deputy.errors and not row.errors:
                row.errors.append(f"the deputy's row {deputy.number} cannot be saved")
                changed = True
