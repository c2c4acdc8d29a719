"""Build the demo record from demo/data.py; running it again changes nothing."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from actions.models import Action, ActionUpdate
from boards.models import Board, Membership, Organisation, Person
from funding.models import Bid, BidLine, Fund, FundEntry, SavingsEstimate
from funding.money import parse_money, parse_money_range
from meetings.models import AgendaItem, Attendance, Decision, Meeting

from . import data

LONDON = ZoneInfo("Europe/London")
# The installation's admin: staff, for /admin/ and for starting a new partnership. No
# board role: the demo's secretary and chair run their boards without being superusers.
ADMIN_USERNAME = "admin"


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


@transaction.atomic
def seed_demo() -> dict[str, int]:
    """Create or update the demo boards, meetings, actions, fund and bid."""
    orgs = {
        short: Organisation.objects.update_or_create(
            name=name, defaults={"short_name": short, "sector": sector}
        )[0]
        for short, name, sector in data.ORGANISATIONS
    }
    people = {}
    for name, title, org, role_title in data.PEOPLE:
        left_on = data.LEAVERS.get(name)
        people[name] = Person.objects.update_or_create(
            name=name,
            defaults={
                "title": title,
                "organisation": orgs.get(org),
                "role_title": role_title,
                "left_on": date.fromisoformat(left_on) if left_on else None,
                "email": f"{name.lower().replace(' ', '.')}@example.org",
            },
        )[0]
    main = _board(data.MAIN_BOARD, people, parent=None)
    sub = _board(data.SUB_BOARD, people, parent=main)
    _members(main, data.MEMBERS, people, orgs)
    _members(sub, data.SUB_BOARD_MEMBERS, people, orgs)
    _logins(people)

    away_day = _meeting(main, data.AWAY_DAY, people, orgs)
    for number, item in enumerate(data.AWAY_DAY["items"], start=1):
        agenda_item = _item(away_day, item["number"], item["title"], item["minutes"], number)
        _decisions(agenda_item, item.get("decisions", []))
    for order, (number, text, owners, due) in enumerate(data.AWAY_DAY["actions"]):
        _action(away_day.items.get(number=number), text, owners, due, people, order=order)

    march = _meeting(main, data.MARCH_2014, people, orgs)
    extra_decisions = data.MARCH_2014["extra_decisions"]
    for order, item in enumerate(data.march_2014_items(), start=1):
        agenda_item = _item(march, item["number"], item["title"], item["minutes"], order)
        agenda_item.presenters.set(
            people[p] for p in data.MARCH_2014["presenters"].get(item["number"], [])
        )
        decisions = extra_decisions.get(item["number"], []) + item["decisions"]
        _decisions(agenda_item, decisions)
        if item["number"] in data.MARCH_2014["actions"]:
            text, decision_number, due = data.MARCH_2014["actions"][item["number"]]
            owners = "ALL" if item["owner"] == "ALL" else item["owner"].split(" / ")
            decision = (
                agenda_item.decisions.get(
                    number=decision_number + len(extra_decisions.get(item["number"], []))
                )
                if decision_number
                else None
            )
            _action(agenda_item, text, owners, due, people, decision=decision)
    for prefix, by, text in data.MARCH_2014["updates"]:
        action = Action.objects.get(item__meeting=away_day, text__startswith=prefix)
        ActionUpdate.objects.update_or_create(
            action=action,
            meeting=march,
            defaults={"text": text, "by": people[by], "at": march.starts_at},
        )
    # The away day's notes were never formally approved; the March minutes are drafted.
    Meeting.objects.filter(pk=march.pk).update(status=Meeting.Status.MINUTES_DRAFTED)

    _fund(main, march, people, orgs)
    _bid(main)
    return {
        "organisations": Organisation.objects.count(),
        "people": Person.objects.count(),
        "boards": Board.objects.count(),
        "meetings": Meeting.objects.count(),
        "items": AgendaItem.objects.count(),
        "decisions": Decision.objects.count(),
        "actions": Action.objects.count(),
        "fund_entries": FundEntry.objects.count(),
    }


def _board(spec, people, parent):
    board, _ = Board.objects.update_or_create(
        slug=spec["slug"],
        defaults={
            "name": spec["name"],
            "description": spec["description"],
            "quorum": spec["quorum"],
            "chair": people[spec["chair"]],
            "secretary": people[spec["secretary"]],
            "default_venue": spec["venue"],
            "parent": parent,
        },
    )
    return board


def _members(board, members, people, orgs):
    for name, (role, org) in members.items():
        Membership.objects.update_or_create(
            board=board,
            person=people[name],
            ended_on=None,
            defaults={"role": role, "representing": orgs.get(org)},
        )


def _logins(people):
    User = get_user_model()
    for username, name in data.LOGINS.items():
        user, created = User.objects.get_or_create(username=username)
        if created or not user.check_password(data.DEMO_PASSWORD):
            user.set_password(data.DEMO_PASSWORD)
        user.is_staff = user.is_superuser = False
        user.email = people[name].email
        user.save()
        Person.objects.filter(pk=people[name].pk).update(user=user)
    admin, created = User.objects.get_or_create(username=ADMIN_USERNAME)
    if created or not admin.check_password(data.DEMO_PASSWORD):
        admin.set_password(data.DEMO_PASSWORD)
    admin.is_staff = admin.is_superuser = True
    admin.save()


def _meeting(board, spec, people, orgs):
    meeting, _ = Meeting.objects.update_or_create(
        board=board,
        starts_at=_at(spec["starts_at"]),
        defaults={
            "ends_at": _at(spec["ends_at"]),
            "title": spec["title"],
            "kind": spec["kind"],
            "venue": spec["venue"],
            "purpose": spec.get("purpose", ""),
            "status": Meeting.Status.MINUTES_DRAFTED,
        },
    )
    rows = [
        (Attendance.Status.PRESENT, spec["present"]),
        (Attendance.Status.APOLOGIES, spec["apologies"]),
    ]
    order = 0
    for status, names in rows:
        for name, org in names:
            order += 1
            Attendance.objects.update_or_create(
                meeting=meeting,
                person=people[name],
                defaults={"status": status, "representing": orgs.get(org), "order": order},
            )
    return meeting


def _item(meeting, number, title, minutes, order):
    item, _ = AgendaItem.objects.update_or_create(
        meeting=meeting,
        number=number,
        defaults={"title": title, "minutes": minutes, "order": order},
    )
    return item


def _decisions(item, decisions):
    for number, decision in enumerate(decisions, start=1):
        Decision.objects.update_or_create(
            item=item,
            number=number,
            defaults={"kind": decision["kind"], "text": decision["text"]},
        )


def _action(item, text, owners, due, people, *, decision=None, order=0):
    action, _ = Action.objects.update_or_create(
        item=item,
        text=text,
        defaults={
            "due_on": date.fromisoformat(due) if due else None,
            "whole_board": owners == "ALL",
            "decision": decision,
            "order": order,
            "created_at": item.meeting.starts_at,
        },
    )
    action.owners.set([] if owners == "ALL" else [people[name] for name in owners])
    return action


def _fund(board, march, people, orgs):
    fund, _ = Fund.objects.update_or_create(
        board=board, name=data.FUND["name"], defaults={"kind": data.FUND["kind"]}
    )
    amount, year, purpose = data.FUND["budget"]
    if not fund.entries.filter(kind=FundEntry.Kind.BUDGET).exists():
        FundEntry.objects.create(
            fund=fund,
            kind=FundEntry.Kind.BUDGET,
            amount=parse_money(amount),
            financial_year=year,
            purpose=purpose,
            entered_on=date(2013, 4, 1),
        )
    for number, (purpose, recipient, lead) in data.FUND["allocations"].items():
        item = march.items.get(number=number)
        decision = item.decisions.filter(text__contains="£25k").get()
        if not fund.entries.filter(decision=decision).exists():
            FundEntry.objects.create(
                fund=fund,
                kind=FundEntry.Kind.ALLOCATION,
                amount=parse_money("£25k"),
                financial_year=2013,
                decision=decision,
                purpose=purpose,
                recipient=orgs[recipient],
                lead=people[lead],
                entered_on=march.starts_at.date(),
            )


def _bid(board):
    spec = data.BID
    bid, _ = Bid.objects.update_or_create(
        board=board,
        title=spec["title"],
        defaults={
            "funder": spec["funder"],
            "programme": spec["programme"],
            "amount_sought": parse_money(spec["amount_sought"]),
            "match_funding": parse_money(spec["match_funding"]),
            "status": spec["status"],
            "summary": spec["summary"],
        },
    )
    for order, (year, activity, amount) in enumerate(spec["lines"]):
        BidLine.objects.update_or_create(
            bid=bid,
            order=order,
            defaults={"financial_year": year, "activity": activity, "amount": parse_money(amount)},
        )
    for theme, ranges in spec["savings"].items():
        for year, text in zip((2014, 2015, 2016), ranges, strict=True):
            low, high = parse_money_range(text)
            SavingsEstimate.objects.update_or_create(
                bid=bid, theme=theme, financial_year=year, defaults={"low": low, "high": high}
            )
