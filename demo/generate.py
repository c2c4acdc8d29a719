"""A large, realistic record for the benchmark: a county's boards over a decade.

At scale 1: 40 boards, 600 people, 8,000 meetings, 100,000 agenda items, 200,000
actions, 400,000 action updates, 50 funds with 20,000 ledger lines. Rows go in with
PostgreSQL's COPY (bulk_create elsewhere) and explicit ids, so one pass builds every
link without reading anything back.

Whatever the scale, the person signed in as "bench" sits on the same number of boards
and owns the same number of actions, so the pages measured for them show the same
amount at a small and a large record; only the record around them grows. So do the
heavy users (`PERSONAS`): a person owning 480 actions on 8 boards, a chair of 20 boards,
a staff user who reads every board, and on the bench person's board a meeting of 80 items
and one of 5. One board, the big board, takes a tenth of the record's actions: its log
grows with the record, as the biggest board of a real partnership's does. Its fund of
5,000 ledger lines is the same at every scale.
"""

import math
import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from faker import Faker

from actions.models import Action, ActionUpdate
from boards.models import Board, Membership, Organisation, Person, RecordChange
from funding.models import Fund, FundEntry
from meetings.models import AgendaItem, Attendance, Decision, Meeting

from . import data

LONDON = ZoneInfo("Europe/London")
FULL_SCALE = {
    "boards": 40,
    "people": 600,
    "meetings": 8_000,
    "items": 100_000,
    "actions": 200_000,
    "updates": 400_000,
    "funds": 50,
}
# Per fund, not per record: a fund page shows the same ledger at every scale.
ENTRIES_PER_FUND = 400
BENCH_USERNAME = "bench"
BENCH_PASSWORD = "minutebook-bench"
BENCH_BOARDS = 3
BENCH_OWNED = 40  # named as an owner
BENCH_WHOLE_BOARD = 10  # "ALL" on one of the bench person's boards
FIRST_YEAR = 2016

# The heavy users: log-ins (password BENCH_PASSWORD) and their fixed share of the record.
PERSONAS = {
    "heavy_owner": "bench-owner",  # owns HEAVY_OWNED actions on HEAVY_OWNER_BOARDS boards
    "chair_20": "bench-chair",  # chairs CHAIR_BOARDS boards, owns CHAIR_OWNED actions
    "staff": "bench-staff",  # a superuser: reads every board
}
MIN_BOARDS = 24
BIG_BOARD = BENCH_BOARDS  # boards[3]: the biggest board, chaired by the chair of 20
CHAIR_BOARDS = 20  # boards[3:23]
HEAVY_OWNER_BOARDS = 8  # boards[3:11]
HEAVY_OWNED, HEAVY_OPEN = 480, 420
CHAIR_OWNED = 40
# One "All members" action on each of the chair's boards: the record's own whole-board
# actions stay off these boards, so every persona sees the same number at any scale.
PERSONA_WHOLE_BOARD = CHAIR_BOARDS
BIG_BOARD_SHARE = 0.1  # of the record's actions
# The big board's fund: a persona like the others, the same ledger at every scale (a
# decade of a busy fund's lines), so the fund CSV compares like with like.
BIG_FUND_LINES = 5_000
SCREEN_MEETINGS = (80, 5)  # items: the meeting screen, long and short
SCREEN_ACTION_EVERY = 4  # one action (and one decision) on every fourth item

