"""Benchmark of the survey engine against the targets of the survey-engine issue.

    python benchmarks/bench_survey.py [--sizes 10000 100000 1000000] [--replicates 200]
                                      [--no-r] [--repeat 5] [--ten-million]

Generated data: four categorical margins with 2, 6, 8 and 27 levels, 5 strata, about n/20
clusters nested in strata, a numeric and a binary outcome; the sample is skewed against the
margins so raking has work to do. Each operation is timed (best of ``--repeat`` runs) and
its peak memory measured with tracemalloc (numpy allocations included). Every operation
has a plain numpy reference (``numpy_reference.py``), timed interleaved with the engine
(engine, reference, engine, ...) so that both see the same load, and the ratio of the
best times is printed; the machine's load average (``os.getloadavg``) is recorded with
every line, since on a shared machine the absolute times follow the load. When ``Rscript``
with the ``survey`` package is on the PATH, R runs the same operations on the same data in
the same run and the ratio is printed.

The figures are recorded in ``benchmarks/README.md``. This is not a test: timings depend on
the machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import lublin_diagnosis as ld

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy_reference as ref

LEVELS = {"m2": 2, "m6": 6, "m8": 8, "m27": 27}


def make_data(n: int, seed: int = 42, shuffled: bool = False) -> tuple[pd.DataFrame, dict]:
    rng = np.random.default_rng(seed)
    n_clusters = max(n // 20, 10)
    stratum_of_cluster = np.sort(rng.integers(0, 5, n_clusters))
    cluster = np.sort(rng.integers(0, n_clusters, n))
    data = {"stratum": stratum_of_cluster[cluster], "psu": cluster}
    margins = {}
    for name, k in LEVELS.items():
        # population shares, and a sample skewed away from them
        pop_share = rng.dirichlet(np.full(k, 5.0))
        tilt = np.exp(rng.normal(0, 0.4, k))
        samp_share = pop_share * tilt / (pop_share * tilt).sum()
        data[name] = rng.choice(k, n, p=samp_share).astype(np.int64)
        margins[name] = {str(i): float(s * 1e7) for i, s in enumerate(pop_share)}
    frame = pd.DataFrame(data)
    for name in LEVELS:
        frame[name] = pd.Categorical.from_codes(
            frame[name].to_numpy(), [str(i) for i in range(LEVELS[name])]
        )
    frame["w"] = 1e7 / n * np.exp(rng.normal(0, 0.2, n))
    frame["y"] = (
        50
        + 3 * frame["m6"].cat.codes
        + rng.normal(0, 10, n)
        + rng.normal(0, 3, n_clusters)[cluster]
    )
    frame["b"] = (rng.random(n) < 0.3 + 0.01 * frame["m27"].cat.codes).astype(float)
    if shuffled:  # rows in random order instead of sorted by stratum and cluster
        frame = frame.iloc[rng.permutation(n)].reset_index(drop=True)
    return frame, margins


def timed(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def peak_mib(fn) -> float:
    """tracemalloc's peak (numpy allocations included) of one run, in MiB."""
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


SHORT = 0.25  # seconds: operations faster than this are repeated SHORT_REPEAT times
SHORT_REPEAT = 20


def load_average() -> float:
    """The machine's 1-minute load average (runnable processes, all users)."""
    return os.getloadavg()[0]


def measure_pair(engine, reference, repeat: int, memory: bool = True):
    """Best-of-``repeat`` times (``SHORT_REPEAT`` when engine and reference both take
    under ``SHORT`` seconds) of the engine and its numpy reference, run interleaved
    (engine, reference, engine, ...) so that both see the same load; then the peak
    memory of one more run of the engine (untimed: tracemalloc slows allocations), and
    the highest 1-minute load average seen while timing."""
    t_engine, t_ref = np.inf, None
    load = load_average()
    done = 0
    # short operations get more runs (up to SHORT_REPEAT): under load, the best of five
    # runs of a 50 ms operation is still mostly luck
    while done < repeat or (
        done < SHORT_REPEAT and t_engine < SHORT and (t_ref is None or t_ref < SHORT)
    ):
        t_engine = min(t_engine, timed(engine)[0])
        if reference is not None:
            t = timed(reference)[0]
            t_ref = t if t_ref is None else min(t_ref, t)
        load = max(load, load_average())
        done += 1
    return t_engine, (peak_mib(engine) if memory else None), t_ref, load


