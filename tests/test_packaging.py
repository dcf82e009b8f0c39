"""The built wheel works outside the checkout: notebooks, templates, locales and frameworks are
package data, found through importlib.resources, and `pip install` + `lublin-diagnosis synth`
+ `lublin-diagnosis run` produce a report from a directory that is not the repository."""

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from support import ROOT

#: A small run of the installed wheel: the pages that use every kind of package data (the
#: notebooks, the locale files of every topic, the page template, the Typst templates of the
#: report PDF, the letters, the activity summary and the campaign cards); the injected run
#: of tests/report runs every notebook of the plan from the checkout.
SMALL = [
    *("--only", "report.html", "--only", "areas/health", "--only", "institutions/city_hall"),
    *("--only", "factsheets.html", "--only", "activities.html"),
    "-p",
    "replicates=10",
    "-p",
    "sensitivity_draws=10",
    "-p",
    "areas=health",
    "-p",
    "institutions=city_hall",
]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The wheel, built from a copy of the source (setuptools writes build/ beside it)."""
    src = tmp_path_factory.mktemp("src") / "lublin-diagnosis"
    skip = shutil.ignore_patterns(
        ".venv",
        ".git",
        "outputs",
        "build",
        "dist",
        "*.egg-info",
        "__pycache__",
        ".pytest_cache",
        ".mypy_cache",
        ".hypothesis",
    )
    shutil.copytree(ROOT, src, ignore=skip, symlinks=True)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (path,) = out.glob("lublin_diagnosis-*.whl")
    return path


def test_the_wheel_holds_the_package_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in [
        "lublin_diagnosis/notebooks/10_area.ipynb",
        "lublin_diagnosis/framework/builtin/lublin-14.yml",
        "lublin_diagnosis/report/locales/pl.yml",
        "lublin_diagnosis/report/templates/ld_report.html.j2",
        "lublin_diagnosis/py.typed",
    ]:
        assert needed in names, needed
    assert not any(n.startswith(("tests/", "data/", "notebooks/")) for n in names)


@pytest.fixture(scope="module")
def clean_venv(wheel, tmp_path_factory):
    """A new virtual environment holding only the wheel; the dependencies are borrowed from
    the test environment's site-packages through a .pth file (no network, and not the
    editable install, whose finder lives in a .pth that is not processed from there)."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    (site / "_borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return venv


def _env():
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["MPLBACKEND"] = "Agg"
    # the borrowed dependencies' data files (nbconvert's templates) sit in the test
    # environment's prefix; a real install puts them in the new environment's own prefix
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    return env


def test_installed_wheel_runs_the_diagnosis_outside_the_checkout(clean_venv, tmp_path):
    exe = clean_venv / "bin" / "lublin-diagnosis"
    where = subprocess.run(
        [
            str(clean_venv / "bin" / "python"),
            "-c",
            "import lublin_diagnosis; print(lublin_diagnosis.__file__)",
        ],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(clean_venv) in where.stdout and str(ROOT) not in where.stdout
    synth = subprocess.run(
        [str(exe), "synth", "--seed", "2023", "--out", "demo"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert synth.returncode == 0, synth.stderr[-2000:]
    run = subprocess.run(
        [str(exe), "run", "--data", "demo", "--out", "out", "--lang", "en", "--jobs", "2", *SMALL],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    out = tmp_path / "out"
    assert (out / "manifest.json").is_file() and (out / "report.html").is_file()
    assert (out / "en" / "areas" / "health.html").is_file()
    assert (out / "en" / "institutions" / "city_hall.html").is_file()
    assert (out / "en" / "report.pdf").is_file() and (out / "en" / "activities.pdf").is_file()
    assert (out / "cards" / "uk" / "01-health-square.png").is_file()
