"""Minutes text to a structured meeting, by the rules of how UK boards write minutes.

Pure functions over `read.Line`s: no database, no network. The result, `ParsedMeeting`,
serialises to the JSON contract of `manage.py import_minutes --json` (issue 16).
Anything the rules are unsure of is listed in `uncertain`; any line they could not place
is kept in `unplaced`, so nothing is dropped without the secretary seeing it.
"""

import calendar
import datetime as dt
import re
from dataclasses import asdict, dataclass, field, fields

from funding.money import MoneyError, parse_money, parse_money_range

from .read import Line, read_text

# --- the result ------------------------------------------------------------------------


@dataclass
class Attendee:
    name: str
    organisation: str = ""
    status: str = "present"  # present | apologies | in_attendance | absent
    role: str | None = None  # chair | vice_chair | minutes
    substitute_for: str | None = None
    title: str = ""  # Cllr, Dr, Mr...
    initials: str = ""  # as given in brackets, "(MG)": kept for owner matching
    joined_at: str = ""
    left_at: str = ""


@dataclass
class Item:
    number: str
    title: str
    text: str = ""


@dataclass
class Decision:
    item: str
    kind: str  # agreed | approved | noted | deferred | rejected
    text: str
    number: str = ""


@dataclass
class ActionPoint:
    item: str
    text: str
    owners: list[str] = field(default_factory=list)  # full names, or ["All"]
    due: str | None = None  # YYYY-MM-DD | "next meeting" | None
    owner_text: str = ""  # as written: "JG / TR"
    due_text: str = ""
    owner_reasons: list[str] = field(default_factory=list)


@dataclass
class Amount:
    item: str
    text: str
    pence: int
    high_pence: int | None = None  # a range "£1m - £2m": pence is its low end
    kind: str = "mention"  # allocation | budget | recovery | mention
    decision: int | None = None  # index into decisions
    written: str = ""


@dataclass
class Declaration:
    person: str
    item: str
    nature: str


@dataclass
class ParsedMeeting:
    title: str = ""
    board: str = ""
    date: str | None = None
    time: str | None = None
    venue: str = ""
    attendance: list[Attendee] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    actions: list[ActionPoint] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    future_meetings: list[str] = field(default_factory=list)
    declarations: list[Declaration] = field(default_factory=list)
    declarations_none: bool = False
    unplaced: list[str] = field(default_factory=list)
    uncertain: list[dict] = field(default_factory=list)  # {"field": "actions.2.owners", "why"}

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "ParsedMeeting":
        kinds = {
            "attendance": Attendee,
            "items": Item,
            "decisions": Decision,
            "actions": ActionPoint,
            "amounts": Amount,
            "declarations": Declaration,
        }
        values = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            if f.name in kinds:
                known = {g.name for g in fields(kinds[f.name])}
                value = [
                    kinds[f.name](**{k: v for k, v in row.items() if k in known}) for row in value
                ]
            values[f.name] = value
        return cls(**values)

    def flag(self, where: str, why: str) -> None:
        self.uncertain.append({"field": where, "why": why})


def parse_text(text: str) -> ParsedMeeting:
    return parse_minutes(read_text(text))


# --- dates, times, money -----------------------------------------------------------------

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_MONTH = (
    r"(January|February|March|April|May|June|July|August|September|October|November|December|J"
    r"an|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
)
_DAY_NAME = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?,?\s+)?"
_DATE = re.compile(
    _DAY_NAME + r"(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+" + _MONTH + r"\.?(?:,?\s+(\d{4}))?\b",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})\b")
_TIME = re.compile(
    r"\b(\d{1,2})(?:[.:](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)|\b([01]?\d|2[0-3]):([0-5]\d)\b",
    re.IGNORECASE,
)


def find_dates(text: str, *, default_year: int | None = None) -> list[dt.date]:
    """Every date written in the text, UK day first; a missing year is taken from the next
    date that has one ("3 June, 9 September and 2 December 2019"), else default_year."""
    found: list[tuple[int, int, int, int | None]] = []
    for match in _DATE.finditer(text):
        year = int(match[3]) if match[3] else None
        found.append((match.start(), int(match[1]), _MONTHS[match[2].lower().rstrip(".")], year))
    for match in _NUMERIC_DATE.finditer(text):
        year = int(match[3])
        year += 2000 if year < 100 else 0
        found.append((match.start(), int(match[1]), int(match[2]), year))
    found.sort()
    dates = []
    for index, (_, day, month, year) in enumerate(found):
        if year is None:
            later = [y for _, _, _, y in found[index + 1 :] if y]
            year = later[0] if later else default_year
        if year is None:
            continue
        try:
            dates.append(dt.date(year, month, day))
        except ValueError:
            continue
    return dates


def find_time(text: str) -> str | None:
    match = _TIME.search(text)
    if not match:
        return None
    if match[4]:
        return f"{int(match[4]):02d}:{match[5]}"
    hour, minute = int(match[1]), int(match[2] or 0)
    if hour > 12 or minute > 59:
        return None
    if match[3].lower().startswith("p") and hour != 12:
        hour += 12
    if match[3].lower().startswith("a") and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}"


_POUNDS = r"£\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:k|m|bn|million|billion)?\b"
_MONEY = re.compile(
    # "between £20k and £30k" is a range too; a bare "and" between amounts is not.
    r"between\s+" + _POUNDS + r"\s+and\s+" + _POUNDS + r"|" + _POUNDS + r"(?:\s*(?:-|–|to)\s*£?"
    r"\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:k|m|bn|million|billion)?\b)?",
    re.IGNORECASE,
)


def _money_value(written: str) -> tuple[int, int | None] | None:
    text = re.sub(r"\s*million\b", "m", written, flags=re.IGNORECASE)
    text = re.sub(r"\s*billion\b", "bn", text, flags=re.IGNORECASE)
    between = re.match(r"^between\s+(.+?)\s+and\s+(.+)$", text, re.IGNORECASE)
    if between:
        text = f"{between[1]}-{between[2]}"
    text = text.replace(" ", "")
    try:
        low, high = parse_money_range(text.lower())
    except MoneyError:
        try:
            return parse_money(text.lower()), None
        except MoneyError:
            return None
    return low, (high if high != low else None)


# --- people ---------------------------------------------------------------------------