R_SCRIPT = r"""
suppressMessages(library(survey))
args <- commandArgs(TRUE); f <- args[1]; reps <- as.integer(args[2]); do_boot <- args[3] == "1"
d <- read.csv(f)
for (v in c("m2", "m6", "m8", "m27")) d[[v]] <- factor(d[[v]])
pop <- read.csv(sub("data", "margins", f))
tm <- function(label, expr) { t <- system.time(expr)[["elapsed"]]; cat(label, t, "\n"); flush(stdout()) }
tm("design", des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = d))
pm <- lapply(c("m2", "m6", "m8", "m27"), function(v) { p <- pop[pop$variable == v, ]; x <- data.frame(factor(p$category), p$count); names(x) <- c(v, "Freq"); x })
tm("rake", rk <- rake(des, list(~m2, ~m6, ~m8, ~m27), pm))
popv <- c(sum(pm[[1]]$Freq)); for (p in pm) popv <- c(popv, p$Freq[-1])
tm("calibrate", cl <- calibrate(des, ~m2 + m6 + m8 + m27, population = popv))
tm("taylor_mean_prop", { svymean(~y, des); svymean(~b, des) })
tm("domain27", svyby(~y, ~m27, des, svymean))
if (do_boot) {
  tm("boot_create", bd <- as.svrepdesign(des, type = "bootstrap", replicates = reps))
  tm("boot_rake_mean", { br <- rake(bd, list(~m2, ~m6, ~m8, ~m27), pm); svymean(~y, br) })
}
"""


def run_r(frame: pd.DataFrame, margins: dict, replicates: int, do_boot: bool) -> dict[str, float]:
    if shutil.which("Rscript") is None:
        return {}
    check = subprocess.run(["Rscript", "-e", "library(survey)"], capture_output=True)
    if check.returncode != 0:
        return {}
    with tempfile.TemporaryDirectory() as tmp:
        data_path = Path(tmp) / "data.csv"
        frame.assign(**{k: frame[k].cat.codes for k in LEVELS}).to_csv(data_path, index=False)
        pd.DataFrame(
            [(v, c, n) for v, cats in margins.items() for c, n in cats.items()],
            columns=["variable", "category", "count"],
        ).to_csv(Path(tmp) / "margins.csv", index=False)
        script = Path(tmp) / "bench.R"
        script.write_text(R_SCRIPT)
        out = subprocess.run(
            ["Rscript", str(script), str(data_path), str(replicates), "1" if do_boot else "0"],
            capture_output=True,
            text=True,
        )
    times = {}
    for line in out.stdout.splitlines():
        parts = line.split()
        if len(parts) == 2:
            times[parts[0]] = float(parts[1])
    if out.returncode != 0:
        print("R failed:", out.stderr[-500:], file=sys.stderr)
    return times


def operations(frame: pd.DataFrame, margins: dict, replicates: int, scale: bool) -> list[tuple]:
    """(label, engine, numpy reference, R key) of every benchmarked operation."""
    design = ld.SurveyDesign(frame, ids="psu", strata="stratum", weights="w")
    raked = design.rake(margins)
    y_total = float(frame["y"].to_numpy() @ frame["w"].to_numpy()) * 1.02

    def taylor():
        d = ld.SurveyDesign(frame, ids="psu", strata="stratum", weights="w")
        return d.mean("y"), d.mean("b")

    def boot():
        rep = design.replicate("bootstrap", replicates=replicates, seed=1)
        return rep.rake(margins).mean("y")

    ops = [
        ("rake 4 margins", lambda: design.rake(margins), lambda: ref.rake(frame, margins), "rake"),
        (
            "Taylor SE mean + proportion (with design set-up)",
            taylor,
            lambda: ref.taylor_mean_prop(frame),
            "design+taylor_mean_prop",
        ),
        (
            "27 domain means with SEs",
            lambda: design.mean("y", by="m27"),
            lambda: ref.domain_means(frame),
            "domain27",
        ),
    ]
    if not scale:
        ops += [
            (
                "27 domain means with SEs, raked design",
                lambda: raked.mean("y", by="m27"),
                None,
                None,
            ),
            (
                "calibrate linear (GREG), 4 margins",
                lambda: design.calibrate(margins),
                lambda: ref.greg(frame, margins),
                "calibrate",
            ),
            (
                "calibrate linear, 4 margins + numeric total",
                lambda: design.calibrate({**margins, "y": y_total}),
                lambda: ref.greg(frame, margins, {"y": y_total}),
                None,
            ),
            (
                "calibrate raking, 4 margins",
                lambda: design.calibrate(margins, calfun="raking"),
                None,
                None,
            ),
            (
                "calibrate logit, bounds (0.1, 10), 4 margins",
                lambda: design.calibrate(margins, calfun="logit", bounds=(0.1, 10.0)),
                None,
                None,
            ),
        ]
    ops.append(
        (
            f"{replicates} bootstrap replicates, each raked, mean SE",
            boot,
            lambda: ref.bootstrap_raked_mean(frame, margins, replicates),
            "boot_create+boot_rake_mean",
        )
    )
    return ops


