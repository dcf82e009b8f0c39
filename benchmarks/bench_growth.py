"""How time grows with n: engine and plain numpy reference, best of 3, one process.

    python benchmarks/bench_growth.py [--sizes 1000000 10000000]

Rake, Taylor SE of a mean and a proportion (design set-up included), 27 domain means and
linear calibration on ``bench_survey.make_data(n)``; the numpy reference of each (not for
calibration: its dense model matrix is 3 GB at 10M rows) right after it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy_reference as ref
from bench_survey import make_data

import lublin_diagnosis as ld


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def run_size(n: int) -> None:
    frame, margins = make_data(n)
    design = ld.SurveyDesign(frame, ids="psu", strata="stratum", weights="w")

    def taylor():
        d = ld.SurveyDesign(frame, ids="psu", strata="stratum", weights="w")
        return d.mean("y"), d.mean("b")

    ops = {
        "rake": (lambda: design.rake(margins), lambda: ref.rake(frame, margins)),
        "taylor": (taylor, lambda: ref.taylor_mean_prop(frame)),
        "domains": (lambda: design.mean("y", by="m27"), lambda: ref.domain_means(frame)),
        "calibrate": (lambda: design.calibrate(margins), None),
    }
    for name, (engine, reference) in ops.items():
        t_ref = f"{best_of(reference):9.3f}" if reference is not None else f"{'-':>9}"
        print(f"{name:<10} {n:>11,} {best_of(engine):9.3f} {t_ref}", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    args = parser.parse_args(argv)
    print(f"{'operation':<10} {'n':>11} {'engine s':>9} {'numpy s':>9}")
    for n in args.sizes:
        run_size(n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
