"""The pipeline: a bilingual run and its outputs, the manifest, verify, failures that leave
the previous run intact, a dead kernel retried, parameters checked before any kernel.

Runs use small parameters (20 replicates, one area) to keep the file within minutes; the
run of the demo is built once per test session (``diagnosis_run`` in conftest.py) and
shared with the disclosure audit."""

import hashlib
import json
import re
import shutil
import sys
from importlib.metadata import version
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest

from lublin_diagnosis.cli import main
from lublin_diagnosis.exceptions import NotebookExecutionError, PipelineError
from lublin_diagnosis.pipeline.manifest import read_manifest, resolve_published
from lublin_diagnosis.pipeline.plan import Step
from lublin_diagnosis.pipeline.run import run_pipeline
from lublin_diagnosis.pipeline.verify import verify_run
from support import DEMO, DIAGNOSIS_NOTEBOOKS, ROOT, copy_run


def _sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _tree(root, cache=True):
    return {
        p.relative_to(root).as_posix(): _sha(p)
        for p in sorted(Path(root).rglob("*"))
        if p.is_file() and (cache or not p.relative_to(root).as_posix().startswith(".cache/"))
    }


@pytest.fixture()
def demo_run(diagnosis_run):
    """The demo diagnosis in both languages (small parameters, one area, the legal-advice
    page too), shared with the disclosure audit (``diagnosis_run`` in conftest.py): read
    only; the verify tests edit a copy."""
    return diagnosis_run


def test_the_run_says_the_data_are_synthetic(demo_run):
    assert "SYNTHETIC" in (demo_run.parent.parent / "result.txt").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- outputs
def test_bilingual_report_layout(demo_run):
    landing = (demo_run / "report.html").read_text(encoding="utf-8")
    assert 'href="pl/report.html"' in landing and 'href="en/report.html"' in landing
    assert "DANE SYNTETYCZNE" in landing and "SYNTHETIC DATA" in landing
    for lang, words in (("pl", "Podsumowanie"), ("en", "Executive summary")):
        front = (demo_run / lang / "report.html").read_text(encoding="utf-8")
        assert words in front
        assert 'href="areas/health.html"' in front  # the index
        assert 'href="data-checks.html"' in front and 'href="weighting.html"' in front
        assert "SYNTHETIC" in front or "SYNTETYCZNE" in front
        assert f'href="../{"en" if lang == "pl" else "pl"}/report.html"' in front
        area = (demo_run / lang / "areas" / "health.html").read_text(encoding="utf-8")
        assert 'href="../report.html"' in area
        for page in (front, area):
            assert "data:image/png;base64," in page  # figures embedded
            assert "check_params(" not in page and "start_publishing" not in page  # no code
            assert "<script" not in page  # works offline
    assert not (demo_run / "pl" / "areas" / "education.html").exists()  # areas=[health]


def test_tables_figures_and_workbook(demo_run):
    for lang, header in (("pl", "score"), ("en", "score")):  # CSVs keep machine codes
        tables = sorted((demo_run / lang / "tables").glob("*.csv"))
        assert {
            "summary-areas.csv",
            "area-health-indicators.csv",
            "inputs.csv",
            "weighting-margins.csv",
        } <= {t.name for t in tables}
        assert header in pd.read_csv(demo_run / lang / "tables" / "summary-areas.csv").columns
        book = openpyxl.load_workbook(demo_run / lang / "tables.xlsx", read_only=True)
        assert book.sheetnames[0] == "index" and len(book.sheetnames) == len(tables) + 1
        pngs = {p.stem for p in (demo_run / lang / "figures").glob("*.png")}
        svgs = {p.stem for p in (demo_run / lang / "figures").glob("*.svg")}
        assert pngs == svgs and {"summary-areas", "area-health-citizenship"} <= pngs
        notebooks = {p.stem for p in (demo_run / lang / "notebooks").glob("*.ipynb")}
        assert notebooks == {
            "00_data_checks",
            "01_weighting",
            "10_area-health",
            "30_legal_advice",
            "90_diagnosis",
        }
        nb = nbformat.read(str(demo_run / lang / "notebooks" / "90_diagnosis.ipynb"), 4)
        injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert f'lang = "{lang}"' in injected[0].source
    # no respondent-level table anywhere
    for csv in demo_run.rglob("*.csv"):
        assert len(pd.read_csv(csv)) < 1200, csv


