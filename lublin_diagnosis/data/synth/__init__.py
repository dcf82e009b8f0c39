"""Seeded generator of the SYNTHETIC demo dataset.

Everything this module writes is invented. It contains no real person and no finding of
the real 2022-23 monitoring of Lublin's institutions; the population margins are *shaped*
on a handful of public figures (press reports of official data, see ``DOMAIN.md``) but are
not official counts. The data exist to exercise the package end to end: contract
validation, raking to margins, design-based standard errors with a clustered sample, the
14-area scorecard, disclosure control and the bilingual report.

The generator is deterministic byte for byte: every random draw comes from a
``numpy.random.Generator(PCG64([seed, stream]))`` with one stream per input, numbers are
formatted with fixed formats, rows are in a stable order, files use ``\\n`` line endings
and UTF-8 without BOM, and no date depends on "now". The same seed (and the same framework
file) always produces the same bytes; ``tests/test_synth.py`` checks that the committed
``data/demo`` equals a fresh run with seed 2023.

What is built in:

* **A skewed quota/network sample.** About 1,200 respondents in 5 strata (district groups)
  and 60 sampling points (PSUs). Each PSU is a recruitment channel - a university
  dormitory, a Belarusian NGO network, a help point for refugees from Ukraine, a
  workplace or a mixed point - so the sample over-represents students, young people and
  Belarusians and under-represents people aged 45+ and workers on temporary permits,
  relative to the margins. Raking therefore moves estimates visibly.
* **Real intra-cluster correlation.** A PSU random effect enters every outcome (plus an
  item-specific PSU effect), so design effects are well above 1.
* **Plausible relationships from a latent model.** Self-rated Polish and years in Poland
  drive employment, unmet medical need, information access, knowledge of benefits and
  help lines, satisfaction at city hall, Polish friends and belonging; respondents under
  temporary protection (``ukr_protection``) are mostly women, often with children;
  students are young with secondary or tertiary education; perceived discrimination is
  higher among people from Asia, Africa and the Middle East.
* **Universes and item non-response.** Follow-up items are empty outside their universe
  (``unmet_med_need`` only when ``needed_care_12m == '1'``, and so on); 1-5 % item
  non-response coded ``-9`` (refused) / ``-8`` (don't know), more for income.

Public entry point: :func:`write_demo`. The ``make_*`` functions return the tables as
DataFrames of strings, exactly as they are written. One module per input: ``survey``
(and margins), ``codebook``, ``registers`` (institutions, monitoring, admin), ``legal``,
``recommendations``, ``context`` (public figures with their sources, peer-city scores,
rounds, the 2011 retrospective monitoring round and an earlier survey round), ``action``
(the action plan, replies and activity record) and
``readme`` (``dataset.yml`` and ``README.md``); ``_design`` holds
the survey's sampling design and population model, ``_framework`` reads the framework
file and ``_common`` the constants, random streams and writers.
"""

from __future__ import annotations

from pathlib import Path

from lublin_diagnosis.data.synth._common import (
    _FILES,
    DEFAULT_SEED,
    FRAMEWORK_ID,
    N_LEGAL_CASES,
    N_RECOMMENDATIONS,
    N_RESPONDENTS,
    _dump_yaml,
    _write_csv,
    _write_text,
)
from lublin_diagnosis.data.synth._framework import default_framework_path, load_framework_dict
from lublin_diagnosis.data.synth.action import make_action_plan, make_events, make_replies
from lublin_diagnosis.data.synth.campaign import LOGO_SVG, make_pledges
from lublin_diagnosis.data.synth.codebook import make_codebook
from lublin_diagnosis.data.synth.context import (
    make_monitoring_history,
    make_peer_scores,
    make_public,
    make_rounds,
    make_survey_history,
)
from lublin_diagnosis.data.synth.legal import make_legal_cases
from lublin_diagnosis.data.synth.readme import make_dataset_meta, make_readme
from lublin_diagnosis.data.synth.recommendations import make_recommendations
from lublin_diagnosis.data.synth.registers import make_admin, make_institutions, make_monitoring
from lublin_diagnosis.data.synth.survey import make_margins, make_survey

__all__ = [
    "DEFAULT_SEED",
    "FRAMEWORK_ID",
    "N_LEGAL_CASES",
    "N_RECOMMENDATIONS",
    "N_RESPONDENTS",
    "default_framework_path",
    "load_framework_dict",
    "make_action_plan",
    "make_admin",
    "make_codebook",
    "make_dataset_meta",
    "make_events",
    "make_institutions",
    "make_legal_cases",
    "make_margins",
    "make_monitoring",
    "make_monitoring_history",
    "make_peer_scores",
    "make_public",
    "make_readme",
    "make_recommendations",
    "make_rounds",
    "make_replies",
    "make_survey",
    "make_survey_history",
    "write_demo",
]


# --------------------------------------------------------------------------- writer
def write_demo(
    out_dir: str | Path, *, seed: int = DEFAULT_SEED, framework: str | Path | None = None
) -> list[Path]:
    """Write the synthetic demo dataset into ``out_dir``.

    Parameters
    ----------
    out_dir : str or Path
        Target directory (created if needed; existing files of the same names are
        overwritten, other files are left alone).
    seed : int
        Seed of the random generator; the same seed and framework give byte-identical
        files.
    framework : str or Path, optional
        Framework file the monitoring, admin and recommendation tables are built from;
        default the packaged ``lublin-14``.

    Returns
    -------
    list of Path
        The files written, in a fixed order.

    Raises
    ------
    FileNotFoundError
        If the framework file does not exist.
    """
    out = Path(out_dir)
    fw = load_framework_dict(framework)
    out.mkdir(parents=True, exist_ok=True)

    survey = make_survey(seed)
    margins = make_margins()
    institutions = make_institutions(fw)
    monitoring = make_monitoring(institutions, fw, seed)
    admin = make_admin(institutions, fw, seed)
    legal = make_legal_cases(seed)
    recs, opinions, status = make_recommendations(monitoring, institutions, fw, seed)
    recs = make_action_plan(recs, institutions, seed)

    tables = {
        "survey": survey,
        "margins": margins,
        "institutions": institutions,
        "monitoring": monitoring,
        "admin": admin,
        "legal_cases": legal,
        "recommendations": recs,
        "opinions": opinions,
        "status": status,
        "rounds": make_rounds(),
        "monitoring_history": make_monitoring_history(monitoring, fw, seed),
        "survey_history": make_survey_history(seed),
        "public": make_public(seed),
        "peer_scores": make_peer_scores(fw, seed),
        "replies": make_replies(recs, status, seed),
        "events": make_events(institutions, seed),
        "pledges": make_pledges(recs, institutions, seed),
    }
    paths = [_write_text(_dump_yaml(make_dataset_meta(seed)), out / "dataset.yml")]
    header = f"# SYNTHETIC demo codebook, written by lublin_diagnosis.write_demo (seed {seed}).\n"
    paths.append(_write_text(header + _dump_yaml(make_codebook()), out / _FILES["codebook"]))
    for key, df in tables.items():
        paths.append(_write_csv(df, out / _FILES[key]))
    (out / "logos").mkdir(exist_ok=True)
    paths.append(_write_text(LOGO_SVG, out / "logos" / "placeholder-logo.svg"))
    counts = {k: len(v) for k, v in tables.items()}
    paths.append(_write_text(make_readme(seed, counts), out / "README.md"))
    return paths
