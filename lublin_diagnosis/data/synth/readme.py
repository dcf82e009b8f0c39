"""The demo directory's ``dataset.yml`` and ``README.md``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lublin_diagnosis.data.synth._common import _FILES, DEFAULT_SEED, FRAMEWORK_ID


# --------------------------------------------------------------------------- dataset.yml
def make_dataset_meta(seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """The ``dataset.yml`` mapping: title, synthetic flag, generator, design, files."""
    return {
        "title": "SYNTHETIC demo data – Lublin migrant-integration diagnosis "
        "(invented, not real data)",
        "synthetic": True,
        "description": {
            "pl": "Dane syntetyczne wygenerowane losowo do demonstracji pakietu. Nie "
            "zawierają żadnej prawdziwej osoby ani żadnego wyniku rzeczywistego "
            "monitoringu.",
            "en": "Synthetic data generated at random to demonstrate the package. They "
            "contain no real person and no finding of the real monitoring.",
        },
        "generator": "lublin_diagnosis.write_demo",
        "seed": int(seed),
        "framework": FRAMEWORK_ID,
        "design": {"ids": ["psu"], "strata": "stratum", "weights": "base_weight"},
        "files": {
            "survey": {"path": _FILES["survey"], "encoding": "utf-8", "sep": ",", "decimal": "."},
            **{key: {"path": name} for key, name in _FILES.items() if key != "survey"},
        },
    }


# --------------------------------------------------------------------------- README
def make_readme(seed: int, counts: Mapping[str, int]) -> str:
    """The ``README.md`` of a generated demo directory (deterministic text)."""
    skew = (
        "students, people aged 18-29 and Belarusians (reached through NGO networks) "
        "are over-represented; people aged 45+ and workers on temporary permits are "
        "under-represented"
    )
    lines = [
        "# SYNTHETIC demo data – not real",
        "",
        "**Every file in this directory is synthetic.** It was generated at random by "
        "`lublin_diagnosis.write_demo` to demonstrate the lublin-diagnosis package. "
        "It contains **no real person** and **no finding of the real 2022–2023 monitoring** "
        "of Lublin's institutions; institution names are generic names of institution "
        'types, marked "(synthetic)", and recommendation texts are marked [SYNTHETIC]. '
        "Do not quote any figure from it as a fact about Lublin.",
        "",
        "## Re-create it byte for byte",
        "",
        "```bash",
        f"lublin-diagnosis synth --seed {seed} --out data/demo",
        "# or",
        'python -c "from lublin_diagnosis import write_demo; '
        f"write_demo('data/demo', seed={seed})\"",
        "```",
        "",
        f"Seed: **{seed}**. Random numbers come from numpy's `Generator(PCG64([seed, "
        "stream]))`, one stream per input; numbers are written with fixed formats, rows "
        "in a stable order, UTF-8 with `\\n` line endings, and no date depends on the day "
        "of the run. The monitoring, admin and recommendation tables are built from the "
        "indicators of `lublin_diagnosis/frameworks/lublin-14.yml`, so a change in the "
        "framework changes them (but not the survey). `tests/test_synth.py` checks that "
        "this directory equals a fresh run.",
        "",
        "## Files",
        "",
        "| file | rows | what |",
        "|---|---|---|",
        f"| `survey.csv` | {counts.get('survey', 0)} | respondents of a synthetic migrant "
        "survey (codebook in `codebook.yml`) |",
        f"| `margins.csv` | {counts.get('margins', 0)} | population margins of sex, age "
        "group, citizenship and legal status |",
        f"| `institutions.csv` | {counts.get('institutions', 0)} | monitored institutions "
        "(generic, synthetic) |",
        f"| `monitoring.csv` | {counts.get('monitoring', 0)} | answers to the policy "
        "indicators, rounds 2022 and 2023 |",
        f"| `admin.csv` | {counts.get('admin', 0)} | administrative counts, rounds 2022 and 2023 |",
        f"| `legal_cases.csv` | {counts.get('legal_cases', 0)} | legal-advice case log |",
        f"| `recommendations.csv` | {counts.get('recommendations', 0)} | recommendations |",
        f"| `recommendation_opinions.csv` | {counts.get('opinions', 0)} | opinions of the "
        "consultation group (CG01–CG06) |",
        f"| `recommendation_status.csv` | {counts.get('status', 0)} | status histories |",
        f"| `rounds.csv` | {counts.get('rounds', 0)} | monitoring and survey rounds; the 2011 "
        "round is marked retrospective |",
        f"| `monitoring_history.csv` | {counts.get('monitoring_history', 0)} | SYNTHETIC 2011 "
        "retrospective monitoring round of the institutions the 2010–11 monitoring covered |",
        f"| `survey_history.csv` | {counts.get('survey_history', 0)} | SYNTHETIC earlier survey "
        "round (2022), an independent sample |",
        f"| `public.csv` | {counts.get('public', 0)} | public register figures with their "
        "sources: `status` real (copied from the source named) or synthetic |",
        f"| `peer_scores.csv` | {counts.get('peer_scores', 0)} | SYNTHETIC area scores of "
        "Gdańsk, Wrocław and Kraków |",
        f"| `replies.csv` | {counts.get('replies', 0)} | institutions' replies to "
        "recommendations (optional register) |",
        f"| `events.csv` | {counts.get('events', 0)} | activity record: seminars, study "
        "visits, consultation-group meetings, campaign actions, reports sent (optional "
        "register; participant counts, no names) |",
        f"| `pledges.csv` | {counts.get('pledges', 0)} | answers and pledges of three invented "
        "election candidates to the asks of the election kit (optional input) |",
        "| `logos/placeholder-logo.svg` | – | a placeholder logo for the campaign cards' "
        "partners area |",
        "",
        "`dataset.yml` declares the files, the survey design (`ids: [psu]`, "
        "`strata: stratum`, `weights: base_weight`) and `synthetic: true`, which every "
        "report built from this directory prints.",
        "",
        "The codebook's labels are in Polish and English and, for fieldwork, in Ukrainian "
        "(`uk`) and Russian (`ru`). **The Ukrainian and Russian labels are draft "
        "translations that a native speaker has not yet reviewed**: every variable lists "
        "`translation_review: [uk, ru]` until that review is done "
        "(`lublin_diagnosis/data/translations.py`).",
        "",
        "## How the survey was made",
        "",
        "- **Design.** 5 strata (groups of Lublin districts) and 60 sampling points "
        "(PSUs), each a recruitment channel: a university dormitory, a Belarusian NGO "
        "network, a help point for refugees from Ukraine, a workplace, or a mixed point. "
        "Base weights are constant within a stratum (assumed stratum share of a frame "
        "total of 58,000, deliberately below the margins).",
        f"- **Skew, on purpose.** Like real quota and network samples of migrants, {skew}. "
        "Raking to the margins therefore changes the estimates visibly, which is what the "
        "demo is meant to show.",
        "- **Clustering.** A random effect of the sampling point enters every outcome, so "
        "design effects are above 1 and design-based standard errors differ from naive "
        "ones.",
        "- **Relationships.** Outcomes come from a latent model: better self-rated Polish "
        "and more years in Poland raise employment, information access, knowledge of "
        "benefits and help lines, satisfaction at city hall, Polish friends and belonging, "
        "and lower unmet medical need and language barriers; people under temporary "
        "protection (`ukr_protection`) are mostly women, often with children; students "
        "are young with secondary or tertiary education; perceived discrimination is "
        "higher among people from Asia, Africa and the Middle East. Some small domains "
        "(e.g. `africa_middle_east` with a school child) are small on purpose, so "
        "disclosure control has something to suppress.",
        "- **Universes and non-response.** Follow-up items are empty outside their "
        "universe (see `universe` in the codebook); 1–5% item non-response is coded `-9` "
        "(refused) / `-8` (don't know), about 10% for household income.",
        "",
        "## Where the margins come from",
        "",
        "The margins describe the adult migrant population of Lublin city (about 62,000). "
        "They are **synthetic**, *shaped on* public figures quoted in press reports of "
        "official data – not official counts:",
        "",
        "- Ukrainians in Lublin on 1 April 2022: 68,400 including 16,900 children "
        "(mobile-phone estimate);",
        "- PESEL-UKR registrations in Lubelskie on 2 November 2022: 66,000, 70% women;",
        "- valid residence permits in Lubelskie, early 2018: about 15,000, 60% men, 54% "
        "aged 20–39;",
        "- foreigners insured in ZUS in Lubelskie, end of June 2022: 29,500 (Ukraine "
        "18,400, Belarus 7,900);",
        "- foreign students in Lublin 2021/22: 8,300.",
        "",
        "Each margin row names its source and reference date. The four margin totals "
        "differ by less than 0.3%, as margins from different registers do.",
        "",
        "## The other tables",
        "",
        "Monitoring answers, administrative counts, legal cases, recommendations (with "
        "their action plan: responsible level and unit, deadline, cost band, legal basis), "
        "consultation-group opinions, status histories, replies and events are all drawn "
        "at random "
        "(baseline policy scores average a little below 50/100, some indicators improve "
        "in the 2023 follow-up, and recommendations rest on indicators where the institution "
        "scored low in 2022). None of them reports anything a real institution did.",
        "",
        "## Context: public figures, peer cities, earlier rounds",
        "",
        "`public.csv` holds two kinds of figure, told apart by its `status` column. Rows "
        "marked `real` are copied from the public source each names (press reports of "
        "figures of the Office for Foreigners, ZUS, Statistics Poland, Lublin City Hall "
        "and the Union of Polish Metropolises, with their URL and the day they were "
        "read). Rows marked `synthetic` are invented for the demo (a decade of residence "
        "permits in Lublin, their composition, pupils, per-1,000 comparisons of the peer "
        "cities); their URL leads to the portal where the real series is published. "
        "`peer_scores.csv`, the 2011 retrospective round in `monitoring_history.csv` and "
        "the 2022 survey round in `survey_history.csv` are all synthetic.",
        "",
    ]
    return "\n".join(lines)
