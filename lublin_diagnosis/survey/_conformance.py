"""Run reference cases computed with R's ``survey`` package and compare the results.

A cases file is a JSON list of cases (format: ``tests/reference/survey-r/README.md``); each
names a CSV data file resolved next to the cases file, a design, optional replicate
weights and weight adjustments, one estimate and the expected result rows. Adjustments use
R's defaults (raking: ``epsilon = 1``, 10 sweeps; calibration: ``epsilon = 1e-7``, 50
iterations) so that the weights agree with R's to rounding.

>>> from pathlib import Path
>>> import lublin_diagnosis
>>> from lublin_diagnosis.survey._conformance import run_cases
>>> root = Path(lublin_diagnosis.__file__).resolve().parents[1]  # the source checkout
>>> results = run_cases(root / "tests" / "reference" / "extra" / "cases.json")
>>> sum(r.passed for r in results), len(results)
(16, 16)

The case format, with the extensions of issue 12 (contrasts, t-tests, variances, tables,
term tests, predictions, PPS designs, ``adjust_domain_lonely``, ``ultimate_cluster``,
supplied ``rho``), is documented in ``tests/reference/README.md``.
"""

from __future__ import annotations

import json
import math
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from lublin_diagnosis.survey._design import SurveyDesign
from lublin_diagnosis.survey._errors import LublinDiagnosisError, ReferenceCaseError
from lublin_diagnosis.survey._models import anova, predict, predmeans

__all__ = ["CaseResult", "run_case", "run_cases"]

#: relative tolerance by compared quantity (README of the reference cases)
DEFAULT_RTOL = 1e-6
LOOSE_RTOL = 1e-4  # quantile intervals and p-values


@dataclass(frozen=True)
class CaseResult:
    """Outcome of one reference case."""

    case_id: str
    passed: bool
    max_rel_diff: float
    message: str = ""

    def format(self) -> str:
        status = "PASS" if self.passed else "FAIL"
        diff = "n/a" if math.isnan(self.max_rel_diff) else f"{self.max_rel_diff:.2e}"
        tail = f"  {self.message}" if self.message else ""
        return f"{status}  {self.case_id:<40} max rel diff {diff}{tail}"


def _rel(actual: float, expected: float) -> float:
    if isinstance(expected, str) and expected in ("NaN", "NA"):
        expected = None  # R's NA / NaN, as jsonlite writes them
    if expected is None:
        return 0.0 if actual is None or (isinstance(actual, float) and math.isnan(actual)) else 1.0
    if actual is None or math.isnan(actual):
        return math.inf
    scale = abs(expected)
    return abs(actual - expected) / scale if scale > 1e-12 else abs(actual - expected)


def _build_design(case: dict, data: pd.DataFrame) -> SurveyDesign:
    spec = case.get("design") or {}
    reps = case.get("replicates")
    if reps and reps.get("repweights") is not None:
        mat = np.asarray(reps["repweights"], dtype=float).T  # one list per replicate
        return SurveyDesign.from_replicate_weights(
            data,
            mat,
            weights=spec.get("weights"),
            type=reps.get("type", "other"),
            combined_weights=bool(reps.get("combined_weights", True)),
            scale=reps.get("scale"),
            rscales=reps.get("rscales"),
            mse=bool(reps.get("mse", False)),
            fay_rho=reps.get("fay_rho", reps.get("rho")),
        )
    if spec.get("pps"):
        pps = spec["pps"]
        return SurveyDesign.from_pps(
            data,
            probs=pps["probs"],
            ids=(spec.get("ids") or [None])[0],
            strata=spec.get("strata"),
            weights=spec.get("weights"),
            method=pps.get("method", "brewer"),
            joint=None if pps.get("joint") is None else np.asarray(pps["joint"], dtype=float),
            tolerance=float(pps.get("tolerance", 1e-4)),
        )
    design = SurveyDesign(
        data,
        ids=spec.get("ids"),
        strata=spec.get("strata"),
        weights=spec.get("weights"),
        fpc=spec.get("fpc"),
        nest=bool(spec.get("nest", False)),
        lonely_psu=spec.get("lonely_psu", "fail"),
    )
    if spec.get("adjust_domain_lonely"):
        design = design.with_lonely_psu(design.lonely_psu, adjust_domain_lonely=True)
    if spec.get("ultimate_cluster"):
        design = design.with_ultimate_cluster()
    if reps:
        design = design.replicate(
            reps["type"],
            replicates=int(reps.get("replicates", 50)),
            seed=reps.get("seed"),
            fay_rho=float(reps.get("fay_rho", 0.5)),
            mse=bool(reps.get("mse", False)),
        )
    return design