def _fmt(value, spec: str, width: int) -> str:
    return f"{value:{width}{spec}}" if value is not None else f"{'-':>{width}}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument(
        "--rows",
        type=int,
        default=None,
        help="also run rake, Taylor, domains and the bootstrap at this size (e.g. 10000000), "
        "once, with the process's peak resident memory",
    )
    parser.add_argument(
        "--ten-million",
        action="store_true",
        help="also run rake, Taylor, domains and the bootstrap at 10,000,000 rows "
        "(same as --rows 10000000)",
    )
    parser.add_argument(
        "--shuffled",
        action="store_true",
        help="rows in random order (the generated data is sorted by stratum and cluster, "
        "as survey files usually are)",
    )
    parser.add_argument(
        "--only", default=None, help="time only the operations whose label contains this text"
    )
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-r", action="store_true", help="do not time R")
    parser.add_argument(
        "--r-boot", action="store_true", help="also time R's bootstrap (minutes at 1M rows)"
    )
    args = parser.parse_args(argv)
    if args.ten_million and args.rows is None:
        args.rows = 10_000_000
    start = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
    print(
        f"started {start} UTC, load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())}"
        f" (1/5/15 min), {os.cpu_count()} cores, nice {os.nice(0)}, "
        f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}",
        file=sys.stderr,
    )
    rows = []
    sizes = [(n, False) for n in args.sizes] + ([(args.rows, True)] if args.rows else [])
    for n, scale in sizes:
        frame, margins = make_data(n, shuffled=args.shuffled)
        repeat = 1 if scale else args.repeat
        for label, engine, reference, rkey in operations(frame, margins, args.replicates, scale):
            if args.only and args.only not in label:
                continue
            if scale and "bootstrap" in label:
                reference = None  # the reference's 200 passes over 10M rows take minutes
            t, mem, t_ref, load = measure_pair(engine, reference, repeat, memory=not scale)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB -> GiB
            rows.append((label, n, t, mem, t_ref, rkey, rss if scale else None, load))
            print(f"  {label} n={n:,}: {t:.3f} s (load {load:.1f})", file=sys.stderr)
        del frame
    r_times = {}
    if not args.no_r:
        big = max(args.sizes)
        frame, margins = make_data(big)
        print(f"timing R survey on n = {big:,} (this takes a while) ...", file=sys.stderr)
        r_times = run_r(frame, margins, args.replicates, args.r_boot)
    print(
        f"{'operation':<52} {'n':>10} {'seconds':>8} {'peak MiB':>8} {'numpy s':>8} "
        f"{'/numpy':>7} {'R s':>7} {'RSS GiB':>7} {'load':>5}"
    )
    for label, n, t, mem, t_ref, rkey, rss, load in rows:
        r = None
        if rkey and n == max(args.sizes) and r_times:
            keys = rkey.split("+")
            if all(k in r_times for k in keys):
                r = sum(r_times[k] for k in keys)
        ratio = t / t_ref if t_ref else None
        print(
            f"{label:<52} {n:>10,} {t:8.3f} {_fmt(mem, '.0f', 8)} {_fmt(t_ref, '.3f', 8)} "
            f"{_fmt(ratio, '.2f', 6)}x {_fmt(r, '.2f', 7)} {_fmt(rss, '.2f', 7)} {load:5.1f}"
        )
    end = time.strftime("%H:%M:%S", time.gmtime())
    print(f"finished {end} UTC, load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if r_times:
        print("R timings (s):", ", ".join(f"{k} {v:.2f}" for k, v in r_times.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
