"""Reading a spreadsheet of people and their memberships, and checking each row, before
anything is saved: the secretary sees every bad row and why, then confirms.

Columns (the header row names them, in any order; only `name` is required): name, title,
email, organisation, role, representing, started_on, ended_on. Dates as 2013-01-15 or
15/01/2013; roles as the board writes them (chair, vice-chair, member, secretary, adviser,
observer).
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
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


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
        rows.append(row)
    return rows
