"""Constants, random streams and deterministic writers shared by the demo generators."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

DEFAULT_SEED = 2023
FRAMEWORK_ID = "lublin-14"
N_RESPONDENTS = 1200
N_LEGAL_CASES = 60
N_RECOMMENDATIONS = 50

#: one independent random stream per input, so that e.g. a change in the framework file
#: does not change the survey
_STREAMS = {
    "survey": 1,
    "monitoring": 2,
    "admin": 3,
    "legal_cases": 4,
    "recommendations": 5,
    "survey_history": 6,
    "monitoring_history": 7,
    "context": 8,
    "action_plan": 9,
    "replies": 10,
    "events": 11,
    "pledges": 12,
}

_FILES = {
    "survey": "survey.csv",
    "codebook": "codebook.yml",
    "margins": "margins.csv",
    "institutions": "institutions.csv",
    "monitoring": "monitoring.csv",
    "admin": "admin.csv",
    "legal_cases": "legal_cases.csv",
    "recommendations": "recommendations.csv",
    "opinions": "recommendation_opinions.csv",
    "status": "recommendation_status.csv",
    "rounds": "rounds.csv",
    "monitoring_history": "monitoring_history.csv",
    "survey_history": "survey_history.csv",
    "public": "public.csv",
    "peer_scores": "peer_scores.csv",
    "replies": "replies.csv",
    "events": "events.csv",
    "pledges": "pledges.csv",
}

_YES_NO = {"1": {"pl": "Tak", "en": "Yes"}, "0": {"pl": "Nie", "en": "No"}}
_MISSING = ["-9", "-8"]

_AREA_IDS = (
    "health",
    "education",
    "labour",
    "housing",
    "social_assistance",
    "domestic_violence",
    "language",
    "information",
    "city_services",
    "anti_discrimination",
    "participation",
    "culture",
    "safety",
    "legal_aid",
)


# --------------------------------------------------------------------------- helpers
def _rng(seed: int, stream: str) -> np.random.Generator:
    """Return the random generator of one input stream."""
    return np.random.Generator(np.random.PCG64([int(seed), _STREAMS[stream]]))


def _draw_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """Draw one category index per row of a row-stochastic matrix ``probs``."""
    probs = np.asarray(probs, dtype=float)
    cum = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(probs.shape[0])
    idx = (u[:, None] >= cum).sum(axis=1)
    return np.minimum(idx, probs.shape[1] - 1)


def _bern(rng: np.random.Generator, logit: np.ndarray) -> np.ndarray:
    """Bernoulli draws (0/1 integers) with the given log-odds."""
    p = 1.0 / (1.0 + np.exp(-np.asarray(logit, dtype=float)))
    return (rng.random(p.shape[0]) < p).astype(int)


def _day(base: str, offsets: np.ndarray | int) -> np.ndarray:
    """ISO dates ``base + offsets`` days."""
    days = np.datetime64(base, "D") + np.asarray(offsets, dtype="int64")
    return np.datetime_as_string(days, unit="D")


def _days_between(a: str, b: str) -> int:
    return int((np.datetime64(b, "D") - np.datetime64(a, "D")).astype(int))


def _frame(columns: Mapping[str, Sequence[Any]]) -> pd.DataFrame:
    """A DataFrame whose every column is text (empty string for "no value")."""
    return pd.DataFrame(
        {k: pd.array([str(v) for v in vals], dtype="str") for k, vals in columns.items()}
    )


def _write_csv(df: pd.DataFrame, path: Path) -> Path:
    """Write a text DataFrame as UTF-8 CSV with ``\\n`` line endings, deterministically."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow([str(c) for c in df.columns])
        for row in df.itertuples(index=False, name=None):
            writer.writerow(["" if (v is None or v is pd.NA or v != v) else str(v) for v in row])
    return path


def _write_text(text: str, path: Path) -> Path:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    return path


def _dump_yaml(data: Any) -> str:
    return yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )


def _text(obj: Any, lang: str) -> str:
    """The ``lang`` text of a ``{pl:, en:}`` mapping (or the string itself)."""
    if isinstance(obj, Mapping):
        return str(obj.get(lang) or obj.get("en") or obj.get("pl") or "")
    return "" if obj is None else str(obj)


# --------------------------------------------------------------------------- design
#: strata = groups of Lublin districts, with the (synthetic) migrant-population share
#: assumed by the sampling plan; the base weights use these shares and a frame total
