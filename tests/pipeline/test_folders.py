"""The output folder: only a new, empty or earlier-run folder is replaced; a lock stops a
second run; leftovers of killed and failed runs are cleaned; a read-only folder and a full
disk give one clear error and leave the earlier run as it was."""

import errno
import json
import os
import re
import subprocess
import sys

import pytest
from tiny_notebooks import make_tiny

from lublin_diagnosis.exceptions import PipelineError
from lublin_diagnosis.pipeline import folders
from lublin_diagnosis.pipeline.folders import (
    OutputLock,
    check_out_dir,
    clean_leftovers,
    keep_last_failure,
)
from lublin_diagnosis.pipeline.manifest import hash_tree
from lublin_diagnosis.pipeline.run import run_pipeline
from support import DEMO


@pytest.fixture()
def tiny(tmp_path):
    """``(notebooks folder, make)``: tiny notebooks and their plan steps."""
    return make_tiny(tmp_path)


def _tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _fake_run(out, **extra):
    """A folder laid out as a run of this package (manifest listing every file)."""
    (out / "en").mkdir(parents=True)
    (out / "en" / "report.html").write_text("<p>report</p>")
    manifest = {"command": "lublin-diagnosis run", "outputs": hash_tree(out), **extra}
    (out / "manifest.json").write_text(json.dumps(manifest))
    return out


def test_new_empty_and_earlier_run_folders_are_accepted(tmp_path):
    check_out_dir(tmp_path / "new")
    (tmp_path / "empty").mkdir()
    check_out_dir(tmp_path / "empty")
    check_out_dir(_fake_run(tmp_path / "run"))


@pytest.mark.parametrize(
    "setup, why",
    [
        (lambda d: (d / "thesis.docx").write_text("mine"), "no manifest.json"),
        # a manifest.json this package never wrote, beside other files (the reported wipe)
        (lambda d: (d / "manifest.json").write_text('{"name": "my web app"}'), "not one this"),
        (lambda d: (d / "manifest.json").write_text("not json"), "not one this package wrote"),
        (lambda d: (_fake_run(d), (d / "notes.txt").write_text("mine")), "not listed"),
        (lambda d: (_fake_run(d), (d / "en" / "report.html").write_text("edited")), "changed"),
    ],
)
def test_a_folder_with_foreign_files_is_refused_and_nothing_deleted(tmp_path, setup, why):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("precious")
    setup(out)
    before = _tree(out)
    with pytest.raises(PipelineError, match=why) as info:
        run_pipeline(data_dir=DEMO, out_dir=out, progress=False)
    assert "nothing was deleted" in str(info.value)
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_file_in_place_of_the_folder_is_refused(tmp_path):
    (tmp_path / "out").write_text("a file")
    with pytest.raises(PipelineError, match="not a folder"):
        check_out_dir(tmp_path / "out")


def test_the_lock_stops_a_second_run_and_a_stale_lock_is_taken_over(tmp_path):
    out = tmp_path / "out"
    with OutputLock(out) as lock:
        assert json.loads(lock.path.read_text())["pid"] == os.getpid()
        with pytest.raises(PipelineError, match=rf"another run \(pid {os.getpid()} on"):
            OutputLock(out).acquire()
    assert not lock.path.exists()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock.path.write_text(json.dumps({"pid": dead.pid, "host": folders.socket.gethostname()}))
    with OutputLock(out):  # the killed run's lock is stale
        pass
    lock.path.write_text("garbage")  # unreadable: not known to be stale
    with pytest.raises(PipelineError, match=f"delete {re.escape(str(lock.path))}"):
        OutputLock(out).acquire()


def test_a_run_refuses_a_folder_another_run_writes_into(tmp_path, tiny):
    books, make = tiny
    step = make("ok", "print('fine')")
    out = tmp_path / "out"
    with OutputLock(out):
        with pytest.raises(PipelineError, match="another run"):
            run_pipeline(
                data_dir=DEMO,
                out_dir=out,
                lang="en",
                progress=False,
                plan=[step],
                notebooks_dir=books,
            )
    assert not out.exists()


def test_leftovers_of_killed_runs_are_cleaned_and_only_the_last_failure_kept(tmp_path):
    out = tmp_path / "out"
    for name in (".out.tmp-1", ".out.old-2", ".out.failed-3", ".other.tmp-4", "mine"):
        (tmp_path / name).mkdir()
    removed = clean_leftovers(out)
    assert sorted(p.name for p in removed) == [".out.old-2", ".out.tmp-1"]
    tmp = tmp_path / ".out.tmp-5"
    tmp.mkdir()
    kept = keep_last_failure(out, tmp, "5")
    assert kept.name == ".out.failed-5"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.tmp-4", ".out.failed-5", "mine"]


def test_a_run_cleans_up_after_a_killed_one_and_reports_system_faults(tmp_path, tiny, monkeypatch):
    """Leftovers of a killed run are removed; a read-only folder and a full disk give one
    clear error and leave the earlier run as it was, with nothing left beside it."""
    books, make = tiny
    step = make("ok", "print('fine')")
    out = tmp_path / "out"
    kw = dict(
        data_dir=DEMO, out_dir=out, lang="en", progress=False, plan=[step], notebooks_dir=books
    )
    (tmp_path / ".out.tmp-20240101T000000Z-abcdef").mkdir()  # a run killed with -9
    (tmp_path / ".out.lock").write_text(json.dumps({"pid": 2**22 + 7, "host": "elsewhere"}))
    with pytest.raises(PipelineError, match="another run"):  # another host: not stale
        run_pipeline(**kw)
    (tmp_path / ".out.lock").unlink()
    run_pipeline(**kw)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebooks", "out"]
    before = _tree(out)

    def read_only(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / ".out.lock"))

    with monkeypatch.context() as m:  # (root ignores chmod: the refusal is simulated)
        m.setattr(folders.os, "open", read_only)
        with pytest.raises(PipelineError, match="cannot write the run into .*Permission denied"):
            run_pipeline(**kw)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr("lublin_diagnosis.pipeline.run.write_manifest", full)
        with pytest.raises(PipelineError, match="the disk is full") as info:
            run_pipeline(**kw)
    assert "partial run was removed" in str(info.value)
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebooks", "out"]
