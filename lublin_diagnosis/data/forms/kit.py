"""The data-entry kit as a whole: write every form of a data directory, import them back.

:func:`write_forms` is ``lublin-diagnosis forms --data DIR --out FORMS``;
:func:`import_forms` is ``lublin-diagnosis import KIND FILES... --into DIR``. Neither
overwrites an existing file unless ``force`` is true, and the importers never modify
their inputs; every problem is reported at once (workbook, sheet and cell; for surveys,
file, row and question).

Layout of a kit::

    FORMS/
      monitoring/<institution_id>.xlsx        one monitoring workbook per institution
      foi-requests/<institution_id>.docx|pdf  freedom-of-information requests (A indicators)
      questionnaire-xlsform.xlsx              the survey for ODK / KoboToolbox / Enketo
      questionnaire-<lang>.pdf                printable questionnaire, pl, uk, ru, en
      templates/legal-advice-log.xlsx, recommendations-register.xlsx, admin-figures.xlsx,
      replies-register.xlsx, activity-log.xlsx, pledges-register.xlsx
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lublin_diagnosis.data.codebook import Codebook, load_yaml_text
from lublin_diagnosis.data.contracts import SCHEMAS
from lublin_diagnosis.data.forms._common import check_free, raise_problems, write_csv
from lublin_diagnosis.data.forms.monitoring import (
    applicable_indicators,
    read_monitoring_workbooks,
    write_monitoring_workbook,
)
from lublin_diagnosis.data.forms.registers import TEMPLATES, read_template, write_template
from lublin_diagnosis.data.forms.xlsform import read_survey_export, write_xlsform
from lublin_diagnosis.data.readers import read_table
from lublin_diagnosis.exceptions import DataError, Problem
from lublin_diagnosis.framework.model import Framework, load_framework

__all__ = ["IMPORT_KINDS", "ImportResult", "import_forms", "kit_inputs", "write_forms"]

#: What ``lublin-diagnosis import`` reads, and the contract files each kind writes.
IMPORT_KINDS: dict[str, tuple[str, ...]] = {
    "monitoring": ("monitoring.csv",),
    "survey": ("survey.csv",),
    "legal-cases": ("legal_cases.csv",),
    "recommendations": (
        "recommendations.csv",
        "recommendation_opinions.csv",
        "recommendation_status.csv",
    ),
    "admin": ("admin.csv",),
    "replies": ("replies.csv",),
    "events": ("events.csv",),
    "pledges": ("pledges.csv",),
}


@dataclass(frozen=True)
class KitInputs:
    """What the forms are generated from."""

    framework: Framework
    codebook: Codebook | None
    institutions: pd.DataFrame
    synthetic: bool = False


@dataclass
class ImportResult:
    """The files an import wrote, and notes on what it dropped."""

    written: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def format(self) -> str:
        """A short report for the command line."""
        lines = [f"wrote {p}" for p in self.written] + [f"note: {n}" for n in self.notes]
        if self.written:
            lines.append(f"next: lublin-diagnosis validate {self.written[0].parent}")
        return "\n".join(lines)


def _meta(data_dir: Path) -> dict:
    path = data_dir / "dataset.yml"
    meta = load_yaml_text(path) if path.is_file() else {}
    return meta if isinstance(meta, dict) else {}


def _file(data_dir: Path, meta: dict, name: str, default: str) -> Path:
    entry = (meta.get("files") or {}).get(name)
    if isinstance(entry, dict):
        entry = entry.get("path")
    return data_dir / (entry or default)


def _framework(data_dir: Path, meta: dict) -> Framework:
    name = str(meta.get("framework") or "lublin-14")
    candidate = data_dir / name
    return load_framework(candidate if candidate.is_file() else name)


def kit_inputs(data_dir: str | Path) -> KitInputs:
    """Read the framework (``dataset.yml``), the codebook and the institution list.

    The codebook is optional (without it there is no questionnaire); the institution list
    is checked against its contract.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataError(f"{data_dir}: not a folder; give the data directory with --data")
    meta = _meta(data_dir)
    inst_path = _file(data_dir, meta, "institutions", "institutions.csv")
    institutions = read_table(inst_path)
    problems = SCHEMAS["institutions"].check(institutions, file=inst_path.name)
    raise_problems(problems, inst_path.name)
    cb_path = _file(data_dir, meta, "codebook", "codebook.yml")
    codebook = Codebook.load(cb_path) if cb_path.is_file() else None
    return KitInputs(
        _framework(data_dir, meta),
        codebook,
        institutions.reset_index(drop=True),
        bool(meta.get("synthetic")),
    )


def _admin_indicators(fw: Framework, institution: dict) -> list:
    """The A indicators a request to ``institution`` asks for (its type and areas)."""
    areas = set(str(institution["areas"]).split(";"))
    return [
        i
        for i in fw.indicators
        if i.kind == "A" and i.area in areas and institution["type"] in i.institution_types
    ]