AREAS = [
    "Swindon", "Wiltshire", "Gloucestershire", "Bath and North East Somerset",
    "Oxfordshire", "Berkshire West", "Somerset", "Dorset", "Bristol", "Cheltenham",
]  # fmt: skip
BOARD_THEMES = [
    "Partnership Board", "Health and Wellbeing Board", "Community Safety Partnership",
    "Children's Trust Board", "Employment and Skills Board", "Safeguarding Adults Board",
    "Transformation Board", "Housing Partnership", "Economic Partnership",
    "Local Resilience Forum", "Early Help Board", "Voluntary Sector Forum",
]  # fmt: skip
SUBJECTS = [
    "the troubled families programme", "the data sharing protocol", "community navigators",
    "the Transformation Hub", "household level data",
    "the local supply chain and procurement project", "the social investment feasibility study",
    "joint commissioning of community capacity building",
    "the Police Innovation Fund bid", "the neighbourhood planning toolkit",
    "the common customer cohorts", "the Strategic Liaison Officer post",
    "the employment and skills action plan", "the business case implementation plan",
    "the shared strategy", "the Better Care Fund plan", "the domestic abuse pathway",
    "the early help offer", "the youth unemployment project",
    "aligned bidding for external funding", "the cost benefit analysis model",
    "the volunteering strategy", "the town centre regeneration scheme",
    "the integrated health and care hub", "the community infrastructure partnership",
    "the winter pressures plan", "the night-time economy review", "the carers' strategy",
]  # fmt: skip
ACTION_VERBS = [
    "Circulate", "Report back to the Board on", "Arrange a workshop on", "Bring a paper on",
    "Confirm funding for", "Draft terms of reference for", "Update members on",
    "Scope the next steps for", "Share the latest figures on", "Meet the partners leading on",
    "Write to the Treasury about", "Work up a business case for",
]  # fmt: skip
ACTION_TAILS = [
    "before the next meeting", "with partner analysts", "to all Board members",
    "with the Trade Unions", "and report to the Employment and Skills Board",
    "for the away day", "with the Communications team", "in time for the 2014/15 bid",
    "and quantify the benefits other than financial", "with the voluntary sector",
]  # fmt: skip
UPDATES = [
    "Workshop held with the procurement leads; notes circulated.",
    "Spoken to UNITE and UNISON; yet to meet the police and fire unions.",
    "Paper drafted and with partners for comment.",
    "Deferred until the prospectus is published in April.",
    "Figures received from the analysts; confidence now above 50%.",
    "Consultant appointed; first briefing due next month.",
    "Meeting arranged with the CCG and SEQOL leads.",
    "Funding confirmed from the Transformation Fund.",
    "Complete: reported under matters arising.",
    "No progress yet: lead officer on leave.",
]  # fmt: skip
OPENINGS = [
    "The Board received a presentation from {person} on {subject}.",
    "The Board considered a report, presented by {person}, regarding {subject}.",
    "The Board received an update from {person} on {subject}.",
]  # fmt: skip
DISCUSSION = [
    "It was noted that the responsibility for this does not lie with one organisation.",
    "It was queried whether the figures had been tested against the community budget model.",
    "It was confirmed that all Board members fully support the move to household level data.",
    "It was suggested that this could be fed in to the Employment and Skills Board.",
    "It was noted that the outcomes set out in the report were very high-level.",
    "It was reiterated that local people will be asked to define what makes a neighbourhood.",
    "It was noted that the voluntary sector has a huge amount to contribute.",
    "Clarification was given that scoping work is required in each partner organisation.",
]  # fmt: skip
CONCLUSIONS = [
    "The Board noted the update.",
    "The Board agreed to support the proposal.",
    "The Board agreed to fund £25k from the Transformation Fund for a six month scoping review.",
    "A further update will be brought to the next Board meeting.",
]  # fmt: skip
DECISIONS = [
    "To support {subject} being put forward as part of a bid for transformation funding.",
    "To fund £{k}k for {subject} from the Transformation Fund.",
    "That more investigatory work be undertaken on {subject}.",
    "To note the progress on {subject}.",
    "To defer {subject} to a future meeting of the Board.",
]  # fmt: skip
FUND_NAMES = ["Transformation Fund", "Innovation Fund", "Community Grants", "Capital Programme"]


@dataclass
class Plan:
    """How many rows of each kind a scale asks for."""

    boards: int
    people: int
    meetings: int
    items: int
    actions: int
    updates: int
    funds: int
    big_fund_lines: int = ENTRIES_PER_FUND
    entries: int = field(init=False)

    def __post_init__(self):
        self.entries = self.funds * ENTRIES_PER_FUND