def test_manifest_records_everything(demo_run):
    m = read_manifest(demo_run)
    assert re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{6}", m["run_id"])
    assert m["parameters"] == {"replicates": 20, "sensitivity_draws": 20, "areas": ["health"]}
    assert m["languages"] == ["pl", "en"] and m["synthetic"] is True
    assert set(m["git"]) == {"commit", "dirty"}
    assert m["python"]["version"].startswith("3.") and m["packages"]["papermill"]
    assert {
        "data/survey.csv",
        "data/dataset.yml",
        "framework/lublin-14.yml",
        "notebooks/10_area.ipynb",
    } <= set(m["inputs"])
    package = ROOT / "lublin_diagnosis"
    data = demo_run.parent.parent / "data"  # the run's copy of the demo data
    bases = {"data": data, "notebooks": package / "notebooks", "package": package, "out": demo_run}
    for entry in m["inputs"].values():
        assert entry["base"] in ("data", "notebooks", "package"), entry
        assert not Path(entry["path"]).is_absolute()
        assert _sha(resolve_published(entry, bases)) == entry["sha256"]
    assert (demo_run / m["data_dir"]).resolve() == data.resolve()
    assert m["notebooks_dir"] is None  # the package's notebooks
    # every installed distribution, read from importlib.metadata
    assert m["packages"]["lublin-diagnosis"] and m["packages"]["pluggy"] == version("pluggy")
    files = _tree(demo_run, cache=False)  # the run cache is not an output
    files.pop("manifest.json")
    assert m["outputs"] == files  # every output, with its sha256
    assert len(m["notebooks"]) == 2 * len(DIAGNOSIS_NOTEBOOKS)
    assert all(n["seconds"] > 0 and n["attempts"] == 1 for n in m["notebooks"])
    csvs = {f for f in files if f.endswith(".csv")}
    assert {t["file"] for t in m["tables"]} == {f for f in csvs if "/precise/" not in f}
    assert {t["precise"] for t in m["tables"]} == {f for f in csvs if "/precise/" in f}
    assert all(t["sheet"] for t in m["tables"])
    # nothing of the run's scaffolding is left behind
    # (but the run cache, <out>/.cache, see test_runcache.py)
    assert [p.name for p in demo_run.iterdir() if p.name.startswith(".")] == [".cache"]
    assert not any(p.name.startswith(".") for p in demo_run.rglob("*") if ".cache" not in p.parts)
    assert [p.name for p in demo_run.parent.iterdir()] == ["demo"]


def test_a_notebook_computes_the_same_alone_as_in_a_reused_kernel(demo_run, tmp_path, run_notebook):
    """The pipeline reuses kernels; papermill alone starts a fresh one."""
    from lublin_diagnosis.pipeline.verify import compare_tables

    run_notebook(
        "10_area",
        tmp_path / "a.ipynb",
        {"area": "health", "replicates": 20, "lang": "en", "out_dir": str(tmp_path / "alone")},
    )
    alone = sorted((tmp_path / "alone" / "en" / "tables").glob("*.csv"))
    assert len(alone) >= 5
    for path in alone:
        assert (
            compare_tables(
                pd.read_csv(demo_run / "en" / "tables" / path.name),
                pd.read_csv(path),
                name=path.name,
            )
            == []
        )


def test_no_figure_text_outside_its_canvas_on_the_demo(demo_run):
    """Checked on the drawn extents of every text when each figure was saved."""
    figures = json.loads((demo_run / "manifest.json").read_text("utf-8"))["figures"]
    assert len(figures) >= 20
    outside = {f["files"][0]: f["texts_outside"] for f in figures if f["texts_outside"]}
    assert not outside, outside


