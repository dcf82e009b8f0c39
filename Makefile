# Two commands on a fresh machine:  make report   and   make test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DATA   ?= data/demo
OUT    ?= outputs/demo
JOBS   ?= 2

.PHONY: help install report test test-fast validate conformance lab benchmark clean

help:
	@echo "make report     set up .venv and run the full diagnosis on $(DATA) into $(OUT)"
	@echo "make test       set up .venv and run the test suite"
	@echo "make lab        open JupyterLab on the notebooks"
	@echo "make validate   check the data contracts of $(DATA)"
	@echo "make benchmark  run the survey-engine benchmark (slow; see benchmarks/README.md)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3" >/dev/null
	touch $(STAMP)

install: $(STAMP)

report: $(STAMP)
	$(BIN)/lublin-diagnosis run --data $(DATA) --out $(OUT) --lang both --jobs $(JOBS)

test: $(STAMP)
	$(BIN)/python -m pytest -q

validate: $(STAMP)
	$(BIN)/lublin-diagnosis validate $(DATA)

conformance: $(STAMP)
	$(BIN)/lublin-diagnosis conformance tests/reference/survey-r/cases.json

lab: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[lab,test]"
	$(BIN)/jupyter lab notebooks/

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench_survey.py

clean:
	rm -rf $(VENV) .pytest_cache
