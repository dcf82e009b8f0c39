"""Fuzzing ``validate_dir`` (issue 11): random bytes in place of any input file, and
random-but-plausible frames for every contract, written as CSV or XLSX.

Whatever the input, ``validate_dir`` returns a :class:`ValidationReport` (or raises a
:class:`DataError`), never another exception; it never modifies a file; every printed
problem stays short; and a report without problems means ``load_dataset`` succeeds.
The examples are few (``max_examples``) to keep the suite fast; raise them locally with
``--hypothesis-seed`` and a larger ``FUZZ_EXAMPLES`` to search harder.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_validation import _with_registers, make_dataset

from lublin_diagnosis.data.contracts import SCHEMAS
from lublin_diagnosis.data.validation import (
    DEFAULT_FILES,
    INPUTS,
    ValidationReport,
    load_dataset,
    validate_dir,
)
from lublin_diagnosis.exceptions import DataError

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
#: Longest printed problem allowed (values are cut to 60 characters).
MAX_LINE = 1500

#: Values that broke or could break a run: non-finite and absurd numbers, formulas,
#: markup, separators, quotes, line breaks, dates that do not exist, long text.
EDGE = [
    "",
    " ",
    "inf",
    "-inf",
    "Infinity",
    "nan",
    "NaN",
    "1e308",
    "-1e308",
    "1e999",
    "0",
    "-0",
    "-1",
    "0.5",
    "3,5",
    "1 200",
    "1" + "0" * 300,
    "=cmd|' /C calc'!A0",
    "+1",
    "@SUM(A1)",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "a;b",
    "a,b",
    ";",
    '"',
    '""',
    "a\nb",
    "\t",
    "2023-99-99",
    "2023-02-30",
    "9999-12-31",
    "Łódź",
    "ÿ",
    "-9",
    "-8",
    "x" * 3000,
]
TABLES = ("survey", *SCHEMAS)


@pytest.fixture(scope="module")
def valid_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # with the optional registers too, so that every input has a file to break
    root = _with_registers(make_dataset(tmp_path_factory.mktemp("fuzz-valid") / "data"))
    assert validate_dir(root).ok
    return root


def _digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _check(root: Path) -> ValidationReport | None:
    """The assertions every fuzzed directory must meet."""
    before = _digest(root)
    try:
        report = validate_dir(root)
    except DataError:
        report = None
    assert _digest(root) == before, "validate modified its input"
    if report is None:
        return None
    assert isinstance(report, ValidationReport)
    for line in report.format().splitlines():
        assert len(line) <= MAX_LINE, line[:200]
    if report.ok:
        load_dataset(root)
    return report


def _copy(valid_dir: Path, factory: pytest.TempPathFactory) -> Path:
    return Path(shutil.copytree(valid_dir, factory.mktemp("fuzz") / "data"))


def _point_to(root: Path, name: str, filename: str) -> None:
    """Make ``dataset.yml`` read input ``name`` from ``filename``."""
    meta = yaml.safe_load((root / "dataset.yml").read_text(encoding="utf-8"))
    meta.setdefault("files", {})[name] = {"path": filename}
    (root / "dataset.yml").write_text(yaml.safe_dump(meta, allow_unicode=True), "utf-8")


# --------------------------------------------------------------------------- raw bytes
@st.composite
def _mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """The valid file cut, with bytes inserted or overwritten at a random place."""
    at = draw(st.integers(0, len(original)))
    junk = draw(st.binary(max_size=40))
    how = draw(st.sampled_from(["cut", "insert", "overwrite"]))
    if how == "cut":
        return original[:at]
    if how == "insert":
        return original[:at] + junk + original[at:]
    return original[:at] + junk + original[at + len(junk) :]


@FUZZ
@given(data=st.data(), name=st.sampled_from([*INPUTS, "dataset.yml", "framework.yml"]))
def test_random_bytes_in_any_file(tmp_path_factory, valid_dir, data, name) -> None:
    root = _copy(valid_dir, tmp_path_factory)
    filename = DEFAULT_FILES.get(name, name)
    original = (root / filename).read_bytes()
    content = data.draw(st.one_of(st.binary(max_size=400), _mutated(original)), label="bytes")
    (root / filename).write_bytes(content)
    _check(root)


@FUZZ
@given(data=st.data(), name=st.sampled_from(TABLES))
def test_random_bytes_as_a_workbook(tmp_path_factory, valid_dir, data, name) -> None:
    root = _copy(valid_dir, tmp_path_factory)
    content = data.draw(st.one_of(st.binary(max_size=400), _mutated(_template_workbook())))
    (root / f"{name}.xlsx").write_bytes(content)
    _point_to(root, name, f"{name}.xlsx")
    _check(root)


# --------------------------------------------------------------------------- frames
def _columns(root: Path, name: str) -> dict[str, list[str]]:
    """The columns of the valid file of ``name`` with their values."""
    with (root / DEFAULT_FILES[name]).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return {col: [r[i] for r in rows[1:]] for i, col in enumerate(rows[0])}


@st.composite
def _frame(draw: st.DrawFn, columns: dict[str, list[str]]) -> list[list[str]]:
    """A header and rows: mostly the contract's columns, cells valid or edge values."""
    names = list(columns)
    if draw(st.booleans()):
        names = draw(st.permutations(names))
    change = draw(st.sampled_from(["none", "drop", "extra", "twice", "blank"]))
    if change == "drop" and len(names) > 1:
        names.pop(draw(st.integers(0, len(names) - 1)))
    elif change == "extra":
        names.append(draw(st.sampled_from(["comment", "name", "x" * 200, "Łódź"])))
    elif change == "twice":
        names.append(names[0])
    elif change == "blank":
        names.append("")
    cell = {
        col: st.one_of(st.sampled_from(columns.get(col) or [""]), st.sampled_from(EDGE))
        for col in names
    }
    n = draw(st.integers(0, 6))
    rows = [[draw(cell[col]) for col in names] for _ in range(n)]
    return [names, *rows]