_TITLES = (
    r"(?:Councillors?|Chief\s+Superintendent|Superintendent|Chief\s+Inspector|Inspector|Sergea"
    r"nt|Supt\.?|Cllrs?\.?|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Miss|Prof\.?|Professor|Revd\.?|Rev\.?|Sir|"
    r"Dame|Lord|Lady)"
)
_TITLE_AT_START = re.compile(r"^" + _TITLES + r"(?:\s+|(?<=\.)(?=[A-Z]))", re.IGNORECASE)
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’\-]*\.?|de|da|van|von|der|le|la|du|di|bin|al|O'[A-Z]\w+)$")
_ROLE_WORDS = {
    "chair": "chair",
    "chairman": "chair",
    "chairwoman": "chair",
    "chairperson": "chair",
    "in the chair": "chair",
    "vice-chair": "vice_chair",
    "vice chair": "vice_chair",
    "vice-chairman": "vice_chair",
    "deputy chair": "vice_chair",
    "minutes": "minutes",
    "minute taker": "minutes",
    "minute-taker": "minutes",
    "note taker": "minutes",
    "notes": "minutes",
    "clerk": "minutes",
    "minuting": "minutes",
    "secretary": "minutes",
}
_SUBSTITUTE = re.compile(
    r"^(?:for|substitute for|substituting for|sub for|deputising for|deputy for|on behalf of|re"
    r"presenting)\s+(.+)$",
    re.IGNORECASE,
)
_ATTENDED_AS_SUB = re.compile(
    r"^(.+?)(?:,\s*[^,]+)?\s+(?:attended as (?:a )?substitute|attended in (?:his|her|their) (?:"
    r"absence|place)|substituted)$",
    re.IGNORECASE,
)
_ORG_WORDS = re.compile(
    r"\b(Council|NHS|Trust|Police|Fire|Services?|Partnership|Association|CCG|ICB|University|"
    r"College|Housing|Hospitals?|Healthcare|Health|Authority|Department|Office|Agency|Centre|"
    r"Network|Foundation|Ltd|Limited|Plc|CIC|Charity|Society|Church|Healthwatch|Commissioner|"
    r"Ambulance|Jobcentre|DWP|Probation|Voluntary|Forum|Schools?|Academy|Chamber|Group|Board|"
    r"Rescue|Constabulary|Federation|Alliance|Sector|Organisations?|Officers?)\b"
)
STATUS_HEADINGS = [
    (r"apologies(?:\s+for\s+absence)?(?:\s+(?:were\s+)?received)?(?:\s+from)?", "apologies"),
    (
        r"(?:members\s+|board\s+members\s+)?not\s+present|absent|absentees|not\s+attended|"
        r"did\s+not\s+attend|non[- ]attendance",
        "absent",
    ),
    (
        r"(?:also\s+)?in\s+attendance|also\s+present|also\s+attending|officers(?:\s+present|\s+"
        r"in\s+attendance)?"
        r"|guests?|observers?|advisers?|supporting\s+officers",
        "in_attendance",
    ),
    (
        r"(?:members\s+|board\s+members\s+|voting\s+members\s+)?present|attendees|attending|att"
        r"endance|members",
        "present",
    ),
]
_STATUS_HEADING = re.compile(
    r"^\s*("
    + "|".join(f"(?P<s{i}>{p})" for i, (p, _) in enumerate(STATUS_HEADINGS))
    + r")\s*(?:[:–-]\s*|$)(?P<rest>.*)$",
    re.IGNORECASE,
)


def status_heading(text: str) -> tuple[str, str] | None:
    """("apologies", "rest of the line") when the line opens an attendance list."""
    match = _STATUS_HEADING.match(text)
    if not match:
        return None
    rest = match["rest"].strip()
    head = text[: len(text) - len(match["rest"])] if match["rest"] else text
    if rest and not re.search(r"[:–-]", head):
        return None  # "Members discussed…" is a sentence, not a heading
    for i, (_, status) in enumerate(STATUS_HEADINGS):
        if match[f"s{i}"]:
            return status, rest
    return None


_NOT_NAME_WORDS = {
    "points",
    "discussion",
    "key",
    "item",
    "items",
    "update",
    "minutes",
    "actions",
    "action",
    "meeting",
    "board",
    "business",
    "welcome",
    "introductions",
    "purpose",
    "outcome",
    "agenda",
    "matters",
    "arising",
    "report",
    "next",
    "steps",
    "other",
    "any",
    "date",
    "notes",
    "apologies",
    "present",
    "council",
    "committee",
    "partnership",
    "summary",
    "declarations",
    "interest",
    "strategy",
    "plan",
    "review",
    "fund",
    "budget",
    "services",
    "service",
    "health",
    "police",
    "trust",
    "nhs",
    "group",
    "forum",
    "team",
    "officers",
    "members",
    "chair",
    "the",
    "and",
}


