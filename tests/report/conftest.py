"""The injected run shared by the output-safety tests, the PDF tests and the page guard: a
copy of the demo data and of the builtin framework whose every text field starts with
:data:`PAYLOAD`, run through the whole plan (every notebook of ``PLAN``, so a page another
step adds is guarded too) in both languages, kept small: one area, one institution, 20
replicates and sensitivity draws."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
import yaml

from support import DEMO, build_once

#: HTML, event-handler, JavaScript-URL, Markdown-link, Markdown-image and spreadsheet-formula
#: tricks in one string, put in front of every text field.
PAYLOAD = (
    '=HYPERLINK("http://x.invalid","y") <script>alert(1)</script>'
    "<img src=x onerror=alert(2)> [x](javascript:alert(3)) ![i](javascript:alert(4)) "
    '<a href="javascript:alert(5)">a</a> @SUM(A1) '
)
#: Free-text columns of the input files (codes are left alone: they must validate).
TEXT_COLUMNS = {
    "institutions.csv": ["name_pl", "name_en"],
    "admin.csv": ["source"],
    "margins.csv": ["source", "source_pl"],
    "rounds.csv": ["source", "source_pl"],
    "recommendations.csv": ["text_pl", "text_en", "responsible_unit", "legal_basis"],
    "recommendation_opinions.csv": ["comment_pl", "comment_en"],
    "replies.csv": ["summary_pl", "summary_en", "document_ref"],
    "events.csv": ["place", "campaign", "outputs"],
}
SMALL = {
    "replicates": 20,
    "sensitivity_draws": 20,
    "areas": ["health"],
    "institutions": ["city_hall"],
}


def _inject_labels(node):
    """Every ``pl``/``en`` text of a YAML tree (labels, names, descriptions) with PAYLOAD."""
    if isinstance(node, dict):
        return {
            key: PAYLOAD + value
            if key in ("pl", "en") and isinstance(value, str)
            else _inject_labels(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_inject_labels(v) for v in node]
    return node


def inject(target: Path) -> Path:
    """Copy the demo data to ``target`` with PAYLOAD in every text field."""
    shutil.copytree(DEMO, target)
    for name, columns in TEXT_COLUMNS.items():
        frame = pd.read_csv(target / name, dtype=str, keep_default_na=False)
        for col in columns:
            frame[col] = [PAYLOAD + v if v else v for v in frame[col]]
        frame.to_csv(target / name, index=False)
    codebook = yaml.safe_load((target / "codebook.yml").read_text("utf-8"))
    (target / "codebook.yml").write_text(
        yaml.safe_dump(_inject_labels(codebook), allow_unicode=True), "utf-8"
    )
    builtin = resources.files("lublin_diagnosis.framework").joinpath("builtin/lublin-14.yml")
    framework = yaml.safe_load(builtin.read_text("utf-8"))
    (target / "framework.yml").write_text(
        yaml.safe_dump(_inject_labels(framework), allow_unicode=True, sort_keys=False), "utf-8"
    )
    meta = yaml.safe_load((target / "dataset.yml").read_text("utf-8"))
    meta["framework"] = str(target / "framework.yml")  # absolute: expand_plan needs it
    meta["title"] = PAYLOAD + meta["title"]
    meta["description"] = {k: PAYLOAD + v for k, v in meta["description"].items()}
    (target / "dataset.yml").write_text(yaml.safe_dump(meta, allow_unicode=True), "utf-8")
    return target


@pytest.fixture(scope="session")
def payload() -> str:
    return PAYLOAD


@pytest.fixture(scope="session")
def injected_run(tmp_path_factory, worker_id) -> Path:
    """The output folder of a small run of the whole plan in both languages on the injected
    data (built once per test session, even when the files using it run on different
    xdist workers)."""
    from lublin_diagnosis.pipeline.plan import PLAN
    from lublin_diagnosis.pipeline.run import run_pipeline

    def build(base: Path) -> None:
        data = inject(base / "data")
        run_pipeline(
            data_dir=data,
            out_dir=base / "out",
            params=SMALL,
            lang="both",
            jobs=2,
            progress=False,
            plan=PLAN,
        )

    return build_once(tmp_path_factory, worker_id, "injected", build) / "out"
