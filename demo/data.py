"""The demo record, taken from the real minutes and bid in shared/samples.

The 18 March 2014 items live in samples/one_swindon_board_2014_03_18.json (converted
from the sample's text); the rest is small enough to keep here.
"""

import json
from pathlib import Path

ORGANISATIONS = [
    # short name, name, sector
    ("SBC", "Swindon Borough Council", "public"),
    ("SEQOL", "SEQOL", "public"),
    ("CCG", "Swindon Clinical Commissioning Group", "public"),
    ("PCC", "Police and Crime Commissioner for Wiltshire and Swindon", "public"),
    ("Wilts Fire and Rescue", "Wiltshire Fire and Rescue Service", "public"),
    ("Wilts Police", "Wiltshire Police", "public"),
    ("VAS", "Voluntary Action Swindon", "voluntary"),
    ("GWH", "Great Western Hospitals NHS Foundation Trust", "public"),
    ("JCP", "Jobcentre Plus", "public"),
    ("Wiltshire Probation", "Wiltshire Probation Trust", "public"),
    ("Transformation Hub", "One Swindon Transformation Hub", "public"),
    ("NHS Swindon", "NHS Swindon", "public"),
    ("NHS Swindon & Glos", "NHS Swindon and Gloucestershire", "public"),
    ("Influence", "Influence (business network)", "private"),
]

# name, title, organisation short name, role title (printed instead of the organisation)
PEOPLE = [
    ("Gavin Jones", "", "SBC", ""),
    ("David Renard", "Cllr", "SBC", ""),
    ("Stan Pajak", "Cllr", "SBC", ""),
    ("Jim Grant", "Cllr", "SBC", ""),
    ("Brian Mattock", "Cllr", "SBC", ""),
    ("Roderick Bluh", "Cllr", "SBC", ""),
    ("Russell Holland", "Cllr", "SBC", ""),
    ("James Griffin", "", "SBC", ""),
    ("Matt Gott", "", "SBC", ""),
    ("John Gilbert", "", "SBC", ""),
    ("Alison Chamberlain", "", "SBC", ""),
    ("Sarah Hardwick", "", "SBC", ""),
    ("Chris Collins", "", "SBC", ""),
    ("Carmel Burton", "", "SBC", ""),
    ("Heather Mitchell", "", "SEQOL", ""),
    ("Michelle Howard", "", "SEQOL", ""),
    ("Liz Holmes", "", "", "Chair of CTB"),
    ("Tom Charnock", "", "", "Chair of OMG"),
    ("Nicky Alberry", "", "Influence", "Chair of Influence"),
    ("Tony Ranzetta", "", "CCG", ""),
    ("Louise Howell", "", "CCG", ""),
    ("Peter Crouch", "Dr", "CCG", ""),
    ("Angus Macpherson", "", "PCC", ""),
    ("Simon Routh-Jones", "", "Wilts Fire and Rescue", ""),
    ("John Popowicz", "", "Wilts Fire and Rescue", ""),
    ("Chris Hartrick", "", "Wilts Fire and Rescue", ""),
    ("Stephen Hedley", "", "Wilts Police", ""),
    ("Mike Veale", "", "Wilts Police", ""),
    ("David Wray", "", "VAS", ""),
    ("Maria Moore", "", "GWH", ""),
    ("Nerissa Vaughan", "", "GWH", ""),
    ("Nigel Tucker", "", "JCP", ""),
    ("Phil Harrison", "", "JCP", ""),
    ("Liz Hickey", "", "Wiltshire Probation", ""),
    ("Liz Rijnenberg", "", "Wiltshire Probation", ""),
    ("Paul Aviss", "", "Wiltshire Probation", ""),
    ("Mike Dearing", "", "Transformation Hub", ""),
    ("Jose Ortega", "", "NHS Swindon", ""),
    ("Paul Bearman", "", "NHS Swindon", ""),
    ("Jan Stubbings", "", "NHS Swindon & Glos", ""),
    # Not in the samples: the demo's board secretary, so a secretary can sign in.
    ("Demo Secretary", "", "SBC", "Board secretary"),
]

