"""The command line: one readable line for every fault, never a traceback; Ctrl-C exits 130."""

import errno
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lublin_diagnosis import cli
from lublin_diagnosis.cli import main
from support import DEMO, ROOT


def run_cli(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return code, captured.err


@pytest.mark.parametrize(
    "param, message",
    [
        ("replicates=!!python/object/apply:os.system ['true']", "'replicates' must be a whole"),
        ("reference_date=2023-99-99", "'reference_date' must be a calendar date"),
        ("min_cell=1", "'min_cell' must be at least 5"),
        ("low_n=3", "'low_n' must be at least 10"),
        ("replicates", "-p expects key=value"),
        ("replicates=" + "9" * 400, r"must be at most 100,000, not 9{20}.*\(400 characters\)"),
    ],
)
def test_bad_parameters_give_one_line(tmp_path, capsys, param, message):
    out = tmp_path / "out"
    code, err = run_cli(
        capsys, "run", "--data", str(DEMO), "--out", str(out), "--quiet", "-p", param
    )
    assert code == 1 and err.startswith("error: ")
    assert len(err.strip().splitlines()) == 1 and len(err) < 400
    assert re.search(message, err)
    assert not tmp_path.joinpath("out").exists()


def test_documented_parameters_are_passed_as_their_types(tmp_path, capsys, monkeypatch):
    seen = {}

    def fake_run(**kw):
        seen.update(kw["params"])
        raise KeyboardInterrupt  # stop here

    monkeypatch.setattr("lublin_diagnosis.pipeline.run.run_pipeline", fake_run)
    params = tmp_path / "params.yml"
    params.write_text("reference_date: 2023-05-31\nseed: 11\n", encoding="utf-8")
    code, err = run_cli(
        capsys,
        "run",
        "--params",
        str(params),
        "-p",
        "replicates=50",
        "-p",
        "areas=health,work",
        "-p",
        "lonely_psu=adjust",
    )
    assert code == 130 and err.strip().startswith("interrupted")
    assert seen == {
        "reference_date": "2023-05-31",
        "seed": 11,
        "replicates": 50,
        "areas": ["health", "work"],
        "lonely_psu": "adjust",
    }


@pytest.mark.parametrize(
    "text, message",
    [
        ("x: !!python/object/apply:os.system ['true']", "not a readable YAML file"),
        ("- a list\n- of things\n", "expected a mapping"),
        ("a: [unclosed\n", "not a readable YAML file"),
    ],
)
def test_bad_params_files_give_one_line(tmp_path, capsys, text, message):
    params = tmp_path / "params.yml"
    params.write_text(text, encoding="utf-8")
    code, err = run_cli(capsys, "run", "--params", str(params), "--out", str(tmp_path / "o"))
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "exc, code, message",
    [
        (KeyboardInterrupt(), 130, "interrupted: the run was stopped"),
        (OSError(errno.ENOSPC, "No space left on device", "/x/y"), 1, "the disk is full: /x/y"),
        (PermissionError(errno.EACCES, "Permission denied", "/x"), 1, "permission denied: /x"),
        (OSError(errno.EROFS, "Read-only file system", "/x"), 1, "permission denied: /x"),
        (ZeroDivisionError("division by zero"), 1, "unexpected ZeroDivisionError"),
    ],
)
def test_system_faults_give_one_line(capsys, monkeypatch, exc, code, message):
    def fail(**kw):
        raise exc

    monkeypatch.setattr("lublin_diagnosis.pipeline.run.run_pipeline", fail)
    got, err = run_cli(capsys, "run", "--quiet")
    assert got == code and message in err and len(err.strip().splitlines()) == 1


def test_sigterm_stops_a_run_as_ctrl_c_does_and_exits_143(capsys, monkeypatch):
    def terminated(**kw):
        cli._on_sigterm(signal.SIGTERM, None)  # what the handler main() installs does

    monkeypatch.setattr("lublin_diagnosis.pipeline.run.run_pipeline", terminated)
    before = signal.getsignal(signal.SIGTERM)
    code, err = run_cli(capsys, "run", "--quiet")
    assert code == 143 and err.strip() == (
        "terminated: the run was stopped; earlier outputs were left as they were"
    )
    assert signal.getsignal(signal.SIGTERM) is before  # restored


def test_debug_shows_the_traceback_of_an_unexpected_error(monkeypatch):
    monkeypatch.setenv("LUBLIN_DIAGNOSIS_DEBUG", "1")
    monkeypatch.setattr("lublin_diagnosis.pipeline.run.run_pipeline", lambda **kw: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        main(["run", "--quiet"])


def _children(pid):
    """Process ids whose parent is ``pid`` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _running(pid):
    """Whether a process runs (a zombie that awaits its reaping does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _wait_for(predicate, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_ctrl_c_during_a_run_exits_130_with_one_line_and_leaves_nothing(tmp_path):
    sig, code, word = signal.SIGINT, 130, "interrupted"
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lublin_diagnosis.cli",
            "run",
            "--data",
            str(DEMO),
            "--out",
            str(out),
            "--quiet",
            "--lang",
            "en",
            "--jobs",
            "1",
            "-p",
            "replicates=2",
            "-p",
            "areas=health",
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # a process started in the background (make, xdist workers, `cmd &`) may inherit
        # SIGINT ignored; a user's terminal never does
        preexec_fn=_default_sigint,
    )
    try:
        # the kernels run once the temporary folder and its kernel log exist
        started = _wait_for(lambda: any(tmp_path.glob(".out.tmp-*/.logs/*.log")), 120)
        assert started, "the run did not start"
        time.sleep(1.0)
        kernels = _children(proc.pid)
        proc.send_signal(sig)
        stdout, stderr = proc.communicate(timeout=90)
    finally:
        proc.kill()
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines() == [
        f"{word}: the run was stopped; earlier outputs were left as they were"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no run, tmp, lock or failure
    assert kernels and not any(_running(pid) for pid in kernels)  # the kernels were killed
