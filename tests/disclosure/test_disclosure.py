"""Disclosure control: flags, primary and secondary suppression, and attacks on published tables.

The attack re-derives, independently of ``lublin_diagnosis.disclosure``, what a reader can
learn from a published crosstab: for every suppressed cell, two linear programs
(``scipy.optimize.linprog``) give its minimum and maximum over all non-negative tables
that match the published cells and totals. The criterion (documented in the module):

* standard attacker: the feasible interval of every primary cell contains [0, min_n]
  (the table is consistent with the cell being empty and with it being at the
  threshold: it is not pinned, and 0..min_n-1 are all possible values);
* informed attacker (also knows from the flags that primary cells lie in
  [1, min_n - 1]): the interval is at least 1 wide -- the cell is still not pinned --
  unless the flags alone pin it, whatever is published (tiny totals; see the module).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from lublin_diagnosis.data.validation import load_dataset
from lublin_diagnosis.disclosure import (
    FLAGS,
    TOTAL_LABEL,
    DisclosureRules,
    audit_counts,
    audit_estimates,
    counts_wide,
    protect_counts,
    protect_estimates,
)
from lublin_diagnosis.exceptions import DisclosureError
from support import DEMO

RULES = DisclosureRules()


# --------------------------------------------------------------------------- the attacker
def _names(published: pd.DataFrame) -> list[str]:
    return [
        c
        for c in published.columns
        if c not in ("cell", "count", "suppressed", "low_reliability", "flags")
    ]


def _key(rec: dict, names: list[str]) -> tuple:
    return rec[names[0]], rec[names[1]] if len(names) == 2 else None


def attack(
    published: pd.DataFrame, rules: DisclosureRules = RULES, *, informed: bool = False
) -> dict[tuple, tuple[float, float]]:
    """Feasible [min, max] of every suppressed cell of a published table, by LP.

    Written from the published long table alone: the grid of cells with their totals,
    the rows and columns that add up to their totals, non-negativity.
    """
    names = _names(published)
    rows = list(dict.fromkeys(published[names[0]]))
    cols = list(dict.fromkeys(published[names[1]])) if len(names) == 2 else [None]
    cell = {_key(rec, names): rec for rec in published.to_dict("records")}
    hidden = [k for k, r in cell.items() if r["suppressed"]]
    pos = {k: i for i, k in enumerate(hidden)}

    def term(key):
        rec = cell[key]
        return (pos[key], 0.0) if rec["suppressed"] else (None, float(rec["count"]))

    equations = []  # (coefficients over hidden, rhs)
    inner_rows = [r for r in rows if r != TOTAL_LABEL]
    inner_cols = [c for c in cols if c != TOTAL_LABEL]
    lines = []
    if TOTAL_LABEL in cols:  # each row adds up to its row total
        lines += [([(r, c) for c in inner_cols], (r, TOTAL_LABEL)) for r in rows]
    if TOTAL_LABEL in rows:  # each column adds up to its column total
        lines += [([(r, c) for r in inner_rows], (TOTAL_LABEL, c)) for c in cols]
    for parts, total in lines:
        coef = np.zeros(len(hidden))
        rhs = 0.0
        for key, sign in [(k, 1.0) for k in parts] + [(total, -1.0)]:
            i, value = term(key)
            if i is None:
                rhs -= sign * value
            else:
                coef[i] += sign
        if coef.any():
            equations.append((coef, rhs))
    bounds = []
    for k in hidden:
        primary = "suppressed" in cell[k]["flags"].split(";")
        bounds.append((1, rules.min_n - 1) if informed and primary else (0, None))
    out = {}
    for k in hidden:
        i = pos[k]
        ends = []
        for sign in (1.0, -1.0):
            c = np.zeros(len(hidden))
            c[i] = sign
            res = linprog(
                c,
                A_eq=np.array([e[0] for e in equations]) if equations else None,
                b_eq=np.array([e[1] for e in equations]) if equations else None,
                bounds=bounds,
                method="highs",
            )
            if res.status == 3:
                ends.append(-np.inf if sign > 0 else np.inf)
            else:
                assert res.status == 0, res.message
                ends.append(sign * res.fun)
        out[k] = (ends[0], ends[1])
    return out


def pinned_by_flags(published: pd.DataFrame, key: tuple, rules: DisclosureRules) -> bool:
    """Does the informed attacker pin the cell even if nothing but the flags is published?"""
    blind = published.copy()
    blind["suppressed"] = True
    blind["count"] = pd.array([None] * len(blind), dtype="Int64")
    lo, hi = attack(blind, rules, informed=True)[key]
    return hi - lo < 1 - 1e-6


def assert_protected(published: pd.DataFrame, rules: DisclosureRules = RULES) -> None:
    names = _names(published)
    primaries = [
        _key(r, names)
        for r in published.to_dict("records")
        if "suppressed" in r["flags"].split(";")
    ]
    standard = attack(published, rules)
    informed = attack(published, rules, informed=True)
    for key in primaries:
        lo, hi = standard[key]
        assert lo <= 1e-6 and hi >= rules.min_n - 1e-6, (key, lo, hi)
        lo, hi = informed[key]
        assert hi - lo >= 1 - 1e-6 or pinned_by_flags(published, key, rules), (key, lo, hi)


def published_matches(
    table: pd.DataFrame | pd.Series, published: pd.DataFrame, rules: DisclosureRules = RULES
) -> None:
    """Published cells are the true counts; small non-zero cells are all suppressed."""
    frame = table.to_frame("count") if isinstance(table, pd.Series) else table
    wide = counts_wide(published)
    for r in frame.index:
        for c in frame.columns:
            true = int(frame.loc[r, c])
            shown = wide.loc[r, c] if not isinstance(table, pd.Series) else wide.loc[r, "count"]
            if 1 <= true < rules.min_n:
                assert pd.isna(shown)
            if not pd.isna(shown):
                assert int(shown) == true


# --------------------------------------------------------------------------- rules
def test_rules_defaults_and_validation():
    r = DisclosureRules()
    assert (r.min_n, r.low_n, r.max_cv) == (10, 30, 0.30)
    with pytest.raises(DisclosureError, match="min_n"):
        DisclosureRules(min_n=0)
    with pytest.raises(DisclosureError, match="low_n"):
        DisclosureRules(min_n=10, low_n=5)
    with pytest.raises(DisclosureError, match="max_cv"):
        DisclosureRules(max_cv=0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.min_n = 5  # frozen


# --------------------------------------------------------------------------- estimates
def estimate_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": ["x"] * 5,
            "by": ["sex"] * 2 + ["age"] * 3,
            "group": ["F", "M", "a", "b", "c"],
            "value": [0.40, 0.20, 0.50, 0.02, 0.60],
            "se": [0.02, 0.03, 0.05, 0.01, 0.2],
            "ci_low": [0.36, 0.14, 0.40, 0.0, 0.2],
            "ci_high": [0.44, 0.26, 0.60, 0.04, 1.0],
            "score": [40.0, 20, 50, 2, 60],
            "n": [300, 5, 200, 40, 65],
        }
    )


def test_protect_estimates_flags_and_blanks():
    out = protect_estimates(estimate_table(), RULES)
    assert out["suppressed"].tolist() == [False, True, False, False, False]
    assert out["flags"].tolist() == ["", "suppressed", "", "high_cv", "high_cv"]
    assert out["low_reliability"].tolist() == [False, False, False, True, True]
    hidden = out.iloc[1]
    for c in ("value", "se", "ci_low", "ci_high", "score", "cv"):
        assert np.isnan(hidden[c])
    assert pd.isna(hidden["n"]) and str(out["n"].dtype) == "Int64"
    assert out.loc[0, "cv"] == pytest.approx(0.05)
    # a base between min_n and low_n is published and flagged
    small = protect_estimates(estimate_table().assign(n=[300, 12, 200, 40, 65], se=0.0))
    assert small["flags"].tolist()[1] == "low_base" and not small["suppressed"].iloc[1]


def test_protect_estimates_complementary_suppression():
    out = protect_estimates(estimate_table(), RULES, groups=["indicator", "by"])
    # sex: F would be recovered from the total minus M -> suppressed as complement
    assert out["flags"].tolist()[:2] == ["secondary_suppression", "suppressed"]
    assert out["suppressed"].tolist() == [True, True, False, False, False]
    # the age groups have nothing suppressed: untouched
    totals = estimate_table().groupby(["indicator", "by"])["n"].sum()
    audit = audit_estimates(out, totals, RULES, groups=["indicator", "by"])
    assert audit["protected"].all()
    assert (
        audit.loc[audit["primary"] & (audit["attacker"] == "standard"), "upper"] >= RULES.min_n
    ).all()


def test_protect_estimates_complements_until_the_bases_reach_min_n():
    df = pd.DataFrame(
        {"g": ["a", "b", "c", "d"], "value": [0.5] * 4, "se": [0.01] * 4, "n": [3, 2, 50, 80]}
    )
    out = protect_estimates(df, groups=[])
    # two primaries with 3 + 2 < 10: one more (the smallest published) is needed
    assert out["flags"].tolist() == ["suppressed", "suppressed", "secondary_suppression", ""]


def test_protect_estimates_is_idempotent_and_needs_bases():
    once = protect_estimates(estimate_table(), RULES, groups=["indicator", "by"])
    twice = protect_estimates(once, RULES, groups=["indicator", "by"])
    pd.testing.assert_frame_equal(once, twice)
    with pytest.raises(DisclosureError, match="no unweighted base"):
        protect_estimates(estimate_table().assign(n=[1, None, 3, 4, 5]))
    with pytest.raises(DisclosureError, match="base column"):
        protect_estimates(estimate_table().drop(columns="n"))


def test_flags_are_never_silent():
    out = protect_estimates(estimate_table(), RULES, groups=["indicator", "by"])
    for rec in out.to_dict("records"):
        flags = set(filter(None, rec["flags"].split(";")))
        assert flags <= set(FLAGS)
        assert rec["suppressed"] == bool(flags & {"suppressed", "secondary_suppression"})
        if np.isnan(rec["value"]):
            assert rec["suppressed"]


# --------------------------------------------------------------------------- counts
def test_one_way_table_hand_example():
    s = pd.Series({"UA": 120, "BY": 45, "asia": 4, "other": 15, "none": 0}).rename_axis("c")
    out = protect_counts(s)
    assert out["cell"].tolist() == ["cell"] * 5 + ["total"]
    assert out["flags"].tolist() == ["", "", "suppressed", "secondary_suppression", "", ""]
    assert out["count"].tolist()[-1] == 184  # the total is published
    assert not out["low_reliability"].any()  # 15 is hidden, 0 is an exact zero
    assert protect_counts(s.replace(15, 25))["flags"].tolist()[3] == "secondary_suppression"
    assert protect_counts(s.replace({4: 12}))["flags"].tolist()[2] == "low_base"
    published_matches(s, out)
    lo, hi = attack(out)[("asia", None)]
    assert (lo, hi) == pytest.approx((0.0, 19.0))


def test_two_way_table_hand_example():
    t = pd.DataFrame(
        {"F": [40, 3, 25], "M": [35, 20, 30]},
        index=pd.Index(["UA", "asia", "BY"], name="citizenship"),
    )
    t.columns.name = "sex"
    out = protect_counts(t)
    wide = counts_wide(out)
    assert list(wide.columns) == ["F", "M", TOTAL_LABEL]
    assert list(wide.index) == ["UA", "asia", "BY", TOTAL_LABEL]
    assert wide.loc[TOTAL_LABEL, TOTAL_LABEL] == 153
    # the small cell and the cheapest rectangle that protects it
    assert out["suppressed"].sum() == 4
    assert set(out.loc[out["suppressed"], "citizenship"]) == {"UA", "asia"} or set(
        out.loc[out["suppressed"], "citizenship"]
    ) == {"asia", "BY"}
    published_matches(t, out)
    assert_protected(out)


def test_without_margins_only_primary_suppression():
    t = pd.DataFrame({"F": [40, 3], "M": [35, 20]}, index=["UA", "asia"])
    out = protect_counts(t, margins=False)
    assert out["suppressed"].tolist() == [False, False, True, False]
    assert (out["cell"] == "cell").all()


def test_zero_cells_are_published_and_totals_are_checked():
    t = pd.DataFrame({"a": [0, 50], "b": [4, 60]}, index=["x", "y"])
    out = protect_counts(t)
    wide = counts_wide(out)
    assert wide.loc["x", "a"] == 0
    # row total of x (4) is itself small: suppressed as a primary
    assert (
        "suppressed"
        in out.loc[(out["row"] == "x") & (out["column"] == TOTAL_LABEL), "flags"].iloc[0]
    )
    assert_protected(out)


@pytest.mark.parametrize(
    "bad, message",
    [
        (pd.DataFrame({"a": [1.5, 2]}), "whole numbers"),
        (pd.DataFrame({"a": [-1, 2]}), "whole numbers"),
        (pd.DataFrame({"a": [np.nan, 2]}), "whole numbers"),
        (pd.DataFrame({"a": [1, 2]}, index=["Total", "x"]), "labelled"),
    ],
)
def test_bad_count_tables_are_rejected(bad, message):
    with pytest.raises(DisclosureError, match=message):
        protect_counts(bad)


def test_audit_reports_what_the_attacker_learns():
    t = pd.DataFrame({"F": [40, 3, 25], "M": [35, 20, 30]}, index=["UA", "asia", "BY"])
    out = protect_counts(t)
    audit = audit_counts(out)
    assert audit["protected"].all()
    ours = attack(out)
    for rec in audit[audit["attacker"] == "standard"].to_dict("records"):
        lo, hi = ours[(rec["row"], rec["column"])]
        assert rec["lower"] == pytest.approx(lo) and rec["upper"] == pytest.approx(hi)
    # an unprotected publication (a small cell recoverable from its row total) fails
    naive = out.copy()
    hidden = ((naive["row"] == "asia") & (naive["column"] == "F")).to_numpy()
    naive["suppressed"] = hidden
    naive["count"] = pd.array(
        [None if h else int(v) for h, v in zip(hidden, _true_long(t), strict=False)], dtype="Int64"
    )
    naive["flags"] = ["suppressed" if h else "" for h in hidden]
    assert not audit_counts(naive)["protected"].all()
    lo, hi = attack(naive)[("asia", "F")]
    assert lo == pytest.approx(3) and hi == pytest.approx(3)  # pinned


def _true_long(t: pd.DataFrame) -> np.ndarray:
    full = t.copy()
    full[TOTAL_LABEL] = full.sum(axis=1)
    full.loc[TOTAL_LABEL] = full.sum(axis=0)
    return full.to_numpy().ravel()


# --------------------------------------------------------------------------- real tables
@pytest.fixture(scope="module")
def demo():
    return load_dataset(DEMO)


@pytest.mark.parametrize(
    "row, col",
    [
        ("citizenship", "age_group"),
        ("citizenship", "legal_status"),
        ("legal_status", "years_in_pl"),
    ],
)
def test_attack_demo_survey_crosstabs(demo, row, col):
    table = pd.crosstab(demo.survey[row], demo.survey[col])
    out = protect_counts(table)
    published_matches(table, out)
    assert_protected(out)
    audit = audit_counts(out)
    assert audit["protected"].all() and not audit["pinned_by_flags"].any()


def test_attack_demo_legal_cases(demo):
    cases = demo.legal_problems()
    table = pd.crosstab(cases["nationality_group"], cases["problems"])
    out = protect_counts(table)
    published_matches(table, out)
    assert_protected(out)


# --------------------------------------------------------------------------- randomised
small_counts = st.sampled_from([0, 0, 1, 2, 3, 5, 8, 9, 10, 11, 15, 30, 60, 200])


@st.composite
def count_tables(draw):
    r = draw(st.integers(1, 5))
    c = draw(st.integers(1, 5))
    cells = draw(st.lists(small_counts, min_size=r * c, max_size=r * c))
    frame = pd.DataFrame(
        np.array(cells).reshape(r, c),
        index=[f"r{i}" for i in range(r)],
        columns=[f"c{j}" for j in range(c)],
    )
    if c == 1 and draw(st.booleans()):
        return frame.iloc[:, 0].rename_axis("g")
    return frame


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(count_tables(), st.sampled_from([3, 5, 10]))
def test_random_tables_cannot_be_attacked(table, min_n):
    rules = DisclosureRules(min_n=min_n, low_n=max(min_n, 30))
    out = protect_counts(table, rules)
    published_matches(table, out, rules)
    assert_protected(out, rules)
    # the flags say why every blank is blank
    for rec in out.to_dict("records"):
        assert rec["suppressed"] == pd.isna(rec["count"])
        assert rec["suppressed"] == bool(
            set(rec["flags"].split(";")) & {"suppressed", "secondary_suppression"}
        )


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 60), min_size=2, max_size=7))
def test_random_partitions_of_estimates_cannot_be_attacked(bases):
    df = pd.DataFrame(
        {
            "part": "p",
            "group": [f"g{i}" for i in range(len(bases))],
            "value": 0.5,
            "se": 0.05,
            "n": bases,
        }
    )
    df = df[df["n"] > 0]
    if df["n"].sum() < RULES.min_n:
        return  # the total itself is then suppressed where it is published
    out = protect_estimates(df, RULES, groups=["part"])
    audit = audit_estimates(out, pd.Series({"p": int(df["n"].sum())}), RULES, groups=["part"])
    assert audit["protected"].all()


def test_protect_estimates_on_an_empty_table():
    import pandas as pd

    from lublin_diagnosis.disclosure import protect_estimates

    out = protect_estimates(pd.DataFrame({"estimate": [], "se": [], "n": []}))
    assert len(out) == 0 and out["suppressed"].dtype == bool


def test_two_small_parts_that_fill_the_total_are_reported_as_pinned_by_flags():
    """9 + 9 with a published total of 18: the flags and the total pin the bases; the
    audit says so rather than claiming protection it cannot give."""
    df = pd.DataFrame({"part": "p", "group": ["a", "b"], "value": 0.5, "se": 0.05, "n": [9, 9]})
    out = protect_estimates(df, RULES, groups=["part"])
    assert out["suppressed"].all() and out["value"].isna().all()
    audit = audit_estimates(out, pd.Series({"p": 18}), RULES, groups=["part"])
    informed = audit[audit["attacker"] == "informed"]
    assert informed["pinned_by_flags"].all()


def test_a_shown_part_is_suppressed_when_two_hidden_ones_would_be_pinned():
    df = pd.DataFrame(
        {"part": "p", "group": ["a", "b", "c"], "value": 0.5, "se": 0.05, "n": [9, 9, 50]}
    )
    out = protect_estimates(df, RULES, groups=["part"])
    assert out["suppressed"].tolist() == [True, True, True]
    audit = audit_estimates(out, pd.Series({"p": 68}), RULES, groups=["part"])
    assert audit["protected"].all() and not audit["pinned_by_flags"].any()