def _write_csv(rows: list[list[str]], path: Path, sep: str, encoding: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))


@functools.cache
def _template_workbook() -> bytes:
    """A small valid workbook, made once (its bytes hold a timestamp)."""
    buffer = io.BytesIO()
    _workbook([["a", "b"], ["1", "2"]], buffer)
    return buffer.getvalue()


def _workbook(rows: list[list[str]], target) -> None:
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) for v in row])
    book.save(target)


@FUZZ
@given(
    data=st.data(),
    name=st.sampled_from(TABLES),
    form=st.sampled_from(["csv", "csv;", "cp1250", "utf-16", "xlsx"]),
)
def test_plausible_frames_for_every_contract(tmp_path_factory, valid_dir, data, name, form):
    root = _copy(valid_dir, tmp_path_factory)
    rows = data.draw(_frame(_columns(root, name)), label="rows")
    if form == "xlsx":
        _workbook(rows, root / f"{name}.xlsx")
        _point_to(root, name, f"{name}.xlsx")
    else:
        sep = ";" if form == "csv;" else ","
        encoding = form if form in ("cp1250", "utf-16") else "utf-8"
        _write_csv(rows, root / DEFAULT_FILES[name], sep, encoding)
    _check(root)


def test_edge_values_everywhere_at_once(tmp_path_factory, valid_dir) -> None:
    """Every edge value in every column of every table, in one directory."""
    root = _copy(valid_dir, tmp_path_factory)
    for name in TABLES:
        columns = _columns(root, name)
        rows = [list(columns)] + [[value] * len(columns) for value in EDGE]
        _write_csv(rows, root / DEFAULT_FILES[name], ",", "utf-8")
    report = _check(root)
    assert report is not None and not report.ok


# --------------------------------------------------------------------------- YAML files
ODD = [
    None,
    "",
    "x" * 3000,
    0,
    -1,
    1e308,
    float("inf"),
    [],
    {},
    ["a", None],
    {"pl": None},
    {"pl": "x", "en": 5},
    "adjust",
    "fail",
    True,
    "psu",
    ["psu", "stratum"],
    ".inf",
]


def _paths(node, prefix=()):
    """Every path (tuple of keys and list positions) into a nested YAML document."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for pos, value in enumerate(node):
            yield from _paths(value, (*prefix, pos))


def _set(node, path, value):
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


@FUZZ
@given(data=st.data(), name=st.sampled_from(["codebook.yml", "dataset.yml", "framework.yml"]))
def test_plausible_yaml_documents(tmp_path_factory, valid_dir, data, name) -> None:
    """A valid YAML input with a few of its values replaced by odd ones."""
    root = _copy(valid_dir, tmp_path_factory)
    doc = yaml.safe_load((root / name).read_text(encoding="utf-8"))
    if name == "dataset.yml":
        doc["design"].update(lonely_psu="fail", nest=False, fpc=None)
    paths = [p for p in _paths(doc) if p]
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        path = data.draw(st.sampled_from(paths), label="path")
        try:
            _set(doc, path, data.draw(st.sampled_from(ODD), label="value"))
        except (KeyError, IndexError, TypeError):
            pass  # an earlier edit removed the path
    (root / name).write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    _check(root)
