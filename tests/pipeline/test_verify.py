"""verify refuses a manifest it did not write, naming the key, before any re-run."""

import json

import pytest

from lublin_diagnosis.cli import main
from lublin_diagnosis.exceptions import PipelineError
from lublin_diagnosis.pipeline.verify import verify_run

GOOD = {
    "run_id": "x",
    "data_dir": "../data",
    "parameters": {},
    "inputs": {},
    "tables": [],
    "plan": [{"notebook": "00_data_checks"}],
    "jobs": 1,
    "lang": "en",
}


@pytest.mark.parametrize(
    "change, message",
    [
        (["not", "an", "object"], "expected a JSON object"),
        ({"data_dir": None}, "'data_dir' is missing"),
        ({"jobs": "2"}, "'jobs' is missing or not a int"),
        ({"inputs": {"data/x.csv": "abc"}}, "has no path and sha256"),
        ({"tables": [{"lang": "en", "name": "t", "file": "../../etc/passwd"}]}, "not inside"),
        ({"tables": [{"lang": "en", "name": "t", "file": "/etc/passwd"}]}, "not inside"),
        ({"plan": [{"page": "x"}]}, "names no notebook"),
        ({"inputs": {"a": {"base": "elsewhere", "path": "x", "sha256": "0"}}}, "no known folder"),
    ],
)
def test_a_foreign_manifest_is_refused_with_one_line(tmp_path, capsys, change, message):
    content = {**GOOD, **change} if isinstance(change, dict) else change
    (tmp_path / "manifest.json").write_text(json.dumps(content))
    with pytest.raises(PipelineError, match=message):
        verify_run(tmp_path)
    assert main(["verify", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and message.split("'")[0] in err
    assert sorted(p.name for p in tmp_path.parent.iterdir() if p.name.startswith(".verify")) == []
