"""The ``lublin-diagnosis`` command.

Sub-commands::

    lublin-diagnosis validate DATA_DIR
    lublin-diagnosis synth --seed N --out DIR
    lublin-diagnosis conformance PATH/cases.json
    lublin-diagnosis run [--data DIR] [--params FILE] [-p key=value ...] [--lang pl|en|both]
                         [--out DIR] [--jobs N]
    lublin-diagnosis verify OUTDIR
    lublin-diagnosis forms --data DIR --out FORMS [--force] [--no-letters]
    lublin-diagnosis import KIND FILES... --into DIR [--force]

Every sub-command exits 0 on success and 1 when it found a problem it reports; errors of
the library are printed as one readable message, never as a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from lublin_diagnosis.exceptions import LublinDiagnosisError

__all__ = ["main"]


def _cmd_validate(args: argparse.Namespace) -> int:
    from lublin_diagnosis.data.validation import validate_dir

    report = validate_dir(args.data_dir)
    print(report.format())
    return 0 if report.ok else 1


def _cmd_synth(args: argparse.Namespace) -> int:
    from lublin_diagnosis.data.synth import write_demo

    paths = write_demo(args.out, seed=args.seed)
    print(f"wrote {len(paths)} synthetic files to {args.out} (seed {args.seed})")
    return 0


def _cmd_conformance(args: argparse.Namespace) -> int:
    from lublin_diagnosis.survey import run_cases

    results = run_cases(args.cases, rtol=args.rtol)
    failed = 0
    for res in results:
        print(res.format())
        failed += not res.passed
    print(f"{len(results) - failed} passed, {failed} failed")
    return 0 if failed == 0 else 1


def _parse_params(pairs: Sequence[str]) -> dict[str, object]:
    import yaml

    params: dict[str, object] = {}
    for pair in pairs:
        if "=" not in pair:
            raise SystemExit(f"-p expects key=value, got {pair!r}")
        key, raw = pair.split("=", 1)
        params[key.strip()] = yaml.safe_load(raw) if raw else ""
    return params


def _cmd_run(args: argparse.Namespace) -> int:
    from lublin_diagnosis.pipeline.run import run_pipeline

    params = {}
    if args.params:
        import yaml

        with open(args.params, encoding="utf-8") as fh:
            params.update(yaml.safe_load(fh) or {})
    params.update(_parse_params(args.p or []))
    result = run_pipeline(
        data_dir=args.data,
        out_dir=args.out,
        params=params,
        lang=args.lang,
        jobs=args.jobs,
        progress=not args.quiet,
    )
    print(result.format())
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from lublin_diagnosis.pipeline.verify import verify_run

    report = verify_run(args.out_dir, rtol=args.rtol)
    print(report.format())
    return 0 if report.ok else 1


def _cmd_forms(args: argparse.Namespace) -> int:
    from lublin_diagnosis.data.forms import write_forms

    paths = write_forms(args.data, args.out, force=args.force, letters=not args.no_letters)
    print(f"wrote {len(paths)} forms to {args.out}")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from lublin_diagnosis.data.forms import import_forms

    result = import_forms(
        args.kind,
        args.files,
        args.into,
        force=args.force,
        framework=args.framework,
        codebook=args.codebook,
    )
    print(result.format())
    return 0


def _add_forms_commands(sub) -> None:
    from lublin_diagnosis.data.forms.kit import IMPORT_KINDS

    p = sub.add_parser("forms", help="write the data-entry kit (workbooks, XLSForm, letters)")
    p.add_argument("--data", required=True, help="data directory (institutions, codebook)")
    p.add_argument("--out", required=True, help="folder for the forms")
    p.add_argument("--force", action="store_true", help="overwrite existing files")
    p.add_argument("--no-letters", action="store_true", help="skip the DOCX/PDF documents")
    p.set_defaults(func=_cmd_forms)

    p = sub.add_parser("import", help="read filled forms or a survey export into contract files")
    p.add_argument("kind", choices=list(IMPORT_KINDS))
    p.add_argument("files", nargs="+", help="filled workbooks, or a Kobo/ODK export")
    p.add_argument("--into", required=True, help="data directory to write the CSV files to")
    p.add_argument("--force", action="store_true", help="overwrite existing files")
    p.add_argument("--framework", help="framework name or file (default: from dataset.yml)")
    p.add_argument("--codebook", help="codebook.yml for a survey (default: in --into)")
    p.set_defaults(func=_cmd_import)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``lublin-diagnosis`` command."""
    parser = argparse.ArgumentParser(
        prog="lublin-diagnosis",
        description="Local diagnosis of Lublin's migrant-integration system.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check every input file against its contract")
    p.add_argument("data_dir")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("synth", help="write the synthetic demo dataset")
    p.add_argument("--seed", type=int, default=2023)
    p.add_argument("--out", required=True)
    p.set_defaults(func=_cmd_synth)

    p = sub.add_parser("conformance", help="check the survey engine against R survey cases")
    p.add_argument("cases", help="path to a cases.json (data files resolved beside it)")
    p.add_argument(
        "--rtol",
        type=float,
        default=None,
        help="override the relative tolerance of every comparison",
    )
    p.set_defaults(func=_cmd_conformance)

    p = sub.add_parser("run", help="run the full diagnosis with papermill")
    p.add_argument("--data", default="data/demo")
    p.add_argument("--out", default="outputs/demo")
    p.add_argument("--params", help="YAML file of notebook parameters")
    p.add_argument(
        "-p", action="append", metavar="KEY=VALUE", help="one notebook parameter (repeatable)"
    )
    p.add_argument("--lang", choices=["pl", "en", "both"], default="both")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("verify", help="re-run a diagnosis from its manifest and compare")
    p.add_argument("out_dir")
    p.add_argument("--rtol", type=float, default=1e-9)
    p.set_defaults(func=_cmd_verify)
    _add_forms_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``lublin-diagnosis`` command; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except LublinDiagnosisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
