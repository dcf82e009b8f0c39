"""Keep the paths of the machine that ran a diagnosis out of what it publishes.

A notebook runs with absolute paths (the data folder, the run's temporary folder, the
cache); papermill writes them into the executed notebook's injected-parameters cell and
its metadata, and a warning or a message may print a path of the package or of Python.
:func:`scrub_notebook` rewrites every such path of an executed notebook before it is
rendered or published: the run's folder becomes ``.``, the data folder its path relative
to the run folder, the notebooks folder ``notebooks``, the package and Python's library
folders their paths inside them, and the home folder ``~``.

>>> subs = replacements(out=Path("/srv/out/demo"), tmp=Path("/srv/out/.demo.tmp-1"),
...                     data=Path("/srv/data/demo"))
>>> scrub_text('data_dir = "/srv/data/demo"\\nout_dir = "/srv/out/.demo.tmp-1"', subs)
'data_dir = "../../data/demo"\\nout_dir = "."'
"""

from __future__ import annotations

import json
import os
import re
import sys
import sysconfig
from collections.abc import Sequence
from pathlib import Path

__all__ = ["replacements", "scrub_notebook", "scrub_text"]

_PACKAGE_PARENT = Path(__file__).resolve().parents[2]


def replacements(
    *, out: Path, tmp: Path, data: Path, notebooks: Path | None = None
) -> list[tuple[str, str]]:
    """``(absolute, published)`` pairs, longest absolute path first."""
    rel_data = Path(os.path.relpath(data, out)).as_posix()
    pairs: dict[str, str] = {
        str(tmp / ".cache"): "",
        str(tmp): ".",
        str(out): ".",
        str(data): rel_data,
        str(_PACKAGE_PARENT / "lublin_diagnosis"): "lublin_diagnosis",
    }
    if notebooks is not None:
        pairs[str(notebooks)] = "notebooks"
    for key in ("purelib", "platlib", "stdlib", "platstdlib"):
        lib = sysconfig.get_paths().get(key)
        if lib:
            pairs.setdefault(str(Path(lib)) + os.sep, "")
    pairs.setdefault(str(Path(sys.prefix)), "<python>")
    home = str(Path.home())
    if len(home) > 1:
        pairs.setdefault(home, "~")
    ordered = sorted(pairs.items(), key=lambda kv: len(kv[0]), reverse=True)
    return [(a, b) for a, b in ordered if a]


def scrub_text(text: str, subs: Sequence[tuple[str, str]]) -> str:
    """``text`` with every absolute path of ``subs`` replaced by its published form, in
    one pass (a replacement is never replaced again; the longest path wins)."""
    table = dict(subs)
    if not table:
        return text
    pattern = re.compile("|".join(re.escape(a) for a in sorted(table, key=len, reverse=True)))
    return pattern.sub(lambda m: table[m.group(0)], text)


def scrub_notebook(path: str | Path, subs: Sequence[tuple[str, str]]) -> None:
    """Rewrite an executed notebook in place with :func:`scrub_text` applied to every
    string of it (sources, outputs, metadata)."""
    path = Path(path)
    escaped = {
        json.dumps(a, ensure_ascii=ascii)[1:-1]: json.dumps(b, ensure_ascii=ascii)[1:-1]
        for ascii in (False, True)
        for a, b in subs
    }
    text = path.read_text(encoding="utf-8")
    new = scrub_text(text, list(escaped.items()))
    if new != text:
        path.write_text(new, encoding="utf-8")
