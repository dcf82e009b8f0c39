"""Design set-up: the spec of the inputs, and strata and clusters factorised once."""

import numpy as np
import pandas as pd
import pytest

import lublin_diagnosis as ld
from lublin_diagnosis.survey._errors import DesignError
from lublin_diagnosis.survey._setup import DesignSpec, codes_of, sampling_stages


def test_spec_normalises_and_rejects_bad_arguments():
    spec = DesignSpec.parse(ids=["1"], weights=np.ones(3), fpc=None)
    assert spec == DesignSpec() and spec.n_stages == 1 and spec.columns == []
    with pytest.raises(DesignError, match="one stratum variable"):
        DesignSpec.parse(strata=["a", "b"])
    with pytest.raises(DesignError, match="one fpc column per sampling stage"):
        DesignSpec.parse(ids=["a", "b"], fpc=["f"])
    with pytest.raises(DesignError, match="without ids there is one stage"):
        DesignSpec.parse(fpc=["f", "g"])
    with pytest.raises(DesignError, match="lonely_psu must be one of"):
        DesignSpec.parse(lonely_psu="ignore")


@pytest.mark.parametrize(
    "values",
    [
        pd.Series([5, 3, 5, 9]),  # integers with gaps
        pd.Series([1, 0, 1, 2]),  # integers already 0 .. k-1
        pd.Series(["e", "c", "e", "x"]),  # text
        pd.Series(pd.Categorical(["b", "a", "b", "c"], categories=["z", "a", "b", "c"])),
    ],
)
def test_codes_are_dense_and_sorted(values):
    codes, labels = codes_of(values)
    assert codes.tolist() == [1, 0, 1, 2]
    assert [labels[c] for c in codes] == values.tolist()


@pytest.mark.parametrize(
    ("values", "codes", "labels"),
    [
        ([5, 5, 7, 7, 7, 9], [0, 0, 1, 1, 1, 2], [5, 7, 9]),  # sorted, with gaps
        ([3, 3, 4, 5], [0, 0, 1, 2], [3, 4, 5]),  # sorted, dense from 3
        ([0, 0, 1, 1], [0, 0, 1, 1], [0, 1]),  # sorted, already codes
    ],
)
def test_sorted_integer_ids_are_coded_from_their_runs(values, codes, labels):
    got, got_labels = codes_of(pd.Series(values))
    assert got.tolist() == codes and got_labels.tolist() == labels


def test_sorted_clusters_in_two_strata_are_refused_as_unsorted_ones_are():
    for psu in ([1, 2, 2, 3], [2, 1, 3, 2]):  # cluster 2 in strata 1 and 2
        df = pd.DataFrame({"st": [1, 1, 2, 2], "psu": psu})
        with pytest.raises(DesignError, match="more than one stratum"):
            sampling_stages(df, DesignSpec.parse(ids="psu", strata="st"))


def test_estimates_do_not_depend_on_the_rows_being_sorted_by_cluster():
    rng = np.random.default_rng(5)
    n = 3000
    psu = np.sort(rng.integers(0, 150, n))
    df = pd.DataFrame(
        {
            "st": psu // 30,
            "psu": psu,
            "w": rng.uniform(1, 3, n),
            "y": rng.normal(size=n) + psu % 7,
            "g": pd.Categorical(rng.integers(0, 4, n).astype(str)),
        }
    )
    shuffled = df.iloc[rng.permutation(n)].reset_index(drop=True)
    for by in (None, "g"):
        a = ld.SurveyDesign(df, ids="psu", strata="st", weights="w").mean("y", by=by)
        b = ld.SurveyDesign(shuffled, ids="psu", strata="st", weights="w").mean("y", by=by)
        np.testing.assert_allclose(a["estimate"], b["estimate"], rtol=1e-12)
        np.testing.assert_allclose(a["se"], b["se"], rtol=1e-10)


def test_stages_of_a_two_stage_design_with_fpc():
    df = pd.DataFrame(
        {
            "st": ["a"] * 4 + ["b"] * 4,
            "psu": [1, 1, 2, 2, 1, 1, 2, 2],
            "ssu": [1, 2, 1, 2, 1, 2, 1, 2],
            "f1": [10.0] * 8,
            "f2": [4.0] * 8,
        }
    )
    spec = DesignSpec.parse(ids=["psu", "ssu"], strata="st", fpc=["f1", "f2"], nest=True)
    first, second = sampling_stages(df, spec)
    assert first.cluster.tolist() == [0, 0, 1, 1, 2, 2, 3, 3]
    assert first.n_psu.tolist() == [2.0] * 8 and first.popsize.tolist() == [10.0] * 8
    assert second.strata.tolist() == first.cluster.tolist()
    assert second.cluster.tolist() == list(range(8)) and second.n_psu.tolist() == [2.0] * 8
    design = ld.SurveyDesign(df.assign(y=np.arange(8.0)), **spec.as_dict())
    np.testing.assert_allclose(design.weights, 10 / 2 * 4 / 2)


def test_integer_design_columns_skip_the_missing_value_check_but_others_do_not():
    df = pd.DataFrame({"psu": [1.0, np.nan, 2.0], "y": [1.0, 2.0, 3.0]})
    with pytest.raises(DesignError, match="'psu' has 1 missing value"):
        ld.SurveyDesign(df, ids="psu")
    assert ld.SurveyDesign(df.assign(psu=[1, 2, 2]), ids="psu").degf == 1