# Alison Chamberlain "was marked for the action point but has now left" (18 March 2014).
LEAVERS = {"Alison Chamberlain": "2014-02-28"}

MAIN_BOARD = {
    "slug": "one-swindon-board",
    "name": "One Swindon Board",
    "description": "The partnership board of Swindon's public, private and voluntary sectors.",
    "quorum": 8,
    "chair": "David Renard",
    "secretary": "Demo Secretary",
    "venue": "Civic Offices, Euclid Street, Swindon",
}
SUB_BOARD = {
    "slug": "one-swindon-delivery-board",
    "name": "One Swindon Delivery Board",
    "description": "Works up the detail of the Board's proposals (away day, 15 January 2013).",
    "quorum": 4,
    "chair": "Gavin Jones",
    "secretary": "Demo Secretary",
    "venue": "Civic Offices, Euclid Street, Swindon",
}

# Members of the One Swindon Board: name -> (role, representing)
MEMBERS = {
    "David Renard": ("chair", "SBC"),
    "Demo Secretary": ("secretary", "SBC"),
    "Gavin Jones": ("member", "SBC"),
    "Stan Pajak": ("member", "SBC"),
    "Jim Grant": ("member", "SBC"),
    "Brian Mattock": ("member", "SBC"),
    "Roderick Bluh": ("member", "SBC"),
    "Russell Holland": ("member", "SBC"),
    "James Griffin": ("adviser", "SBC"),
    "Matt Gott": ("adviser", "SBC"),
    "John Gilbert": ("adviser", "SBC"),
    "Heather Mitchell": ("member", "SEQOL"),
    "Michelle Howard": ("member", "SEQOL"),
    "Liz Holmes": ("member", ""),
    "Tom Charnock": ("member", ""),
    "Nicky Alberry": ("member", "Influence"),
    "Tony Ranzetta": ("member", "CCG"),
    "Louise Howell": ("member", "CCG"),
    "Peter Crouch": ("member", "CCG"),
    "Angus Macpherson": ("member", "PCC"),
    "Simon Routh-Jones": ("member", "Wilts Fire and Rescue"),
    "John Popowicz": ("member", "Wilts Fire and Rescue"),
    "Chris Hartrick": ("member", "Wilts Fire and Rescue"),
    "Stephen Hedley": ("member", "Wilts Police"),
    "Mike Veale": ("member", "Wilts Police"),
    "David Wray": ("member", "VAS"),
    "Maria Moore": ("member", "GWH"),
    "Nerissa Vaughan": ("member", "GWH"),
    "Nigel Tucker": ("member", "JCP"),
    "Phil Harrison": ("member", "JCP"),
    "Liz Hickey": ("member", "Wiltshire Probation"),
    "Liz Rijnenberg": ("member", "Wiltshire Probation"),
    "Paul Aviss": ("member", "Wiltshire Probation"),
    "Jose Ortega": ("member", "NHS Swindon"),
    "Paul Bearman": ("member", "NHS Swindon"),
    "Jan Stubbings": ("member", "NHS Swindon & Glos"),
    "Mike Dearing": ("observer", "Transformation Hub"),
}
SUB_BOARD_MEMBERS = {
    "Gavin Jones": ("chair", "SBC"),
    "Demo Secretary": ("secretary", "SBC"),
    "Matt Gott": ("member", "SBC"),
    "James Griffin": ("member", "SBC"),
    "Tony Ranzetta": ("member", "CCG"),
    "Mike Dearing": ("member", "Transformation Hub"),
}

# Demo sign-ins: username -> person. The password is printed by `make run`.
LOGINS = {"secretary": "Demo Secretary", "chair": "David Renard", "member": "Tony Ranzetta"}
DEMO_PASSWORD = "minutebook-demo"

