"""A fund's ledger as CSV, and its allocations in the shape of 360Giving data.

360Giving (https://standard.threesixtygiving.org/) names its CSV columns
"Identifier", "Title", "Amount Awarded", "Award Date", "Recipient Org:Name", ...;
the JSON form is {"grants": [{"id", "title", "amountAwarded", ...}]}.
"""

from collections.abc import Iterable, Iterator
from decimal import Decimal

import tablib
from django.utils.text import slugify

from .models import Fund, FundEntry
from .money import financial_year_label

GRANT_COLUMNS = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Recipient Org:Name",
    "Funding Org:Name",
    "Grant Programme:Title",
]


def _pounds(pence: int) -> Decimal:
    return (Decimal(pence) / 100).quantize(Decimal("0.01"))


def _decision_ref(entry: FundEntry) -> tuple[str, str, str]:
    if entry.decision is None:
        return "", "", ""
    item = entry.decision.item
    if entry.withheld:
        # Exempt items stay out of the file: only where the decision was taken.
        return str(item.meeting), f"{item.number}. Confidential item", entry.decision.label
    return str(item.meeting), str(item), f"{entry.decision.label} {entry.decision.text}"


LEDGER_HEADERS = [
    "Line",
    "Date",
    "Financial year",
    "Kind",
    "Amount (£)",
    "Purpose",
    "Recipient",
    "Lead",
    "Meeting",
    "Item",
    "Decision",
    "Reverses line",
    "Override reason",
    # Added at the end, so the columns people's spreadsheets already read stay put.
    "Approximate",
    "Authorised by",
]


def ledger_rows(entries: Iterable[FundEntry]) -> Iterator[list]:
    """Entries come from with_disclosure(reader).movements(): a withheld line keeps its
    amount and date, not its purpose, recipient, lead, decision text or override reason."""
    for entry in entries:
        meeting, item, decision = _decision_ref(entry)
        shown = not entry.withheld
        yield [
            entry.pk,
            entry.entered_on.isoformat(),
            financial_year_label(entry.financial_year),
            entry.get_kind_display(),
            str(_pounds(entry.amount)),
            entry.purpose if shown else "Confidential",
            entry.recipient.name if shown and entry.recipient else "",
            entry.lead.name if shown and entry.lead else "",
            meeting,
            item,
            decision,
            entry.reverses_id or "",
            entry.override_reason if shown else "",
            "yes" if entry.approximate else "",
            _authorised_by(entry),
        ]


def _authorised_by(entry: FundEntry) -> str:
    """The later decision that released or redirected the money, as one cell."""
    decision = entry.authorised_by
    if decision is None:
        return ""
    where = f"{decision.item.meeting}, item {decision.item.number} {decision.label}"
    return f"{where} (confidential item)" if entry.withheld else f"{where} {decision.text}"


def ledger_dataset(fund: Fund, entries: Iterable[FundEntry]) -> tablib.Dataset:
    """The ledger as a tablib dataset (the CSV download streams ledger_rows instead)."""
    return tablib.Dataset(*ledger_rows(entries), headers=LEDGER_HEADERS, title=fund.name[:31])


def awarded_grants(fund: Fund, entries: Iterable[FundEntry]) -> list[FundEntry]:
    """Allocations that stand: neither reversed nor themselves reversals."""
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id}
    return [
        e
        for e in entries
        if e.kind == FundEntry.Kind.ALLOCATION
        and e.reverses_id is None
        and e.pk not in reversed_ids
    ]


def _description(entry: FundEntry) -> str:
    # Entries come from disclosed_to(the public): a decision named is a public one.
    return entry.decision.text if entry.decision else ""


def _identifier(fund: Fund, entry: FundEntry) -> str:
    return f"360G-minutebook-{fund.board.slug}-{slugify(fund.name)}-{entry.pk}"


def grants_dataset(fund: Fund, entries: Iterable[FundEntry]) -> tablib.Dataset:
    data = tablib.Dataset(headers=GRANT_COLUMNS, title="grants")
    for entry in awarded_grants(fund, entries):
        data.append(
            [
                _identifier(fund, entry),
                entry.purpose,
                _description(entry),
                "GBP",
                str(_pounds(entry.amount)),
                entry.entered_on.isoformat(),
                entry.recipient.name if entry.recipient else "",
                fund.board.name,
                fund.name,
            ]
        )
    return data


def grants_json(fund: Fund, entries: Iterable[FundEntry]) -> dict:
    return {
        "grants": [
            {
                "id": _identifier(fund, entry),
                "title": entry.purpose,
                "description": _description(entry),
                "currency": "GBP",
                "amountAwarded": float(_pounds(entry.amount)),
                "awardDate": entry.entered_on.isoformat(),
                "recipientOrganization": [
                    {"name": entry.recipient.name if entry.recipient else ""}
                ],
                "fundingOrganization": [{"name": fund.board.name}],
                "grantProgramme": [{"title": fund.name}],
            }
            for entry in awarded_grants(fund, entries)
        ]
    }