def _is_name(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 5 or len(text) > 45 or re.search(r"\d", text):
        return False
    if any(w.lower().strip(".,") in _NOT_NAME_WORDS for w in words) or _ORG_WORDS.search(text):
        return False
    return all(_NAME_WORD.match(w) for w in words) and sum(1 for w in words if w[0].isupper()) >= 1


def _split_outside_brackets(text: str, separators: re.Pattern) -> list[str]:
    parts, depth, start = [], 0, 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            match = separators.match(text, i)
            if match:
                parts.append(text[start:i])
                start = i = match.end()
                continue
        i += 1
    parts.append(text[start:])
    return [p.strip(" ,;.") for p in parts if p.strip(" ,;.")]


_RUN_SEPARATORS = re.compile(r",\s*|\s+and\s+|\s+&\s+|\.\s+(?=[A-Z])")


def _initials_of(name: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s\-]+", name) if w and w[0].isupper())


def _looks_like_initials(bracket: str, name: str) -> bool:
    if not re.fullmatch(r"[A-Z][A-Za-z]{1,3}", bracket):
        return False
    words = name.split()
    if len(words) < 2:
        return False
    return bracket[0] == words[0][0] and words[-1][0] in bracket[1:]


@dataclass
class _Entry:
    person: Attendee
    has_org: bool = False


def parse_person(text: str, status: str) -> list[Attendee] | None:
    """One name with its brackets, "Cllr Ann Lee (Chair)", "Matt Gott (MG) (SBC)",
    "Mr D Blacklock (Ms H Horne attended as substitute)"; None when it is not a name."""
    text = text.strip(" ,;.:")
    organisation = ""
    brackets: list[str] = []
    dash = re.match(r"^(.+?)\s+[–—-]\s+(.+)$", text)
    if dash:
        text, after = dash[1].strip(), dash[2].strip()
        after, after_brackets = _trailing_brackets(after)
        brackets.extend(after_brackets)
        if _ROLE_WORDS.get(after.lower()) or _ATTENDED_AS_SUB.match(after):
            brackets.append(after)  # "Nadia Fenwick - Owen Lacey substituted"
        else:
            organisation = after
    text, own = _trailing_brackets(text)
    brackets = own + brackets
    title = ""
    match = _TITLE_AT_START.match(text)
    if match:
        title = match[0].strip().rstrip(".")
        text = text[match.end() :].strip()
        title = {"councillor": "Cllr", "councillors": "Cllr", "cllrs": "Cllr"}.get(
            title.lower(), title
        )
    if not _is_name(text) or (len(text.split()) < 2 and not title):
        return None
    person = Attendee(name=text, status=status, title=title, organisation=organisation)
    extra = []
    for bracket in brackets:
        role = _ROLE_WORDS.get(bracket.lower())
        qualified = re.match(
            r"^(?:independent|acting|interim|joint|co-?)\s+(chair\w*|vice[- ]chair\w*)$",
            bracket,
            re.IGNORECASE,
        )
        if qualified:
            role = _ROLE_WORDS.get(qualified[1].lower().replace("person", ""), "chair")
        elif not role and re.search(r"\s(clerk|minute[- ]taker|note[- ]taker)$", bracket, re.I):
            person.role = "minutes"  # "(Panel Clerk)": the post, and who took the minutes
            person.organisation = bracket
            continue
        sub = _SUBSTITUTE.match(bracket)
        attended = _ATTENDED_AS_SUB.match(bracket)
        if role:
            person.role = role
        elif _looks_like_initials(bracket, text):
            person.initials = bracket
        elif sub:
            person.substitute_for = _strip_title(sub[1])
        elif attended:
            stand_in = parse_person(attended[1], "present")
            if stand_in:
                stand_in[0].substitute_for = text
                extra.extend(stand_in)
        elif re.match(r"^(chair|vice[- ]chair)\s*(,|and|&)\s*(.+)$", bracket, re.IGNORECASE):
            part = re.match(
                r"^(chair|vice[- ]chair)\s*(?:,|and|&)\s*(.+)$", bracket, re.IGNORECASE
            )
            person.role = _ROLE_WORDS[part[1].lower()]
            person.organisation = part[2].strip()
        else:
            person.organisation = bracket
    return [person, *extra]


def _trailing_brackets(text: str) -> tuple[str, list[str]]:
    brackets = []
    while True:
        match = re.search(r"\(([^()]*)\)\s*$", text)
        if not match:
            return text.strip(), brackets
        brackets.insert(0, match[1].strip())
        text = text[: match.start()].strip()


def _strip_title(name: str) -> str:
    name = name.strip(" .,")
    match = _TITLE_AT_START.match(name)
    return name[match.end() :].strip() if match else name


def _one_person_with_post(text: str, status: str) -> list[Attendee] | None:
    parts = _split_outside_brackets(text, re.compile(r",\s*"))
    people = parse_person(parts[0], status) if parts else None
    if people and len(parts) > 1 and not people[0].organisation:
        people[0].organisation = ", ".join(parts[1:])
    return people


def parse_attendance_text(text: str, status: str) -> list[Attendee] | None:
    """A run of names ("A (SBC), Councillors B, C and D (SBC)") or one name with its
    organisation ("Dr Sam Patel, Director of Public Health, Harbour Council")."""
    text = re.sub(
        r"^(?:apologies\s+(?:for\s+absence\s+)?(?:were|had\s+been)\s+received\s+from|"
        r"apologies\s+were\s+(?:given|submitted)\s+(?:by|from))\s+",
        "",
        text.strip(),
        flags=re.IGNORECASE,
    )
    if re.match(r"^(none|no apologies|nil|n/a)\b", text, re.IGNORECASE):
        return []
    segments = _split_outside_brackets(text, re.compile(r";\s*"))
    if len(segments) > 1:
        # "Jenny Barlow (JB) (Chair), Eastfield Council; Omar Siddiqui (OS), …": a person each.
        people = [_one_person_with_post(segment, status) for segment in segments]
        if all(p is not None for p in people):
            return [person for group in people for person in group]
    parts = _split_outside_brackets(text, _RUN_SEPARATORS)
    if not parts:
        return []
    parsed = []
    plural_title = ""
    for part in parts:
        plural = re.match(r"^(Councillors|Cllrs)\s+", part)
        if plural:
            plural_title = "Cllr"
            part = part[plural.end() :]
        people = parse_person(part, status)
        if people is None:
            parsed.append(None)
            continue
        if plural_title and not people[0].title:
            people[0].title = plural_title
        if "(" in part and people[0].organisation:
            plural_title = ""
        parsed.append(people)
    good = [p for p in parsed if p]
    if not good:
        return None
    if len(good) < len(parsed):
        # "Dr Sam Patel, Director of Public Health, Harbour Council": one name, then its post.
        if parsed[0] and all(p is None for p in parsed[1:]) and len(parsed) <= 3:
            person = parsed[0][0]
            post, brackets = _trailing_brackets(", ".join(parts[1:]))
            for bracket in brackets:
                if _ROLE_WORDS.get(bracket.lower()):
                    person.role = _ROLE_WORDS[bracket.lower()]
                else:
                    post = f"{post} ({bracket})"
            if not person.organisation:
                person.organisation = post
            return parsed[0]
        if len(good) * 2 < len(parsed):
            return None
    # "Councillors B, C and D (SBC)": the organisation in brackets covers the names before it.
    entries = []
    for people in parsed:
        if people:
            entries.append(people)
    pending: list[Attendee] = []
    for people, part in zip(parsed, parts, strict=True):
        if not people:
            continue
        head = people[0]
        if _TITLE_AT_START.match(part) and not re.match(r"^(Councillors|Cllrs)\s", part):
            pending = []  # "…and Derek Moss, Mrs Pauline Oyelaran (Independent Member)"
        if head.organisation:
            for earlier in pending:
                earlier.organisation = head.organisation
            pending = []
        elif "(" not in part:
            pending.append(head)
        else:
            pending = []
    return [person for people in entries for person in people]


# --- owners -----------------------------------------------------------------------------

_ALL = re.compile(
    r"^(all|all members|all partners|all board members|everyone|board members|members|the board)$",
    re.IGNORECASE,
)


def resolve_owner(token: str, attendance: list[Attendee]) -> tuple[str | None, str]:
    """(full name or "All" or None, why) for one owner as written: a full name, surname,
    first name, initials (bracketed ones first), a role ("Chair") or "All"."""
    token = token.strip(" .,;:()")
    if not token:
        return None, ""
    if _ALL.match(token):
        return "All", "“All” means every member"
    bare = _strip_title(token)
    low = bare.lower()
    people = [a for a in attendance if a.status != "absent"]
    # Prefer those at the meeting, then those who sent apologies.
    ranked = sorted(people, key=lambda a: 0 if a.status in ("present", "in_attendance") else 1)

    def pick(matches, why):
        if not matches:
            return None
        names = list(dict.fromkeys(m.name for m in matches))
        best = [m for m in matches if m.status in ("present", "in_attendance")] or matches
        best_names = list(dict.fromkeys(m.name for m in best))
        if len(best_names) == 1:
            return best_names[0], why + (
                f" (also {', '.join(n for n in names if n != best_names[0])})"
                if len(names) > 1
                else ""
            )
        return best_names[0], why + f": ambiguous, could be {' or '.join(best_names)}"

    for finder, why in (
        (lambda: [a for a in ranked if a.name.lower() == low], "full name in attendance"),
        (
            lambda: [a for a in ranked if a.initials and a.initials.lower() == low],
            f"initials {bare} in attendance",
        ),
        (
            lambda: [a for a in ranked if _ROLE_WORDS.get(low) and a.role == _ROLE_WORDS.get(low)],
            f"{bare} of the meeting",
        ),
        (
            lambda: [
                a
                for a in ranked
                if len(bare) <= 4 and bare.isupper() and _initials_of(a.name) == bare
            ],
            f"initials {bare} of a name in attendance",
        ),
        (
            lambda: [a for a in ranked if a.name.split()[-1].lower() == low],
            f"surname {bare} in attendance",
        ),
        (
            lambda: [a for a in ranked if a.name.split()[0].lower() == low],
            f"first name {bare} in attendance",
        ),
        (
            lambda: [
                a
                for a in ranked
                if len(bare.split()) == 2
                and a.name.split()[0].lower() == low.split()[0]
                and a.name.split()[-1].lower().startswith(low.split()[1].rstrip("."))
            ],
            f"“{bare}” in attendance",
        ),
    ):
        found = pick(finder(), why)
        if found:
            return found
    return None, f"no one called “{token}” in the attendance"


def split_owners(text: str) -> list[str]:
    text = re.sub(
        r"^(action(s)?( by)?|owner|lead)\s*[:–-]?\s*", "", text.strip(), flags=re.IGNORECASE
    )
    return [p.strip() for p in re.split(r"\s*(?:/|,|&|;|\band\b|\+)\s*", text) if p.strip()]


def resolve_owners(text: str, attendance: list[Attendee]) -> tuple[list[str], list[str], bool]:
    """(owners, reasons, sure) for an owner column such as "JG / TR" or "All"."""
    owners, reasons, sure = [], [], True
    for token in split_owners(text):
        name, why = resolve_owner(token, attendance)
        if name is None:
            owners.append(token)
            sure = False
        elif name not in owners:
            owners.append(name)
        if "ambiguous" in why or name is None:
            sure = False
        reasons.append(f"{token}: {why}")
    return owners, reasons, sure


# --- due dates -------------------------------------------------------------------------

_DUE_NEXT = re.compile(
    r"\b(?:by|at|for|before|to|report(?:ing)? to)\s+the\s+next\s+(?:board\s+|committee\s+)?meet"
    r"ing\b",
    re.IGNORECASE,
)
_DUE_SEASON = re.compile(
    r"\b(?:at|by|for|in)\s+the\s+(autumn|spring|summer|winter|"
    + _MONTH
    + r")\s+(?:board\s+)?meeting\b",
    re.IGNORECASE,
)
_DUE_BY = re.compile(r"\b(?:by|before|no later than|deadline:?|due:?)\s+(.{0,40})", re.IGNORECASE)
_END_OF = re.compile(
    r"\b(?:by\s+)?(?:the\s+)?end\s+of\s+" + _MONTH + r"(?:\s+(\d{4}))?", re.IGNORECASE
)


def parse_due(text: str, meeting_date: dt.date | None) -> tuple[str | None, str]:
    """(due, as written): an ISO date, "next meeting" or None (with the words kept)."""
    if not text:
        return None, ""
    if _DUE_NEXT.search(text) or re.fullmatch(r"\s*next meeting\s*", text, re.IGNORECASE):
        return "next meeting", (_DUE_NEXT.search(text) or re.search(r".+", text))[0].strip()
    season = _DUE_SEASON.search(text)
    if season:
        return None, season[0]
    end = _END_OF.search(text)
    if end:
        month = _MONTHS[end[1].lower()]
        year = int(end[2]) if end[2] else _year_after(meeting_date, month)
        if year:
            return dt.date(year, month, calendar.monthrange(year, month)[1]).isoformat(), end[0]
    for match in [*_DUE_BY.finditer(text), re.match(r"(.*)", text)]:
        year = meeting_date.year if meeting_date else None
        dates = find_dates(match[1], default_year=year)
        if dates:
            due = dates[0]
            if meeting_date and due < meeting_date and not re.search(r"\d{4}", match[1]):
                due = due.replace(year=due.year + 1)
            return due.isoformat(), match[0].strip()
    return None, ""


def _year_after(meeting_date, month):
    if meeting_date is None:
        return None
    return meeting_date.year + (1 if month < meeting_date.month else 0)


# --- items, decisions -------------------------------------------------------------------

_ITEM = re.compile(
    r"^\s*(?:(?:agenda\s+)?item\s+(?P<a>\d{1,2}(?:\.\d{1,2})?)|(?P<b>\d{1,2}(?:\.\d{1,2})?))"
    r"(?:[.):]|\s*[–—-])?\s+(?P<title>\S.*)$",
    re.IGNORECASE,
)
_ACTIONS_SECTION = re.compile(
    r"^(?:summary\s+of\s+|schedule\s+of\s+|new\s+)?(?:actions?(?:\s+(?:log|points|list|summary|"
    r"tracker|table|agreed|arising))?|"
    r"next\s+steps|actions\s+from\s+(?:this|the)\s+meeting|action\s+plan)\s*:?$",
    re.IGNORECASE,
)
_NEXT_MEETING_LINE = re.compile(
    r"^(?:(?:the\s+)?dates?|time\s+and\s+date|future)\s+(?:of\s+(?:the\s+)?)?(?:next|future)?\s"
    r"*meetings?(?:\s+dates?)?\s*[:–-]",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"^(note|notes|minutes|draft|confidential|unconfirmed|action notes|notes of (the )?meeting|"
    r"note of meeting|page \d+( of \d+)?|-?\s*\d+\s*-?)$",
    re.IGNORECASE,
)
_SUBJECT = (
    r"(?:The|This)\s+(?:[A-Z][\w&'-]*\s+){0,4}?(?:Board|Committee|Sub-Committee|Partnership|Gro"
    r"up|Forum|Panel|"
    r"Executive|Meeting|Trust|Cabinet|Network|Alliance|Assembly)|Members|Partners|The\s+members"
)
_VERBS = (
    r"(agreed|approved|noted|resolved|endorsed|supported|ratified|accepted|deferred|rejected|d"
    r"eclined|decided)"
)
_DECISION = re.compile(
    r"(?:^|(?<=[.!?]\s))(?:(?:"
    + _SUBJECT
    + r")\s+(?:(?:formally|unanimously|also|then|therefore|duly|further)\s+)?"
    + _VERBS
    + r"\b|It\s+was\s+(agreed|resolved|approved|decided|AGREED|RESOLVED)\b"
    r"|(RESOLVED|AGREED|DECISION|Resolved|Agreed|Decision)\s*(?:[:–-]|that\b|\(\d\)))",
)
_RECORD = re.compile(
    r"(?:^|(?<=[.!?]\s))(?:The\s+)?(?:minutes|notes)\s+of\s+the\s+(?:last|previous|meeting).{0,"
    r"120}?\b(?:were|was)\s+(agreed|approved|confirmed|accepted)\s+as\s+(?:a|an)\s+(?:true|accu"
    r"rate|correct)",
    re.IGNORECASE,
)
_KIND_OF_VERB = {
    "agreed": "agreed",
    "resolved": "agreed",
    "endorsed": "agreed",
    "supported": "agreed",
    "ratified": "agreed",
    "accepted": "agreed",
    "decided": "agreed",
    "decision": "agreed",
    "approved": "approved",
    "confirmed": "agreed",
    "noted": "noted",
    "deferred": "deferred",
    "rejected": "rejected",
    "declined": "rejected",
}


def _kind_of(verb: str, text: str) -> str:
    kind = _KIND_OF_VERB.get(verb.lower(), "agreed")
    if verb.lower() in ("resolved", "decision", "agreed") or kind == "agreed":
        body = text.lower()
        if re.search(
            r"\b(be|is|was|were)\s+noted\b|^\s*(that\s+)?(the\s+)?\w*\s*(to\s+)?note\b|\bto not"
            r"e\b",
            body[:80],
        ):
            return "noted"
        if re.search(r"\b(be|is|was|were)\s+approved\b|\bto approve\b", body[:120]):
            return "approved"
        if re.search(r"\bbe deferred\b|\bto defer\b", body):
            return "deferred"
    return kind


_LIST_MARK = re.compile(r"(?:^|\s)\((\d{1,2}|[a-h]|i{1,3}|iv|v)\)\s+")


def find_decisions(item: str, paragraphs: list[str]) -> list[tuple[int, Decision]]:
    """(paragraph index, decision) pairs: "The Board agreed…", "It was agreed that…",
    "RESOLVED – (1)… (2)…", "notes of the last meeting were agreed as an accurate record"."""
    found = []
    index = 0
    while index < len(paragraphs):
        text = paragraphs[index]
        record = _RECORD.search(text)
        match = _DECISION.search(text)
        if record and (not match or record.start() <= match.start()):
            sentence = text[record.start() :]
            sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z])", sentence)[0]
            found.append(
                (
                    index,
                    Decision(
                        item=item, kind=_KIND_OF_VERB[record[1].lower()], text=sentence.strip()
                    ),
                )
            )
            index += 1
            continue
        if not match:
            index += 1
            continue
        verb = next(g for g in match.groups() if g)
        rest = text[match.start() :].strip()
        after = text[match.end() :].strip(" :–-")
        items = []
        if _LIST_MARK.search(after) or (
            text.rstrip().endswith(":") and index + 1 < len(paragraphs)
        ):
            body = after
            lookahead = index + 1
            if not _LIST_MARK.search(body):
                body = ""
            while lookahead < len(paragraphs) and (
                not body or _LIST_MARK.match(paragraphs[lookahead])
            ):
                if _LIST_MARK.match(paragraphs[lookahead]) or not body:
                    body += " " + paragraphs[lookahead]
                    lookahead += 1
                else:
                    break
            pieces = [p.strip() for p in _LIST_MARK.split(" " + body)]
            # re.split keeps the captured marks: [before, mark, text, mark, text...]
            marks = pieces[1::2]
            texts = pieces[2::2]
            if texts:
                for mark, piece in zip(marks, texts, strict=False):
                    items.append(
                        Decision(
                            item=item, kind=_kind_of(verb, piece), text=piece, number=f"({mark})"
                        )
                    )
                for decision in items:
                    found.append((lookahead - 1, decision))
                index = lookahead
                continue
        label = verb.isupper() or verb in ("Resolved", "Agreed", "Decision")
        found.append(
            (index, Decision(item=item, kind=_kind_of(verb, after), text=after if label else rest))
        )
        index += 1
    return found