def _plan(
    inputs: KitInputs, out: Path, letters: bool
) -> list[tuple[Path, Callable[[Path], object]]]:
    fw = inputs.framework
    jobs: list[tuple[Path, Callable[[Path], object]]] = []
    for inst in inputs.institutions.to_dict("records"):
        if applicable_indicators(fw, inst["type"], str(inst["areas"]).split(";")):
            jobs.append(
                (
                    out / "monitoring" / f"{inst['institution_id']}.xlsx",
                    lambda p, inst=inst: write_monitoring_workbook(p, fw, inst),
                )
            )
        if letters and _admin_indicators(fw, inst):
            from lublin_diagnosis.data.forms import letters as foi

            for ext in ("docx", "pdf"):
                jobs.append(
                    (
                        out / "foi-requests" / f"{inst['institution_id']}.{ext}",
                        lambda p, inst=inst: foi.write_request(
                            p, inst, _admin_indicators(fw, inst), synthetic=inputs.synthetic
                        ),
                    )
                )
    if inputs.codebook is not None:
        cb = inputs.codebook
        jobs.append((out / "questionnaire-xlsform.xlsx", lambda p: write_xlsform(p, cb)))
        if letters:
            from lublin_diagnosis.data.forms import letters as foi

            for lang in ("pl", "uk", "ru", "en"):
                jobs.append(
                    (
                        out / f"questionnaire-{lang}.pdf",
                        lambda p, lang=lang: foi.write_paper_questionnaire(p, cb, lang),
                    )
                )
    context = {
        "area": list(fw.area_ids),
        "institution_id": list(inputs.institutions["institution_id"]),
        "indicator_id": [i.id for i in fw.indicators if i.kind == "A"],
    }
    for kind, template in TEMPLATES.items():
        jobs.append(
            (
                out / "templates" / template.filename,
                lambda p, kind=kind: write_template(p, kind, context),
            )
        )
    return jobs


def write_forms(
    data_dir: str | Path, out: str | Path, *, force: bool = False, letters: bool = True
) -> list[Path]:
    """Write the data-entry kit of ``data_dir`` into ``out``; return the files written.

    Nothing is written if any target exists and ``force`` is false. ``letters=False``
    skips the DOCX/PDF documents (the fast path the tests use).

    Examples
    --------
    >>> paths = write_forms("data/demo", "forms-demo")             # doctest: +SKIP
    >>> len([p for p in paths if p.parent.name == "monitoring"])   # doctest: +SKIP
    16
    """
    inputs = kit_inputs(data_dir)
    out = Path(out)
    jobs = _plan(inputs, out, letters)
    check_free([p for p, _ in jobs], force=force)
    written = []
    for path, job in jobs:
        path.parent.mkdir(parents=True, exist_ok=True)
        job(path)
        written.append(path)
    return written


def import_forms(
    kind: str,
    files: Sequence[str | Path],
    into: str | Path,
    *,
    force: bool = False,
    framework: str | None = None,
    codebook: str | Path | None = None,
) -> ImportResult:
    """Import filled forms of ``kind`` (a key of :data:`IMPORT_KINDS`) into ``into``.

    ``framework`` defaults to the one named by ``into/dataset.yml`` (else ``lublin-14``);
    ``codebook`` (surveys only) defaults to ``into/codebook.yml``. Raises
    :class:`~lublin_diagnosis.exceptions.ValidationError` listing every problem, and
    writes nothing then.
    """
    if kind not in IMPORT_KINDS:
        raise DataError(f"unknown import kind {kind!r}; use one of {', '.join(IMPORT_KINDS)}")
    if not files:
        raise DataError("no files to import; name the filled workbooks or the export")
    missing = [str(f) for f in files if not Path(f).is_file()]
    if missing:
        raise DataError(f"file(s) not found: {', '.join(missing)}; check the paths")
    into = Path(into)
    targets = [into / name for name in IMPORT_KINDS[kind]]
    check_free(targets, force=force)
    meta = _meta(into) if into.is_dir() else {}
    result = ImportResult()
    tables = _read_kind(kind, files, into, meta, framework, codebook, result)
    into.mkdir(parents=True, exist_ok=True)
    for target, (columns, rows) in zip(targets, tables, strict=True):
        result.written.append(write_csv(rows, columns, target))
    return result


def _read_kind(kind, files, into, meta, framework, codebook, result):
    problems: list[Problem] = []
    if kind == "monitoring":
        fw = load_framework(framework) if framework else _framework(into, meta)
        inst_path = _file(into, meta, "institutions", "institutions.csv")
        known = list(read_table(inst_path)["institution_id"]) if inst_path.is_file() else None
        rows, problems = read_monitoring_workbooks(files, fw, institutions=known)
        tables = [([c.name for c in SCHEMAS["monitoring"].columns], rows)]
    elif kind == "survey":
        cb_path = Path(codebook) if codebook else _file(into, meta, "codebook", "codebook.yml")
        if not cb_path.is_file():
            raise DataError(
                f"{cb_path}: no codebook; put codebook.yml into {into} or pass --codebook"
            )
        survey, problems, notes = read_survey_export(files, Codebook.load(cb_path))
        result.notes.extend(notes)
        rows = survey.astype(object).where(survey.notna(), None).values.tolist()
        tables = [(list(survey.columns), rows)]
    else:
        contracts = [c for _, c in TEMPLATES[kind].sheets]
        parts: dict[str, list[pd.DataFrame]] = {c: [] for c in contracts}
        for path in files:
            frames, errs = read_template(path, kind)
            problems.extend(errs)
            for contract, frame in frames.items():
                parts[contract].append(frame)
        tables = []
        for contract in contracts:
            columns = [c.name for c in SCHEMAS[contract].columns]
            frame = pd.concat(parts[contract]) if parts[contract] else pd.DataFrame()
            frame = frame.reindex(columns=columns)
            rows = frame.astype(object).where(frame.notna(), None).values.tolist()
            tables.append((columns, rows))
    raise_problems(problems, f"the {kind} import")
    return tables
