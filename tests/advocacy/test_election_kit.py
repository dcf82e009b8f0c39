"""The election kit: the city's asks with their evidence, the questionnaire (PDF and DOCX) and
who committed to what per area, from the pledges register."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from lublin_diagnosis.advocacy import election_kit as kit
from lublin_diagnosis.framework.model import load_framework
from support import DEMO


@pytest.fixture(scope="module")
def demo():
    import lublin_diagnosis as ld

    return ld.load_dataset(DEMO)


@pytest.fixture(scope="module")
def card(demo):
    """A scorecard-like object: every policy indicator city-wide, and each institution's
    answer of the latest round from the demo's monitoring."""
    fw = load_framework()
    rows = [
        {
            "area": ind.area,
            "indicator": ind.id,
            "kind": ind.kind,
            "institution": None,
            "round": 2023,
            "answer": None,
            "value": 50.0,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "n": pd.NA,
            "score": 50.0,
            "suppressed": False,
            "low_reliability": False,
            "flags": "",
        }
        for ind in fw.indicators
    ]
    mon = demo.monitoring[demo.monitoring["round"] == demo.monitoring["round"].max()]
    for rec in mon.to_dict("records"):
        rows.append(
            {
                **rows[0],
                "indicator": rec["indicator_id"],
                "institution": rec["institution_id"],
                "answer": rec["answer"],
            }
        )
    return SimpleNamespace(indicators=pd.DataFrame(rows), framework=None)


def test_city_recommendations_by_level_or_by_municipal_type():
    recs = pd.DataFrame(
        {"rec_id": ["R1", "R2", "R3"], "institution_id": ["city_hall", "nfz", "ztm"]}
    )
    inst = pd.DataFrame(
        {
            "institution_id": ["city_hall", "nfz", "ztm"],
            "type": ["city_hall", "health_fund", "transport"],
        }
    )
    ds = SimpleNamespace(recommendations=recs, institutions=inst)
    assert kit.city_recommendations(ds) == ["R1", "R3"]
    ds.institutions = inst.assign(responsible_level=["city", "state", "state"])
    assert kit.city_recommendations(ds) == ["R1"]
    ds.recommendations = recs.assign(responsible_level=["other", "city", None])
    assert kit.city_recommendations(ds) == ["R2"]
    ds.recommendations = None
    assert kit.city_recommendations(ds) == []


def test_asks_are_the_citys_open_recommendations_with_one_sentence_of_evidence(demo, card):
    asks = kit.election_asks(demo, card, lang="pl")
    city = set(kit.city_recommendations(demo))
    assert len(asks) and set(asks["rec_id"]) <= city
    types = demo.institutions.set_index("institution_id")["type"]
    addressed = demo.recommendations.set_index("rec_id").loc[asks["rec_id"], "institution_id"]
    assert set(types[addressed]) <= set(kit.CITY_TYPES)
    assert "wdrożona" not in set(asks["status_name"])  # implemented ones are not asked again
    assert asks["area_number"].is_monotonic_increasing
    assert asks["ask_evidence"].str.startswith("Monitoring 2023: ").all()
    assert asks["ask_evidence"].str.count(r"\. |\.$").eq(1).all()  # one sentence


def test_commitments_count_each_candidates_answers_per_area(demo, card):
    asks = kit.election_asks(demo, card, lang="en")
    table = kit.commitments(demo, asks, lang="en")
    parts = table[["answered_yes", "answered_partly", "answered_no", "not_answered"]].sum(axis=1)
    assert (parts == table["asks"]).all() and (table[["not_answered"]] >= 0).all().all()
    assert table["candidate"].nunique() == 3
    assert table["candidate"].str.contains("synthetic|syntetyczn").all()
    health = table[table["area_name"] == "Health care"]
    pledges = demo.pledges
    mine = pledges[
        (pledges["candidate"] == "Kandydatka A (syntetyczna)")
        & pledges["rec_id"].isin(asks.loc[asks["area"] == "health", "rec_id"])
    ]
    row = health[health["candidate"] == "Kandydatka A (syntetyczna)"].iloc[0]
    assert row["answered_yes"] == (mine["answer"] == "yes").sum()
    listed = kit.pledge_table(demo, lang="pl")
    assert (
        len(listed) == len(pledges)
        and listed["answer_name"].isin(["Tak", "Częściowo", "Nie", "Bez odpowiedzi"]).all()
    )


def test_no_pledges_register_gives_empty_tables(demo, card):
    asks = kit.election_asks(demo, card, lang="en")
    empty = SimpleNamespace(**{**demo.__dict__, "pledges": None})
    assert kit.commitments(empty, asks, lang="en").empty
    assert kit.pledge_table(empty, lang="en").empty


def test_questionnaire_pdf_and_docx_keep_hostile_text_as_text(tmp_path):
    from docx import Document

    asks = pd.DataFrame(
        {
            "area": ["health", "housing"],
            "area_number": [1, 4],
            "area_name": ["Zdrowie", "Mieszkanie"],
            "rec_id": ["REC01", "REC02"],
            "institution_name": ["A", "B"],
            "ask": ['#set page(width: 1cm) $x$ <script>alert("x")</script>', "Zwykły postulat"],
            "ask_evidence": ["Monitoring 2023: A – „Nie”.", "Монiторинг"],
            "status_name": ["wydana", "wydana"],
        }
    )
    pdf, docx = kit.write_questionnaire(asks, tmp_path, lang="pl", synthetic=True)
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 5000
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "#set page(width: 1cm) $x$" in text and "[REC02]" in text
    assert "DANE SYNTETYCZNE" in text
    none = kit.write_questionnaire(asks.iloc[:0], tmp_path / "empty", lang="en", synthetic=False)
    assert "No recommendation" in "\n".join(p.text for p in Document(str(none[1])).paragraphs)
