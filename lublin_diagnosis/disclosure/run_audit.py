"""The run-wide audit: every published table of a run attacked together.

Each table can be safe on its own and still give a small count away in combination with
another: a group's sample count minus the base of an estimate for that group is the
number of its members who did not answer; a suppressed group base is the indicator's base
minus the other groups'; a design-weighted total at full precision, with the stratum base
weights, gives stratum x category counts; an exact date names the month a suppressed
count lies in. :func:`audit_tables` looks for all of these among the tables of one
language of a run (library column names), :func:`audit_run` reads a run folder.

The checks, each a ``check`` value of the findings:

``direct``
    a published count or base (:data:`COUNTED`) from 1 to ``min_n - 1``, or a number in a
    suppressed row;
``difference``
    a group's published sample count (``sample-<variable>`` tables) minus the base ``n``
    of an estimate for that group, or the sample size minus an indicator's base, pinned
    (an interval narrower than 1) to a value from 1 to ``min_n - 1``. Bases published
    rounded down to a multiple of ``step`` (:func:`~.estimates.round_bases`) are known to
    lie in ``[n, n + step - 1]``; a table with a base off that grid is read as exact;
``partition``
    a suppressed group base recovered from the indicator's base and the other groups'
    (linear programming; the criterion of :mod:`lublin_diagnosis.disclosure`);
``weights``
    design-weighted margin totals (``base``) finer than
    :func:`~.estimates.weight_step` allows;
``date``
    an exact day (``YYYY-MM-DD``) on a page whose month the ``legal-months`` table
    suppresses.

>>> import pandas as pd
>>> sample = pd.DataFrame({"category": ["A", "B", "Total"], "cell": ["cell", "cell", "total"],
...                        "count": [700, 500, 1200], "suppressed": False})
>>> disp = pd.DataFrame({"indicator": "x", "by": "v", "group_label": ["A", "B"],
...                      "n": [697, 480], "suppressed": False})
>>> audit_tables({"sample-v": sample, "disp": disp})[["table", "check", "lower"]].to_dict("records")
[{'table': 'disp', 'check': 'difference', 'lower': 3.0}]
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from lublin_diagnosis.disclosure.estimates import BASE_ROUNDING, weight_step
from lublin_diagnosis.disclosure.grid import TOL
from lublin_diagnosis.disclosure.rules import DisclosureRules, split_flags

__all__ = ["COUNTED", "FINDING_COLUMNS", "audit_run", "audit_tables", "read_run_tables"]

#: Columns that hold counts of people or unweighted bases.
COUNTED: tuple[str, ...] = (
    "n",
    "count",
    "n_baseline",
    "n_follow_up",
    "n_cases",
    "answered",
    "missing",
)
#: Columns of the findings.
FINDING_COLUMNS: tuple[str, ...] = ("table", "row", "column", "check", "lower", "upper", "message")
_DAY = re.compile(r"\b(\d{4}-\d{2})-\d{2}\b")

Finding = dict[str, object]


def _finding(
    table: str, row: int | None, column: str, check: str, lo: float, hi: float, message: str
) -> Finding:
    return dict(zip(FINDING_COLUMNS, (table, row, column, check, lo, hi, message), strict=True))


def _row(index: object) -> int:
    """The spreadsheet row of a table's CSV (the header is row 1)."""
    return int(index) + 2


def _hidden(frame: pd.DataFrame) -> pd.Series:
    if "suppressed" not in frame.columns:
        return pd.Series(False, index=frame.index)
    return frame["suppressed"].map(lambda v: str(v).strip().lower() in ("true", "1"))


def _direct(name: str, frame: pd.DataFrame, rules: DisclosureRules) -> list[Finding]:
    out = []
    hidden = _hidden(frame)
    for col in (c for c in COUNTED if c in frame.columns):
        values = pd.to_numeric(frame[col], errors="coerce")
        small = values.notna() & (values >= 1) & (values < rules.min_n)
        for i in frame.index[small | (hidden & values.notna())]:
            v = float(values[i])
            why = "a suppressed row shows it" if hidden[i] else f"under min_n {rules.min_n}"
            out.append(_finding(name, _row(i), col, "direct", v, v, f"{v:g} published: {why}"))
    return out


def _exact(frame: pd.DataFrame, rules: DisclosureRules, step: int) -> bool:
    """Whether the bases of a table are exact (some shown base off the rounding grid)."""
    values = pd.to_numeric(frame["n"], errors="coerce").dropna()
    values = values[values > rules.min_n]
    return step <= 1 or bool((values % step != 0).any())


def _sample_counts(tables: Mapping[str, pd.DataFrame]) -> tuple[dict, float | None]:
    """{variable: {category label: count}} of the published sample counts, and the
    sample size (a published total of any of them)."""
    counts: dict[str, dict] = {}
    total = None
    for name, frame in tables.items():
        if not name.startswith("sample-") or not {"cell", "count"} <= set(frame.columns):
            continue
        label = frame.columns[0]
        shown = frame[~_hidden(frame)]
        values = pd.to_numeric(shown["count"], errors="coerce")
        cells = shown["cell"].astype(str) == "cell"
        counts[name.removeprefix("sample-")] = dict(
            zip(shown.loc[cells, label], values[cells], strict=True)
        )
        totals = values[shown["cell"].astype(str) == "total"].dropna()
        if len(totals):
            total = float(totals.iloc[0])
    return counts, total


