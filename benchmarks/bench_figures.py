"""CPU seconds of publishing figures: before (``savefig(bbox_inches="tight")`` per file) and
after (one layout, one drawing per file), in one run, interleaved.

    .venv/bin/python benchmarks/bench_figures.py                      # health, 5 repeats
    .venv/bin/python benchmarks/bench_figures.py --areas health,housing --repeat 3
    .venv/bin/python benchmarks/bench_figures.py --cache-dir outputs/demo/.cache --replicates 200

**Area figures.** The area notebook (``10_area``) is executed once per area (its code
cells, in this process, into a temporary folder) and every figure it publishes is kept
(pickled before it is saved). Each repeat then publishes fresh copies of them twice:

* *before*: what :meth:`~lublin_diagnosis.report.publish.Publisher.figure` did until
  issue 17: PNG then SVG, each ``savefig(bbox_inches="tight", pad_inches=0.1)`` (a drawing
  to measure, one to print, and the constrained layout each time), the texts-outside check
  after the PNG and, when a title had to be wrapped, the PNG saved again;
* *after*: :meth:`Publisher.figure` as it is now (:func:`~lublin_diagnosis.report.plots.freeze_layout`:
  one drawing without output, then one drawing per file; PNG by
  :func:`~lublin_diagnosis.report.plots.png_bytes`).

**Factsheets.** Every area's factsheet figure
(:func:`~lublin_diagnosis.advocacy.factsheets.factsheet_figure`), saved as PNG (200 dpi)
and PDF: *before* ``savefig(png)`` (RGBA, zlib 6), *after*
:func:`~lublin_diagnosis.report.plots.png_bytes` (RGB, zlib 3); the PDF is the same in both.

Times are CPU seconds of this process (``time.process_time``), summed over the figures,
best of ``--repeat``; before and after alternate (before, after, before, ...) so both see
the same load. The PNGs of both are compared: same size in pixels, share of pixels that
differ (a title wrapped at another width moves a few). The scorecard is computed once
(``--replicates`` bootstrap replicates, 20 by default: the figures do not depend on it)
or read from ``--cache-dir`` (a run's ``.cache``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lublin_diagnosis.report import plots, publish  # noqa: E402


def _notebook_cells(name: str) -> list[str]:
    path = ROOT / "lublin_diagnosis" / "notebooks" / f"{name}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def area_figures(area: str, params: dict) -> tuple[list[tuple[str, bytes]], object]:
    """Execute the area notebook; the pickled figures it publishes, and its scorecard."""
    kept: list[tuple[str, bytes]] = []
    real = publish.Publisher.figure

    def keep(self, fig, name, *, title):
        kept.append((name, pickle.dumps(fig)))
        return real(self, fig, name, title=title)

    cells = _notebook_cells("10_area")
    ns: dict = {}
    exec(cells[0], ns)  # the parameters cell
    ns.update(params, area=area)
    publish.Publisher.figure = keep
    try:
        with open(os.devnull, "w") as null, contextlib.redirect_stdout(null):
            for src in cells[1:]:
                exec(compile(src, f"10_area[{area}]", "exec"), ns)
    finally:
        publish.Publisher.figure = real
    return kept, ns["card"]


def publish_before(fig, out: Path, name: str) -> bytes:
    """Publisher.figure until issue 17 (two drawings per file, layout each time)."""
    png = b""
    with matplotlib.rc_context({"svg.hashsalt": "lublin-diagnosis"}):
        for ext, meta in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):

            def saved(ext=ext, meta=meta):
                buf = io.BytesIO()
                fig.savefig(
                    buf,
                    format=ext,
                    dpi=150,
                    metadata=meta,
                    bbox_inches="tight",
                    pad_inches=0.1,
                )
                return buf.getvalue()

            data = saved()
            if ext == "png":
                outside = plots.texts_outside(fig, draw=False)
                if outside and plots.fit_titles(fig):
                    data = saved()
                    plots.texts_outside(fig, draw=False)
                png = data
            (out / f"{name}.{ext}").write_bytes(data)
    plt.close(fig)
    return png


def publish_after(fig, out: Path, name: str) -> bytes:
    """Publisher.figure as it is now."""
    pub = publish.Publisher(out, lang="pl", notebook="bench")
    return pub.figure(fig, name, title=name).png


def factsheet_before(fig, out: Path, name: str) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=200, metadata={"Software": None})
    (out / f"{name}.png").write_bytes(buf.getvalue())
    fig.savefig(
        out / f"{name}.pdf", metadata={"Creator": None, "Producer": None, "CreationDate": None}
    )
    plt.close(fig)
    return buf.getvalue()


def factsheet_after(fig, out: Path, name: str) -> bytes:
    data = plots.png_bytes(fig, dpi=200)
    (out / f"{name}.png").write_bytes(data)
    fig.savefig(
        out / f"{name}.pdf", metadata={"Creator": None, "Producer": None, "CreationDate": None}
    )
    plt.close(fig)
    return data


def _cpu(fn, figures, out: Path) -> tuple[float, list[bytes], int]:
    """CPU seconds of ``fn`` over fresh figures (building them is not timed)."""
    total, pngs, size = 0.0, [], 0
    for k, (name, make) in enumerate(figures):
        fig = make()
        start = time.process_time()
        png = fn(fig, out, f"{name}-{k}")
        total += time.process_time() - start
        pngs.append(png)
        size += len(png)
    return total, pngs, size


def _compare(before: list[bytes], after: list[bytes]) -> str:
    same, moved = 0, []
    for a, b in zip(before, after, strict=True):
        ia = np.asarray(Image.open(io.BytesIO(a)).convert("RGB"), dtype=int)
        ib = np.asarray(Image.open(io.BytesIO(b)).convert("RGB"), dtype=int)
        if ia.shape == ib.shape:
            same += 1
            moved.append(float((np.abs(ia - ib).sum(-1) > 30).mean()))
    worst = f", pixels differing: at most {max(moved):.2%}" if moved else ""
    return f"same size {same}/{len(before)}{worst}"


def _row(label: str, times: dict, sizes: dict, n: int, note: str) -> str:
    b, a = min(times["before"]), min(times["after"])
    return (
        f"| {label} | {n} | {b:.2f} | {a:.2f} | {b / a:.2f}× | "
        f"{sizes['before'] / 1e3:,.0f} | {sizes['after'] / 1e3:,.0f} | {note} |"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(ROOT / "data" / "demo"))
    parser.add_argument("--areas", default="health", help="comma-separated area ids")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--replicates", type=int, default=20)
    parser.add_argument("--cache-dir", default="", help="a run's .cache (scorecard read from it)")
    parser.add_argument("--no-factsheets", action="store_true")
    args = parser.parse_args(argv)

    from lublin_diagnosis.advocacy.factsheets import factsheet_figure

    with tempfile.TemporaryDirectory(prefix="bench-figures-") as tmp:
        tmp = Path(tmp)
        cache = args.cache_dir or str(tmp / "cache")
        params = {
            "data_dir": args.data,
            "out_dir": str(tmp / "run"),
            "lang": "pl",
            "replicates": args.replicates,
            "cache_dir": cache,
        }
        kept: list[tuple[str, bytes]] = []
        card = None
        for area in args.areas.split(","):
            figs, card = area_figures(area.strip(), params)
            kept += figs
        area_figs = [(name, lambda blob=blob: pickle.loads(blob)) for name, blob in kept]
        fw = card.framework if hasattr(card, "framework") else None
        from lublin_diagnosis.framework.resolver import resolve_framework

        fw = resolve_framework(fw)
        sheet_figs = [
            (area, lambda area=area: factsheet_figure(card, area, lang="pl", framework=fw))
            for area in fw.area_ids
            if area in set(card.areas["area"])
        ]
        suites = [("area figures", area_figs, publish_before, publish_after)]
        if not args.no_factsheets:
            suites.append(("factsheets", sheet_figs, factsheet_before, factsheet_after))
        print(
            f"load {'/'.join(f'{x:.1f}' for x in os.getloadavg())}, "
            f"{args.repeat} repeats, areas {args.areas}"
        )
        print(
            "| figures | n | before CPU s | after CPU s | speed-up | before PNG kB "
            "| after PNG kB | PNGs compared |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---|")
        for label, figures, before, after in suites:
            times: dict = {"before": [], "after": []}
            sizes: dict = {}
            pngs: dict = {}
            for r in range(args.repeat):
                for key, fn in (("before", before), ("after", after)):
                    out = tmp / f"{label}-{key}-{r}"
                    out.mkdir()
                    cpu, pngs[key], sizes[key] = _cpu(fn, figures, out)
                    times[key].append(cpu)
            note = _compare(pngs["before"], pngs["after"])
            print(_row(label, times, sizes, len(figures), note), flush=True)
        print(f"load {'/'.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