AWAY_DAY = {
    "starts_at": "2013-01-15T09:30",
    "ends_at": "2013-01-15T16:00",
    "title": "One Swindon Leadership Board Away Day",
    "kind": "away_day",
    "venue": "",
    "purpose": (
        "Consider what a Swindon Community Budget could look like, what are the "
        "opportunities and how can we work together to share the risks and the rewards."
    ),
    "present": [
        ("Gavin Jones", "SBC"),
        ("David Renard", "SBC"),
        ("Matt Gott", "SBC"),
        ("John Gilbert", "SBC"),
        ("Jose Ortega", "NHS Swindon"),
        ("Alison Chamberlain", "SBC"),
        ("Phil Harrison", "JCP"),
        ("Liz Rijnenberg", "Wiltshire Probation"),
        ("James Griffin", "SBC"),
        ("Tom Charnock", ""),
        ("Michelle Howard", "SEQOL"),
        ("Stan Pajak", "SBC"),
        ("Nicky Alberry", ""),
        ("Heather Mitchell", "SEQOL"),
        ("Liz Holmes", ""),
        ("David Wray", "VAS"),
        ("Jim Grant", "SBC"),
        ("Tony Ranzetta", "NHS Swindon"),
        ("Angus Macpherson", "PCC"),
    ],
    "apologies": [
        ("Roderick Bluh", "SBC"),
        ("Stephen Hedley", "Wilts Police"),
        ("Paul Bearman", "NHS Swindon"),
        ("John Popowicz", "Wilts Fire and Rescue"),
        ("Chris Hartrick", "Wilts Fire and Rescue"),
        ("Jan Stubbings", "NHS Swindon & Glos"),
        ("Paul Aviss", "Wiltshire Probation"),
        ("Nerissa Vaughan", "GWH"),
        ("Mike Veale", "Wilts Police"),
        ("Peter Crouch", "CCG"),
        ("Russell Holland", "SBC"),
    ],
    "items": [
        {
            "number": "1",
            "title": "Community Budgets – the context",
            "minutes": (
                "- Gavin updated the group on the 4 Whole Place Community Budget pilots that "
                "have been taking place in Greater Manchester, Cheshire & Chester, Essex and "
                "Tri-Borough (Hammersmith & Fulham, Royal Kensington & Chelsea and Westminster "
                "Councils). He talked through a presentation detailing the learning from the "
                "pilots and explained the Governments view and the LGA commitment.\n"
                "- Ministers received feedback in October 2012 from the 4 pilot areas and were "
                "pleasantly surprised with initial findings. Ernst and Young have produced an "
                "aggregated summary of the findings from the pilots and indicated scalable "
                "savings of around £22bn to the public purse over a period of time.\n"
                "- Gavin talked about 'what's next' – within the pilot framework there are "
                "multiple business cases; no-one is at implementation stage yet. The next step "
                "for us as a Board is to discuss emerging themes then undertake a deep-dive "
                "into business cases which will need to contain good up to date information "
                "with supporting data."
            ),
        },
        {
            "number": "2",
            "title": "Honda update",
            "minutes": (
                "- Phil gave the Board an update on Honda's position following the "
                "announcement of job cuts by the firm last week. DWP are working with partner "
                "organisations to support Honda.\n"
                "- Tremento and public sector organisations are offering support with "
                "financial advice, benefits advice, upskilling, CV writing and jobsearch.\n"
                "- Tony advised that there are lots of health care vacancies in Swindon that "
                "they have been unable to fill. He said he would be happy to put something on "
                "the table for Honda to consider around re-training some of their workforce."
            ),
        },
        {
            "number": "3",
            "title": "Community Budgets",
            "minutes": (
                "Gavin began this session by asking the Board to consider what projects they "
                "felt would be good community budget projects. Any ideas from the meeting "
                "would be taken to the One Swindon Delivery Board in February to get them to "
                "work up the detail and come back to the Board in March.\n\n"
                "Opportunities for Community Budget Pilots\n"
                "- Reduce Re-offending\n"
                "- Joined up Local Procurement (public & private sector)\n"
                "- Identifying/mapping vacancies and Skills\n"
                "- Integration of back office functions (HR/payroll/transport)\n"
                "- Self Care / personalisation\n"
                "- Listening and engaging with communities to encourage them to do more for "
                "themselves\n"
                "- Integrated commissioning"
            ),
            "decisions": [
                {
                    "kind": "agreed",
                    "text": "To take the ideas from the day to the One Swindon Delivery Board "
                    "in February to work up the detail and report back in March.",
                }
            ],
        },
    ],
    # item number, text, owners ("ALL" for the whole board), due (ISO date or None)
    "actions": [
        (
            "3",
            "Draft a report for board members to take to their respective organisations "
            "to get sign up and commitment to the community budget proposals.",
            ["Matt Gott"],
            None,
        ),
        (
            "3",
            "Talk to Government about Swindon being considered for the next roll-out.",
            ["Gavin Jones"],
            None,
        ),
        (
            "3",
            "Bring an update to the March Board meeting on Health – 'Coping and Self-Care'.",
            ["Tony Ranzetta", "John Gilbert"],
            "2013-03-19",
        ),
        (
            "2",
            "Find a way forward to fill some of the health care vacancies and update the "
            "Board on progress in March.",
            ["Tony Ranzetta", "John Gilbert"],
            "2013-03-19",
        ),
        (
            "3",
            "Take forward the Local Supply Chain and Procurement project: map how much "
            "partners spend locally.",
            ["Alison Chamberlain"],
            None,
        ),
        (
            "1",
            "Comment on the policing plan when it comes out at the end of the month.",
            "ALL",
            "2013-01-31",
        ),
    ],
}