def _differences(
    name: str,
    frame: pd.DataFrame,
    samples: dict,
    size: float | None,
    rules: DisclosureRules,
    step: int,
) -> list[Finding]:
    if "n" not in frame.columns:
        return []
    by = next((c for c in ("by", "variable") if c in frame.columns), None)
    grouped = by is not None and "group_label" in frame.columns
    if not grouped and ("indicator" not in frame.columns or size is None):
        return []
    width = 0 if _exact(frame, rules, step) else step - 1
    out = []
    values = pd.to_numeric(frame["n"], errors="coerce")
    for i in frame.index[values.notna() & ~_hidden(frame)]:
        whole = (
            samples.get(str(frame.at[i, by]), {}).get(frame.at[i, "group_label"])
            if grouped
            else size
        )
        if whole is None or pd.isna(whole):
            continue
        lo, hi = float(whole) - float(values[i]) - width, float(whole) - float(values[i])
        if hi - lo < 1 - TOL and 1 <= hi < rules.min_n:
            out.append(
                _finding(
                    name,
                    _row(i),
                    "n",
                    "difference",
                    max(lo, 0.0),
                    hi,
                    f"sample count {whole:g} minus base {values[i]:g} leaves {hi:g}",
                )
            )
    return out


def _overall_bases(tables: Mapping[str, pd.DataFrame], rules: DisclosureRules, step: int) -> dict:
    """{indicator: (lowest, highest)} base of each indicator published without groups."""
    out: dict[str, tuple[float, float]] = {}
    for frame in tables.values():
        if not {"indicator", "n"} <= set(frame.columns) or "group_label" in frame.columns:
            continue
        width = 0 if _exact(frame, rules, step) else step - 1
        values = pd.to_numeric(frame["n"], errors="coerce")
        for i in frame.index[values.notna() & ~_hidden(frame)]:
            out[str(frame.at[i, "indicator"])] = (float(values[i]), float(values[i]) + width)
    return out


def _partitions(
    name: str, frame: pd.DataFrame, overall: dict, rules: DisclosureRules, step: int
) -> list[Finding]:
    """Attack the hidden group bases of each indicator x variable of a disparity table."""
    by = next((c for c in ("by", "variable") if c in frame.columns), None)
    if by is None or not {"indicator", "group_label", "n"} <= set(frame.columns):
        return []
    width = 0 if _exact(frame, rules, step) else step - 1
    hidden = _hidden(frame)
    values = pd.to_numeric(frame["n"], errors="coerce")
    flags = frame["flags"] if "flags" in frame.columns else pd.Series("", index=frame.index)
    out = []
    for (indicator, _), part in frame.groupby(["indicator", by], sort=False):
        total = overall.get(str(indicator))
        if total is None or not hidden[part.index].any():
            continue
        primary = [i for i in part.index if hidden[i] and "suppressed" in split_flags(flags[i])]
        modes = (False,) if hidden[part.index].all() else (False, True)
        for informed in modes:
            bounds = [
                ((1.0, rules.min_n - 1.0) if informed and i in primary else (0.0, None))
                if hidden[i]
                else (float(values[i]), float(values[i]) + width)
                for i in part.index
            ]
            for k, i in enumerate(part.index):
                if i not in primary:
                    continue
                lo, hi = _extremes(bounds, total, k)
                ok = (hi - lo >= 1 - TOL) if informed else (lo <= TOL and hi >= rules.min_n - TOL)
                if not ok:
                    who = "informed" if informed else "standard"
                    message = f"hidden base narrowed to [{lo:g}, {hi:g}] ({who} attacker)"
                    out.append(_finding(name, _row(i), "n", "partition", lo, hi, message))
    return out


def _extremes(bounds: list, total: tuple[float, float], k: int) -> tuple[float, float]:
    """Smallest and largest value of variable ``k`` with ``total`` bounding the sum."""
    a_ub = np.vstack([np.ones(len(bounds)), -np.ones(len(bounds))])
    b_ub = np.array([total[1], -total[0]])
    ends = []
    for sign in (1.0, -1.0):
        c = np.zeros(len(bounds))
        c[k] = sign
        res = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
        ends.append(sign * res.fun if res.status == 0 else (np.inf if sign < 0 else -np.inf))
    return float(ends[0]), float(ends[1])


def _weights(
    name: str, frame: pd.DataFrame, size: float | None, rules: DisclosureRules
) -> list[Finding]:
    if not {"target", "base", "variable"} <= set(frame.columns) or not size:
        return []
    target = pd.to_numeric(frame["target"], errors="coerce")
    population = float(target.groupby(frame["variable"]).sum().max())
    step = weight_step(population, int(size), rules.min_n)
    base = pd.to_numeric(frame["base"], errors="coerce")
    off = (base / step - (base / step).round()).abs() > 1e-9
    return [
        _finding(
            name,
            _row(i),
            "base",
            "weights",
            float(base[i]),
            float(base[i]),
            f"design-weighted total {base[i]:g} is finer than the step {step:g}",
        )
        for i in frame.index[off & base.notna()]
    ]