# --- the parser ---------------------------------------------------------------------------


@dataclass
class _ItemLines:
    item: Item
    lines: list[Line] = field(default_factory=list)


def _item_heading(line: Line) -> tuple[str, str] | None:
    if line.bullet or line.cells:
        return None
    match = _ITEM.match(line.text)
    if not match:
        return None
    number = re.sub(r"\.0$", "", match["a"] or match["b"])  # "2.0 Reviews" is item 2
    title = match["title"].strip()
    title = re.sub(r"\s+ACTIONS?$", "", title).strip(" :–-")
    words = title.split()
    if not words or len(words) > 14 or title[0].islower() or title.startswith("("):
        return None
    if int(number.split(".")[0]) == 0:
        return None
    if title.endswith(".") and ("." in number or len(words) > 6):
        return None
    if re.match(r"^(am|pm|a\.m\.|p\.m\.|%|per cent)\b", title):
        return None
    if re.match(_MONTH + r"\b", title, re.IGNORECASE):
        return None
    return number, title


def _unique(lines: list[Line]) -> list[Line]:
    """Running headers repeat on every page: keep their first appearance."""
    seen, out = set(), []
    counts: dict[str, int] = {}
    for line in lines:
        if len(line.text) >= 20 and not line.cells:
            counts[line.text] = counts.get(line.text, 0) + 1
    for line in lines:
        key = line.text
        if counts.get(key, 0) > 1:
            if key in seen:
                continue
            seen.add(key)
        if re.fullmatch(
            r"(page\s+\d+(\s+of\s+\d+)?|-\s*\d+\s*-|\d{1,3})", line.text.strip(), re.IGNORECASE
        ):
            continue
        out.append(line)
    return out


