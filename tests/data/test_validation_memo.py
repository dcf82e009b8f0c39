"""load_dataset validates a data folder once per process when the pipeline's kernels ask
(MEMO_ENV), handing out copies, and again as soon as a file changes."""

import os
import shutil

import pytest

from lublin_diagnosis.data import validation
from lublin_diagnosis.data.validation import MEMO_ENV, load_dataset
from lublin_diagnosis.exceptions import ValidationError
from support import DEMO


def test_a_folder_is_validated_once_and_again_after_a_change(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(DEMO, data)
    monkeypatch.setenv(MEMO_ENV, "1")
    monkeypatch.setattr(validation, "_MEMO", {})
    runs = []
    real = validation._Inspection.run

    def counted(self):
        runs.append(1)
        return real(self)

    monkeypatch.setattr(validation._Inspection, "run", counted)
    first = load_dataset(data)
    second = load_dataset(data)
    assert len(runs) == 1  # the second call was a copy
    assert second.survey.equals(first.survey) and second.survey is not first.survey
    second.survey.iloc[0, 1] = None  # a notebook changing its copy changes no other
    assert load_dataset(data).survey.equals(first.survey)
    survey = data / "survey.csv"
    text = survey.read_text(encoding="utf-8")
    survey.write_text(text.replace(",", ";", 1), encoding="utf-8")  # a broken header
    os.utime(survey, ns=(1, 1))
    with pytest.raises(ValidationError):
        load_dataset(data)
    assert len(runs) == 2


def test_without_the_variable_every_call_validates(monkeypatch):
    monkeypatch.delenv(MEMO_ENV, raising=False)
    monkeypatch.setattr(validation, "_MEMO", {})
    runs = []
    real = validation._Inspection.run

    def counted(self):
        runs.append(1)
        return real(self)

    monkeypatch.setattr(validation._Inspection, "run", counted)
    load_dataset(DEMO)
    load_dataset(DEMO)
    assert len(runs) == 2 and validation._MEMO == {}
