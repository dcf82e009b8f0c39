"""Kernels: a kernel that dies during the reset between notebooks is replaced; no history
or warning noise (with paths) reaches an executed notebook; a stopped slot starts nothing."""

import nbformat
import pytest
from tiny_notebooks import make_tiny

from lublin_diagnosis.pipeline import kernels
from lublin_diagnosis.pipeline.kernels import KernelSlot, KernelStopped, execute_notebook
from lublin_diagnosis.pipeline.manifest import read_manifest
from lublin_diagnosis.pipeline.run import run_pipeline
from support import DEMO


@pytest.fixture()
def tiny(tmp_path):
    """``(notebooks folder, make)``: tiny notebooks and their plan steps."""
    return make_tiny(tmp_path)


def _outputs(path):
    nb = nbformat.read(str(path), 4)
    return "\n".join(
        o.get("text", "") + str(o.get("data", ""))
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
    )


def test_a_kernel_killed_mid_reset_is_replaced_and_no_noise_reaches_a_notebook(
    tmp_path, tiny, monkeypatch
):
    """The reset before the second notebook kills its kernel once (a marker file keeps
    the count); that notebook runs on a new kernel, the next ones reuse it, and the run
    succeeds. No executed notebook shows IPython's history error (reused kernels) or a
    warning with the path of the code that raised it."""
    books, make = tiny
    marker = tmp_path / "reset-died"
    die_once = (
        "import os, pathlib\n"
        f"_m = pathlib.Path({str(marker)!r})\n"
        "if not _m.exists():\n"
        "    _m.touch()\n"
        "    os._exit(1)\n"
    )
    monkeypatch.setattr(kernels, "_RESET", die_once + kernels._RESET)
    cells = (
        "import warnings\nwarnings.warn('careful: a small base')",
        "assert 'leak' not in globals()\nleak = 1\nprint('x')",
        "print('y')",
    )
    plan = [make(name, *cells) for name in ("a", "b", "c", "d")]
    result = run_pipeline(
        data_dir=DEMO,
        out_dir=tmp_path / "out",
        lang="en",
        jobs=1,
        progress=False,
        plan=plan,
        notebooks_dir=books,
    )
    assert marker.exists()  # the reset did kill a kernel
    assert [r.name for r in result.notebooks] == ["en/a", "en/b", "en/c", "en/d"]
    assert all(n["attempts"] == 1 for n in read_manifest(tmp_path / "out")["notebooks"])
    for name in "abcd":
        text = _outputs(tmp_path / "out" / "en" / "notebooks" / f"{name}.ipynb")
        assert "UserWarning: careful: a small base" in text and "y" in text
        assert "ERROR!" not in text and "History logging moved" not in text
        assert ".py:" not in text and "/" not in text


def test_a_kernel_that_dies_at_every_reset_fails_after_one_retry(tmp_path, tiny, monkeypatch):
    books, make = tiny
    monkeypatch.setattr(kernels, "_SETUP", "import os\nos._exit(1)\n")  # every start dies
    step = make("a", "print('never')")
    slot = KernelSlot(cwd=books, log=tmp_path / "k.log", start_timeout=20)
    try:
        with pytest.raises(RuntimeError, match="died while starting"):
            execute_notebook(books / "a.ipynb", tmp_path / "a.ipynb", {}, slot=slot)
    finally:
        slot.shutdown()
    assert step.notebook == "a"


def test_a_killed_slot_starts_no_kernel(tmp_path, tiny):
    books, make = tiny
    make("a", "print('x')")
    slot = KernelSlot(cwd=books, log=tmp_path / "k.log")
    slot.acquire()
    assert slot.alive()
    slot.kill()
    with pytest.raises(KernelStopped):
        execute_notebook(books / "a.ipynb", tmp_path / "a.ipynb", {}, slot=slot)
    slot.shutdown()


def test_a_reused_kernel_starts_each_notebook_clean(tmp_path, tiny):
    """The reset between two notebooks on one kernel: no variable, open figure or output of
    the first reaches the second, whose first cell has execution count 1; what survives the
    reset is frozen out of later garbage collections."""
    books, make = tiny
    make(
        "a",
        "import lublin_diagnosis.report.i18n\nimport matplotlib.pyplot as plt\n"
        "fig = plt.figure()\nleak = 1",
        "leak + 41",
    )
    make(
        "b",
        "import gc\nimport matplotlib.pyplot as plt\n"
        "assert 'leak' not in globals() and 'fig' not in globals()\n"
        "assert plt.get_fignums() == []\n"
        "assert _ == '' and not Out\n"
        "assert gc.get_freeze_count() > 0\n"
        "print('clean')",
    )
    slot = KernelSlot(cwd=books, log=tmp_path / "k.log")
    try:
        execute_notebook(books / "a.ipynb", tmp_path / "a.ipynb", {}, slot=slot)
        execute_notebook(books / "b.ipynb", tmp_path / "b.ipynb", {}, slot=slot)
    finally:
        slot.shutdown()
    nb = nbformat.read(str(tmp_path / "b.ipynb"), 4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "clean" in _outputs(tmp_path / "b.ipynb")
    assert code[0].execution_count == 1