def _dates(tables: Mapping[str, pd.DataFrame], pages: Mapping[str, str]) -> list[Finding]:
    months = tables.get("legal-months")
    if months is None or "month" not in months.columns:
        return []
    hidden = set(months.loc[_hidden(months), "month"].astype(str))
    out = []
    for page, text in pages.items():
        for match in _DAY.finditer(text):
            if match.group(1) in hidden:
                message = f"exact date {match.group(0)} in a suppressed month"
                out.append(_finding(page, None, "", "date", np.nan, np.nan, message))
    return out


def audit_tables(
    tables: Mapping[str, pd.DataFrame],
    rules: DisclosureRules = DisclosureRules(),
    *,
    step: int = BASE_ROUNDING,
    pages: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Attack the published tables of one language of a run together.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Each published table by its name (``sample-citizenship``, ``item-response``,
        ``area-health-disparities``, ...) with the library's column names and cell kinds.
    rules : DisclosureRules
        The rules of the run.
    step : int
        The rounding step of published bases (:data:`~.estimates.BASE_ROUNDING`).
    pages : mapping of str to str, optional
        Text of published pages by name, searched for exact dates.

    Returns
    -------
    DataFrame
        One row per finding (:data:`FINDING_COLUMNS`; ``row`` is the spreadsheet row of
        the table's CSV, the header being row 1); empty when nothing is recovered.
    """
    samples, size = _sample_counts(tables)
    overall = _overall_bases(tables, rules, step)
    found: list[Finding] = []
    for name, frame in tables.items():
        found += _direct(name, frame, rules)
        found += _differences(name, frame, samples, size, rules, step)
        found += _partitions(name, frame, overall, rules, step)
        found += _weights(name, frame, size, rules)
    found += _dates(tables, pages or {})
    return pd.DataFrame(found, columns=list(FINDING_COLUMNS))


def read_run_tables(
    run_dir: str | Path,
    lang: str,
    *,
    columns: Mapping[str, str],
    cells: Mapping[str, str] | None = None,
) -> dict[str, pd.DataFrame]:
    """The published tables of one language of a run, with library column names.

    ``columns`` maps the run's (localised) headers to library names and ``cells`` the
    localised cell kinds (``razem`` -> ``total``); the report layer has both
    (``columns.*`` and ``cells.*`` of its locale files).
    """
    out = {}
    for path in sorted((Path(run_dir) / lang / "tables").glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        frame = frame.rename(columns=dict(columns))
        frame = frame.loc[:, ~frame.columns.duplicated()]
        if "cell" in frame.columns and cells:
            frame["cell"] = frame["cell"].map(lambda v: cells.get(v, v))
        out[path.stem] = frame
    return out


def audit_run(
    run_dir: str | Path,
    *,
    columns_for: Callable[[str], Mapping[str, str]],
    cells_for: Callable[[str], Mapping[str, str]] | None = None,
    rules: DisclosureRules | None = None,
    step: int = BASE_ROUNDING,
) -> pd.DataFrame:
    """:func:`audit_tables` over every language folder of a run folder.

    The rules are the run's (``min_cell`` and ``low_n`` of its ``manifest.json``) unless
    given; the pages searched for dates are the language folder's ``legal*.html`` (the
    case log's page: other pages carry dates of other things, such as recommendations).
    ``columns_for(lang)`` / ``cells_for(lang)`` give the header and cell-kind mappings of
    :func:`read_run_tables`.

    Returns
    -------
    DataFrame
        The findings with a ``lang`` column first.
    """
    run_dir = Path(run_dir)
    rules = rules if rules is not None else _manifest_rules(run_dir)
    frames = []
    for lang_dir in sorted(p for p in run_dir.iterdir() if (p / "tables").is_dir()):
        lang = lang_dir.name
        tables = read_run_tables(
            run_dir, lang, columns=columns_for(lang), cells=cells_for(lang) if cells_for else None
        )
        pages = {
            p.name: p.read_text("utf-8", errors="replace") for p in lang_dir.glob("legal*.html")
        }
        found = audit_tables(tables, rules, step=step, pages=pages)
        frames.append(found.assign(lang=lang)[["lang", *FINDING_COLUMNS]])
    if not frames:
        return pd.DataFrame(columns=["lang", *FINDING_COLUMNS])
    return pd.concat(frames, ignore_index=True)


def _manifest_rules(run_dir: Path) -> DisclosureRules:
    manifest = run_dir / "manifest.json"
    data = json.loads(manifest.read_text("utf-8")) if manifest.is_file() else {}
    values = {**(data.get("defaults") or {}), **(data.get("parameters") or {})}
    min_n = int(values.get("min_cell", 10))
    return DisclosureRules(min_n=min_n, low_n=max(int(values.get("low_n", 30)), min_n))