def test_verify_reports_an_edited_number_and_input_and_nothing_else(demo_run, tmp_path):
    """One re-run of the Polish area page (verify's whole re-run is what a release check
    does; the English area tables are re-computed alone in the test above) on a copy of the
    run (verify works beside the run folder, which other tests read) in which one number
    of the page's tables and the data's ``dataset.yml`` (a comment) were edited: both are
    reported, every other table of the page agrees."""
    run = copy_run(demo_run, tmp_path)
    precise = run / "pl" / "precise" / "area-health-indicators.csv"  # what verify compares
    frame = pd.read_csv(precise)
    assert frame.loc[2, "indicator"] == "health_o_unmet_need"
    frame.loc[2, "se"] = frame.loc[2, "se"] * (1 + 1e-6)
    frame.to_csv(precise, index=False)
    meta = run / read_manifest(run)["data_dir"] / "dataset.yml"
    meta.write_text(meta.read_text(encoding="utf-8") + "# edited after the run\n", "utf-8")
    report = verify_run(run, only=["pl/areas"])
    assert not report.ok and report.tables >= 5
    assert [d.table for d in report.changed_inputs] == ["data/dataset.yml"]
    assert len(report.differences) == 1  # the edited number: a comment changes no number
    diff = report.differences[0]
    assert (diff.table, diff.row, diff.column) == ("pl/tables/area-health-indicators.csv", 2, "se")
    text = report.format()
    assert "pl/tables/area-health-indicators.csv, row 3, column 'se'" in text
    assert "data/dataset.yml: input changed since the run" in text


# --------------------------------------------------------------------------- failures
def _notebook(path, *cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    params = nbformat.v4.new_code_cell('data_dir = "data/demo"\nout_dir = ""\nlang = "pl"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(nbformat.v4.new_code_cell(c) for c in cells)]
    nbformat.write(nb, str(path))


STEP = Step("ok", page="report.html", title_key="nav.summary")


def test_failing_notebook_leaves_the_previous_run_intact(tmp_path):
    books = tmp_path / "notebooks"
    books.mkdir()
    _notebook(books / "ok.ipynb", "print('fine')")
    _notebook(books / "boom.ipynb", "x = 1", "raise ValueError('boom: deliberate')")
    out = tmp_path / "outputs" / "demo"
    run_pipeline(
        data_dir=DEMO, out_dir=out, lang="en", progress=False, plan=[STEP], notebooks_dir=books
    )
    before = _tree(out, cache=False)
    with pytest.raises(NotebookExecutionError) as info:
        run_pipeline(
            data_dir=DEMO,
            out_dir=out,
            lang="en",
            progress=False,
            plan=[STEP, Step("boom", page="boom.html", title_key="nav.summary")],
            notebooks_dir=books,
        )
    err = info.value
    assert err.notebook == "en/boom" and err.cell == 4  # parameters, injected, x, raise
    assert "boom.ipynb" in str(err) and "cell 4" in str(err) and "boom: deliberate" in str(err)
    partial = Path(err.partial)
    failed = partial.parent.parent.parent
    assert partial.is_file() and failed.name.startswith(".demo.failed-")
    assert failed.parent == out.parent and str(failed) in str(err)
    assert "boom: deliberate" in partial.read_text(encoding="utf-8")
    assert _tree(out, cache=False) == before  # untouched (its run cache may have learnt)
    leftovers = {p.name for p in out.parent.iterdir()}
    assert leftovers == {"demo", partial.parent.parent.parent.name}
    # a later successful run replaces the earlier one in place
    first = read_manifest(out)["run_id"]
    run_pipeline(
        data_dir=DEMO, out_dir=out, lang="en", progress=False, plan=[STEP], notebooks_dir=books
    )
    assert read_manifest(out)["run_id"] != first
    assert {p.name for p in out.parent.iterdir()} == leftovers


def test_a_dead_kernel_is_retried_once(tmp_path):
    books = tmp_path / "notebooks"
    books.mkdir()
    die_once = (
        "import os, pathlib\n"
        "marker = pathlib.Path(out_dir).parent / 'died-once'\n"
        "if not marker.exists():\n"
        "    marker.touch()\n"
        "    os._exit(1)"
    )
    _notebook(books / "ok.ipynb", die_once, "print('survived')")
    result = run_pipeline(
        data_dir=DEMO,
        out_dir=tmp_path / "out",
        lang="pl",
        progress=False,
        plan=[STEP],
        notebooks_dir=books,
    )
    assert result.retried == ("pl/ok",)
    assert read_manifest(tmp_path / "out")["notebooks"][0]["attempts"] == 2
    _notebook(books / "ok.ipynb", "import os\nos._exit(1)")
    with pytest.raises(NotebookExecutionError, match="kernel died"):
        run_pipeline(
            data_dir=DEMO,
            out_dir=tmp_path / "out2",
            lang="pl",
            progress=False,
            plan=[STEP],
            notebooks_dir=books,
        )


def test_reused_kernels_do_not_leak_variables(tmp_path):
    books = tmp_path / "notebooks"
    books.mkdir()
    _notebook(books / "a.ipynb", "leak = 42")
    _notebook(books / "b.ipynb", "assert 'leak' not in globals(), 'a variable leaked'")
    plan = [
        Step("a", page="report.html", title_key="nav.summary"),
        Step("b", page="b.html", title_key="nav.summary"),
    ]
    run_pipeline(
        data_dir=DEMO,
        out_dir=tmp_path / "out",
        lang="en",
        jobs=1,
        progress=False,
        plan=plan,
        notebooks_dir=books,
    )
    nb = nbformat.read(str(tmp_path / "out" / "en" / "notebooks" / "b.ipynb"), 4)
    assert [c.execution_count for c in nb.cells if c.cell_type == "code"] == [1, 2, 3]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"replicate": 20}, "unknown parameter"),
        ({"replicates": 1}, "'replicates' must be at least 2"),
        ({"areas": ["nowhere"]}, "names unknown value"),
        ({"lang": "en"}, "set by the pipeline"),
    ],
)
def test_bad_parameters_fail_before_any_kernel_starts(tmp_path, params, message):
    with pytest.raises(PipelineError, match=message):
        run_pipeline(data_dir=DEMO, out_dir=tmp_path / "out", params=params, progress=False)
    assert not any(tmp_path.iterdir())


