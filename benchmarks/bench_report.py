"""Time a report run's stages, from a cold and from a warm run cache.

    .venv/bin/python benchmarks/bench_report.py                    # demo, both languages
    .venv/bin/python benchmarks/bench_report.py --verify           # also verify (full, --only)
    .venv/bin/python benchmarks/bench_report.py --lang pl --jobs 1 --warm 2
    .venv/bin/python benchmarks/bench_report.py --out /tmp/x --no-parts --locale-edit

Each run is the ``lublin-diagnosis run`` command in a new process (so its wall time
includes starting Python and importing the package), into a folder of this benchmark's
own (``--out``, default a new temporary folder, removed at the end). The first run is
**cold** (a new output folder: no run cache); the next ``--warm`` runs go into the same
folder with unchanged inputs. Stages come from each run's ``manifest.json``
(``timing.stages``): ``environment`` (the run's set-up), ``validation`` (loading and
validating the data), ``plan`` (the jobs, the run cache), ``notebooks`` (executing or
copying every notebook, rendering its page as soon as it ran: wall time), ``pages`` (of
which rendering and parsing for the PDFs, summed over the workers), ``finish`` (wall
time after the last notebook: the landing page and what of the last steps is left),
``pdf`` (report PDFs, letters), ``workbook`` (XLSX workbooks and data packages) and
``cards`` (each summed over its threads: a language's PDFs and workbook start as soon as
its last notebook ran, the cards once the factsheets ran, so most of them overlap the
notebooks). Measured apart, once:
``imports`` (a new Python importing the pipeline), ``kernel start`` (one Jupyter kernel
started and answering) and ``computation`` (the scorecard with its bootstrap replicates
and sensitivity draws, as the notebooks compute it once per run).

``--locale-edit`` adds a run after appending a comment line to the Polish locale file
(``lublin_diagnosis/report/locales/pl.yml``, restored afterwards): a locale edit that
changes no text, so no notebook is executed again; the Polish pages, PDFs and workbook
are rendered again. ``--text-edit KEY`` adds a run after changing one Polish text
(``legal.intro``): only the notebooks that read that text are executed again (the run
cache keeps the texts each notebook read). ``--no-cold`` with ``--out`` of an earlier run
keeps its cache (warm runs only).

The machine's load average is printed with every figure: on a shared machine the wall
times follow the load (the CPU seconds of the run process and its kernels less so).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _command(*args: str) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run the CLI in a new process: (wall seconds, CPU seconds of it and its kernels)."""
    cpu = _cpu_children()
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", "from lublin_diagnosis.cli import main; main()", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return time.perf_counter() - start, _cpu_children() - cpu, done


def _imports() -> float:
    code = "import time; t = time.perf_counter(); import lublin_diagnosis.pipeline.run; "
    code += "import papermill, nbconvert, pandas; print(time.perf_counter() - t)"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    return float(done.stdout.strip())


def _kernel_start() -> float:
    from lublin_diagnosis.pipeline.kernels import KernelSlot

    folder = Path(tempfile.mkdtemp(prefix="bench-kernel-"))
    slot = KernelSlot(cwd=folder, log=folder / "kernel.log")
    try:
        start = time.perf_counter()
        slot.acquire()
        return time.perf_counter() - start
    finally:
        slot.shutdown()
        shutil.rmtree(folder, ignore_errors=True)


def _computation(data: Path) -> float:
    from lublin_diagnosis.data.validation import load_dataset
    from lublin_diagnosis.pipeline.cache import scorecard_tables

    dataset = load_dataset(data)
    start = time.perf_counter()
    scorecard_tables(dataset, replicates=200, seed=2023, sensitivity_draws=200)
    return time.perf_counter() - start


def _run(label: str, out: Path, args: argparse.Namespace) -> dict:
    load = _load()
    extra = ["--jobs", str(args.jobs)] if args.jobs else []
    wall, cpu, done = _command(
        "run", "--data", str(args.data), "--out", str(out), "--lang", args.lang, "--quiet", *extra
    )
    if done.returncode:
        raise SystemExit(f"{label} run failed:\n{done.stderr}")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    timing = manifest["timing"]
    cached = sum(bool(n.get("cached")) for n in manifest["notebooks"])
    return {
        "run": label,
        "wall": wall,
        "cpu": cpu,
        "load": load,
        "notebooks": len(manifest["notebooks"]),
        "cached": cached,
        "cache": timing.get("cache", {}),
        "stages": timing.get("stages", {}),
        "jobs": manifest["jobs"],
    }


