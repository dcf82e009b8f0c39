"""The schemas of the fixed-format input files (:data:`SCHEMAS`)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from lublin_diagnosis.data.contracts.schema import Column, Schema
from lublin_diagnosis.framework.model import INSTITUTION_TYPES, RESPONSIBLE_LEVELS

# --------------------------------------------------------------------------- the files
#: Types of monitored institutions.
_EVIDENCE = ("questionnaire", "foi_request", "document_review", "web_audit")
_YEAR = {"min": 1900, "max": 2100}

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
        )
    }
)