def test_invalid_data_and_foreign_output_folders_are_refused(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DEMO, data)
    (data / "margins.csv").unlink()
    with pytest.raises(PipelineError, match="break their contracts"):
        run_pipeline(data_dir=data, out_dir=tmp_path / "out", progress=False)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_text("not a run")
    with pytest.raises(PipelineError, match="not the output of an earlier 'lublin-diagnosis run'"):
        run_pipeline(data_dir=DEMO, out_dir=mine, progress=False)
    with pytest.raises(PipelineError, match="lang must be"):
        run_pipeline(data_dir=DEMO, out_dir=tmp_path / "x", lang="de", progress=False)


def test_cli_prints_errors_without_a_traceback(tmp_path, capsys):
    assert (
        main(
            [
                "run",
                "--data",
                str(DEMO),
                "--out",
                str(tmp_path / "o"),
                "--quiet",
                "-p",
                "replicates=1",
            ]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
    assert main(["verify", str(tmp_path)]) == 1
    assert "manifest.json" in capsys.readouterr().err


def test_manifest_json_is_valid(demo_run):
    json.loads((demo_run / "manifest.json").read_text(encoding="utf-8"))


def test_published_files_hold_no_absolute_path(demo_run):
    """Executed notebooks (their injected parameters), pages, tables and the manifest."""
    base = demo_run.parent.parent  # the run's folder and its copy of the demo data
    machine = {str(DEMO), str(ROOT), str(base), sys.prefix, str(Path.home())}
    machine |= {"/tmp/", "/home/", "site-packages"}
    # an absolute path: not the tail of a relative one ("../../work/...")
    absolute = re.compile("|".join(f"(?<![.\\w]){re.escape(m)}" for m in machine))
    for path in demo_run.rglob("*"):
        if path.suffix in (".ipynb", ".html", ".json", ".csv", ".svg"):
            found = absolute.findall(path.read_text(encoding="utf-8"))
            assert not found, (path, found)
    nb = nbformat.read(str(demo_run / "en" / "notebooks" / "10_area-health.ipynb"), 4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert 'out_dir = "."' in injected.source and 'cache_dir = ""' in injected.source
    rel = injected.source.split('data_dir = "')[1].split('"')[0]
    assert (demo_run / rel).resolve() == (base / "data").resolve()


def test_no_kernel_noise_reaches_a_page(demo_run):
    for page in demo_run.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "Session/line number was not unique" not in text, page
        assert "History logging moved" not in text, page
        assert "Warning:" not in text or ".py:" not in text, page
