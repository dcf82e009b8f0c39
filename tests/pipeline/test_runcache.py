"""The run cache: what changes its keys, a warm run that only copies, verify --only.

Light: tiny notebooks (tests/pipeline/tiny_notebooks.py), one language, one kernel.
"""

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from tiny_notebooks import make_tiny

from lublin_diagnosis.exceptions import PipelineError
from lublin_diagnosis.pipeline import kernels, runcache
from lublin_diagnosis.pipeline import plan as plan_module
from lublin_diagnosis.pipeline.folders import check_out_dir
from lublin_diagnosis.pipeline.manifest import read_manifest
from lublin_diagnosis.pipeline.plan import Job, Step
from lublin_diagnosis.pipeline.run import run_pipeline, select_jobs
from lublin_diagnosis.pipeline.runcache import TAG, TAG_TEXT, RunCache
from lublin_diagnosis.pipeline.verify import verify_run
from support import DEMO

PUBLISH = """\
import pandas as pd
from lublin_diagnosis.report.publish import Publisher
pub = Publisher(out_dir, lang=lang, notebook="{name}")
pub.table(pd.DataFrame({{"score": [{value}, 2.5]}}), "t-{name}", title="{name}")
print("computed {name}")
"""


def _tiny(tmp_path: Path):
    books, make = make_tiny(tmp_path)
    a = make("a", PUBLISH.format(name="a", value=1.0))
    b = make("b", PUBLISH.format(name="b", value=7.0))
    return books, (a, b)


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """Two tiny notebooks (``report.html`` and ``b.html``) run once, in English."""
    root = tmp_path_factory.mktemp("runcache")
    books, steps = _tiny(root)
    out = root / "out"
    run_pipeline(
        data_dir=DEMO, out_dir=out, lang="en", jobs=1, progress=False, plan=steps,
        notebooks_dir=books,
    )  # fmt: skip
    return out, books, steps


def _outputs(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and ".cache" not in p.parts and p.name != "manifest.json"
    }


def _no_kernel(monkeypatch):
    def refuse(self):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(kernels.KernelSlot, "_start", refuse)


# --------------------------------------------------------------------------- keys
def test_the_job_key_changes_with_an_input_a_parameter_the_notebook_or_the_code(
    tmp_path, monkeypatch
):
    data = tmp_path / "data"
    shutil.copytree(DEMO, data)
    books, (a, _) = _tiny(tmp_path)
    job = Job(a, "en", "", {"data_dir": str(data), "out_dir": "/x", "seed": 1})

    def key(job=job, locales=None, **inputs):
        cache = RunCache.for_run(tmp_path / "c", data_dir=data, out_dir=tmp_path / "out",
                                 notebooks_dir=books)  # fmt: skip
        cache.inputs.update(inputs)
        if locales:
            cache.locales.update(locales)
        return cache.job_key(job)

    first = key()
    assert key() == first  # stable
    # where the run writes and its cache are not part of the key
    assert key(replace(job, params={**job.params, "out_dir": "/y", "cache_dir": "/z"})) == first
    assert key(replace(job, params={**job.params, "seed": 2})) != first  # a parameter
    assert key(replace(job, lang="pl")) != first  # the language
    assert key(code="another version") != first  # the package's code or version
    # the locale texts are not in the key: the texts the notebook read are checked apart
    assert key(locales={"en": "another text"}) == first
    survey = next(p for p in data.iterdir() if p.suffix == ".csv")
    survey.write_bytes(survey.read_bytes() + b"\n")
    assert key() != first  # an input file
    (books / "a.ipynb").write_text((books / "a.ipynb").read_text().replace("2.5", "3.5"))
    survey.write_bytes(survey.read_bytes()[:-1])
    assert key() != first  # the notebook


READS_A_TEXT = """\
from lublin_diagnosis.report.i18n import t
print(t("report.synthetic_short", lang))
"""


def test_a_locale_edit_re_executes_only_the_notebooks_that_read_the_text(tmp_path, monkeypatch):
    """Notebook ``a`` reads one text, ``b`` none. After an edit to another text, both are
    copied (no kernel) and the pages re-rendered; after an edit to ``a``'s text, ``a`` alone
    runs again. The texts a notebook read are kept with its entry in the cache."""
    from lublin_diagnosis.report import i18n

    books, make = make_tiny(tmp_path)
    steps = [make("a", READS_A_TEXT), make("b", "print('no text')")]
    out = tmp_path / "out"

    def run():
        return run_pipeline(
            data_dir=DEMO, out_dir=out, lang="en", jobs=1, progress=False, plan=steps,
            notebooks_dir=books,
        )  # fmt: skip

    run()
    entries = sorted((out / ".cache" / "jobs").glob("*/texts-used.json"))
    recorded = [e.read_text() for e in entries]
    assert '{"en": {"report.synthetic_short": "SYNTHETIC DATA"}}' in recorded
    assert "{}" in recorded  # b read no text
    real = i18n.current_texts

    def edit(key, text):  # what the locale files would say after an edit
        monkeypatch.setattr(i18n, "current_texts", lambda lang: {**real(lang), key: text})
        monkeypatch.setattr(runcache, "locale_fingerprint", lambda lang: f"{key}={text}")

    edit("columns.estimate", "Point estimate")  # read by neither notebook
    with monkeypatch.context() as m:
        _no_kernel(m)
        result = run()
    assert [n.cached for n in result.notebooks] == [True, True]
    assert read_manifest(out)["timing"]["cache"]["misses"] >= 2  # the two pages

    edit("report.synthetic_short", "INVENTED DATA")  # read by a
    result = run()
    assert [n.cached for n in result.notebooks] == [False, True]


