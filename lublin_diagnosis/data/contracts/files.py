"""The schemas of the fixed-format input files (:data:`SCHEMAS`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType

from lublin_diagnosis.data.contracts.context import PEER_SCORES, PUBLIC, ROUNDS
from lublin_diagnosis.data.contracts.schema import Column, Schema, in_languages
from lublin_diagnosis.framework.model import INSTITUTION_TYPES, RESPONSIBLE_LEVELS

# --------------------------------------------------------------------------- the files
#: Types of monitored institutions.
_EVIDENCE = ("questionnaire", "foi_request", "document_review", "web_audit")
_YEAR = {"min": 1900, "max": 2100}
#: Cost bands of the action plan (``cost_estimate``), cheapest first; the amounts are in
#: the column's hint and ``docs/data-contracts.md``.
COST_BANDS = ("none", "low", "medium", "high")
#: What an institution's reply commits to (``replies.csv``).
COMMITMENTS = ("implement", "partial", "consider", "refer", "decline")
#: Kinds of event of the activity record (``events.csv``).
EVENT_TYPES = (
    "seminar",
    "study_visit",
    "consultation_group",
    "campaign_action",
    "report_sent",
    "training",
    "other",
)
#: The project's activity targets (``targets:`` of ``dataset.yml`` overrides any of
#: them): expert seminars, study visits, legal-advice clients, campaigns, areas monitored
#: and institutions sent their report (``"all"``: every institution of the dataset).
DEFAULT_TARGETS = MappingProxyType(
    {
        "seminars": 4,
        "study_visits": 3,
        "legal_clients": 60,
        "campaigns": 2,
        "areas_monitored": 14,
        "institutions_reported": "all",
    }
)
#: The participant count columns of ``events.csv``, by category.
PARTICIPANT_COLUMNS = (
    "participants_migrants",
    "participants_institutions",
    "participants_ngo",
    "participants_other",
)

MARGINS = Schema(
    "margins",
    "margins.csv",
    (
        Column("variable", "text", description="a codebook variable with role weighting"),
        Column("category", "text", description="a code of that variable"),
        Column(
            "count",
            "number",
            min=0,
            min_inclusive=False,
            hint="Margins are population counts: give a positive number, or collapse the "
            "category in the codebook.",
        ),
        Column("source", "text", hint="Name the register or estimate the figure comes from."),
        *in_languages("source", "the source"),
        Column("reference_date", "date"),
    ),
    unique_together=(("variable", "category"),),
    noun="margin rows",
    description="population margins, long format",
)

INSTITUTIONS = Schema(
    "institutions",
    "institutions.csv",
    (
        Column(
            "institution_id",
            "text",
            unique=True,
            pattern=r"[a-z0-9_]+",
            hint="Ids are lower-case letters, digits and '_', one per institution.",
        ),
        Column("name_pl", "text"),
        Column("name_en", "text"),
        Column("type", "code", allowed=INSTITUTION_TYPES),
        Column("areas", "list", description="framework area ids, ';'-separated"),
        Column(
            "responsible_level",
            "code",
            allowed=RESPONSIBLE_LEVELS,
            description="who the institution answers to: city (the city and its units), "
            "state (state administration in the city) or other",
            hint="Write city for the city's own units, state for the state administration "
            "in the city (voivodeship office, police, ZUS, NFZ, tax office), other otherwise.",
        ),
    ),
    noun="institutions",
    description="monitored institutions",
)

MONITORING = Schema(
    "monitoring",
    "monitoring.csv",
    (
        Column("institution_id", "text"),
        Column("indicator_id", "text"),
        Column("answer", "text"),
        Column("evidence", "code", allowed=_EVIDENCE),
        Column("date", "date"),
        Column("round", "integer", **_YEAR, hint="The round is the year of the monitoring."),
    ),
    unique_together=(("institution_id", "indicator_id", "round"),),
    noun="answers",
    description="monitoring answers to policy indicators",
)

MONITORING_HISTORY = dataclasses.replace(
    MONITORING,
    name="monitoring_history",
    filename="monitoring_history.csv",
    description="earlier monitoring rounds (e.g. a retrospective one), apart from monitoring.csv",
)

ADMIN = Schema(
    "admin",
    "admin.csv",
    (
        Column("indicator_id", "text"),
        Column(
            "institution_id", "text", required=False, description="empty for a city-wide figure"
        ),
        Column("round", "integer", **_YEAR),
        Column("value", "number", min=0),
        Column("source", "text", hint="Name the FOI request or register the figure answers."),
        Column("date", "date"),
    ),
    unique_together=(("indicator_id", "institution_id", "round"),),
    noun="figures",
    description="administrative counts",
)

LEGAL_CASES = Schema(
    "legal_cases",
    "legal_cases.csv",
    (
        Column("case_id", "text", unique=True),
        Column("date_opened", "date"),
        Column(
            "nationality_group",
            "code",
            allowed=("UA", "BY", "RU", "other_europe", "asia", "africa_middle_east", "other"),
        ),
        Column("sex", "code", allowed=("F", "M", "X")),
        Column("age_group", "code", allowed=("18-29", "30-44", "45-64", "65+")),
        Column(
            "problems",
            "list",
            allowed=(
                "residence",
                "work",
                "social_benefits",
                "housing",
                "health",
                "education",
                "family",
                "discrimination",
                "citizenship",
                "other",
            ),
        ),
        Column(
            "outcome",
            "code",
            allowed=("resolved", "advice_given", "referred", "ongoing", "dropped"),
        ),
        Column("n_consultations", "integer", min=1),
    ),
    extra_columns=False,
    noun="cases",
    description="legal-advice case log",
    extra_hint="the case log holds no names and no free text: remove the column",
)

RECOMMENDATIONS = Schema(
    "recommendations",
    "recommendations.csv",
    (
        Column("rec_id", "text", unique=True),
        Column("area", "text"),
        Column("institution_id", "text"),
        Column("indicator_ids", "list"),
        Column("text_pl", "text"),
        Column("text_en", "text"),
        Column("date_issued", "date"),
        # the action plan (optional columns: a register kept before them stays valid)
        Column(
            "responsible_level",
            "code",
            required=False,
            optional=True,
            allowed=RESPONSIBLE_LEVELS,
            description="who can act: city, state administration (e.g. the voivode) or other",
        ),
        Column(
            "responsible_unit",
            "text",
            required=False,
            optional=True,
            description="the unit or office responsible (e.g. Wydział Oświaty i Wychowania)",
        ),
        Column(
            "deadline",
            "date",
            required=False,
            optional=True,
            description="the date agreed for implementation; overdue after it",
        ),
        Column(
            "cost_estimate",
            "code",
            required=False,
            optional=True,
            allowed=COST_BANDS,
            hint="Give a cost band: none (within existing budgets and staff), low (under "
            "50,000 PLN a year), medium (50,000-250,000 PLN a year), high (over 250,000 PLN).",
            description="cost band (none / low / medium / high, see the hint)",
        ),
        Column(
            "legal_basis",
            "text",
            required=False,
            optional=True,
            description="the act or resolution that allows or obliges the action",
        ),
    ),
    noun="recommendations",
    description="recommendations register",
)

OPINIONS = Schema(
    "opinions",
    "recommendation_opinions.csv",
    (
        Column("rec_id", "text"),
        Column(
            "member",
            "text",
            pattern=r"[A-Z]{1,4}[0-9]{1,4}",
            hint="Use the member's pseudonymous code (e.g. CG03), never a name.",
        ),
        Column("date", "date"),
        Column("opinion", "code", allowed=("support", "amend", "reject")),
        Column("comment_pl", "text", required=False),
        Column("comment_en", "text", required=False),
    ),
    noun="opinions",
    description="consultation-group opinions on recommendations",
)

STATUS = Schema(
    "status",
    "recommendation_status.csv",
    (
        Column("rec_id", "text"),
        Column("date", "date"),
        Column(
            "status",
            "code",
            allowed=(
                "issued",
                "acknowledged",
                "in_progress",
                "implemented",
                "partially_implemented",
                "rejected",
            ),
        ),
    ),
    noun="status rows",
    description="implementation history of recommendations",
)

REPLIES = Schema(
    "replies",
    "replies.csv",
    (
        Column("rec_id", "text", hint="Name a recommendation of recommendations.csv."),
        Column("date", "date", description="date of the reply"),
        Column(
            "summary_pl",
            "text",
            description="what the institution answered, in a sentence or two (no names)",
        ),
        Column("summary_en", "text", required=False),
        Column(
            "commitment",
            "code",
            allowed=COMMITMENTS,
            description="implement, partial, consider (no commitment yet), refer (not "
            "competent, points to another body) or decline",
        ),
        Column(
            "document_ref",
            "text",
            required=False,
            description="the reply's reference number (znak pisma) or link",
        ),
    ),
    noun="replies",
    description="institutions' replies to recommendations",
)

_COUNT = {
    "min": 0,
    "hint": "A participant count is a whole number of people, 0 or more; write the "
    "count, never names.",
}
EVENTS = Schema(
    "events",
    "events.csv",
    (
        Column(
            "event_id",
            "text",
            unique=True,
            pattern=r"[A-Za-z0-9_-]+",
            hint="Ids are letters, digits, '-' and '_', one per event (e.g. EV01).",
        ),
        Column("date", "date"),
        Column("type", "code", allowed=EVENT_TYPES),
        Column("place", "text", description="town or venue (never a private address)"),
        *(Column(name, "integer", **_COUNT) for name in PARTICIPANT_COLUMNS),
        Column(
            "campaign",
            "text",
            required=False,
            description="the campaign a campaign action belongs to (e.g. C1)",
        ),
        Column(
            "institution_id",
            "text",
            required=False,
            description="the institution a report was sent to (type report_sent)",
        ),
        Column("outputs", "text", required=False, description="what the event produced"),
    ),
    extra_columns=False,
    noun="events",
    description="activity record: seminars, study visits, meetings, campaign actions",
    extra_hint="the activity record holds counts, never names: remove the column",
)

#: Answers a candidate may give to an ask of the election kit.
PLEDGE_ANSWERS = ("yes", "partly", "no", "no_answer")

PLEDGES = Schema(
    "pledges",
    "pledges.csv",
    (
        Column("candidate", "text", hint="The candidate's public name, as on the ballot."),
        Column("committee", "text"),
        Column("date", "date"),
        Column("area", "text"),
        Column("rec_id", "text"),
        Column("answer", "code", allowed=PLEDGE_ANSWERS),
        Column("pledge", "text", required=False),
    ),
    unique_together=(("candidate", "rec_id"),),
    noun="pledges",
    description="election candidates' answers and pledges on the asks (optional)",
)

#: The schemas of the fixed-format inputs, by logical name.
SCHEMAS: Mapping[str, Schema] = MappingProxyType(
    {
        s.name: s
        for s in (
            MARGINS,
            INSTITUTIONS,
            MONITORING,
            ADMIN,
            LEGAL_CASES,
            RECOMMENDATIONS,
            OPINIONS,
            STATUS,
            PUBLIC,
            PEER_SCORES,
            ROUNDS,
            MONITORING_HISTORY,
            REPLIES,
            EVENTS,
            PLEDGES,
        )
    }
)