_LONE_NUMBER = re.compile(r"(?:(?:agenda\s+)?item\s+)?\d{1,2}(?:\.\d{1,2})?[.):]?", re.IGNORECASE)
# Labels committee minutes put above the text of each item: not part of it.
_LABEL = re.compile(
    r"^(?:minutes|decision|supporting documents|additional documents|notes)\s*:$", re.IGNORECASE
)


def _join_lone_numbers(lines: list[Line]) -> list[Line]:
    """ "27." on a line of its own with the title on the next, as committee minutes set
    them out: one heading line."""
    out: list[Line] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.cells and not line.bullet and _LONE_NUMBER.fullmatch(line.text.strip()):
            after = index + 1
            while after < len(lines) and not lines[after].text.strip() and not lines[after].cells:
                after += 1
            if after < len(lines) and not lines[after].cells:
                joined = Line(
                    f"{line.text.strip()} {lines[after].text.strip()}",
                    margin=line.margin or lines[after].margin,
                    bold=line.bold and lines[after].bold,
                )
                if _item_heading(joined):
                    out.append(joined)
                    index = after + 1
                    continue
        out.append(line)
        index += 1
    return out


def parse_minutes(lines: list[Line]) -> ParsedMeeting:
    """The meeting these lines record. See the module docstring."""
    result = ParsedMeeting()
    lines = _join_lone_numbers(_unique(lines))
    lines = [ln for ln in lines if not _LABEL.match(ln.text.strip()) or ln.margin or ln.cells]
    numbered = any(_item_heading(ln) for ln in lines)

    header: list[Line] = []
    attendance_lines: list[tuple[str, Line]] = []
    items: list[_ItemLines] = []
    action_lines: list[tuple[str, Line]] = []
    state = "header"
    status = ""
    org_context = ""
    bold_count = 0
    next_meetings: list[str] = []

    for line in lines:
        text = line.text.strip()
        if not text and not line.margin and not line.cells:
            continue
        heading = _item_heading(line) if text else None
        is_bold_heading = (
            not numbered
            and line.bold
            and not line.bullet
            and 0 < len(text.split()) <= 12
            and not text.endswith(".")
            and not status_heading(text)
        )
        if (
            text
            and not line.cells
            and _ACTIONS_SECTION.match(re.sub(r"^\d+\.?\s+", "", text).strip("* "))
        ):
            state = "actions"
            continue
        if text and not heading and _NEXT_MEETING_LINE.match(text):
            next_meetings.append(text)
            continue
        attendance = (
            status_heading(text) if text and not line.cells and state != "actions" else None
        )
        if attendance and state in ("header", "attendance") and (not items or not numbered):
            status, rest = attendance
            state = "attendance"
            org_context = ""
            if rest:
                attendance_lines.append((status, Line(rest)))
            continue
        if is_bold_heading and state == "header" and not any(h.text for h in header):
            header.append(line)  # the document's title, not an agenda item
            continue
        if heading or is_bold_heading:
            if is_bold_heading:
                bold_count += 1
                number, title = str(bold_count), text
            else:
                number, title = heading
            items.append(_ItemLines(Item(number=number, title=title)))
            if line.margin and line.margin.strip().upper() not in ("ACTION", "ACTIONS"):
                items[-1].lines.append(Line("", margin=line.margin))
            state = "item"
            continue
        if state == "attendance":
            attendance_lines.append((status, line))
            continue
        if state == "actions":
            action_lines.append((items[-1].item.number if items else "", line))
            continue
        if state == "item":
            items[-1].lines.append(line)
            continue
        header.append(line)

    # Attendance: lines that stop parsing as names go back to the unplaced.
    for status, line in attendance_lines:
        if line.cells:
            cells = [c for c in line.cells if c]
            if not cells or re.match(r"^(name|member|attendee)s?$", cells[0], re.IGNORECASE):
                continue
            people = parse_person(cells[0], status)
            if people:
                person = people[0]
                for cell in cells[1:]:
                    role = _ROLE_WORDS.get(cell.lower())
                    if role:
                        person.role = role
                    elif _SUBSTITUTE.match(cell):
                        person.substitute_for = _strip_title(_SUBSTITUTE.match(cell)[1])
                    elif not person.organisation:
                        person.organisation = cell
                result.attendance.extend(people)
            else:
                result.unplaced.append(line.text)
            continue
        text = line.text.strip()
        if not text:
            continue
        people = None if text.endswith(":") else parse_attendance_text(text, status)
        if people is None:
            if _is_org_line(text, line):
                org_context = text.rstrip(":").strip()
                continue
            result.unplaced.append(text)
            continue
        for person in people:
            if org_context and not person.organisation:
                person.organisation = org_context
            seen = {(a.name, a.status) for a in result.attendance}
            if (person.name, person.status) in seen:
                result.flag("attendance", f"{person.name} is listed twice; kept once")
                continue
            result.attendance.append(person)

    _read_header(result, header)
    meeting_date = dt.date.fromisoformat(result.date) if result.date else None

    paragraphs_of: dict[str, list[str]] = {}
    for entry in items:
        item = entry.item
        # "4.3 RESOLVED…": paragraph numbers stay in the text but not in what is read.
        paragraphs = [
            re.sub(r"^\d{1,2}\.\d{1,2}\.?\s+", "", ln.text) for ln in entry.lines if ln.text
        ]
        item.text = _item_text(entry.lines)
        result.items.append(item)
        paragraphs_of[item.number] = paragraphs
        title = item.title.lower()
        if re.search(r"apolog|attendance|present|substitut", title):
            _read_item_apologies(result, paragraphs)
        if re.search(r"declarations?\s+of\s+interests?|interests|disclosures?", title):
            _read_declarations(result, item)
        if re.search(
            r"(date|dates|time)s?\s+of\s+(the\s+)?(next|future)|next\s+meeting|future\s+meeting",
            title,
        ):
            year = meeting_date.year if meeting_date else None
            for date in find_dates(item.text, default_year=year):
                if not meeting_date or date > meeting_date:
                    result.future_meetings.append(date.isoformat())

    for line in [*header, *(Line(t) for t in next_meetings)]:
        if re.search(r"next\s+meeting|future\s+meeting", line.text, re.IGNORECASE):
            year = meeting_date.year if meeting_date else None
            result.future_meetings.extend(
                d.isoformat()
                for d in find_dates(line.text, default_year=year)
                if not meeting_date or d > meeting_date
            )

    decision_paragraph: dict[tuple[str, int], list[int]] = {}
    for entry in items:
        number = entry.item.number
        for paragraph, decision in find_decisions(number, paragraphs_of[number]):
            decision_paragraph.setdefault((number, paragraph), []).append(len(result.decisions))
            result.decisions.append(decision)

    _read_joins(result, paragraphs_of)
    for entry in items:
        _read_item_actions(
            result, entry, paragraphs_of[entry.item.number], decision_paragraph, meeting_date
        )
    _read_action_section(result, action_lines, meeting_date)
    _read_amounts(result, paragraphs_of)
    _check(result)
    return result


