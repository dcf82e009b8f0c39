"""The one framework resolver: a shipped name, or a path taken from the data folder --
the same rule for validate, run, the notebooks, the scores and the recommendations.

The end-to-end tests start the CLI and a small run in a subprocess whose working
directory is outside the data folder (the test process never changes its own)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lublin_diagnosis.advocacy.recommendations import recommendation_status
from lublin_diagnosis.data.validation import load_dataset, validate_dir
from lublin_diagnosis.exceptions import FrameworkError
from lublin_diagnosis.framework.model import Framework, load_framework
from lublin_diagnosis.framework.resolver import (
    DEFAULT_FRAMEWORK,
    framework_source,
    resolve_framework,
)
from lublin_diagnosis.pipeline.parameters import check_params
from lublin_diagnosis.pipeline.plan import PLAN, expand_plan, framework_of
from support import DEMO, ROOT

BUILTIN = ROOT / "lublin_diagnosis" / "framework" / "builtin" / "lublin-14.yml"
LOCAL_HEALTH = "Health care LOCAL"


def _local_framework(path: Path) -> Path:
    """lublin-14 under another id, with the health area renamed (to be seen in outputs)."""
    text = BUILTIN.read_text(encoding="utf-8")
    text = text.replace("\nid: lublin-14\n", "\nid: local-fw\n", 1)
    old = 'name: {pl: "Ochrona zdrowia", en: "Health care"}'
    assert old in text
    text = text.replace(old, f'name: {{pl: "Ochrona zdrowia LOKALNA", en: "{LOCAL_HEALTH}"}}')
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def local_data(tmp_path_factory):
    """The demo data with ``framework: fw.yml`` (a file of the data folder)."""
    data = tmp_path_factory.mktemp("resolver") / "data"
    shutil.copytree(DEMO, data)
    _local_framework(data / "fw.yml")
    meta = (data / "dataset.yml").read_text(encoding="utf-8")
    assert "\nframework: lublin-14\n" in meta
    (data / "dataset.yml").write_text(
        meta.replace("\nframework: lublin-14\n", "\nframework: fw.yml\n"), encoding="utf-8"
    )
    return data


# --------------------------------------------------------------------------- the rule
def test_a_bare_name_is_a_shipped_framework_and_is_read_once():
    fw = resolve_framework("lublin-14")
    assert isinstance(fw, Framework) and fw.id == "lublin-14"
    assert resolve_framework("lublin-14") is fw
    assert resolve_framework(fw) is fw
    assert resolve_framework(None).id == DEFAULT_FRAMEWORK == "lublin-14"
    assert resolve_framework("").id == "lublin-14"


def test_a_relative_path_is_taken_from_the_data_folder(tmp_path):
    _local_framework(tmp_path / "fw.yml")
    assert framework_source("fw.yml", data_dir=tmp_path) == str(tmp_path / "fw.yml")
    assert resolve_framework("fw.yml", data_dir=tmp_path).id == "local-fw"
    assert resolve_framework(Path("fw.yml"), data_dir=tmp_path).id == "local-fw"
    # an absolute path ignores the data folder
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert resolve_framework(tmp_path / "fw.yml", data_dir=elsewhere).id == "local-fw"
    assert framework_source("lublin-14", data_dir=tmp_path) == "lublin-14"


def test_the_dataset_names_the_framework_when_none_is_given(local_data):
    dataset = load_dataset(local_data)
    assert resolve_framework(dataset=dataset).id == "local-fw"
    assert resolve_framework(None, dataset=dataset).id == "local-fw"
    # an explicit framework wins over the dataset's
    assert resolve_framework("lublin-14", dataset=dataset).id == "lublin-14"
    assert framework_of(dataset, {}).id == "local-fw"
    assert framework_of(dataset, {"framework": "lublin-14"}).id == "lublin-14"
    assert framework_of(dataset, {"framework": "fw.yml"}).id == "local-fw"


def test_a_missing_file_names_the_path_that_was_tried(tmp_path):
    with pytest.raises(FrameworkError, match=str(tmp_path / "nope.yml")):
        resolve_framework("nope.yml", data_dir=tmp_path)
    with pytest.raises(FrameworkError, match="no framework named 'lublin-99'"):
        resolve_framework("lublin-99", data_dir=tmp_path)


def test_a_changed_file_is_read_again(tmp_path):
    path = _local_framework(tmp_path / "fw.yml")
    assert resolve_framework(path).id == "local-fw"
    text = path.read_text(encoding="utf-8").replace("\nid: local-fw\n", "\nid: local-fw-two\n")
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert resolve_framework(path).id == "local-fw-two"


def test_the_framework_parameter_is_taken_from_the_data_folder(local_data):
    p = check_params(
        notebook="10_area", data_dir=str(local_data), framework="fw.yml", area="health"
    )
    assert p.framework == str(local_data / "fw.yml")
    assert load_framework(p.framework).id == "local-fw"
    assert check_params(notebook="00_data_checks", data_dir=str(local_data)).framework == (
        "lublin-14"
    )


def test_every_job_of_a_run_gets_the_dataset_framework(local_data):
    dataset = load_dataset(local_data)
    jobs = expand_plan(PLAN, dataset, {"areas": ["health"]}, ["en"])
    assert {j.params["framework"] for j in jobs} == {str(local_data / "fw.yml")}
    jobs = expand_plan(PLAN[:1], dataset, {"framework": "lublin-14"}, ["en"])
    assert jobs[0].params["framework"] == "lublin-14"


def test_validation_and_the_recommendations_use_the_dataset_framework(local_data):
    report = validate_dir(local_data)
    assert report.ok, report.problems
    assert report.meta["framework"] == "fw.yml"
    status = recommendation_status(load_dataset(local_data), lang="en")
    names = dict(zip(status["area"], status["area_name"], strict=False))
    assert names.get("health") == LOCAL_HEALTH


# --------------------------------------------------------------------------- end to end
def _python(code: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_validate_and_a_run_started_elsewhere_use_the_dataset_framework(local_data, tmp_path):
    cwd = tmp_path / "somewhere-else"
    cwd.mkdir()
    # a fw.yml in the working directory must not be picked up instead of the data folder's
    (cwd / "fw.yml").write_text("not: a framework\n", encoding="utf-8")
    validate = _python(
        f"from lublin_diagnosis.cli import main; raise SystemExit(main(['validate', {str(local_data)!r}]))",
        cwd,
    )
    assert validate.returncode == 0, validate.stdout + validate.stderr

    out = tmp_path / "out"
    run = _python(
        "from lublin_diagnosis.pipeline.plan import PLAN\n"
        "from lublin_diagnosis.pipeline.run import run_pipeline\n"
        f"run_pipeline(data_dir={str(local_data)!r}, out_dir={str(out)!r}, lang='en',\n"
        "             progress=False, jobs=1,\n"
        "             plan=[s for s in PLAN if s.notebook == '00_data_checks'])\n",
        cwd,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "fw.yml" in json.dumps(manifest["inputs"])
    executed = (out / "en" / "notebooks" / "00_data_checks.ipynb").read_text(encoding="utf-8")
    # the executed notebook names the dataset's framework, without the machine's path
    assert "fw.yml" in executed and str(local_data) not in executed
    # the notebook's tables carry the local framework's area name
    tables = "".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in (out / "en").rglob("*")
        if p.is_file() and p.suffix in (".csv", ".html")
    )
    assert LOCAL_HEALTH in tables


def test_a_relative_framework_parameter_is_taken_from_the_data_folder(local_data, tmp_path):
    """``-p framework=fw.yml`` names the data folder's file, whatever the working
    directory (a probe notebook prints the framework it was given)."""
    import nbformat

    books = tmp_path / "books"
    books.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    cell = nbformat.v4.new_code_cell(
        'data_dir = ""\nout_dir = ""\nlang = "pl"\nframework = "lublin-14"'
    )
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, nbformat.v4.new_code_cell("print('FRAMEWORK=' + framework)")]
    nbformat.write(nb, str(books / "probe.ipynb"))
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    out = tmp_path / "out"
    run = _python(
        "from lublin_diagnosis.pipeline.plan import Step\n"
        "from lublin_diagnosis.pipeline.run import run_pipeline\n"
        f"run_pipeline(data_dir={str(local_data)!r}, out_dir={str(out)!r}, lang='en',\n"
        "             progress=False, jobs=1, params={'framework': 'fw.yml'},\n"
        f"             notebooks_dir={str(books)!r},\n"
        "             plan=[Step('probe', page='report.html', title_key='nav.summary')])\n",
        cwd,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    executed = (out / "en" / "notebooks" / "probe.ipynb").read_text(encoding="utf-8")
    # published notebooks name the data folder relative to the run folder (no machine path)
    relative = Path(os.path.relpath(local_data / "fw.yml", out)).as_posix()
    assert "FRAMEWORK=" + relative in executed and str(local_data) not in executed
