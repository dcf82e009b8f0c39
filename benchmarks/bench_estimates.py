"""Timings of issue 12's estimate objects and tests on 1,000,000 rows (27 domains).

    python benchmarks/bench_estimates.py [--n 1000000] [--repeat 3]

Uses ``make_data`` of ``bench_survey.py`` (5 strata, ~n/20 clusters, a 27-level domain
variable) and prints the best of ``--repeat`` runs of: the 27 domain means, a contrast
matrix (26 differences with the first domain) and the Wald test on them, the same
including the estimation, a two-group and a one-sample t-test, a 6 × 8 cross-table with
cell SEs and 27 domain variances. Not a test: timings depend on the machine's load.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench_survey import make_data

import lublin_diagnosis as ld


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    frame, _ = make_data(args.n)
    d = ld.SurveyDesign(frame, ids="psu", strata="stratum", weights="w")
    est = d.mean("y", by="m27")
    c = np.hstack([-np.ones((26, 1)), np.eye(26)])
    rows = [
        ("27 domain means", lambda: d.mean("y", by="m27")),
        ("contrasts (26 × 27) + Wald test", lambda: (est.contrast(c), est.wald_test())),
        (
            "27 domain means + contrasts + Wald",
            lambda: (lambda e: (e.contrast(c), e.wald_test()))(d.mean("y", by="m27")),
        ),
        ("t-test, two groups", lambda: d.ttest("y", "m2")),
        ("t-test, one sample", lambda: d.ttest("y", mu=50)),
        ("cross-table 6 × 8 with cell SEs", lambda: d.table("m6", "m8")),
        ("variance, 27 domains", lambda: d.variance("y", by="m27")),
    ]
    print(f"n = {args.n:,}")
    for name, fn in rows:
        print(f"{name:<38} {best(fn, args.repeat):8.4f} s")


if __name__ == "__main__":
    main()
