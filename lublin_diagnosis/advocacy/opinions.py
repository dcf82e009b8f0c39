"""The consultation group's opinions on the recommendations: counts, shares, comments.

Each member's *latest* opinion on a recommendation (as of the reference date) counts
once, so a member who first asked to amend a draft and later supported it counts as
support. Shares are over the members who gave an opinion. Member codes are never
published; comments are shown as distinct texts in the report language (falling back to
the other language, marked ``[pl]`` / ``[en]``, when a comment was written in one
language only). Opinion tallies describe a consultation group's votes on policy
proposals, not a population: they are published as they are (see
:mod:`~lublin_diagnosis.disclosure.control` for the counts that are protected).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.advocacy.examples import example_register  # noqa: F401 (examples)
from lublin_diagnosis.advocacy.register_tables import (
    issued_recommendations,
    resolve_reference_date,
)
from lublin_diagnosis.data.register import OPINIONS

__all__ = ["latest_opinions", "opinion_comments", "opinion_summary"]


def latest_opinions(dataset: Any, ref: pd.Timestamp) -> pd.DataFrame:
    """Each member's latest opinion on each recommendation, as of ``ref``: ``rec_id,
    member, date, opinion, comment_pl, comment_en`` (blank comments as ``None``).

    Examples
    --------
    >>> latest_opinions(example_register(), pd.Timestamp("2023-09-30"))["opinion"].tolist()
    ['support', 'amend', 'support']
    """
    ops = getattr(dataset, "opinions", None)
    cols = ["rec_id", "member", "date", "opinion", "comment_pl", "comment_en"]
    if ops is None or ops.empty:
        return pd.DataFrame(columns=cols)
    frame = pd.DataFrame(
        {
            "rec_id": ops["rec_id"].astype(str).to_numpy(),
            "member": ops["member"].astype(str).to_numpy(),
            "date": pd.to_datetime(ops["date"]).to_numpy(),
            "opinion": ops["opinion"].astype(str).to_numpy(),
            "_order": np.arange(len(ops)),
        }
    )
    for lang in ("pl", "en"):
        col = f"comment_{lang}"
        values = (
            ops[col].astype(object).to_numpy()
            if col in ops.columns
            else np.full(len(ops), None, dtype=object)
        )
        frame[col] = [
            None
            if v is None
            or (isinstance(v, float) and np.isnan(v))
            or v is pd.NA
            or not str(v).strip()
            else str(v).strip()
            for v in values
        ]
    frame = frame[frame["date"] <= ref]
    frame = frame.sort_values(["rec_id", "member", "date", "_order"], kind="stable")
    return frame.groupby(["rec_id", "member"], sort=False).tail(1)[cols].reset_index(drop=True)


def opinion_summary(
    dataset: Any, *, reference_date: Any = None, institution: str | None = None
) -> pd.DataFrame:
    """The consultation group's opinions on each recommendation: counts and shares.

    Returns
    -------
    DataFrame
        One row per recommendation issued by the reference date (register order):
        ``rec_id, n_opinions, support, amend, reject, share_support, share_amend,
        share_reject`` (shares of the members who gave an opinion; missing when none
        did). Each member's latest opinion counts once.

    Examples
    --------
    >>> opinion_summary(example_register())[["rec_id", "n_opinions", "support", "amend", "share_support"]].to_dict("records")
    [{'rec_id': 'R1', 'n_opinions': 3, 'support': 2, 'amend': 1, 'share_support': 0.6666666666666666}, {'rec_id': 'R2', 'n_opinions': 0, 'support': 0, 'amend': 0, 'share_support': nan}]
    """
    ref = resolve_reference_date(dataset, reference_date)
    recs = issued_recommendations(dataset, ref)
    if institution is not None:
        recs = recs[recs["institution"] == str(institution)]
    latest = latest_opinions(dataset, ref)
    counts = pd.crosstab(latest["rec_id"], latest["opinion"]) if len(latest) else pd.DataFrame()
    counts = counts.reindex(index=recs["rec_id"].tolist(), columns=list(OPINIONS), fill_value=0)
    out = pd.DataFrame({"rec_id": pd.array(recs["rec_id"].tolist(), dtype="str")})
    total = counts.sum(axis=1).to_numpy(dtype="int64")
    out["n_opinions"] = total
    for code in OPINIONS:
        out[code] = counts[code].to_numpy(dtype="int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        for code in OPINIONS:
            out[f"share_{code}"] = np.where(total > 0, out[code] / np.maximum(total, 1), np.nan)
    return out


def opinion_comments(
    dataset: Any, lang: str, *, reference_date: Any = None, institution: str | None = None
) -> pd.DataFrame:
    """The consultation group's comments on each recommendation, in the report language.

    Parameters
    ----------
    dataset : Dataset
    lang : {"pl", "en"}
        Comments in this language; a comment written only in the other language is
        shown in it, marked ``[pl]`` or ``[en]``.

    Returns
    -------
    DataFrame
        ``rec_id, opinion, opinion_name, comment``: the distinct comments of the
        members' latest opinions, by recommendation and opinion (support, amend,
        reject). Member codes are not shown.

    Examples
    --------
    >>> comments = opinion_comments(example_register(), "en")
    >>> comments[["rec_id", "opinion", "comment"]].to_dict("records")
    [{'rec_id': 'R1', 'opinion': 'support', 'comment': '[pl] Bardzo potrzebne.'}, {'rec_id': 'R1', 'opinion': 'amend', 'comment': 'Add English.'}]
    """
    from lublin_diagnosis.report.i18n import check_lang, t

    check_lang(lang)
    other = "en" if lang == "pl" else "pl"
    ref = resolve_reference_date(dataset, reference_date)
    recs = issued_recommendations(dataset, ref)
    if institution is not None:
        recs = recs[recs["institution"] == str(institution)]
    order = {r: k for k, r in enumerate(recs["rec_id"])}
    latest = latest_opinions(dataset, ref)
    latest = latest[latest["rec_id"].isin(order)]
    comments = [
        c if not pd.isna(c) else (f"[{other}] {o}" if not pd.isna(o) else None)
        for c, o in zip(
            latest[f"comment_{lang}"].astype(object),
            latest[f"comment_{other}"].astype(object),
            strict=False,
        )
    ]
    table = pd.DataFrame(
        {
            "rec_id": latest["rec_id"].to_numpy(),
            "opinion": latest["opinion"].to_numpy(),
            "comment": comments,
        },
        columns=["rec_id", "opinion", "comment"],
    )
    table = table[table["comment"].notna()].drop_duplicates()
    table = table.assign(
        _r=table["rec_id"].map(order),
        _o=table["opinion"].map({o: k for k, o in enumerate(OPINIONS)}),
    )
    table = table.sort_values(["_r", "_o", "comment"], kind="stable")
    out = pd.DataFrame(
        {
            "rec_id": pd.array(table["rec_id"].tolist(), dtype="str"),
            "opinion": pd.array(table["opinion"].tolist(), dtype="str"),
            "opinion_name": pd.array(
                [t(f"opinions.{o}", lang) for o in table["opinion"]], dtype="str"
            ),
            "comment": pd.array(table["comment"].tolist(), dtype="str"),
        }
    )
    return out