def _read_item_apologies(result: ParsedMeeting, paragraphs: list[str]) -> None:
    """Apologies minuted under an item: "Apologies were received from A and B", or a line
    ending "…from the following:" with a name on each line beneath it."""
    listing = False
    for text in paragraphs:
        if re.match(r"^(apologies|no apologies)", text, re.IGNORECASE):
            listing = text.rstrip().endswith(":")
            people = [] if listing else parse_attendance_text(text, "apologies")
        elif listing:
            people = parse_attendance_text(text, "apologies")
            if people is None:
                listing = False
                continue
        else:
            continue
        for person in people or []:
            if person.name not in {a.name for a in result.attendance if a.status == person.status}:
                result.attendance.append(person)


def _is_org_line(text: str, line: Line) -> bool:
    if text.endswith(":") or line.bold:
        return True
    if "(" in text or len(text.split()) > 8:
        return False
    return bool(_ORG_WORDS.search(text) or re.fullmatch(r"[A-Z&]{2,6}", text))


def _item_text(lines: list[Line]) -> str:
    out: list[str] = []
    for line in lines:
        if not line.text:
            continue
        if line.bullet:
            if out and out[-1].startswith("- "):
                out[-1] += "\n- " + line.text
            else:
                out.append("- " + line.text)
        else:
            out.append(line.text)
    return "\n\n".join(out)


def _read_header(result: ParsedMeeting, header: list[Line]) -> None:
    used = set()
    for index, line in enumerate(header):
        text = line.text.strip()
        if not text or _BOILERPLATE.match(text):
            used.add(index)
            continue
        venue = re.match(
            r"^(?:venue|location|place|where|held at)\s*[:–-]?\s*(.+)$", text, re.IGNORECASE
        )
        if venue and not result.venue:
            result.venue = venue[1].strip()
            used.add(index)
            continue
        date_label = re.match(
            r"^(?:date|date and time|when|time)\s*[:–-]\s*(.+)$", text, re.IGNORECASE
        )
        body = date_label[1] if date_label else text
        dates = find_dates(body)
        if dates and not result.date and not re.search(r"next\s+meeting", text, re.IGNORECASE):
            result.date = dates[0].isoformat()
            result.time = result.time or find_time(body)
            used.add(index)
            held = re.search(
                r"\bheld\s+(?:at|in)\s+(.+?)(?:\s+on\s+|,\s*on\s+|$)", body, re.IGNORECASE
            )
            if held and not result.venue:
                result.venue = held[1].strip(" ,.")
            if not date_label and not result.title and len(body) > 40:
                title = _DATE.split(body)[0] if _DATE.search(body) else body
                title = re.split(r"\s+[–—-]\s+\S*\s*$|\s+(?:held\s+)?on\s*$", title.strip())[0]
                if len(title.split()) >= 2:
                    result.title = title.strip(" –—-:,")
                    result.board = _board_name(result.title)
            elif result.title and len(body) <= 120:
                _venue_from_parts(
                    result, body[_DATE.search(body).end() :] if _DATE.search(body) else body
                )
            continue
        if date_label is None and re.match(r"^time\s*[:–-]", text, re.IGNORECASE):
            result.time = find_time(text)
            used.add(index)
            continue
        if not result.title and len(text.split()) <= 16:
            result.title = text
            result.board = _board_name(text)
            used.add(index)
            continue
        if re.search(r"next\s+meeting|future\s+meeting", text, re.IGNORECASE):
            used.add(index)
            continue
    if result.time is None:
        for line in header:
            if find_dates(line.text) and find_time(line.text):
                result.time = find_time(line.text)
                break
    for index, line in enumerate(header):
        if index not in used and line.text.strip():
            result.unplaced.append(line.text.strip())