MARCH_2014 = {
    "starts_at": "2014-03-18T14:00",
    "ends_at": "2014-03-18T16:30",
    "title": "",
    "kind": "ordinary",
    "venue": "Civic Offices, Euclid Street, Swindon",
    "present": [
        ("Gavin Jones", "SBC"),
        ("David Renard", "SBC"),
        ("Stan Pajak", "SBC"),
        ("Jim Grant", "SBC"),
        ("Brian Mattock", "SBC"),
        ("James Griffin", "SBC"),
        ("Heather Mitchell", "SEQOL"),
        ("Liz Holmes", ""),
        ("Tony Ranzetta", "CCG"),
        ("Angus Macpherson", "PCC"),
        ("Simon Routh-Jones", "Wilts Fire and Rescue"),
        ("David Wray", "VAS"),
        ("John Popowicz", "Wilts Fire and Rescue"),
        ("Maria Moore", "GWH"),
        ("Nigel Tucker", "JCP"),
        ("Nicky Alberry", ""),
        ("Liz Hickey", "Wiltshire Probation"),
        ("Mike Dearing", "Transformation Hub"),
        ("Louise Howell", "CCG"),
        ("Sarah Hardwick", "SBC"),
        ("Chris Collins", "SBC"),
        ("Carmel Burton", "SBC"),
    ],
    "apologies": [],
    # item number -> presenters
    "presenters": {
        "3": ["Sarah Hardwick", "Chris Collins"],
        "4": ["John Popowicz"],
        "5": ["Carmel Burton"],
        "6": ["Mike Dearing"],
        "7": ["James Griffin"],
        "8": ["Heather Mitchell"],
        "9": ["James Griffin", "Tony Ranzetta"],
        "10": ["David Wray"],
    },
    # item number -> (action text, decision number it came from or None, due date)
    "actions": {
        "3": (
            "Release household and cost data from analysts, and 20% of partner analysts' "
            "time for two months.",
            1,
            None,
        ),
        "4": (
            "Lead the £25k scoping review with a data protection officer for six months.",
            1,
            None,
        ),
        "7": (
            "Put two or three projects forward for Government transformation funding in "
            "2014/15 and keep the Board appraised of progress.",
            1,
            None,
        ),
        "9": (
            "Appoint a consultant for the neighbourhood planning toolkit and attempt to "
            "recover the £25k from the Treasury.",
            1,
            None,
        ),
        "10": (
            "Work up revisions to the proposal on funding a Strategic Liaison Officer "
            "with SBC, SEQOL, the CCG and the Police Authority.",
            3,
            None,
        ),
        "11": (
            "Re-write the hypothetical family example with Communications to show how "
            "families can improve things for themselves.",
            None,
            None,
        ),
    },
    # Matters arising reported at this meeting on earlier actions (item 1's "Updates").
    "updates": [
        (
            "Take forward the Local Supply Chain and Procurement project",
            "Nicky Alberry",
            "Nicky Alberry confirmed that a workshop will be held on 7 April with the "
            "procurement leads to take this forward. Tony Ranzetta confirmed that £177k of "
            "business had been generated in Swindon in the last week alone.",
        ),
    ],
    "extra_decisions": {
        "1": [
            {
                "kind": "agreed",
                "text": "That the notes of the last meeting held on "
                "28 January 2014 be agreed as an accurate record.",
            }
        ],
        "11": [
            {
                "kind": "agreed",
                "text": "To support the proposal to re-write the "
                "hypothetical family example, promoting self-reliance.",
            }
        ],
    },
}