def _adjust(design: SurveyDesign, steps: list[dict]) -> SurveyDesign:
    for step in steps or []:
        op = step["op"]
        if op == "rake":
            control = step.get("control", {})
            design = design.rake(
                step["margins"],
                tol=float(control.get("epsilon", 1)),
                max_iter=int(control.get("maxit", 10)),
                on_fail="warn",
                converge_replicates=False,
            )
        elif op == "poststratify":
            design = design.poststratify(
                step["var"], step["totals"], partial=bool(step.get("partial", False))
            )
        elif op == "calibrate":
            design = design.calibrate(
                step["totals"],
                calfun=step.get("calfun", "linear"),
                bounds=step.get("bounds"),
                epsilon=float(step.get("epsilon", 1e-7)),
                max_iter=int(step.get("maxit", 50)),
            )
        elif op == "trim":
            design = design.trim(
                step.get("lower", -np.inf),
                step.get("upper", np.inf),
                strict=bool(step.get("strict", False)),
            )
        else:
            raise ValueError(f"unknown adjustment {op!r}")
    return design


def _key(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _compare_rows(
    result: pd.DataFrame, expected: list[dict], key_cols: list[str], fields: list[str], rtol_for
) -> tuple[float, list[str]]:
    worst, notes = 0.0, []
    index = {}
    for _, row in result.iterrows():
        key = tuple(_key(row[k]) if k in row and not pd.isna(row[k]) else None for k in key_cols)
        index[key] = row
    for exp in expected:
        key = tuple(_key(exp.get(k)) for k in key_cols)
        row = index.get(key)
        if row is None:
            notes.append(f"no result row for {dict(zip(key_cols, key, strict=False))}")
            worst = math.inf
            continue
        for f in fields:
            if f not in exp:
                continue
            actual = row.get(f)
            d = _rel(None if actual is None else float(actual), exp[f])
            if d > rtol_for(f):
                notes.append(
                    f"{f} {actual!r} vs {exp[f]!r} ({dict(zip(key_cols, key, strict=False))})"
                )
            worst = max(worst, d)
    return worst, notes


def _compare_weights(case_id: str, design: SurveyDesign, expected: list[dict], rtol: float):
    want = np.asarray(expected[0]["weights"], dtype=float)
    got = design.weights
    if got.shape != want.shape:
        return CaseResult(case_id, False, math.inf, f"{got.size} weights, expected {want.size}")
    rel = np.abs(got - want) / np.maximum(np.abs(want), 1e-12)
    worst = float(rel.max())
    i = int(rel.argmax())
    notes = [] if worst <= rtol else [f"weight {i}: {got[i]!r} vs {want[i]!r}"]
    return CaseResult(case_id, not notes, worst, "; ".join(notes))


def _op_mean_total(design, est, expected):
    fn = design.mean if est["op"] == "mean" else design.total
    res = fn(
        est["var"],
        by=est.get("by"),
        na_rm=bool(est.get("na_rm", False)),
        categorical=True if est.get("categorical") else None,
        deff=any("deff" in e for e in expected),
    )
    return res, ["by", "level"], ["estimate", "se", "deff", "df"]


def _op_ratio(design, est, expected):
    res = design.ratio(
        est["numerator"], est["denominator"], by=est.get("by"), na_rm=bool(est.get("na_rm"))
    )
    return res, ["by"], ["estimate", "se"]


def _op_quantile(design, est, expected):
    res = design.quantile(est["var"], est["q"], by=est.get("by"), na_rm=bool(est.get("na_rm")))
    return res, ["by", "q"], ["estimate", "se", "ci_low", "ci_high"]


def _op_ciprop(design, est, expected):
    res = design.proportion(
        est["var"],
        est.get("level"),
        method=est.get("method", "logit"),
        by=est.get("by"),
        domain=est.get("domain"),
        na_rm=bool(est.get("na_rm", False)),
    )
    return res, ["by"], ["estimate", "se", "ci_low", "ci_high"]


def _op_chisq(design, est, expected):
    a, b = est["vars"]
    return design.chisq(a, b), [], ["F", "ndf", "ddf", "p"]


def _op_compare_means(design, est, expected):
    res = design.compare_means(est["var"], est["by"], na_rm=bool(est.get("na_rm")))
    return res, [], ["F", "ndf", "ddf", "p"]


def _op_glm(design, est, expected):
    res = design.glm(est["formula"], est.get("family", "gaussian"))
    return res, ["term"], ["estimate", "se"]


def _op_term_test(design, est, expected):
    fit = design.glm(est["formula"], est.get("family", "gaussian"))
    terms = [est["terms"]] if isinstance(est["terms"], str) else list(est["terms"])
    method = est.get("method", "Wald")
    return fit.term_test(*terms, method=method), [], ["F", "chisq", "ndf", "ddf", "p"]


def _op_anova(design, est, expected):
    family = est.get("family", "gaussian")
    big, small = (design.glm(f, family) for f in est["formulas"])
    res = anova(big, small, method=est.get("method", "LRT"))
    return res, [], ["F", "chisq", "ndf", "ddf", "p"]


def _op_predict(design, est, expected):
    fit = design.glm(est["formula"], est.get("family", "gaussian"))
    res = predict(fit, pd.DataFrame(est["newdata"]), type=est.get("type", "link"))
    return res, ["row"], ["estimate", "se"]


def _op_predmeans(design, est, expected):
    res = predmeans(design, est["formula"], est["group"], est.get("family", "gaussian"))
    return res, ["by"], ["estimate", "se"]


def _op_ttest(design, est, expected):
    res = design.ttest(est["var"], est.get("by"), na_rm=bool(est.get("na_rm")))
    return res, [], ["estimate", "se", "t", "df", "p", "ci_low", "ci_high"]


def _op_var(design, est, expected):
    res = design.variance(est["var"], by=est.get("by"), na_rm=bool(est.get("na_rm")))
    return res, ["by"], ["estimate", "se"]


def _op_table(design, est, expected):
    res = design.table(est["row"], est["col"], share=bool(est.get("share")))
    return res, ["by"], ["estimate", "se"]


def _base_estimates(design, est):
    base = dict(est["of"])
    runner = _OPS[base["op"]]
    res, _, _ = runner(design, base, [])
    return res


def _op_contrast(design, est, expected):
    res = _base_estimates(design, est).contrast({k: list(v) for k, v in est["contrasts"].items()})
    return res, ["contrast"], ["estimate", "se"]


def _op_wald(design, est, expected):
    res = _base_estimates(design, est).wald_test(
        None if est.get("contrasts") is None else np.asarray(est["contrasts"], dtype=float),
        df=est.get("ddf"),
    )
    return res, [], ["F", "ndf", "ddf", "p"]


_OPS = {
    "mean": _op_mean_total,
    "total": _op_mean_total,
    "ratio": _op_ratio,
    "quantile": _op_quantile,
    "ciprop": _op_ciprop,
    "chisq": _op_chisq,
    "compare_means": _op_compare_means,
    "glm": _op_glm,
    "ttest": _op_ttest,
    "term_test": _op_term_test,
    "anova": _op_anova,
    "predict": _op_predict,
    "predmeans": _op_predmeans,
    "var": _op_var,
    "table": _op_table,
    "contrast": _op_contrast,
    "wald": _op_wald,
}


def run_case(case: dict, base_dir: Path, *, rtol: float | None = None) -> CaseResult:
    """Run one case; never raises for a failing case (the failure is in the result)."""
    case_id = case.get("id", "?")
    try:
        data_path = base_dir / case["data"]
        if not data_path.exists():
            raise ReferenceCaseError(
                f"data file {data_path} named by case {case_id!r} does not exist"
            )
        data = pd.read_csv(data_path, na_values=["NA"], keep_default_na=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            design = _adjust(_build_design(case, data), case.get("adjust"))
        est = case["estimate"]
        op = est["op"]
        expected = case["expected"]

        def tol(field: str) -> float:
            if rtol is not None:
                return rtol
            if field == "p" or (op in ("quantile", "ttest") and field in ("ci_low", "ci_high")):
                return LOOSE_RTOL
            return DEFAULT_RTOL

        if op == "weights":
            return _compare_weights(case_id, design, expected, tol("weights"))
        runner = _OPS.get(op)
        if runner is None:
            return CaseResult(case_id, False, math.nan, f"unknown estimate op {op!r}")
        res, keys, fields = runner(design, est, expected)
        worst, notes = _compare_rows(res, expected, keys, fields, tol)
    except (LublinDiagnosisError, KeyError, ValueError, TypeError, np.linalg.LinAlgError) as exc:
        return CaseResult(case_id, False, math.nan, f"error: {type(exc).__name__}: {exc}")
    return CaseResult(case_id, not notes, worst, "; ".join(notes[:3]))


def run_cases(path: str | Path, *, rtol: float | None = None) -> list[CaseResult]:
    """Run every case of a cases file (data files are resolved next to it)."""
    path = Path(path)
    if not path.exists():
        raise ReferenceCaseError(f"cases file {path} does not exist")
    try:
        cases = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ReferenceCaseError(f"{path} is not valid JSON: {exc}") from None
    if isinstance(cases, dict):
        cases = cases.get("cases", [])
    return [run_case(c, path.parent, rtol=rtol) for c in cases]
