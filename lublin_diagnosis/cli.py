"""The ``lublin-diagnosis`` command.

Sub-commands::

    lublin-diagnosis validate DATA_DIR
    lublin-diagnosis synth --seed N --out DIR
    lublin-diagnosis conformance PATH/cases.json
    lublin-diagnosis run [--data DIR] [--params FILE] [-p key=value ...] [--lang pl|en|both]
                         [--out DIR] [--jobs N] [--no-cache] [--only PAGE ...]
    lublin-diagnosis verify OUTDIR [--only PAGE ...] [--jobs N]
    lublin-diagnosis forms --data DIR --out FORMS [--force] [--no-letters]
    lublin-diagnosis import KIND FILES... --into DIR [--force]

Every sub-command exits 0 on success and 1 when it found a problem it reports; errors of
the library, of the system (a read-only folder, a full disk) and of the parameters are
printed as one readable message, never as a traceback (``LUBLIN_DIAGNOSIS_DEBUG=1``
shows the traceback of an unexpected error). Ctrl-C exits 130 and a termination signal
143, with one line.

``-p key=value`` values are read as the type of the parameter (:func:`parse_param`):
``-p replicates=50``, ``-p reference_date=2023-05-31``, ``-p areas=health,work``.

>>> main(["run", "--quiet", "-p", "replicates=!!python/object/apply:os.system ['true']"])
1
"""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
from collections.abc import Sequence

from lublin_diagnosis.exceptions import LublinDiagnosisError, ParameterError
from lublin_diagnosis.pipeline.parameters import parse_param

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
    """``-p key=value`` options, each value read as its parameter's type."""
    params: dict[str, object] = {}
    for pair in pairs:
        if "=" not in pair:
            raise ParameterError(f"-p expects key=value, got {pair[:60]!r}")
        key, raw = pair.split("=", 1)
        params[key.strip()] = parse_param(key.strip(), raw)
    return params


def _read_params_file(path: str) -> dict[str, object]:
    """The parameters of a ``--params`` YAML file (a mapping; dates become text)."""
    import datetime

    import yaml

    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ParameterError(f"--params {path}: not a readable YAML file ({first})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParameterError(
            f"--params {path}: expected a mapping of parameter: value, not {type(data).__name__}"
        )
    return {str(k): v.isoformat() if isinstance(v, datetime.date) else v for k, v in data.items()}


def _cmd_run(args: argparse.Namespace) -> int:
    from lublin_diagnosis.pipeline.run import run_pipeline

    params = _read_params_file(args.params) if args.params else {}
    params.update(_parse_params(args.p or []))
    result = run_pipeline(
        data_dir=args.data,
        out_dir=args.out,
        params=params,
        lang=args.lang,
        jobs=args.jobs,
        progress=not args.quiet,
        cache=not args.no_cache,
        only=args.only,
    )
    print(result.format())
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from lublin_diagnosis.pipeline.verify import verify_run

    report = verify_run(args.out_dir, rtol=args.rtol, jobs=args.jobs, only=args.only)
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
    p.add_argument(
        "--jobs", type=int, default=None, help="notebooks run at once (default: the cores + 1)"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="recompute everything instead of reusing the run cache (<out>/.cache)",
    )
    p.add_argument(
        "--only",
        action="append",
        metavar="PAGE",
        help="run only this page (areas/health), folder (areas) or notebook (repeatable); "
        "links to the pages left out become plain text",
    )
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("verify", help="re-run a diagnosis from its manifest and compare")
    p.add_argument("out_dir")
    p.add_argument("--rtol", type=float, default=1e-9)
    p.add_argument(
        "--only",
        action="append",
        metavar="PAGE",
        help="check only this page (areas/health), folder (areas) or notebook (repeatable)",
    )
    p.add_argument(
        "--jobs", type=int, default=None, help="notebooks run at once (default: the cores + 1)"
    )
    p.set_defaults(func=_cmd_verify)
    _add_forms_commands(sub)
    return parser


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is so that it stops as on Ctrl-C."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated()


def _os_error(exc: OSError) -> str:
    where = f": {exc.filename}" if exc.filename else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"the disk is full{where}; free some space and run again"
    if isinstance(exc, PermissionError) or exc.errno == errno.EROFS:
        return f"permission denied{where}; choose a folder you can write to"
    return f"{exc.strerror or exc}{where}"


def _run_command(args: argparse.Namespace) -> int:
    """Run the sub-command; every error becomes one line on stderr and an exit status."""
    try:
        return args.func(args)
    except LublinDiagnosisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except _Terminated:
        print(
            "terminated: the run was stopped; earlier outputs were left as they were",
            file=sys.stderr,
        )
        return 143
    except KeyboardInterrupt:
        print(
            "interrupted: the run was stopped; earlier outputs were left as they were",
            file=sys.stderr,
        )
        return 130
    except BrokenPipeError:  # the reader of our output went away (| head)
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), sys.stdout.fileno())
        return 141
    except OSError as exc:
        print(f"error: {_os_error(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:
        if os.environ.get("LUBLIN_DIAGNOSIS_DEBUG"):
            raise
        text = str(exc).splitlines()[0][:300] if str(exc) else ""
        print(
            f"error: unexpected {type(exc).__name__}: {text} (a bug: please report it; "
            f"LUBLIN_DIAGNOSIS_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``lublin-diagnosis`` command; returns the exit status."""
    args = build_parser().parse_args(argv)
    previous = None
    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread (an embedding program): leave it be
        pass
    try:
        return _run_command(args)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