def _venue_from_parts(result: ParsedMeeting, body: str) -> None:
    if result.venue:
        return
    parts = [p.strip() for p in re.split(r",\s*|\s+[–—]\s+|\s+at\s+(?=[A-Z])", body)]
    rest = [
        p
        for p in parts
        if p
        and not find_dates(p + " 2000")
        and not find_time(p)
        and not re.fullmatch(_DAY_NAME.strip("?") + r"?\s*\d*", p)
        and not _DATE.search(p)
        and not re.fullmatch(r"\d{4}", p)
        and not re.fullmatch(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day", p, re.IGNORECASE)
        and not re.search(r"\b(Board|Committee|Partnership|Forum|Group|Meeting|Minutes)\b", p)
    ]
    if rest:
        result.venue = ", ".join(rest)


def _board_name(title: str) -> str:
    name = re.sub(
        r"^(?:minutes|notes?|action notes)\s+of\s+(?:the\s+)?(?:meeting\s+of\s+(?:the\s+)?)?",
        "",
        title,
        flags=re.IGNORECASE,
    )
    name = re.sub(r"\s*(?:meeting|minutes|notes)$", "", name, flags=re.IGNORECASE)
    name = re.split(r"\s+[–—-]\s+|\s+held\s+", name)[0]
    return name.strip(" :")


def _read_declarations(result: ParsedMeeting, item: Item) -> None:
    text = item.text
    if re.search(
        r"\b(none|no (declarations|interests)|nil)\b.{0,30}(declared|received|made)?|\bnone dec"
        r"lared\b",
        text,
        re.IGNORECASE,
    ) and not re.search(r"\bdeclared an? ", text):
        result.declarations_none = True
        return
    for match in re.finditer(
        r"((?:"
        + _TITLES
        + r"\s+)?[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,3})\s+declared\s+(?:an?\s+)?(.+?)\s+"
        r"interest\s+in\s+(?:agenda\s+)?item\s+(\d+(?:\.\d+)?)(.*?)(?:\.|$)",
        text,
    ):
        # "PL declared…": the name the attendance gives, when initials or a surname are used
        name, _ = resolve_owner(match[1], result.attendance)
        result.declarations.append(
            Declaration(
                person=name if name and name != "All" else _strip_title(match[1]),
                item=match[3],
                nature=(match[2] + " interest" + match[4]).strip(),
            )
        )


def _read_joins(result: ParsedMeeting, paragraphs_of: dict[str, list[str]]) -> None:
    for number, paragraphs in paragraphs_of.items():
        for text in paragraphs:
            for match in re.finditer(
                r"((?:" + _TITLES + r"\s+)?[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,3})\s+"
                r"(?:(joined|arrived at|left|departed)\s+the\s+(?:meeting|room)\b\s*(.{0,40}?)"
                # "YK arrived at 7.20pm": a clock time says when, without "the meeting"
                r"|(arrived|joined)\s+(?:at\s+)?(\d{1,2}(?:[.:]\d{2})?\s*(?:am|pm)?))(?:\.|,|$)",
                text,
            ):
                name, _ = resolve_owner(match[1], result.attendance)
                person = next((a for a in result.attendance if a.name == name), None)
                if person is None:
                    continue
                verb, when = match[2] or match[4], (match[3] or match[5] or "").strip()
                if not when or re.fullmatch(
                    r"(?:for|during|at)\s+(?:this|the)\s+item|for\s+(?:this\s+)?item", when
                ):
                    when = f"item {number}"
                elif match[5]:
                    when = f"{when}, during item {number}"
                if verb in ("joined", "arrived at", "arrived"):
                    person.joined_at = when
                else:
                    person.left_at = when


_INLINE_ACTION = re.compile(
    r"(?:^|\s|\()(?:ACTIONS?|Actions?)(?:\s+by)?\s*[:–—-]\s*(?P<rest>[^()]+?)\)?\s*$"
)


def _read_item_actions(result, entry, paragraphs, decision_paragraph, meeting_date) -> None:
    number = entry.item.number
    paragraph_index = -1
    for line in entry.lines:
        if line.text:
            paragraph_index += 1
        margin = (line.margin or "").strip()
        if margin and margin.upper() not in ("ACTION", "ACTIONS", "ACTION BY"):
            text = _action_text_for(
                result, number, paragraph_index, paragraphs, decision_paragraph
            )
            _add_action(
                result, item=number, text=text, owner_text=margin, meeting_date=meeting_date
            )
        inline = _INLINE_ACTION.search(line.text) if line.text else None
        if inline:
            rest = inline["rest"].strip()
            before = line.text[: inline.start()].strip()
            split = re.match(
                r"^(?P<owners>[^,.]+?)\s+(?:to|will|would|is\s+to|are\s+to|agreed\s+to)\s+"
                r"(?P<text>.+)$",
                rest,
            )
            if split:
                owners, _, sure = resolve_owners(split["owners"], result.attendance)
                if sure:
                    _add_action(
                        result,
                        item=number,
                        text=split["text"],
                        owner_text=split["owners"],
                        meeting_date=meeting_date,
                        due_from=rest,
                    )
                    continue
            owner_text, due_text = _split_owner_due(rest)
            if before:
                text = before
            else:
                # "ACTION: Lorna Pike" under a paragraph: the action is what it decided.
                text = _action_text_for(
                    result,
                    number,
                    paragraph_index - 1,
                    paragraphs,
                    decision_paragraph,
                    only_here=True,
                )
            _add_action(
                result,
                item=number,
                text=text,
                owner_text=owner_text,
                meeting_date=meeting_date,
                due_from=due_text or text,
            )
        if line.text:
            pass
        if line.cells:
            _read_action_row(result, number, line, meeting_date)


def _split_owner_due(rest: str) -> tuple[str, str]:
    match = re.match(r"^(.+?)\s*(?:[–—-]|,)?\s*\b(by|before|due)\b\s*(.+)$", rest, re.IGNORECASE)
    if match:
        return match[1].strip(" ,–-"), f"{match[2]} {match[3]}"
    return rest, ""


def _action_text_for(
    result, number, paragraph_index, paragraphs, decision_paragraph, only_here=False
) -> str:
    at = decision_paragraph.get((number, paragraph_index))
    chosen = at or (
        []
        if only_here
        else [i for (n, _), ids in decision_paragraph.items() if n == number for i in ids]
    )
    if any(result.decisions[i].kind != "noted" for i in chosen):
        chosen = [i for i in chosen if result.decisions[i].kind != "noted"]
    texts = []
    for index in chosen:
        decision = result.decisions[index]
        if len(decision.text.split()) < 7:
            # "The Board supported this proposal.": the paragraph says what was supported.
            holder = next((p for p in paragraphs if decision.text in p), decision.text)
            texts.append(holder)
        else:
            texts.append(decision.text)
    if texts:
        return " ".join(dict.fromkeys(texts))
    if 0 <= paragraph_index < len(paragraphs):
        return paragraphs[paragraph_index]
    return paragraphs[-1] if paragraphs else ""


def _add_action(result, *, item, text, owner_text, meeting_date, due_from=None) -> None:
    owners, reasons, sure = resolve_owners(owner_text, result.attendance)
    due, due_text = parse_due(due_from if due_from is not None else text, meeting_date)
    action = ActionPoint(
        item=item,
        text=text.strip(),
        owners=owners,
        due=due,
        owner_text=owner_text,
        due_text=due_text,
        owner_reasons=reasons,
    )
    index = len(result.actions)
    result.actions.append(action)
    if not sure:
        result.flag(f"actions.{index}.owners", "; ".join(reasons) or "no owner given")
    if due_text and due is None:
        result.flag(f"actions.{index}.due", f"“{due_text}” is not a date")


_ACTION_COLUMNS = {
    "item": re.compile(
        r"^(item|ref|minute|no\.?|number|agenda item|#"
        r"|(?:action|item|minute|ref)\s+(?:no\.?|ref))$",
        re.IGNORECASE,
    ),
    "text": re.compile(
        r"^(action|actions|action required|description|what|task|action point)$", re.IGNORECASE
    ),
    "owner": re.compile(
        r"^(owner|owners|lead|leads|responsible|who|by whom|action by|officer|person responsibl"
        r"e)$",
        re.IGNORECASE,
    ),
    "due": re.compile(
        r"^(due|due date|deadline|by when|when|date|target date|timescale|by)$", re.IGNORECASE
    ),
}


def _table_columns(cells: list[str]) -> dict[str, int] | None:
    columns = {}
    for index, cell in enumerate(cells):
        for key, pattern in _ACTION_COLUMNS.items():
            if key not in columns and pattern.match(cell.strip()):
                columns[key] = index
                break
    if "text" in columns and "owner" in columns:
        return columns
    return None


_current_columns: dict[int, dict[str, int]] = {}


def _read_action_row(result, item, line, meeting_date, columns_box=None) -> bool:
    columns = _table_columns(line.cells)
    key = id(result)
    if columns:
        _current_columns[key] = columns
        return True
    columns = _current_columns.get(key)
    if not columns or len(line.cells) <= max(columns.values()):
        return False
    cells = line.cells
    text = cells[columns["text"]].strip()
    if not text:
        return True
    row_item = cells[columns["item"]].strip() if "item" in columns else item
    row_item = re.sub(r"^(item|minute)\s*", "", row_item, flags=re.IGNORECASE).strip(" .")
    row_item = re.split(r"[/]", row_item)[0]
    due_cell = cells[columns["due"]].strip() if "due" in columns else ""
    _add_action(
        result,
        item=row_item,
        text=text,
        owner_text=cells[columns["owner"]],
        meeting_date=meeting_date,
        due_from=due_cell or text,
    )
    return True


_STEP_OWNERS = re.compile(
    r"^(?P<owners>(?:"
    + _TITLES
    + r"\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?(?:\s*(?:&|and|,|/)\s*(?:"
    + _TITLES
    + r"\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)*)"
    r"\s+(?:also\s+)?(?:will|to|agreed|undertook|is\s+to|are\s+to|would|offered|has\s+agreed|ha"
    r"ve\s+agreed|asked|volunteered)\b"
)


def _read_action_section(result, action_lines, meeting_date) -> None:
    for item, line in action_lines:
        if line.cells:
            if not _read_action_row(result, item, line, meeting_date):
                result.unplaced.append(line.text)
            continue
        text = line.text.strip()
        if not text:
            continue
        inline = _INLINE_ACTION.search(text)
        if inline:
            owner_text, due_text = _split_owner_due(inline["rest"])
            _add_action(
                result,
                item=item,
                text=text[: inline.start()].strip(),
                owner_text=owner_text,
                meeting_date=meeting_date,
                due_from=due_text,
            )
            continue
        if re.search(
            r"\basked\s+(?:the\s+board|members|all\s+\w+|partners|everyone)\s+to\b",
            text,
            re.IGNORECASE,
        ):
            _add_action(result, item=item, text=text, owner_text="All", meeting_date=meeting_date)
            continue
        match = _STEP_OWNERS.match(text)
        if match:
            owner_text = match["owners"]
            # "Tony also agreed to work with John": John shares the action.
            partner = re.search(
                r"\b(?:work|working|together|jointly)\s+with\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]"
                r"+)?)",
                text,
            )
            if partner and resolve_owner(partner[1], result.attendance)[0]:
                owner_text += " / " + partner[1]
            _add_action(
                result, item=item, text=text, owner_text=owner_text, meeting_date=meeting_date
            )
            continue
        result.unplaced.append(text)
    _current_columns.pop(id(result), None)


def _read_amounts(result: ParsedMeeting, paragraphs_of: dict[str, list[str]]) -> None:
    for number, paragraphs in paragraphs_of.items():
        for paragraph in paragraphs:
            for sentence in re.split(r"(?<=[.!?;])\s+(?=[A-Z•(])", paragraph):
                for match in _MONEY.finditer(sentence):
                    value = _money_value(match[0])
                    if value is None:
                        continue
                    pence, high = value
                    decision = next(
                        (
                            i
                            for i, d in enumerate(result.decisions)
                            if d.item == number and (sentence in d.text or d.text in sentence)
                        ),
                        None,
                    )
                    kind = "mention"
                    low = sentence.lower()
                    if decision is not None:
                        if "recover" in low:
                            kind = "recovery"
                        elif "budget" in low:
                            kind = "budget"
                        elif re.search(
                            r"fund|allocat|approv|award|grant|commit|release|spend|agree", low
                        ):
                            kind = "allocation"
                    index = len(result.amounts)
                    result.amounts.append(
                        Amount(
                            item=number,
                            text=sentence.strip(),
                            pence=pence,
                            high_pence=high,
                            kind=kind,
                            decision=decision,
                            written=match[0].strip(),
                        )
                    )
                    if high is not None:
                        result.flag(f"amounts.{index}", f"“{match[0].strip()}” is a range")


def _check(result: ParsedMeeting) -> None:
    if not result.date:
        result.flag("date", "no date of meeting found")
    if not result.items:
        result.flag("items", "no agenda items found")
    if not result.attendance:
        result.flag("attendance", "no attendance list found")
    names = [a.name for a in result.attendance]
    for index, person in enumerate(result.attendance):
        if names.count(person.name) > 1 and names.index(person.name) != index:
            result.flag(f"attendance.{index}", f"{person.name} is listed twice")
