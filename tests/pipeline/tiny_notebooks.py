"""Tiny notebooks that run in a second, for the pipeline tests (a helper module, not a
conftest: ``tests/report`` has its own ``conftest.py``)."""

from pathlib import Path

import nbformat

from lublin_diagnosis.pipeline.plan import Step


def write_notebook(path: Path, *cells: str) -> Path:
    """A notebook with the pipeline's three fixed parameters and ``cells``."""
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
    return path


def make_tiny(tmp_path: Path):
    """``(notebooks folder, make)``: ``make(name, *cells)`` writes a notebook there and
    returns its plan step (page ``report.html`` for the first, ``<name>.html`` after)."""
    books = tmp_path / "notebooks"
    books.mkdir()
    made: list[str] = []

    def make(name: str, *cells: str) -> Step:
        write_notebook(books / f"{name}.ipynb", *cells)
        page = "report.html" if not made or made[0] == name else f"{name}.html"
        if name not in made:
            made.append(name)
        return Step(name, page=page, title_key="nav.summary")

    return books, make
