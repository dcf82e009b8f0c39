"""The metadata of an SPSS ``.sav`` file (labels, value labels, missing codes)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from lublin_diagnosis.data.readers._formats import _code_text, _read_stat
from lublin_diagnosis.data.readers.reading import _existing_file, _format_of
from lublin_diagnosis.exceptions import ReadError, shorten


# --------------------------------------------------------------------------- metadata
@dataclass(frozen=True)
class SavMetadata:
    """The labels an SPSS (or Stata) file carries besides its data.

    Attributes
    ----------
    path : pathlib.Path
        The file read.
    columns : tuple of str
        Variable names in file order.
    variable_labels : Mapping[str, str]
        Variable name → label (variables without a label are absent).
    value_labels : Mapping[str, Mapping[str, str]]
        Variable name → {code → label}; codes are strings as :func:`read_table` gives them
        (the SPSS value ``1.0`` is the code ``"1"``).
    missing : Mapping[str, tuple of str]
        Variable name → user-defined missing codes (discrete values only).
    measure : Mapping[str, str]
        Variable name → SPSS measurement level (``nominal``, ``ordinal``, ``scale`` or
        ``unknown``).
    numeric : Mapping[str, bool]
        Variable name → whether the variable is stored as a number.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import pandas as pd, pyreadstat
    >>> path = str(pathlib.Path(tempfile.mkdtemp()) / "survey.sav")
    >>> pyreadstat.write_sav(pd.DataFrame({"sex": [1.0, 2.0]}), path,
    ...                      column_labels=["Płeć"],
    ...                      variable_value_labels={"sex": {1: "Kobieta", 2: "Mężczyzna"}})
    >>> meta = read_sav_metadata(path)
    >>> dict(meta.value_labels["sex"])
    {'1': 'Kobieta', '2': 'Mężczyzna'}
    """

    path: Path
    columns: tuple[str, ...]
    variable_labels: Mapping[str, str] = field(default_factory=dict)
    value_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    missing: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    measure: Mapping[str, str] = field(default_factory=dict)
    numeric: Mapping[str, bool] = field(default_factory=dict)


def read_sav_metadata(path: str | Path) -> SavMetadata:
    """Return the variable labels, value labels and missing codes of a ``.sav``/``.dta``.

    Parameters
    ----------
    path : str or pathlib.Path
        An SPSS ``.sav``/``.zsav`` or Stata ``.dta`` file.

    Returns
    -------
    SavMetadata

    Raises
    ------
    ReadError
        If the file is missing, empty or not an SPSS/Stata file.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import pandas as pd, pyreadstat
    >>> path = str(pathlib.Path(tempfile.mkdtemp()) / "survey.sav")
    >>> pyreadstat.write_sav(pd.DataFrame({"sex": [1.0, 2.0]}), path,
    ...                      column_labels=["Płeć"])
    >>> read_sav_metadata(path).variable_labels["sex"]
    'Płeć'
    """
    path = _existing_file(path)
    kind = _format_of(path)
    if kind not in ("sav", "dta"):
        raise ReadError(
            f"{path}: labels can only be read from SPSS .sav or Stata .dta "
            f"files, not {shorten(path.suffix)} files"
        )
    _, meta = _read_stat(path, kind, metadata_only=True)
    numeric = {
        name: meta.readstat_variable_types.get(name) != "string" for name in meta.column_names
    }
    value_labels = {
        name: MappingProxyType({_code_text(code): str(label) for code, label in labels.items()})
        for name, labels in (meta.variable_value_labels or {}).items()
    }
    missing: dict[str, tuple[str, ...]] = {}
    for name, ranges in (getattr(meta, "missing_ranges", None) or {}).items():
        codes = []
        for item in ranges:
            lo, hi = item.get("lo"), item.get("hi")
            if lo is not None and lo == hi:
                codes.append(_code_text(lo))
        if codes:
            missing[name] = tuple(codes)
    for name, values in (getattr(meta, "missing_user_values", None) or {}).items():
        extra = [_code_text(v) for v in values]
        missing[name] = tuple(dict.fromkeys(list(missing.get(name, ())) + extra))
    labels = {
        name: str(label) for name, label in (meta.column_names_to_labels or {}).items() if label
    }
    return SavMetadata(
        path=path,
        columns=tuple(meta.column_names),
        variable_labels=MappingProxyType(labels),
        value_labels=MappingProxyType(value_labels),
        missing=MappingProxyType(missing),
        measure=MappingProxyType(dict(getattr(meta, "variable_measure", None) or {})),
        numeric=MappingProxyType(numeric),
    )