def test_the_code_fingerprint_follows_the_version(monkeypatch):
    import lublin_diagnosis._version as version

    before = runcache.code_fingerprint()
    runcache.code_fingerprint.cache_clear()
    monkeypatch.setattr(version, "__version__", "0.0.0-other")
    try:
        assert runcache.code_fingerprint() != before
    finally:
        runcache.code_fingerprint.cache_clear()


# --------------------------------------------------------------------------- runs
def test_a_warm_run_copies_everything_and_starts_no_kernel(tiny_run, monkeypatch):
    out, books, steps = tiny_run
    copy = out.with_name("warm")
    shutil.copytree(out, copy)
    before = _outputs(copy)
    first = read_manifest(copy)["run_id"]
    _no_kernel(monkeypatch)
    commit = {"commit": "0123456789abcdef", "dirty": True}  # a new commit: same pages
    monkeypatch.setattr("lublin_diagnosis.pipeline.run.git_state", lambda: commit)
    result = run_pipeline(
        data_dir=DEMO, out_dir=copy, lang="en", jobs=1, progress=False, plan=steps,
        notebooks_dir=books,
    )  # fmt: skip
    assert [n.cached for n in result.notebooks] == [True, True]
    assert read_manifest(copy)["timing"]["cache"]["misses"] == 0  # notebooks, pages, PDFs
    assert "0 notebooks executed, 2 reused from the run cache" in result.format()
    after = _outputs(copy)
    assert after.keys() == before.keys()
    old_commit = read_manifest(out)["git"]
    shown = (old_commit["commit"] or "?")[:10] + ("+" if old_commit["dirty"] else "")
    for name, data in before.items():  # identical, but for the run id and commit of a footer
        data = data.replace(first.encode(), result.run_id.encode())
        assert after[name] == data.replace(shown.encode(), b"0123456789+"), name
    assert result.run_id.encode() in after["en/report.html"]
    assert b"0123456789+" in after["en/report.html"]
    # a changed navigation re-renders the pages from the cached notebooks
    renamed = (steps[0], replace(steps[1], title_key="nav.weighting"))
    again = run_pipeline(
        data_dir=DEMO, out_dir=copy, lang="en", jobs=1, progress=False, plan=renamed,
        notebooks_dir=books,
    )  # fmt: skip
    assert all(n.cached for n in again.notebooks)
    page = (copy / "en" / "report.html").read_text(encoding="utf-8")
    assert "Survey weighting" in page
    assert read_manifest(copy)["timing"]["cache"]["misses"] >= 2  # the two pages


def test_the_cache_stays_in_the_run_folder_and_only_a_marked_one_is_accepted(tiny_run):
    out, _, _ = tiny_run
    cache = out / ".cache"
    assert (cache / TAG).read_text(encoding="utf-8") == TAG_TEXT
    assert not any(e.startswith(".cache/") for e in read_manifest(out)["outputs"])
    check_out_dir(out)  # the marked cache is the run's
    foreign = out.with_name("foreign")
    shutil.copytree(out, foreign)
    (foreign / ".cache" / TAG).write_text("mine")
    with pytest.raises(PipelineError, match="holds files that are not the output"):
        check_out_dir(foreign)


def test_a_failed_run_gives_the_cache_back(tiny_run, monkeypatch):
    out, books, steps = tiny_run
    copy = out.with_name("failing")
    shutil.copytree(out, copy)
    _no_kernel(monkeypatch)  # every notebook comes from the cache

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("lublin_diagnosis.pipeline.run.workbook", full)
    with pytest.raises(PipelineError, match="the disk is full"):
        run_pipeline(
            data_dir=DEMO, out_dir=copy, lang="en", jobs=1, progress=False, plan=steps,
            notebooks_dir=books,
        )  # fmt: skip
    assert runcache.is_run_cache(copy / ".cache")
    assert len(list((copy / ".cache" / "jobs").iterdir())) == 2


def test_verify_only_re_runs_and_compares_one_page(tiny_run, monkeypatch):
    out, books, steps = tiny_run
    copy = out.with_name("verified")
    shutil.copytree(out, copy)
    monkeypatch.setattr(plan_module, "PLAN", steps)
    table = copy / "en" / "tables" / "t-a.csv"
    table.write_text(table.read_text().replace("1.0", "1.5"))  # page a no longer agrees
    report = verify_run(copy, only=["b"], jobs=1)  # page a is neither re-run nor compared
    assert report.ok and report.tables == 1, report.format()
    assert "1 tables agree" in report.format()
    with pytest.raises(PipelineError, match="names no page of the run; its pages are b, report"):
        verify_run(copy, only=["areas/health"], jobs=1)


def test_select_jobs_by_page_folder_language_or_notebook():
    area = Step("10_area", page="areas/{value}.html", title_key="nav.areas", fan_out="area")
    jobs = [Job(area, lang, v) for lang in ("pl", "en") for v in ("health", "work")]
    names = lambda only: [j.name for j in select_jobs(jobs, only)]  # noqa: E731
    assert names(["areas/health"]) == ["pl/10_area-health", "en/10_area-health"]
    assert names(["areas"]) == [j.name for j in jobs]
    assert names(["en/areas/work", "pl/10_area-health"]) == ["pl/10_area-health", "en/10_area-work"]
    assert names(["10_area"]) == [j.name for j in jobs]
    with pytest.raises(PipelineError, match="'areas/x' names no page"):
        select_jobs(jobs, ["areas/x"])
