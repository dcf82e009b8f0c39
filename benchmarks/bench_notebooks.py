"""CPU seconds of the notebooks' own work: every job of one language executed in this
process, without kernels, papermill or display, by notebook.

    .venv/bin/python benchmarks/bench_notebooks.py                      # Polish, demo data
    .venv/bin/python benchmarks/bench_notebooks.py --lang en --cache-dir outputs/demo/.cache

This is the floor under a report run: what the notebooks compute, publish (tables as CSV,
figures as PNG and SVG) and print, with none of the pipeline's cost around them (a kernel
per worker, papermill, IPython's display formatting, pages, PDFs, workbooks). Each job's
code cells run in a fresh namespace with its parameters, as in a reused kernel; figures
are closed after each job. The scorecard is read from ``--cache-dir`` (a run's
``.cache``: give one, or the first notebook that reads the scorecard computes it and that
time is counted too). Output goes to a temporary folder, removed at the end.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "demo")
    parser.add_argument("--lang", default="pl", choices=["pl", "en"])
    parser.add_argument("--cache-dir", type=Path, help="a run's .cache (the scorecard)")
    args = parser.parse_args(argv)
    os.environ["LUBLIN_DIAGNOSIS_MEMO_DATASET"] = "1"  # as in a kernel: validated once
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import lublin_diagnosis as ld
    from lublin_diagnosis.pipeline.plan import PLAN, expand_plan

    out = Path(tempfile.mkdtemp(prefix="bench-notebooks-"))
    cache = args.cache_dir or out / ".cache"
    dataset = ld.load_dataset(args.data)
    jobs = expand_plan(PLAN, dataset, {"cache_dir": str(cache)}, [args.lang])
    seconds: collections.Counter[str] = collections.Counter()
    try:
        for job in jobs:
            book = json.loads((ROOT / "notebooks" / f"{job.step.notebook}.ipynb").read_text())
            cells = ["".join(c["source"]) for c in book["cells"] if c["cell_type"] == "code"]
            namespace: dict = {}
            exec(cells[0], namespace)  # the parameters cell
            namespace.update(job.params)
            namespace.update(out_dir=str(out / "run"), data_dir=str(args.data.resolve()))
            started = time.process_time()
            with open(os.devnull, "w") as null, contextlib.redirect_stdout(null):
                for source in cells[1:]:
                    exec(compile(source, job.key, "exec"), namespace)
            plt.close("all")
            seconds[job.step.notebook] += time.process_time() - started
    finally:
        shutil.rmtree(out, ignore_errors=True)
    print(f"{len(jobs)} jobs in {args.lang}, CPU seconds by notebook:")
    for name, value in seconds.most_common():
        print(f"  {name:20s} {value:6.1f}")
    print(f"  {'total':20s} {sum(seconds.values()):6.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
