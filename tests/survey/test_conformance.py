"""The survey engine reproduces R's survey package on every reference case."""

import json

import pytest

from lublin_diagnosis.cli import main
from lublin_diagnosis.survey._conformance import run_case, run_cases
from support import ROOT

REFERENCE = ROOT / "tests" / "reference"
CASE_FILES = [
    REFERENCE / "survey-r" / "cases.json",
    REFERENCE / "extra" / "cases.json",
    REFERENCE / "more" / "cases.json",
]


def _cases():
    for path in CASE_FILES:
        for case in json.loads(path.read_text()):
            yield pytest.param(path, case, id=case["id"])


@pytest.mark.parametrize(("path", "case"), list(_cases()))
def test_reference_case(path, case):
    result = run_case(case, path.parent)
    assert result.passed, result.format()


def test_shared_cases_are_all_copied():
    shared = ROOT.parent / "shared" / "reference" / "survey-r" / "cases.json"
    if not shared.exists():
        pytest.skip("../shared is not beside the checkout")
    assert json.loads(shared.read_text()) == json.loads(CASE_FILES[0].read_text())


def test_cli_prints_summary_and_exit_code(capsys):
    assert main(["conformance", str(CASE_FILES[0])]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "36 passed, 0 failed"
    assert len(out) == 37


def test_runner_is_general_and_reports_failures(tmp_path):
    case = json.loads(CASE_FILES[0].read_text())[0]
    (tmp_path / case["data"]).write_text((CASE_FILES[0].parent / case["data"]).read_text())
    wrong = dict(case, id="wrong", expected=[{"level": None, "estimate": 1.0, "se": 1.0}])
    (tmp_path / "cases.json").write_text(json.dumps([case, wrong]))
    results = run_cases(tmp_path / "cases.json")
    assert [r.passed for r in results] == [True, False]
    assert main(["conformance", str(tmp_path / "cases.json")]) == 1


def test_missing_data_file_is_a_failed_case_not_a_crash(tmp_path):
    case = dict(json.loads(CASE_FILES[0].read_text())[0], data="nope.csv")
    result = run_case(case, tmp_path)
    assert not result.passed and "does not exist" in result.message
