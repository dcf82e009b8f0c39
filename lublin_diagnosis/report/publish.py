"""Publish the tables and figures of a notebook into the run's output folder, and record them.

A notebook never writes a file itself: it calls :meth:`Publisher.table` and
:meth:`Publisher.figure` (or the module functions :func:`publish_table` and
:func:`publish_figure`, which use the publisher of the last :func:`start_publishing`).
The publisher

* refuses respondent-level tables: a table with as many rows as the survey (or more), or
  with a respondent-id column, raises :class:`~lublin_diagnosis.exceptions.DisclosureError`;
* sends every table with an ``n`` column through
  :func:`~lublin_diagnosis.disclosure.control.protect_estimates`, and every table of counts
  (:meth:`Publisher.counts`) through :func:`~lublin_diagnosis.disclosure.control.protect_counts`,
  so small bases are suppressed or flagged before anything reaches a file;
* names the displayed columns in the language of the run (``columns`` section of the
  locale files);
* writes ``<out_dir>/<lang>/tables/<name>.csv`` with the machine column codes and the
  values rounded to the precision they carry, and the same table at full precision in
  ``<out_dir>/<lang>/precise/<name>.csv`` (for ``verify``; a text cell a spreadsheet would
  read as a formula gets a leading apostrophe, see :mod:`~lublin_diagnosis.report.escape`),
  and ``<out_dir>/<lang>/figures/<name>.png`` and ``.svg`` (byte-reproducible: no dates in
  the files);
* records what it wrote in ``<out_dir>/.records/<lang>/<notebook>[-<part>].json``, which
  the pipeline gathers into the run's ``manifest.json`` and the XLSX workbook (this
  replaces scrapbook).

>>> pub = start_publishing(params, dataset)                       # doctest: +SKIP
>>> pub.table(estimates, "health-outcomes", title="Outcomes")     # doctest: +SKIP
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.exceptions import DisclosureError
from lublin_diagnosis.report.datapackage import schema_fields
from lublin_diagnosis.report.display import FORMATS as _FORMATS
from lublin_diagnosis.report.display import is_code_column as _is_code_column
from lublin_diagnosis.report.display import render_table as _render_table
from lublin_diagnosis.report.escape import neutralise_formulas
from lublin_diagnosis.report.formatting import rounded_for_file
from lublin_diagnosis.report.i18n import check_lang, localise_columns, t

__all__ = [
    "HIDDEN_COLUMNS",
    "ID_COLUMNS",
    "PRECISE_DIR",
    "PublishedFigure",
    "PublishedTable",
    "Publisher",
    "Record",
    "publish_counts",
    "publish_figure",
    "publish_table",
    "read_records",
    "start_publishing",
]

#: Column names taken as respondent identifiers in every table (besides the codebook's id).
ID_COLUMNS: tuple[str, ...] = ("resp_id", "respondent_id", "respondent", "case_id")
#: Columns the report leaves out of a table's display (the CSV keeps them): ids,
#: standard errors and the boolean disclosure columns (``flags`` says it in words).
HIDDEN_COLUMNS: tuple[str, ...] = (
    "area",
    "indicator",
    "institution",
    "variable",
    "by",
    "group",
    "code",
    "kind",
    "test",
    "cell",
    "se",
    "cv",
    "df",
    "suppressed",
    "low_reliability",
)
#: Folder (under a language's folder) of the tables at full precision, which
#: ``lublin-diagnosis verify`` compares; ``tables/`` holds them rounded
#: (:func:`~lublin_diagnosis.report.formatting.rounded_for_file`).
PRECISE_DIR = "precise"
#: Folder (under the run's output folder) of the publication records.
RECORDS_DIR = ".records"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_SVG_SALT = "lublin-diagnosis"
_PNG_DPI = 150

_current: Publisher | None = None


@dataclass(frozen=True)
class Record:
    """One published table or figure, as kept in the records and the manifest.

    Attributes
    ----------
    kind : {"table", "figure"}
    name : str
        File stem, unique within a language.
    title : str
        Title in the language of the run.
    lang : str
    notebook, part : str
        The notebook that published it and its fan-out value (``"10_area"``, ``"health"``).
    files : tuple of str
        Paths relative to the run's output folder.
    rows, columns : int
        Size of a table (0 for a figure).
    fields : tuple of dict
        A table's Table Schema fields (CSV header, machine code, type, labels), for the
        data package (:mod:`~lublin_diagnosis.report.datapackage`).
    texts_outside : tuple of str
        A figure's texts that reached outside its canvas when it was saved
        (:func:`~lublin_diagnosis.report.plots.texts_outside`); the page guard wants none.
    """

    kind: str
    name: str
    title: str
    lang: str
    notebook: str
    part: str
    files: tuple[str, ...]
    rows: int = 0
    columns: int = 0
    fields: tuple[dict[str, Any], ...] = ()
    texts_outside: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Record:
        """Rebuild a record from its JSON form."""
        return cls(
            **{
                **data,
                "files": tuple(data["files"]),
                "fields": tuple(data.get("fields", ())),
                "texts_outside": tuple(data.get("texts_outside", ())),
            }
        )


@dataclass(frozen=True)
class PublishedTable:
    """A table as published: ``frame`` (as written to the files, machine column codes),
    ``shown`` (as the report shows it) and ``title``.

    In a notebook it shows as its title over a compact HTML table: code columns (ids),
    standard errors and the boolean disclosure columns are left out (the CSV keeps
    them), flags are in words, numbers are rounded with the language's separators, and
    missing or suppressed values are an en dash.
    """

    frame: pd.DataFrame
    shown: pd.DataFrame
    title: str
    lang: str
    record: Record
    formats: tuple[str | None, ...] = ()

    def _repr_html_(self) -> str:
        return _render_table(self.shown, self.title, self.lang, self.formats, self.record.name)

    def __repr__(self) -> str:
        return f"{self.title}\n{self.shown.to_string(index=False)}"


@dataclass(frozen=True)
class PublishedFigure:
    """A figure as published; shows in a notebook as the PNG written to disk, with its
    title as caption and alt text in the language of the run (the report numbers the
    captions and adds the source)."""

    png: bytes = field(repr=False)
    title: str
    record: Record

    def _repr_png_(self) -> tuple[bytes, dict[str, str]]:
        alt = t("report.figure_alt", self.record.lang, title=self.title)
        return self.png, {"alt": alt, "caption": self.title, "name": self.record.name}

    def __repr__(self) -> str:
        return f"<figure {self.record.name}: {self.title}>"


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


class Publisher:
    """Writes one notebook's tables and figures and records them.

    Parameters
    ----------
    out_dir : str or pathlib.Path
        The run's output folder; files go to ``out_dir / lang``.
    lang : {"pl", "en"}
    notebook : str
        Name of the publishing notebook (``"10_area"``).
    part : str
        Its fan-out value (``"health"``), empty if none.
    survey_rows : int, optional
        Respondents in the survey: a table with that many rows or more is refused.
    id_columns : sequence of str
        Respondent-id column names refused in any table (added to :data:`ID_COLUMNS`).
    rules : DisclosureRules, optional
        Disclosure rules for tables with an ``n`` column (default: the module's
        defaults).

    Examples
    --------
    >>> import pandas as pd, tempfile
    >>> pub = Publisher(tempfile.mkdtemp(), lang="en", notebook="demo", survey_rows=3)
    >>> pub.table(pd.DataFrame({"area": ["a", "b", "c"]}), "areas", title="Areas")
    Traceback (most recent call last):
    ...
    lublin_diagnosis.exceptions.DisclosureError: table 'areas' of notebook demo has 3 rows, as many as the survey has respondents (3): respondent-level data is never published
    """

    def __init__(
        self,
        out_dir: str | Path,
        *,
        lang: str,
        notebook: str,
        part: str = "",
        survey_rows: int | None = None,
        id_columns: Sequence[str] = (),
        rules: Any = None,
    ) -> None:
        self.out_dir = Path(out_dir)
        self.lang = check_lang(lang)
        self.notebook = str(notebook)
        self.part = str(part or "")
        self.survey_rows = survey_rows
        self.id_columns = tuple(dict.fromkeys((*id_columns, *ID_COLUMNS)))
        self.rules = rules
        self.records: list[Record] = []
        self._serialised: list[str] = []  # each record's JSON, written once
        self._names: set[tuple[str, str]] = set()
        self._record_path.unlink(missing_ok=True)

    @property
    def lang_dir(self) -> Path:
        """``out_dir / lang``."""
        return self.out_dir / self.lang

    @property
    def _record_path(self) -> Path:
        stem = self.notebook + (f"-{self.part}" if self.part else "")
        return self.out_dir / RECORDS_DIR / self.lang / f"{stem}.json"

    @property
    def _where(self) -> str:
        return self.notebook + (f" (part {self.part!r})" if self.part else "")

    def _check_name(self, name: str, kind: str) -> None:
        if not isinstance(name, str) or not _NAME.match(name):
            raise ValueError(
                f"{kind} name {name!r} of notebook {self._where} must be "
                f"lower-case letters, digits, '-' or '_' (at most 63)"
            )
        if (kind, name) in self._names:
            raise ValueError(f"notebook {self._where} publishes {kind} {name!r} twice")
        self._names.add((kind, name))

    def _save(self, record: Record) -> None:
        # the notebook's whole list is rewritten (atomically) after each record, each
        # record serialised once: the file always holds every record published so far
        self.records.append(record)
        self._serialised.append(json.dumps(asdict(record), ensure_ascii=False))
        data = "[\n" + ",\n".join(self._serialised) + "\n]\n"
        _write_atomic(self._record_path, data.encode("utf-8"))

    def check_aggregate(self, frame: pd.DataFrame, name: str) -> None:
        """Raise :class:`DisclosureError` if ``frame`` looks respondent-level.

        Examples
        --------
        >>> import pandas as pd
        >>> Publisher("/tmp", lang="en", notebook="nb").check_aggregate(
        ...     pd.DataFrame({"resp_id": ["r1"]}), "x")
        Traceback (most recent call last):
        ...
        lublin_diagnosis.exceptions.DisclosureError: table 'x' of notebook nb has a respondent-id column 'resp_id': respondent-level data is never published
        """
        names = [*map(str, frame.columns), *(str(n) for n in frame.index.names if n)]
        ids = [c for c in names if c in self.id_columns]
        if ids:
            raise DisclosureError(
                f"table {name!r} of notebook {self._where} has a "
                f"respondent-id column {ids[0]!r}: respondent-level data "
                f"is never published"
            )
        if self.survey_rows and len(frame) >= self.survey_rows:
            raise DisclosureError(
                f"table {name!r} of notebook {self._where} has "
                f"{len(frame):,} rows, as many as the survey has "
                f"respondents ({self.survey_rows:,}): respondent-level "
                f"data is never published"
            )

    def protect(self, frame: pd.DataFrame, *, groups: Sequence[str] | None = None) -> pd.DataFrame:
        """Disclosure control of an estimate table (one with an ``n`` column).

        Every row goes through :func:`~lublin_diagnosis.disclosure.control.protect_estimates`
        except rows without a base that need none: rows already suppressed upstream
        (``suppressed`` true: their values are blank) and rows of non-survey indicators
        (a ``kind`` other than ``"O"``: policy answers and administrative figures). A
        survey row without a base raises :class:`DisclosureError`.
        """
        from lublin_diagnosis.disclosure import DisclosureRules, protect_estimates

        if "n" not in frame.columns:
            return frame
        rules = self.rules if self.rules is not None else DisclosureRules()
        base = pd.to_numeric(frame["n"], errors="coerce")
        no_base = base.isna().to_numpy()
        known = np.zeros(len(frame), dtype=bool)
        if "suppressed" in frame.columns:
            known |= frame["suppressed"].fillna(False).astype(bool).to_numpy()
        if "kind" in frame.columns:
            known |= frame["kind"].astype(str).ne("O").to_numpy()
        exempt = no_base & known
        if not exempt.any():
            return protect_estimates(frame, rules, groups=groups)
        survey = protect_estimates(frame[~exempt], rules, groups=groups)
        other = frame[exempt].copy()
        for col in survey.columns:
            if col not in other.columns:
                other[col] = (
                    False
                    if col in ("suppressed", "low_reliability")
                    else ""
                    if col == "flags"
                    else np.nan
                )
        other["n"] = pd.array([pd.NA] * len(other), dtype="Int64")
        out = pd.concat([survey, other[survey.columns]]).loc[frame.index]
        return out.reset_index(drop=True)

    def _flags_text(self, value: Any) -> str:
        """Flags (``"low_base;high_cv"``) in words, in the language of the run."""
        from lublin_diagnosis.disclosure import DisclosureRules

        rules = self.rules if self.rules is not None else DisclosureRules()
        codes = [c for c in str(value or "").split(";") if c and c != "nan"]
        return "; ".join(
            t(f"flags.{c}", self.lang, min_n=rules.min_n, low_n=rules.low_n, max_cv=rules.max_cv)
            for c in codes
        )

    def _write_table(
        self,
        frame: pd.DataFrame,
        name: str,
        title: str,
        localise: bool,
        show: Sequence[str] | None = None,
        formats_by_column: Mapping[str, str] | None = None,
    ) -> PublishedTable:
        if show is not None:
            missing = [c for c in show if c not in frame.columns]
            if missing:
                raise ValueError(
                    f"table {name!r} of notebook {self._where}: show= names column(s) "
                    f"{', '.join(map(repr, missing))} the table does not have"
                )
            shown = frame[list(show)]
        else:
            hidden = [c for c in frame.columns if c in HIDDEN_COLUMNS or _is_code_column(c)]
            shown = frame.drop(columns=hidden)
        if "flags" in shown.columns:
            shown = shown.assign(flags=[self._flags_text(v) for v in shown["flags"]])
        formats = tuple((formats_by_column or {}).get(str(c)) for c in shown.columns)
        unknown = set(formats_by_column or {}) - set(map(str, frame.columns))
        if unknown or not set(formats) <= {None, *_FORMATS}:
            raise ValueError(
                f"table {name!r} of notebook {self._where}: formats= must map the "
                f"table's columns to one of {', '.join(_FORMATS)}; check {sorted(unknown) or formats}"
            )
        if localise:
            shown = localise_columns(shown, self.lang)
        # the files keep the machine column codes; datapackage.json gives their pl/en labels
        fields = tuple(schema_fields(frame))
        rel = Path(self.lang) / "tables" / f"{name}.csv"
        precise = Path(self.lang) / PRECISE_DIR / f"{name}.csv"
        for path, data in ((rel, rounded_for_file(frame)), (precise, frame)):
            csv = neutralise_formulas(data).to_csv(index=False, lineterminator="\n")
            _write_atomic(self.out_dir / path, csv.encode("utf-8"))
        record = Record(
            "table",
            name,
            title,
            self.lang,
            self.notebook,
            self.part,
            (rel.as_posix(), precise.as_posix()),
            rows=len(frame),
            columns=frame.shape[1],
            fields=fields,
        )
        self._save(record)
        return PublishedTable(frame, shown, title, self.lang, record, formats)

    def table(
        self,
        frame: pd.DataFrame,
        name: str,
        *,
        title: str,
        groups: Sequence[str] | None = None,
        localise: bool = True,
        show: Sequence[str] | None = None,
        formats: Mapping[str, str] | None = None,
    ) -> PublishedTable:
        """Check, protect, translate and write an aggregate table; return it for display.

        Parameters
        ----------
        frame : DataFrame
            An aggregate table with the library's column names. With an ``n`` column
            it goes through :func:`~lublin_diagnosis.disclosure.control.protect_estimates`.
        name : str
            File stem (lower case, digits, ``-``, ``_``), unique in the language.
        title : str
            Title in the language of the run.
        groups : sequence of str, optional
            Columns identifying rows that partition a published total (secondary
            suppression; see ``protect_estimates``).
        localise : bool
            Name the displayed columns by the locale files (default); the files keep
            the machine codes either way.
        show : sequence of str, optional
            The columns the page shows, in order (at most about seven, chosen for the
            reader); the CSV and the workbook keep every column. Default: every column
            but codes, standard errors and the boolean disclosure columns.
        formats : mapping, optional
            How the page shows a column's numbers: ``"percent"`` (a share 0–1),
            ``"points"`` (a difference of shares, in percentage points), ``"p_value"``,
            ``"year"`` or ``"date"``; the files keep the values.

        Raises
        ------
        DisclosureError
            If the table is respondent-level, or a survey row has no base.
        """
        self._check_name(name, "table")
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(
                f"table {name!r} of notebook {self._where} must be a "
                f"DataFrame, not {type(frame).__name__}"
            )
        self.check_aggregate(frame, name)
        frame = self.protect(frame.reset_index(drop=True), groups=groups)
        from lublin_diagnosis.disclosure import DisclosureRules, round_bases

        frame = round_bases(frame, self.rules if self.rules is not None else DisclosureRules())
        return self._write_table(frame, name, title, localise, show, formats)

    def counts(
        self,
        table: pd.DataFrame | pd.Series,
        name: str,
        *,
        title: str,
        margins: bool = True,
        localise: bool = True,
        census: bool = False,
    ) -> PublishedTable:
        """Publish a table of unweighted counts through
        :func:`~lublin_diagnosis.disclosure.control.protect_counts` (primary and secondary
        suppression, totals added when ``margins``).

        Parameters
        ----------
        table : Series or DataFrame
            A one-way table (Series) or a crosstab of counts, with named index (and
            columns); those names become the label columns.
        census : bool
            The counts are a complete count (a register, the legal-advice cases), not a
            sample: small counts are still suppressed, but never flagged as a small
            sample base.
        """
        from lublin_diagnosis.disclosure import (
            COUNT_COLUMNS,
            TOTAL_LABEL,
            DisclosureRules,
            protect_counts,
        )

        self._check_name(name, "table")
        self.check_aggregate(table.to_frame() if isinstance(table, pd.Series) else table, name)
        rules = self.rules if self.rules is not None else DisclosureRules()
        published = protect_counts(table, rules, margins=margins)
        if census and "flags" in published.columns:
            published["flags"] = [
                ";".join(f for f in str(v or "").split(";") if f and f != "low_base")
                for v in published["flags"]
            ]
            if "low_reliability" in published.columns:
                published["low_reliability"] = False
        if localise:
            labels = [c for c in published.columns if c not in COUNT_COLUMNS]
            total = t("values.total", self.lang)
            for col in labels:
                published[col] = published[col].map(lambda v: total if v == TOTAL_LABEL else v)
            published["cell"] = published["cell"].map(lambda v: t(f"cells.{v}", self.lang))
        return self._write_table(published, name, title, localise)

    def figure(self, fig: Any, name: str, *, title: str) -> PublishedFigure:
        """Write a matplotlib figure as PNG and SVG, close it, and return it for display.

        The SVG keeps its texts as text, in the figure's fonts with their fallbacks
        (:func:`~lublin_diagnosis.report.plots.report_style`: DejaVu Sans, then Arial,
        Liberation Sans, any sans-serif), so a designer or a journalist can edit and search
        it; data text in it is escaped XML text, never markup.

        The figure is laid out and measured once
        (:func:`~lublin_diagnosis.report.plots.freeze_layout`: the saved area holds every
        artist, a title wider than the canvas is wrapped to it), then each file is drawn
        once; texts are measured through the process's shared cache
        (:func:`~lublin_diagnosis.report.text_metrics.shared_text_metrics`). The files
        carry no date or software stamp, so a re-run writes the same bytes.
        """
        import matplotlib
        import matplotlib.pyplot as plt

        from lublin_diagnosis.report.plots import freeze_layout, png_bytes
        from lublin_diagnosis.report.text_metrics import shared_text_metrics

        self._check_name(name, "figure")
        # the SVG keeps its texts as text (editable, searchable, read by screen readers,
        # a fifth of the size of glyph outlines); matplotlib escapes them as XML text
        svg_rc = {"svg.hashsalt": _SVG_SALT, "svg.fonttype": "none"}
        with matplotlib.rc_context(svg_rc), shared_text_metrics():
            box, outside = freeze_layout(fig, dpi=_PNG_DPI, pad_inches=0.1)
            png = png_bytes(fig, dpi=_PNG_DPI, bbox_inches=box)
            svg = io.BytesIO()
            fig.savefig(
                svg,
                format="svg",
                dpi=_PNG_DPI,
                metadata={"Date": None, "Creator": None},
                bbox_inches=box,
            )
        rels = []
        for ext, data in (("png", png), ("svg", svg.getvalue())):
            rel = Path(self.lang) / "figures" / f"{name}.{ext}"
            _write_atomic(self.out_dir / rel, data)
            rels.append(rel.as_posix())
        plt.close(fig)
        record = Record(
            "figure",
            name,
            title,
            self.lang,
            self.notebook,
            self.part,
            tuple(rels),
            texts_outside=tuple(outside),
        )
        self._save(record)
        return PublishedFigure(png, title, record)


def start_publishing(params: Any, dataset: Any = None, *, part: str = "") -> Publisher:
    """Create the publisher of a notebook from its checked parameters and make it current.

    Parameters
    ----------
    params : NotebookParams
        From :func:`~lublin_diagnosis.pipeline.parameters.check_params`.
    dataset : Dataset, optional
        Gives the survey size and its respondent-id variable for the respondent-level
        check.
    part : str
        The fan-out value (``params.area`` for ``10_area``).
    """
    global _current
    survey_rows, ids = None, ()
    if dataset is not None:
        survey_rows = len(dataset.survey)
        try:
            ids = (dataset.codebook.id_variable,)
        except KeyError:
            ids = ()
    _current = Publisher(
        params.out_dir,
        lang=params.lang,
        notebook=params.notebook,
        part=part,
        survey_rows=survey_rows,
        id_columns=ids,
        rules=params.rules,
    )
    return _current


def _publisher() -> Publisher:
    if _current is None:
        raise RuntimeError("call start_publishing(params, dataset) before publishing")
    return _current


def publish_table(
    frame: pd.DataFrame,
    name: str,
    *,
    title: str,
    groups: Sequence[str] | None = None,
    show: Sequence[str] | None = None,
    formats: Mapping[str, str] | None = None,
) -> PublishedTable:
    """:meth:`Publisher.table` of the current publisher (see :func:`start_publishing`)."""
    return _publisher().table(frame, name, title=title, groups=groups, show=show, formats=formats)


def publish_counts(
    table: pd.DataFrame | pd.Series,
    name: str,
    *,
    title: str,
    margins: bool = True,
    census: bool = False,
) -> PublishedTable:
    """:meth:`Publisher.counts` of the current publisher (see :func:`start_publishing`)."""
    return _publisher().counts(table, name, title=title, margins=margins, census=census)


def publish_figure(fig: Any, name: str, *, title: str) -> PublishedFigure:
    """:meth:`Publisher.figure` of the current publisher (see :func:`start_publishing`)."""
    return _publisher().figure(fig, name, title=title)


def read_records(out_dir: str | Path) -> list[Record]:
    """Every record of a run folder, ordered by language, notebook and part.

    Raises
    ------
    ValueError
        When two notebooks published the same name in the same language.
    """
    root = Path(out_dir) / RECORDS_DIR
    records: list[Record] = []
    for path in sorted(root.glob("*/*.json")):
        records += [Record.from_dict(r) for r in json.loads(path.read_text("utf-8"))]
    seen: dict[tuple[str, str, str], Record] = {}
    for rec in records:
        key = (rec.lang, rec.kind, rec.name)
        if key in seen:
            other = seen[key]
            raise ValueError(
                f"{rec.kind} {rec.name!r} ({rec.lang}) is published by both "
                f"{other.notebook} {other.part} and {rec.notebook} {rec.part}"
            )
        seen[key] = rec
    return records