def _verify(out: Path, only: list[str]) -> dict:
    load = _load()
    extra = [a for o in only for a in ("--only", o)]
    wall, cpu, done = _command("verify", str(out), *extra)
    verdict = done.stdout.strip().splitlines()[0] if done.stdout.strip() else done.stderr
    return {"what": "verify " + " ".join(extra), "wall": wall, "cpu": cpu, "load": load,
            "ok": done.returncode == 0, "verdict": verdict[-160:]}  # fmt: skip


def _text_edited(key: str, out: Path, args: argparse.Namespace) -> dict:
    """A run after changing the value of the Polish text ``key`` (the file restored after)."""
    import yaml

    pl = ROOT / "lublin_diagnosis" / "report" / "locales" / "pl.yml"
    text = pl.read_bytes()
    tree = yaml.safe_load(text)
    node = tree
    *parents, leaf = key.split(".")
    for part in parents:
        node = node[part]
    node[leaf] = f"{node[leaf]} (edited)"
    try:
        pl.write_text(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return _run(f"pl text {key} edited", out, args)
    finally:
        pl.write_bytes(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "demo")
    parser.add_argument("--out", type=Path, help="output folder (default: a temporary one)")
    parser.add_argument("--lang", default="both", choices=["pl", "en", "both"])
    parser.add_argument("--jobs", type=int, help="default: the run's (the cores available)")
    parser.add_argument("--warm", type=int, default=1, help="warm runs after the cold one")
    parser.add_argument("--verify", action="store_true", help="also time verify and --only")
    parser.add_argument("--no-parts", action="store_true", help="skip imports/kernel/scorecard")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--locale-edit", action="store_true", help="a run after a locale edit")
    parser.add_argument(
        "--text-edit", metavar="KEY", help="a run after editing the Polish text KEY (legal.intro)"
    )
    parser.add_argument("--no-cold", action="store_true", help="keep the cache of --out")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    print(f"machine: {os.cpu_count()} cores, load average {_load()} (1/5/15 min)")
    parts = {}
    if not args.no_parts:
        parts = {
            "imports": (_imports(), _load()),
            "kernel start": (_kernel_start(), _load()),
            "computation": (_computation(args.data), _load()),
        }
        for name, (seconds, load) in parts.items():
            print(f"{name:>14}: {seconds:7.2f} s  (load {load})")
    own = args.out is None
    base = Path(tempfile.mkdtemp(prefix="bench-report-")) if own else None
    out = base / "out" if base is not None else args.out
    if not own and out.exists() and not args.no_cold:
        shutil.rmtree(out / ".cache", ignore_errors=True)  # cold: no run cache
    results = []
    try:
        if not args.no_cold:
            results.append(_run("cold", out, args))
        for k in range(args.warm):
            results.append(_run(f"warm {k + 1}", out, args))
        if args.locale_edit:
            pl = ROOT / "lublin_diagnosis" / "report" / "locales" / "pl.yml"
            text = pl.read_bytes()
            try:
                pl.write_bytes(text + b"\n# bench_report: a locale edit\n")
                results.append(_run("pl locale edited", out, args))
            finally:
                pl.write_bytes(text)
        if args.text_edit:
            results.append(_text_edited(args.text_edit, out, args))
        checks = []
        if args.verify:
            checks = [_verify(out, []), _verify(out, ["areas/health"])]
    finally:
        if base is not None:
            shutil.rmtree(base, ignore_errors=True)
    names = [
        "environment",
        "validation",
        "plan",
        "notebooks",
        "pages",
        "finish",
        "pdf",
        "workbook",
        "cards",
    ]
    print()
    print("| run | wall s | CPU s | notebooks run / copied | " + " | ".join(names) + " | load |")
    print("|---|---:|---:|---:|" + "---:|" * len(names) + "---|")
    for r in results:
        cells = " | ".join(f"{r['stages'].get(n, 0):.1f}" for n in names)
        print(
            f"| {r['run']} | {r['wall']:.1f} | {r['cpu']:.1f} | "
            f"{r['notebooks'] - r['cached']} / {r['cached']} | {cells} | {r['load']} |"
        )
    for c in checks:
        print(f"{c['what']}: {c['wall']:.1f} s wall, {c['cpu']:.1f} s CPU, load {c['load']}; "
              f"{c['verdict']}")  # fmt: skip
    if args.json:
        figures = {"parts": parts, "runs": results, "checks": checks, "cores": os.cpu_count()}
        args.json.write_text(json.dumps(figures, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
