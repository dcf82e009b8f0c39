"""Tests of the synthetic demo generator (lublin_diagnosis.data.synth) and of data/demo."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from lublin_diagnosis.data.synth import (
    default_framework_path,
    load_framework_dict,
    make_codebook,
    make_legal_cases,
    make_margins,
    make_survey,
    write_demo,
)
from support import ROOT

DEMO = ROOT / "data" / "demo"
WEIGHTING = ("sex", "age_group", "citizenship", "legal_status")
MISSING = ("-9", "-8")


def _hashes(directory: Path) -> dict[str, str]:
    return {
        p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def _read(directory: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(directory / name, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("demo_a")
    return out, write_demo(out, seed=2023)


@pytest.fixture(scope="module")
def framework() -> dict:
    return load_framework_dict(default_framework_path())


# --------------------------------------------------------------------------- determinism
def test_same_seed_is_byte_identical(demo_run, tmp_path):
    out_a, _ = demo_run
    write_demo(tmp_path, seed=2023)
    assert _hashes(tmp_path) == _hashes(out_a)


def test_different_seed_differs(demo_run, tmp_path):
    out_a, _ = demo_run
    write_demo(tmp_path, seed=2024)
    a, b = _hashes(out_a), _hashes(tmp_path)
    assert a["survey.csv"] != b["survey.csv"]
    assert a["legal_cases.csv"] != b["legal_cases.csv"]
    assert a["monitoring.csv"] != b["monitoring.csv"]
    # the margins are fixed figures, not random draws
    assert a["margins.csv"] == b["margins.csv"]


def test_committed_demo_equals_fresh_run(demo_run):
    out_a, _ = demo_run
    assert DEMO.is_dir(), "data/demo is missing"
    fresh, committed = _hashes(out_a), _hashes(DEMO)
    stale = sorted(name for name in fresh if committed.get(name) != fresh[name])
    extra = sorted(set(committed) - set(fresh))
    assert not stale and not extra, (
        f"data/demo is stale (differs in {stale}, unexpected {extra}); regenerate it with "
        "`lublin-diagnosis synth --seed 2023 --out data/demo`"
    )


def test_write_demo_returns_the_files_it_wrote(demo_run):
    out_a, paths = demo_run
    assert sorted(p.relative_to(out_a).as_posix() for p in paths) == sorted(_hashes(out_a))
    assert all(p.is_file() and out_a in p.parents for p in paths)
    for p in paths:
        data = p.read_bytes()
        assert b"\r\n" not in data, p.name
        assert not data.startswith(b"\xef\xbb\xbf"), p.name
        data.decode("utf-8")


# --------------------------------------------------------------------------- metadata
def test_dataset_yml_says_synthetic(demo_run):
    out_a, _ = demo_run
    meta = yaml.safe_load((out_a / "dataset.yml").read_text(encoding="utf-8"))
    assert meta["synthetic"] is True
    assert "SYNTHETIC" in meta["title"]
    assert meta["seed"] == 2023
    assert meta["design"] == {"ids": ["psu"], "strata": "stratum", "weights": "base_weight"}
    assert meta["framework"] == "lublin-14"
    for spec in meta["files"].values():
        assert (out_a / spec["path"]).is_file()
    readme = (out_a / "README.md").read_text(encoding="utf-8")
    assert readme.splitlines()[0].startswith("# SYNTHETIC")
    assert "seed 2023" in readme


# --------------------------------------------------------------------------- survey
@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return make_survey(2023)


def test_survey_columns_follow_codebook(survey):
    names = [v["name"] for v in make_codebook()["variables"]]
    assert list(survey.columns) == names
    assert survey["resp_id"].is_unique
    assert 1150 <= len(survey) <= 1250


def test_design_variables(survey):
    assert survey["stratum"].nunique() == 5
    assert 55 <= survey["psu"].nunique() <= 65
    # PSUs nested in strata, base weights constant within a stratum
    assert (survey.groupby("psu")["stratum"].nunique() == 1).all()
    assert (survey.groupby("stratum")["base_weight"].nunique() == 1).all()
    assert (survey["base_weight"].astype(float) > 0).all()


def test_codes_are_those_of_the_codebook(survey):
    for var in make_codebook()["variables"]:
        col = survey[var["name"]]
        if "values" in var:
            allowed = set(var["values"]) | set(var.get("missing", [])) | {""}
            assert set(col) <= allowed, var["name"]
        if "range" in var:
            vals = pd.to_numeric(col[~col.isin([*MISSING, ""])])
            lo, hi = var["range"]
            assert vals.between(lo, hi).all(), var["name"]


def test_universes_respected(survey):
    frame = survey.copy()
    frame["age"] = frame["age"].astype(int)
    with_universe = [v for v in make_codebook()["variables"] if "universe" in v]
    assert len(with_universe) >= 10
    for var in with_universe:
        inside = frame.eval(var["universe"], engine="python").to_numpy(dtype=bool)
        col = survey[var["name"]]
        assert (col[~inside] == "").all(), f"{var['name']} answered outside its universe"
        assert (col[inside] != "").all(), f"{var['name']} empty inside its universe"
    no_universe = [v["name"] for v in make_codebook()["variables"] if "universe" not in v]
    assert (survey[no_universe] != "").all().all()


def test_item_nonresponse(survey):
    outcomes = [v["name"] for v in make_codebook()["variables"] if v["role"] == "outcome"]
    rates = {}
    for name in outcomes:
        col = survey[name]
        asked = col != ""
        rates[name] = col[asked].isin(MISSING).mean()
    assert all(0.0 < r < 0.15 for r in rates.values()), rates
    items = [r for n, r in rates.items() if n != "hh_income"]
    assert 0.01 <= float(np.median(items)) <= 0.05
    assert rates["hh_income"] >= 0.05
    # weighting variables complete
    assert not survey[list(WEIGHTING)].isin([*MISSING, ""]).any().any()


def test_sample_is_skewed_against_margins(survey):
    margins = make_margins()
    gaps = {}
    for var in WEIGHTING:
        m = margins[margins["variable"] == var].set_index("category")["count"].astype(float)
        pop = m / m.sum()
        sample = survey[var].value_counts(normalize=True).reindex(pop.index, fill_value=0)
        gaps[var] = float((sample - pop).abs().max())
        assert set(survey[var]) == set(pop.index), var
    assert max(gaps.values()) > 0.05, gaps
    # built-in direction of the skew
    share = survey["legal_status"].value_counts(normalize=True)
    assert share["student"] > 0.15 and share["temporary_permit"] < 0.25


def test_built_in_relationships(survey):
    asked = survey[survey["employed"].isin(["0", "1"])]
    emp = asked.groupby("polish_level")["employed"].apply(lambda s: (s == "1").mean())
    assert emp["3"] > emp["0"] + 0.2
    ukr = survey[survey["legal_status"] == "ukr_protection"]
    assert (ukr["sex"] == "F").mean() > 0.65
    assert (ukr["citizenship"] == "UA").all()
    students = survey[survey["legal_status"] == "student"]
    assert (students["age_group"] == "18-29").mean() > 0.9
    assert set(students["education"]) <= {"secondary", "tertiary"}


def test_intra_cluster_correlation(survey):
    asked = survey[survey["knows_info_source"].isin(["0", "1"])]
    y = (asked["knows_info_source"] == "1").astype(float)
    by_psu = y.groupby(asked["psu"]).mean()
    sizes = y.groupby(asked["psu"]).size()
    p = y.mean()
    # between-PSU variance of the means exceeds what binomial noise alone would give
    expected = float((p * (1 - p) / sizes).mean())
    assert float(by_psu.var()) > 1.3 * expected


def test_small_and_decent_domains(survey, framework):
    small = survey[
        (survey["citizenship"] == "africa_middle_east") & (survey["school_child"] == "1")
    ]
    assert 0 < len(small) < 10
    for ind in framework["indicators"]:
        if ind.get("kind") != "O":
            continue
        mask = pd.Series(True, index=survey.index)
        for var, cond in (ind.get("universe") or {}).items():
            if isinstance(cond, dict):  # numeric range {min, max}
                num = pd.to_numeric(survey[var].where(~survey[var].isin([*MISSING, ""])))
                mask &= num.between(cond.get("min", -np.inf), cond.get("max", np.inf))
            else:
                mask &= survey[var].isin([str(c) for c in cond])
        col = survey.loc[mask, ind["variable"]]
        base = int((~col.isin([*MISSING, ""])).sum())
        assert base >= 80, f"{ind['id']}: base {base}"


# --------------------------------------------------------------------------- margins
def test_margins():
    m = make_margins()
    assert set(m["variable"]) == set(WEIGHTING)
    assert not m.duplicated(["variable", "category"]).any()
    assert (m["count"].astype(float) > 0).all()
    assert (m["source"].str.len() > 0).all() and m["source"].str.contains("SYNTHETIC").all()
    pd.to_datetime(m["reference_date"], format="%Y-%m-%d")
    totals = m.assign(count=m["count"].astype(float)).groupby("variable")["count"].sum()
    assert totals.max() / totals.min() - 1 <= 0.005
    assert totals.nunique() > 1  # different registers
    codebook = {v["name"]: v for v in make_codebook()["variables"]}
    for var in WEIGHTING:
        assert set(m.loc[m["variable"] == var, "category"]) == set(codebook[var]["values"])


# --------------------------------------------------------------------------- other tables
def test_legal_cases():
    cases = make_legal_cases(2023)
    assert len(cases) == 60 and cases["case_id"].is_unique
    dates = pd.to_datetime(cases["date_opened"], format="%Y-%m-%d")
    assert dates.min() >= pd.Timestamp("2022-01-01")
    assert dates.max() <= pd.Timestamp("2023-12-31")
    problems = cases["problems"].str.split(";")
    assert (problems.str.len() > 1).sum() >= 15  # multi-category problems
    assert (cases["n_consultations"].astype(int) >= 1).all()
    assert cases["nationality_group"].nunique() >= 5


def test_institutions_and_monitoring(demo_run, framework):
    out_a, _ = demo_run
    inst = _read(out_a, "institutions.csv")
    mon = _read(out_a, "monitoring.csv")
    assert 12 <= len(inst) <= 20 and inst["institution_id"].is_unique
    assert not mon.duplicated(["institution_id", "indicator_id", "round"]).any()
    types = dict(zip(inst["institution_id"], inst["type"], strict=False))
    got = set(zip(mon["institution_id"], mon["indicator_id"], mon["round"], strict=False))
    for ind in framework["indicators"]:
        if ind.get("kind") != "P":
            continue
        options = {str(o["id"]) for o in ind["options"]}
        answers = mon.loc[mon["indicator_id"] == ind["id"], "answer"]
        assert set(answers) <= options, ind["id"]
        for iid, itype in types.items():
            if itype in (ind.get("institution_types") or []):
                for rnd in ("2022", "2023"):
                    assert (iid, ind["id"], rnd) in got, (iid, ind["id"], rnd)
    assert set(mon["round"]) == {"2022", "2023"}
    assert (mon["date"].str[:4] == mon["round"]).all()


def test_admin(demo_run, framework):
    out_a, _ = demo_run
    admin = _read(out_a, "admin.csv")
    a_ids = {i["id"] for i in framework["indicators"] if i.get("kind") == "A"}
    assert set(zip(admin["indicator_id"], admin["round"], strict=False)) == {
        (i, r) for i in a_ids for r in ("2022", "2023")
    }
    assert (admin["value"].astype(float) >= 0).all()
    assert (admin["source"].str.len() > 0).all()


def test_recommendations_register(demo_run, framework):
    out_a, _ = demo_run
    recs = _read(out_a, "recommendations.csv")
    ops = _read(out_a, "recommendation_opinions.csv")
    sts = _read(out_a, "recommendation_status.csv")
    inst = set(_read(out_a, "institutions.csv")["institution_id"])
    ind_ids = {i["id"] for i in framework["indicators"]}
    assert 45 <= len(recs) <= 55 and recs["rec_id"].is_unique
    assert recs["area"].nunique() >= 10
    assert set(recs["institution_id"]) <= inst
    assert all(set(x.split(";")) <= ind_ids for x in recs["indicator_ids"])
    assert (recs["text_pl"].str.len() > 0).all() and (recs["text_en"].str.len() > 0).all()
    assert set(ops["member"]) == {f"CG0{i}" for i in range(1, 7)}
    assert set(ops["opinion"]) == {"support", "amend", "reject"}
    assert set(ops["rec_id"]) == set(recs["rec_id"])
    issued = dict(zip(recs["rec_id"], recs["date_issued"], strict=False))
    for rec_id, hist in sts.groupby("rec_id", sort=False):
        assert hist["status"].iloc[0] == "issued"
        assert hist["date"].iloc[0] == issued[rec_id]
        dates = pd.to_datetime(hist["date"], format="%Y-%m-%d")
        assert dates.is_monotonic_increasing and dates.is_unique, rec_id
    assert set(sts["rec_id"]) == set(recs["rec_id"])