# The personas' rows, the same at every scale (written once, with the first record).
PERSONA_ACTIONS = (
    HEAVY_OWNED
    + CHAIR_OWNED
    + PERSONA_WHOLE_BOARD
    + sum(-(-n // SCREEN_ACTION_EVERY) for n in SCREEN_MEETINGS)
)
PERSONA_MEETINGS = len(SCREEN_MEETINGS)
PERSONA_ITEMS = sum(SCREEN_MEETINGS)


def plan_for(scale: float) -> Plan:
    """Counts for a scale, with floors that keep a tiny record coherent."""
    boards = max(MIN_BOARDS, round(FULL_SCALE["boards"] * scale))
    meetings = max(boards * 2, round(FULL_SCALE["meetings"] * scale))
    items = max(meetings * 3, round(FULL_SCALE["items"] * scale))
    # Enough on the bench person's 3 boards (of at least 24) for their fixed 50.
    actions = max(1_000, round(FULL_SCALE["actions"] * scale))
    return Plan(
        boards=boards,
        people=max(30, round(FULL_SCALE["people"] * scale)),
        meetings=meetings,
        items=items,
        actions=actions,
        updates=max(actions, round(FULL_SCALE["updates"] * scale)),
        funds=max(1, round(FULL_SCALE["funds"] * scale)),
        big_fund_lines=BIG_FUND_LINES,
    )


def next_id(model) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def insert_rows(model, objs) -> int:
    """Write rows as they are, ids included: COPY on PostgreSQL, bulk_create elsewhere."""
    if not objs:
        return 0
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=2_000)
        return len(objs)
    fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
    # auto_now stamps come from pre_save; every other value is read straight off the
    # instance (psycopg adapts dates, datetimes, ints and text itself): per-row field
    # preparation through the connection proxy was most of the time.
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    attnames = [f.attname for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for obj in objs:
            for f in stamped:
                f.pre_save(obj, True)
            copy.write_row([obj.__dict__[name] for name in attnames])
    return len(objs)


class _Generator:
    def __init__(self, scale: float, seed: int, out):
        self.plan = plan_for(scale)
        self.rnd = random.Random(seed)
        self.faker = Faker("en_GB")
        self.faker.seed_instance(seed)
        self.out = out
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.written: dict[str, int] = {}

    def write(self, name, model, objs):
        started = time.perf_counter()
        count = insert_rows(model, objs)
        self.written[name] = self.written.get(name, 0) + count
        elapsed = time.perf_counter() - started
        if self.out and count:
            rate = count / max(elapsed, 1e-6)
            self.out(f"  {name}: {count:,} rows in {elapsed:.1f}s ({rate:,.0f} rows/s)")

    # --- text that reads like the sample minutes ---
    def subject(self):
        return self.rnd.choice(SUBJECTS)

    def action_text(self):
        return f"{self.rnd.choice(ACTION_VERBS)} {self.subject()} {self.rnd.choice(ACTION_TAILS)}."

    def minutes_text(self, presenter):
        """Plain text as a secretary types it: paragraphs between blank lines, a bullet a
        line (what the minutes_html filter and the PDF lay out)."""
        rnd = self.rnd
        points = "\n".join(f"• {p}" for p in rnd.sample(DISCUSSION, rnd.randint(1, 4)))
        return (
            f"{rnd.choice(OPENINGS).format(person=presenter, subject=self.subject())}\n\n"
            f"During discussion the following issues were raised:\n{points}\n\n"
            f"{rnd.choice(CONCLUSIONS)}"
        )

    # --- the record ---
    def run(self):
        plan, rnd = self.plan, self.rnd
        bench, wire_bench = self.bench_person()
        # The heavy users join the first record only, as the bench person does.
        personas = self.personas() if wire_bench else {}
        orgs = self.organisations()

        person_id = next_id(Person)
        people = []
        for n in range(plan.people):
            first, last = self.faker.first_name(), self.faker.last_name()
            pid = person_id + n
            people.append(
                Person(
                    id=pid,
                    title=rnd.choices(["", "Cllr", "Dr"], weights=[85, 10, 5])[0],
                    name=f"{first} {last}",
                    email=f"{slugify(first)}.{slugify(last)}.{pid}@example.org",
                    organisation_id=rnd.choice(orgs).id,
                    left_on=self.today - timedelta(days=rnd.randint(30, 3000))
                    if rnd.random() < 0.05
                    else None,
                )
            )
        self.write("people", Person, people)
        self.names = {p.id: p.name for p in people}

        board_id = next_id(Board)
        boards, memberships, members_of = [], [], {}
        membership_id = next_id(Membership)
        chaired = range(BIG_BOARD, BIG_BOARD + CHAIR_BOARDS) if personas else range(0)
        for n in range(plan.boards):
            bid = board_id + n
            theme = BOARD_THEMES[(n // len(AREAS) + n) % len(BOARD_THEMES)]
            name = f"{AREAS[n % len(AREAS)]} {theme}"
            pool = rnd.sample(people, min(len(people), rnd.randint(12, 25)))
            members_of[bid] = [p.id for p in pool]
            boards.append(
                Board(
                    id=bid,
                    name=name,
                    slug=f"{slugify(name)}-{bid}",
                    description=f"The {name}: partners working together on {self.subject()}.",
                    parent_id=board_id + rnd.randrange(min(5, n)) if n >= 5 else None,
                    quorum=rnd.choice([0, 4, 6]),
                    chair_id=personas["chair_20"].id if n in chaired else pool[0].id,
                    secretary_id=pool[1].id,
                    default_venue=f"Committee Room {rnd.randint(1, 6)}, Civic Offices",
                )
            )
            for i, person in enumerate(pool):
                role = {0: "chair", 1: "secretary", 2: "vice_chair"}.get(
                    i, rnd.choices(["member", "adviser", "observer"], weights=[85, 10, 5])[0]
                )
                if role == "chair" and n in chaired:
                    role = "member"  # the chair of 20 chairs this board
                memberships.append(
                    Membership(
                        id=membership_id,
                        person_id=person.id,
                        board_id=bid,
                        role=role,
                        representing_id=person.organisation_id,
                        started_on=date(FIRST_YEAR, 1, 1) + timedelta(days=rnd.randint(0, 900)),
                        ended_on=self.today - timedelta(days=rnd.randint(1, 200))
                        if i > 3 and rnd.random() < 0.05
                        else None,
                    )
                )
                membership_id += 1
        bench_boards = [b.id for b in boards[:BENCH_BOARDS]] if wire_bench else []
        for n, bid in enumerate(bench_boards):
            role = "secretary" if n == 0 else "member"
            if n == 0:
                boards[0].secretary_id = bench.id
            memberships.append(
                Membership(
                    id=membership_id,
                    person_id=bench.id,
                    board_id=bid,
                    role=role,
                    representing_id=bench.organisation_id,
                    started_on=date(FIRST_YEAR, 1, 1),
                )
            )
            membership_id += 1
        persona_boards = {}
        if personas:
            persona_boards = {
                "chair_20": boards[BIG_BOARD : BIG_BOARD + CHAIR_BOARDS],
                "heavy_owner": boards[BIG_BOARD : BIG_BOARD + HEAVY_OWNER_BOARDS],
            }
            for key, role in [("chair_20", "chair"), ("heavy_owner", "member")]:
                for board in persona_boards[key]:
                    memberships.append(
                        Membership(
                            id=membership_id, person_id=personas[key].id, board_id=board.id,
                            role=role, representing_id=personas[key].organisation_id,
                            started_on=date(FIRST_YEAR, 1, 1),
                        )
                    )  # fmt: skip
                    membership_id += 1
        self.write("boards", Board, boards)
        self.write("memberships", Membership, memberships)

        meetings = self.meetings(boards)
        past_items = self.items(meetings, members_of)
        decisions = self.decisions(past_items)
        self.actions(
            past_items, members_of, bench, bench_boards,
            big_board=boards[BIG_BOARD].id if personas else None,
            quiet_boards={b.id for b in persona_boards.get("chair_20", [])},
        )  # fmt: skip
        self.attendance(meetings, members_of)
        self.funds(boards, decisions, big_board=boards[BIG_BOARD] if personas else None)
        if personas:
            self.persona_actions(past_items, personas, persona_boards)
            self.screen_meetings(boards[0], bench, members_of[boards[0].id])
        self.reset_sequences()
        return self.written

    def bench_person(self):
        """The one known log-in; wired to boards and actions only the first time."""
        person = self.log_in(BENCH_USERNAME, "Bench Marker")
        return person, not person.memberships.exists()

    def personas(self) -> dict[str, Person]:
        return {
            "heavy_owner": self.log_in(PERSONAS["heavy_owner"], "Heather Owner"),
            "chair_20": self.log_in(PERSONAS["chair_20"], "Charles Twenty"),
            "staff": self.log_in(PERSONAS["staff"], "Stacey Staff", is_superuser=True),
        }

    def log_in(self, username, name, *, is_superuser=False) -> Person:
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username, email=f"{username}@example.org", password=BENCH_PASSWORD,
                is_staff=is_superuser, is_superuser=is_superuser,
            )  # fmt: skip
        person = Person.objects.filter(user=user).first()
        if person is None:
            org = Organisation.objects.get_or_create(
                name="Swindon Borough Council", defaults={"short_name": "SBC"}
            )[0]
            person = Person.objects.create(
                name=name, email=f"{username}@example.org", organisation=org, user=user
            )
        return person

    def organisations(self):
        return [
            Organisation.objects.get_or_create(
                name=name, defaults={"short_name": short, "sector": sector}
            )[0]
            for short, name, sector in data.ORGANISATIONS
        ]

    def meetings(self, boards):
        plan, rnd = self.plan, self.rnd
        start = date(FIRST_YEAR, 1, 4)
        end = self.today + timedelta(days=90)
        span = (end - start).days
        meeting_id = next_id(Meeting)
        per_board = [plan.meetings // len(boards)] * len(boards)
        for n in range(plan.meetings - sum(per_board)):
            per_board[n] += 1
        meetings = []
        for board, count in zip(boards, per_board, strict=True):
            ids = list(range(meeting_id, meeting_id + count))
            meeting_id += count
            days = sorted(
                start + timedelta(days=int(span * (k + rnd.random() * 0.8) / count))
                for k in range(count)
            )
            starts = [
                datetime.combine(d, dtime(rnd.choice([10, 14]), 0), tzinfo=LONDON) for d in days
            ]
            past = [s for s in starts if s < self.now]
            for k, (mid, starts_at) in enumerate(zip(ids, starts, strict=True)):
                meeting = Meeting(
                    id=mid,
                    board_id=board.id,
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=2),
                    venue=board.default_venue,
                    kind=rnd.choices(
                        ["ordinary", "extraordinary", "away_day", "workshop"],
                        weights=[88, 4, 4, 4],
                    )[0],
                )
                if starts_at >= self.now:
                    soon = starts_at - self.now < timedelta(days=21)
                    meeting.status = "agenda_published" if soon else "draft"
                elif k == len(past) - 1:
                    meeting.status = "minutes_drafted"
                    meeting.minutes_circulated_at = starts_at + timedelta(days=7)
                else:
                    meeting.status = "minutes_approved"
                    meeting.approved_at_id = ids[k + 1]
                    meeting.approved_on = starts[k + 1].date()
                meetings.append(meeting)
        self.write("meetings", Meeting, meetings)
        return meetings

    def items(self, meetings, members_of):
        plan, rnd = self.plan, self.rnd
        item_id = next_id(AgendaItem)
        per_meeting = [plan.items // len(meetings)] * len(meetings)
        for n in rnd.sample(range(len(meetings)), plan.items - sum(per_meeting)):
            per_meeting[n] += 1
        items, past_items = [], []
        names = self.names
        for meeting, count in zip(meetings, per_meeting, strict=True):
            held = meeting.starts_at < self.now
            presenters = members_of[meeting.board_id]
            for order in range(count):
                if order == 0:
                    title = "Welcome and notes of last meeting"
                elif order == 1:
                    title = "Matters arising"
                elif order == count - 1:
                    title = "Any Other Business"
                else:
                    title = self.subject().removeprefix("the ")
                    title = title[0].upper() + title[1:]
                item = AgendaItem(
                    id=item_id,
                    meeting_id=meeting.id,
                    number=str(order + 1),
                    order=order,
                    title=title,
                    minutes=self.minutes_text(names[rnd.choice(presenters)]) if held else "",
                    confidential=rnd.random() < 0.05,
                )
                items.append(item)
                if held:
                    past_items.append((item, meeting))
                item_id += 1
        self.write("agenda items", AgendaItem, items)
        return past_items

    def decisions(self, past_items):
        rnd = self.rnd
        decision_id = next_id(Decision)
        decisions, by_board = [], {}
        self.decisions_at: dict[int, int] = {}
        for item, meeting in past_items:
            if rnd.random() >= 0.4:
                continue
            for number in range(1, rnd.choice([1, 1, 1, 2, 3]) + 1):
                text = rnd.choice(DECISIONS).format(
                    subject=self.subject(), k=rnd.choice([10, 25, 50, 90])
                )
                decision = Decision(
                    id=decision_id,
                    item_id=item.id,
                    board_id=meeting.board_id,
                    kind=rnd.choices(
                        ["agreed", "approved", "noted", "deferred"], weights=[50, 20, 25, 5]
                    )[0],
                    number=number,
                    text=text,
                )
                decisions.append(decision)
                by_board.setdefault(meeting.board_id, []).append((decision, meeting))
                self.decisions_at.setdefault(item.id, decision.id)
                decision_id += 1
        self.write("decisions", Decision, decisions)
        return by_board

    def actions(self, past_items, members_of, bench, bench_boards, *, big_board, quiet_boards):
        plan, rnd = self.plan, self.rnd
        action_id, owner_id = next_id(Action), next_id(Action.owners.through)
        actions, owners, picks = [], [], []
        bench_set = set(bench_boards)
        quiet = bench_set | quiet_boards  # no whole-board actions but the fixed ones
        big_items = [(i, m) for i, m in past_items if m.board_id == big_board]
        per_item_order = self.per_item_order = {}
        for n in range(plan.actions):
            if big_items and rnd.random() < BIG_BOARD_SHARE:
                item, meeting = rnd.choice(big_items)
            else:
                item, meeting = rnd.choice(past_items)
            order = per_item_order.get(item.id, 0)
            per_item_order[item.id] = order + 1
            created_at = meeting.starts_at + timedelta(days=rnd.randint(0, 7))
            action = Action(
                id=action_id + n,
                item_id=item.id,
                board_id=meeting.board_id,
                text=self.action_text(),
                due_on=None
                if rnd.random() < 0.15
                else meeting.starts_at.date() + timedelta(days=rnd.randint(14, 120)),
                created_at=created_at,
                order=order,
                whole_board=meeting.board_id not in quiet and rnd.random() < 0.03,
            )
            age = (self.now - meeting.starts_at).days
            if rnd.random() < (0.9 if age > 180 else 0.3):
                status = "done" if rnd.random() < 0.9 else "dropped"
                closed = created_at + timedelta(days=rnd.randint(7, 150))
                action.set_status(status, at=min(closed, self.now))
            actions.append(action)
            picks.append((action, meeting))
        owner_sets = {}
        for action, meeting in picks:
            if action.whole_board:
                continue
            pool = members_of[meeting.board_id]
            owner_sets[action.id] = rnd.sample(
                pool, min(len(pool), rnd.choices([1, 2, 3], weights=[75, 20, 5])[0])
            )
        if bench_boards:
            # The bench person's share is fixed, so "my actions" is the same size at any scale.
            mine = [(a, m) for a, m in picks if m.board_id in bench_set]
            chosen = rnd.sample(mine, min(len(mine), BENCH_OWNED + BENCH_WHOLE_BOARD))
            for n, (action, _meeting) in enumerate(chosen):
                if n < BENCH_WHOLE_BOARD:
                    action.whole_board = True
                    owner_sets.pop(action.id, None)
                else:
                    owner_sets[action.id].append(bench.id)
                # Dates from the position, not the random stream, so both scales match:
                # three in five still open (some overdue), the rest closed over a year.
                if n % 5 < 3:
                    action.set_status("open")
                    action.due_on = self.today + timedelta(days=(n * 13) % 130 - 40)
                else:
                    status = "done" if n % 10 else "dropped"
                    action.set_status(status, at=self.now - timedelta(days=1 + (n * 37) % 365))
        for action_id_, people in owner_sets.items():
            for person_id in people:
                owners.append(
                    Action.owners.through(id=owner_id, action_id=action_id_, person_id=person_id)
                )
                owner_id += 1
        for action, _meeting in picks:
            if action.item_id in self.decisions_at and rnd.random() < 0.5:
                action.decision_id = self.decisions_at[action.item_id]
        self.write("actions", Action, actions)
        self.write("action owners", Action.owners.through, owners)
        self.updates(picks, members_of)

    def updates(self, picks, members_of):
        plan, rnd = self.plan, self.rnd
        update_id = next_id(ActionUpdate)
        updates = []
        for n in range(plan.updates):
            action, meeting = rnd.choice(picks)
            limit = action.closed_at or self.now
            at = action.created_at + timedelta(days=rnd.randint(1, 120))
            at = min(at, limit)
            kind = "status" if rnd.random() < 0.1 else "comment"
            updates.append(
                ActionUpdate(
                    id=update_id + n,
                    action_id=action.id,
                    kind=kind,
                    text=rnd.choice(UPDATES),
                    by_id=rnd.choice(members_of[meeting.board_id]),
                    at=at,
                    status_to=action.status if kind == "status" else "",
                )
            )
        self.write("action updates", ActionUpdate, updates)

    def attendance(self, meetings, members_of):
        rnd = self.rnd
        attendance_id = next_id(Attendance)
        rows = []
        for meeting in meetings:
            if meeting.starts_at >= self.now:
                continue
            for order, person_id in enumerate(members_of[meeting.board_id]):
                rows.append(
                    Attendance(
                        id=attendance_id,
                        meeting_id=meeting.id,
                        person_id=person_id,
                        status=rnd.choices(
                            ["present", "apologies", "absent"], weights=[80, 15, 5]
                        )[0],
                        order=order,
                    )
                )
                attendance_id += 1
        self.write("attendance", Attendance, rows)

    def funds(self, boards, decisions, *, big_board=None):
        plan, rnd = self.plan, self.rnd
        fund_id, entry_id = next_id(Fund), next_id(FundEntry)
        funds, entries = [], []
        last_year = self.today.year if self.today.month >= 4 else self.today.year - 1
        planned = [
            (boards[n % len(boards)], ENTRIES_PER_FUND,
             f"{FUND_NAMES[(n // len(boards)) % len(FUND_NAMES)]} {fund_id + n}")
            for n in range(plan.funds)
        ]  # fmt: skip
        if big_board is not None:
            # The big board's fund: BIG_FUND_LINES at every scale (the fund CSV's case).
            planned.append((big_board, plan.big_fund_lines, f"Big Board Fund {fund_id}"))
        for n, (board, lines, name) in enumerate(planned):
            fund = Fund(
                id=fund_id + n,
                name=name,
                board_id=board.id,
                kind="capital" if n % 4 == 3 else "revenue",
                description=f"Money the {board.name} controls for {self.subject()}.",
            )
            funds.append(fund)
            board_decisions = decisions.get(board.id, [])
            years = list(range(FIRST_YEAR, last_year + 1))
            for year in years:
                entries.append(
                    FundEntry(
                        id=entry_id, fund_id=fund.id, kind="budget",
                        amount=rnd.randint(500, 1500) * 100_000, financial_year=year,
                        entered_on=date(year, 4, 1), purpose=f"Budget {year}",
                    )
                )  # fmt: skip
                entry_id += 1
            for _ in range(lines - len(years)):
                kind = rnd.choices(["allocation", "release", "recovery"], weights=[85, 10, 5])[0]
                if kind == "allocation" and board_decisions:
                    decision, meeting = rnd.choice(board_decisions)
                    entered_on = meeting.starts_at.date()
                    amount = rnd.choice([5, 10, 25, 50, 90]) * 100_000
                else:
                    kind = "release" if kind == "allocation" else kind
                    decision = None
                    entered_on = date(FIRST_YEAR, 4, 1) + timedelta(
                        days=rnd.randint(0, (self.today - date(FIRST_YEAR, 4, 1)).days)
                    )
                    amount = rnd.randint(10, 200) * 10_000
                year = entered_on.year if entered_on.month >= 4 else entered_on.year - 1
                entries.append(
                    FundEntry(
                        id=entry_id, fund_id=fund.id, kind=kind, amount=amount,
                        financial_year=year, decision_id=decision.id if decision else None,
                        entered_on=entered_on, purpose=f"{self.action_text()[:-1]}",
                        recipient_id=None,
                    )
                )  # fmt: skip
                entry_id += 1
        self.write("funds", Fund, funds)
        self.write("fund entries", FundEntry, entries)

    def persona_actions(self, past_items, personas, persona_boards):
        """The heavy owner's and the chair's actions, and one "All members" action on each of
        the chair's boards: counts, dates and words from their position, not the random
        stream, so they are the same at every scale. Each hangs on the latest held meeting
        of its board, with one update."""
        latest: dict[int, list] = {}
        for item, meeting in past_items:
            held = latest.setdefault(meeting.board_id, [])
            if held and held[0][1].starts_at < meeting.starts_at:
                held.clear()
            if not held or held[0][1].id == meeting.id:
                held.append((item, meeting))
        chair_boards = persona_boards["chair_20"]
        owner_boards = persona_boards["heavy_owner"]
        wanted = (
            [(owner_boards[n % len(owner_boards)], n, personas["heavy_owner"], n < HEAVY_OPEN)
             for n in range(HEAVY_OWNED)]
            + [(chair_boards[n % len(chair_boards)], n, personas["chair_20"], n % 5 < 3)
               for n in range(CHAIR_OWNED)]
            + [(board, n, None, True) for n, board in enumerate(chair_boards)]
        )  # fmt: skip
        action_id, owner_id = next_id(Action), next_id(Action.owners.through)
        update_id = next_id(ActionUpdate)
        actions, owners, updates = [], [], []
        for k, (board, n, owner, still_open) in enumerate(wanted):
            item, meeting = latest[board.id][n % len(latest[board.id])]
            order = self.per_item_order.get(item.id, 0)
            self.per_item_order[item.id] = order + 1
            action = Action(
                id=action_id + k, item_id=item.id, board_id=board.id, order=order,
                text=f"{ACTION_VERBS[n % len(ACTION_VERBS)]} {SUBJECTS[n % len(SUBJECTS)]} "
                f"{ACTION_TAILS[n % len(ACTION_TAILS)]}.",
                due_on=None if n % 9 == 4 else self.today + timedelta(days=(n * 7) % 200 - 60),
                created_at=meeting.starts_at, whole_board=owner is None,
            )  # fmt: skip
            if not still_open:
                status = "done" if n % 10 else "dropped"
                closed = min(self.now, meeting.starts_at + timedelta(days=1 + n % 20))
                action.set_status(status, at=closed)
            actions.append(action)
            if owner is not None:
                owners.append(
                    Action.owners.through(id=owner_id, action_id=action.id, person_id=owner.id)
                )
                owner_id += 1
            updates.append(
                ActionUpdate(
                    id=update_id + k, action_id=action.id, kind="comment",
                    text=UPDATES[n % len(UPDATES)], by_id=(owner or personas["chair_20"]).id,
                    at=min(self.now, meeting.starts_at + timedelta(days=1)),
                )
            )  # fmt: skip
        self.write("persona actions", Action, actions)
        self.write("persona action owners", Action.owners.through, owners)
        self.write("persona action updates", ActionUpdate, updates)

    def screen_meetings(self, board, secretary, members):
        """Meetings of 80 and of 5 items on the bench person's board, held this morning, their
        minutes being typed: the secretary's meeting screen at its longest and shortest."""
        meeting_id, item_id = next_id(Meeting), next_id(AgendaItem)
        decision_id, action_id = next_id(Decision), next_id(Action)
        owner_id, attendance_id = next_id(Action.owners.through), next_id(Attendance)
        meetings, items, decisions, actions, owners, attendance = [], [], [], [], [], []
        morning = min(
            datetime.combine(self.today, dtime(9, 0), tzinfo=LONDON), self.now - timedelta(hours=1)
        )
        for m, count in enumerate(SCREEN_MEETINGS):
            starts_at = morning - timedelta(days=m)
            meeting = Meeting(
                id=meeting_id + m, board_id=board.id, title=screen_title(count),
                starts_at=starts_at, ends_at=starts_at + timedelta(hours=3),
                venue=board.default_venue, status="held",
            )  # fmt: skip
            meetings.append(meeting)
            for order, person_id in enumerate([secretary.id, *members[:12]]):
                attendance.append(
                    Attendance(
                        id=attendance_id, meeting_id=meeting.id, person_id=person_id,
                        status="present", order=order,
                    )
                )  # fmt: skip
                attendance_id += 1
            for n in range(count):
                subject = SUBJECTS[n % len(SUBJECTS)]
                title = {0: "Welcome and notes of last meeting", 1: "Matters arising"}.get(
                    n, "Any Other Business" if n == count - 1 else subject[4:].capitalize()
                )
                minutes = (
                    f"{OPENINGS[n % len(OPENINGS)].format(person=secretary.name, subject=subject)}"
                    f"\n\nDuring discussion the following issues were raised:\n"
                    f"• {DISCUSSION[n % len(DISCUSSION)]}\n\n{CONCLUSIONS[n % len(CONCLUSIONS)]}"
                )
                item = AgendaItem(
                    id=item_id, meeting_id=meeting.id, number=str(n + 1), order=n,
                    title=title, minutes=minutes,
                )  # fmt: skip
                items.append(item)
                item_id += 1
                if n % SCREEN_ACTION_EVERY:
                    continue
                decisions.append(
                    Decision(
                        id=decision_id, item_id=item.id, board_id=board.id, kind="agreed",
                        number=1, text=DECISIONS[n % len(DECISIONS)].format(subject=subject, k=25),
                    )
                )  # fmt: skip
                decision_id += 1
                actions.append(
                    Action(
                        id=action_id, item_id=item.id, board_id=board.id, order=0,
                        text=f"{ACTION_VERBS[n % len(ACTION_VERBS)]} {subject}.",
                        due_on=self.today + timedelta(days=28), created_at=starts_at,
                        decision_id=decision_id - 1,
                    )
                )  # fmt: skip
                owners.append(
                    Action.owners.through(id=owner_id, action_id=action_id, person_id=members[0])
                )
                action_id += 1
                owner_id += 1
        self.write("screen meetings", Meeting, meetings)
        self.write("screen attendance", Attendance, attendance)
        self.write("screen items", AgendaItem, items)
        self.write("screen decisions", Decision, decisions)
        self.write("screen actions", Action, actions)
        self.write("screen action owners", Action.owners.through, owners)

    def reset_sequences(self):
        reset_sequences(
            [Person, Board, Membership, Meeting, AgendaItem, Decision, Action]
            + [Action.owners.through, ActionUpdate, Attendance, Fund, FundEntry]
        )


def screen_title(items: int) -> str:
    """The title that marks a persona's meeting screen (the bench finds them by it)."""
    return f"Meeting screen, {items} items"


def reset_sequences(models) -> None:
    """Rows went in with explicit ids: move each id sequence past them."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def generate(*, scale: float, seed: int = 2014, out=None) -> dict[str, int]:
    """Add a generated record of the given scale; returns rows written per table.

    Running it again adds another record beside the first (new boards, people,
    meetings); the bench person keeps the boards and actions of the first run.
    """
    if not math.isfinite(scale) or scale <= 0:
        raise ValueError("The scale must be a positive number.")
    with transaction.atomic():
        written = _Generator(scale, seed, out).run()
        # Rows inserted in bulk send no signals: pages built before are stale now.
        RecordChange.objects.create()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Planner statistics and a visibility map, as autovacuum would soon give a live
        # database: without them plans are made for empty tables and no index-only scans.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return written
