"""The context inputs: public.csv, peer_scores.csv, rounds.csv and the earlier rounds."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
import yaml

from lublin_diagnosis.data.contracts import PUBLIC, PUBLIC_INDICATORS
from lublin_diagnosis.data.synth.context import make_public
from lublin_diagnosis.data.validation import load_dataset, validate_dir
from support import DEMO


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(DEMO, folder)
    return folder


def _edit(path, change):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    change(frame)
    frame.to_csv(path, index=False, lineterminator="\n")


def test_public_row_without_source_is_rejected_with_row_column_and_fix(data):
    def change(frame):
        frame.loc[2, "url"] = ""  # spreadsheet row 4
        frame.loc[5, "publisher"] = ""  # row 7
        frame.loc[6, "url"] = "www.example.org/no-scheme"  # row 8
        frame.loc[7, "unit"] = "per_1000"  # row 9: foreign students are not per 1,000
        frame.loc[7, "indicator"] = "foreign_students"
        frame.loc[7, "theme"] = "education"

    _edit(data / "public.csv", change)
    report = validate_dir(data)
    problems = {(p.row, p.column, p.rule): str(p) for p in report.problems_in("public.csv")}
    assert set(problems) == {
        (4, "url", "required"),
        (7, "publisher", "required"),
        (8, "url", "pattern"),
        (9, "unit", "unit"),
    }
    text = problems[(4, "url", "required")]
    assert text.startswith("public.csv, row 4, column 'url'")
    assert "a source a reader can check" in text and "left out, never estimated" in text


def test_context_inputs_are_optional(data):
    names = ("public", "peer_scores", "rounds", "monitoring_history", "survey_history")
    meta = yaml.safe_load((data / "dataset.yml").read_text(encoding="utf-8"))
    for name in names:
        (data / f"{name}.csv").unlink()
        del meta["files"][name]
    (data / "dataset.yml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    report = validate_dir(data)
    assert report.ok, report.format()
    summary = {f.name: f.format() for f in report.files}
    assert summary["public"] == "public: not provided (optional)"
    ds = load_dataset(data)
    assert ds.public is None and ds.survey_history is None and ds.rounds is None


def test_rounds_must_be_declared_and_history_must_be_earlier(data):
    frame = pd.read_csv(data / "rounds.csv", dtype=str, keep_default_na=False)
    frame.iloc[1:].to_csv(data / "rounds.csv", index=False, lineterminator="\n")  # no 2011

    def clash(frame):
        frame.loc[0, "round"] = "2022"  # row 2: a round of monitoring.csv

    _edit(data / "monitoring_history.csv", clash)
    rules = {(p.file, p.rule, p.row) for p in validate_dir(data).problems}
    assert ("rounds.csv", "undeclared_round", None) in rules
    assert ("monitoring_history.csv", "round", 2) in rules


def test_demo_dataset_loads_the_context_inputs():
    ds = load_dataset(DEMO)
    assert set(ds.survey_history["round"]) == {2022}
    assert len(ds.survey_history) == 800 and len(ds.survey) == 1200
    assert set(ds.monitoring_history["round"]) == {2011}
    assert ds.rounds.loc[ds.rounds["retrospective"] == "yes", "round"].tolist() == [2011]
    assert set(ds.peer_scores["status"]) == {"synthetic"}


def test_demo_public_figures_name_checkable_sources():
    public = make_public()
    assert set(public.columns) == set(PUBLIC.column_names)
    assert set(public["indicator"]) <= set(PUBLIC_INDICATORS)
    real = public[public["status"] == "real"]
    synthetic = public[public["status"] == "synthetic"]
    assert len(real) > 40 and len(synthetic) > 30
    assert real["url"].str.match(r"https?://").all()
    assert not real["publisher"].str.contains("SYNTHETIC").any()
    assert synthetic["source_title"].str.startswith("SYNTHETIC").all()
    assert synthetic["note"].str.startswith("SYNTHETIC").all()
    # a real figure from DOMAIN.md, with its published source
    zus = real[(real["indicator"] == "zus_insured_foreigners") & (real["date"] == "2022-06-30")]
    assert dict(zip(zus["group"], zus["value"], strict=True)) == {
        "": "29500",
        "citizenship=UA": "18400",
        "citizenship=BY": "7900",
    }
