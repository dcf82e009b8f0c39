"""A small recommendations register for examples and tests (a stand-in for a dataset)."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

__all__ = ["example_register"]


def example_register(institution: str = "mup") -> SimpleNamespace:
    """A two-recommendation register (with institutions and opinions), standing in for a
    dataset in the examples and tests of the advocacy modules.

    Parameters
    ----------
    institution : str
        The institution the second recommendation is addressed to (``"nowhere"`` makes a
        broken register).

    Examples
    --------
    >>> ds = example_register()
    >>> ds.recommendations["rec_id"].tolist(), len(ds.status), len(ds.opinions)
    (['R1', 'R2'], 5, 4)
    """
    recs = pd.DataFrame(
        {
            "rec_id": ["R1", "R2"],
            "area": ["social_assistance", "labour"],
            "institution_id": ["mopr", institution],
            "indicator_ids": ["social_assistance_p_interpreting", "labour_p_mup_services"],
            "text_pl": ["Zapewnić tłumaczenie.", "Opublikować informacje."],
            "text_en": ["Provide interpreting.", "Publish the information."],
            "date_issued": pd.to_datetime(["2023-03-01", "2023-06-01"]),
        }
    )
    status = pd.DataFrame(
        {
            "rec_id": ["R1", "R1", "R1", "R2", "R2"],
            "date": pd.to_datetime(
                ["2023-03-01", "2023-04-01", "2023-08-31", "2023-06-01", "2023-07-31"]
            ),
            "status": ["issued", "in_progress", "implemented", "issued", "in_progress"],
        }
    )
    opinions = pd.DataFrame(
        {
            "rec_id": ["R1", "R1", "R1", "R1"],
            "member": ["CG01", "CG02", "CG03", "CG01"],
            "date": pd.to_datetime(["2023-02-01", "2023-02-01", "2023-02-01", "2023-09-30"]),
            "opinion": ["amend", "amend", "support", "support"],
            "comment_pl": ["Dodać angielski.", "Dodać angielski.", "Bardzo potrzebne.", None],
            "comment_en": ["Add English.", "Add English.", None, None],
        }
    )
    institutions = pd.DataFrame(
        {"institution_id": ["mopr", "mup"], "name_pl": ["MOPR", "MUP"], "name_en": ["MOPR", "MUP"]}
    )
    return SimpleNamespace(
        recommendations=recs,
        status=status,
        opinions=opinions,
        institutions=institutions,
        meta={"framework": "lublin-14"},
        data_dir=None,
    )
