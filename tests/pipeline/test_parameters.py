"""Notebook parameters: documented types, calendar dates, disclosure floors, capped values."""

import datetime

import pytest

from lublin_diagnosis.exceptions import ParameterError
from lublin_diagnosis.pipeline.parameters import (
    DEFAULTS,
    LOW_N_FLOOR,
    MIN_CELL_FLOOR,
    check_params,
    parse_param,
)
from support import DEMO


def check(**params):
    return check_params(notebook="40_recommendations", data_dir=DEMO, **params)


@pytest.mark.parametrize(
    "name, raw, value",
    [
        ("replicates", "50", 50),
        ("seed", " 7 ", 7),
        ("max_cv", "0.25", 0.25),
        ("reference_date", "2023-05-31", "2023-05-31"),  # the documented form, as text
        ("institution", "123", "123"),  # text stays text
        ("framework", "lublin-14", "lublin-14"),
        ("lonely_psu", "adjust", "adjust"),
        ("areas", "health,work", ["health", "work"]),
        ("areas", "health", ["health"]),
        ("areas", "[health]", ["health"]),
        ("areas", "[health, 'work']", ["health", "work"]),
        ("replicates", "!!python/object/apply:os.system ['true']", None),
        ("replicates", "1e400", None),
        ("replicates", "nan", None),
        ("max_cv", "inf", "inf"),  # a float: refused by check_params
    ],
)
def test_parse_param_reads_the_documented_type(name, raw, value):
    if value is None:
        with pytest.raises(ParameterError, match=f"'{name}' must be a whole number"):
            parse_param(name, raw)
    elif value == "inf":
        with pytest.raises(ParameterError, match="must be a number in"):
            check(max_cv=parse_param(name, raw))
    else:
        assert parse_param(name, raw) == value


def test_a_yaml_tag_is_just_text_for_a_text_parameter():
    raw = "!!python/object/apply:os.system ['touch /tmp/pwned']"
    assert parse_param("institution", raw) == raw  # never evaluated


@pytest.mark.parametrize("ref", ["2023-99-99", "2023-02-30", "31.05.2023", "2023-5-31", "x" * 500])
def test_reference_date_must_be_a_calendar_date(ref):
    with pytest.raises(ParameterError, match="must be a calendar date written YYYY-MM-DD") as info:
        check(reference_date=ref)
    assert len(str(info.value)) < 300  # the value is capped


def test_documented_reference_date_is_accepted_as_text_or_date():
    assert check(reference_date="2023-05-31").reference_date == "2023-05-31"
    assert check(reference_date=datetime.date(2023, 5, 31)).reference_date == "2023-05-31"
    assert check(reference_date="").reference_date == ""


def test_disclosure_floors_cannot_be_lowered():
    assert (MIN_CELL_FLOOR, LOW_N_FLOOR) == (5, 10)
    assert DEFAULTS["min_cell"] >= MIN_CELL_FLOOR and DEFAULTS["low_n"] >= LOW_N_FLOOR
    for bad in (1, 0, -3, 4):
        with pytest.raises(ParameterError, match="'min_cell' must be at least 5"):
            check(min_cell=bad)
    with pytest.raises(ParameterError, match="'low_n' must be at least 10"):
        check(min_cell=5, low_n=9)
    with pytest.raises(ParameterError, match="'low_n' must be at least 12"):
        check(min_cell=12, low_n=11)
    p = check(min_cell=5, low_n=10)  # the floors themselves
    assert (p.rules.min_n, p.rules.low_n) == (5, 10)


@pytest.mark.parametrize("value", [10**300, float("inf"), float("nan"), True, "10", 2.5])
def test_non_numbers_and_huge_numbers_give_a_short_message(value):
    with pytest.raises(ParameterError, match="'replicates' must be") as info:
        check(replicates=value)
    assert len(str(info.value)) < 200


def test_lonely_psu_takes_the_survey_policies():
    for policy in ("", "fail", "adjust", "average", "remove", "certainty"):
        assert check(lonely_psu=policy).lonely_psu == policy
    with pytest.raises(ParameterError, match="'lonely_psu' must be one of fail, adjust"):
        check(lonely_psu="ignore")


def test_every_notebook_with_a_survey_design_takes_lonely_psu():
    import papermill as pm

    from lublin_diagnosis.pipeline.run import NOTEBOOKS_DIR

    for path in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        source = path.read_text(encoding="utf-8")
        if "scorecard_tables(" in source or "from_dataset(" in source:
            assert "lonely_psu" in pm.inspect_notebook(str(path)), path.name
            assert "lonely_psu=p.lonely_psu" in source, path.name


def test_the_pipeline_checks_lonely_psu_before_any_kernel(tmp_path):
    from lublin_diagnosis.exceptions import PipelineError
    from lublin_diagnosis.pipeline.run import run_pipeline

    with pytest.raises(PipelineError, match="'lonely_psu' must be one of fail, adjust"):
        run_pipeline(
            data_dir=DEMO, out_dir=tmp_path / "out", params={"lonely_psu": "bogus"}, progress=False
        )
    assert not any(tmp_path.iterdir())


def test_areas_restricts_a_notebook_covering_every_area():
    assert check_params(notebook="50_factsheets", data_dir=DEMO).areas == ()
    assert check_params(notebook="50_factsheets", data_dir=DEMO, areas=["health"]).areas == (
        "health",
    )
    assert check_params(notebook="50_factsheets", data_dir=DEMO, areas="health, safety").areas == (
        "health",
        "safety",
    )
    with pytest.raises(ParameterError, match="unknown area.*'mars'.*known: health"):
        check_params(notebook="50_factsheets", data_dir=DEMO, areas=["health", "mars"])
    with pytest.raises(ParameterError, match="must be a list of area names"):
        check_params(notebook="50_factsheets", data_dir=DEMO, areas=3)
