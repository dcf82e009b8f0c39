"""Synthetic inputs of the campaign: the candidates' pledges and a placeholder logo.

``pledges.csv`` holds the answers of three clearly invented candidates ("Kandydatka A
(syntetyczna)", ...) to the recommendations addressed to the city (institutions of a
municipal type), drawn from the ``pledges`` random stream; every pledge text is marked
[SYNTETYCZNA]. ``logos/placeholder-logo.svg`` is a grey box saying it is a synthetic
placeholder, so the campaign cards show where the funders' and partners' logos go.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lublin_diagnosis.data.synth._common import _day, _frame, _rng

__all__ = ["CANDIDATES", "LOGO_SVG", "make_pledges"]

#: The invented candidates: name, committee.
CANDIDATES: tuple[tuple[str, str], ...] = (
    ("Kandydatka A (syntetyczna)", "Komitet Wyborczy X (syntetyczny)"),
    ("Kandydat B (syntetyczny)", "Komitet Wyborczy Y (syntetyczny)"),
    ("Kandydatka C (syntetyczna)", "KWW Z (syntetyczny)"),
)
_MUNICIPAL = ("city_hall", "family_assistance", "labour_office", "transport", "clinic", "school")
_ANSWERS = ("yes", "partly", "no", "no_answer")
_PLEDGES = {
    "yes": (
        "[SYNTETYCZNA] Wprowadzę to w pierwszym roku kadencji i zapiszę środki w budżecie.",
        "[SYNTETYCZNA] Popieram w całości; zgłoszę projekt uchwały.",
    ),
    "partly": (
        "[SYNTETYCZNA] Popieram kierunek, ale najpierw pilotaż w jednej dzielnicy.",
        "[SYNTETYCZNA] Częściowo: w miarę możliwości budżetowych.",
    ),
}

#: A placeholder logo (SVG), marked synthetic.
LOGO_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="80" viewBox="0 0 240 80">'
    '<rect x="1" y="1" width="238" height="78" rx="8" fill="#eef2f7" stroke="#7a8ca3" '
    'stroke-width="2" stroke-dasharray="6 4"/>'
    '<text x="120" y="36" font-family="DejaVu Sans" font-size="16" text-anchor="middle" '
    'fill="#33475b">LOGO (synthetic)</text>'
    '<text x="120" y="58" font-family="DejaVu Sans" font-size="12" text-anchor="middle" '
    'fill="#33475b">placeholder – partner</text></svg>\n'
)


def make_pledges(recs: pd.DataFrame, institutions: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Invented candidates' answers to the city's recommendations.

    Each candidate answers about two thirds of the asks; an answer is drawn with
    candidate-specific probabilities of yes / partly / no / no_answer.

    Examples
    --------
    >>> recs = pd.DataFrame({"rec_id": ["R1", "R2"], "area": ["housing", "health"],
    ...                      "institution_id": ["city_hall", "nfz"]})
    >>> inst = pd.DataFrame({"institution_id": ["city_hall", "nfz"],
    ...                      "type": ["city_hall", "health_fund"]})
    >>> set(make_pledges(recs, inst, 2023)["rec_id"]) <= {"R1"}
    True
    """
    rng = _rng(seed, "pledges")
    municipal = set(institutions.loc[institutions["type"].isin(_MUNICIPAL), "institution_id"])
    asks = recs[recs["institution_id"].isin(municipal)]
    probs = np.array([[0.55, 0.25, 0.10, 0.10], [0.25, 0.30, 0.35, 0.10], [0.40, 0.20, 0.15, 0.25]])
    rows: dict[str, list] = {
        k: [] for k in ("candidate", "committee", "date", "area", "rec_id", "answer", "pledge")
    }
    for c, (name, committee) in enumerate(CANDIDATES):
        answered = rng.random(len(asks)) < 0.67
        answers = rng.choice(len(_ANSWERS), size=len(asks), p=probs[c])
        day = _day("2024-03-04", int(rng.integers(0, 21)))
        texts = rng.integers(0, 2, size=len(asks))
        for k, rec in enumerate(asks.itertuples(index=False)):
            if not answered[k]:
                continue
            answer = _ANSWERS[answers[k]]
            rows["candidate"].append(name)
            rows["committee"].append(committee)
            rows["date"].append(str(day))
            rows["area"].append(rec.area)
            rows["rec_id"].append(rec.rec_id)
            rows["answer"].append(answer)
            rows["pledge"].append(_PLEDGES[answer][texts[k]] if answer in _PLEDGES else "")
    return _frame(rows)