FUND = {
    "name": "One Swindon Transformation Fund",
    "kind": "revenue",
    # The samples give no opening budget; this one is illustrative.
    "budget": ("£250,000", 2013, "Partners' pooled contributions for 2013/14"),
    # item number -> (purpose, recipient short name, lead)
    "allocations": {
        "4": (
            "Data protection officer to lead a 6 month scoping review",
            "Wilts Fire and Rescue",
            "John Popowicz",
        ),
        "9": (
            "Consultant to develop a neighbourhood planning toolkit (joint commissioning)",
            "SBC",
            "James Griffin",
        ),
    },
}

BID = {
    "title": "Transformation Challenge Award: Swindon's bid",
    "funder": "Department for Communities and Local Government",
    "programme": "Transformation Challenge Award",
    "amount_sought": "£380K",
    "match_funding": "£100K",
    "status": "submitted",
    "summary": (
        "Pump-prime three capabilities (whole system financial modelling, service redesign "
        "and targeted social marketing) to get One Swindon's business cases to "
        "implementation in 2014/15."
    ),
    # financial year (None where the bid gives none), activity, amount. Table 3's figures.
    "lines": [
        (2013, "Economist to model the finances across the suite of business cases", "£50K"),
        (
            2013,
            "Service re-designers to help develop new models of service delivery and financing",
            "£70K",
        ),
        (2013, "Social marketing expertise and materials", "£100K"),
        (
            2014,
            "Transition costs of dual running phase 1 of the new service and financing "
            "delivery models",
            "£100K",
        ),
        (2014, "Action researcher: 'learning by doing' evaluation framework", "£50K"),
    ],
    # theme -> ranges for 2014/15, 2015/16, 2016/17
    "savings": {
        "Reshape adults demand": ["£1m-£2m", "£2m-£3m", "£3m-£4m"],
        "Strengthening Families": ["£0.5m-£1m", "£0.5m-£1m", "£0.5m-£1m"],
        "Growing the economy": ["£0.5m-£1m", "£1m-£2m", "£2m-£3m"],
        "Enabling the reduction of other operating costs": ["£5m", "£4m", "£4m"],
    },
}


def march_2014_items() -> list[dict]:
    path = Path(__file__).parent / "samples" / "one_swindon_board_2014_03_18.json"
    return json.loads(path.read_text(encoding="utf-8"))
