# Two commands on a fresh machine:  make report   and   make test
# Both install the locked environment (requirements/lock.txt, with hashes) into .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev
DATA   ?= data/demo
OUT    ?= outputs/demo
JOBS   ?=
PIP    := $(BIN)/python -m pip --disable-pip-version-check
PYTEST_ARGS ?=

.PHONY: help install report test lint validate conformance lab benchmark benchmark-report lock clean

help:
	@echo "make report     set up .venv and run the full diagnosis on $(DATA) into $(OUT)"
	@echo "make test       set up .venv and run the test suite"
	@echo "make lint       ruff, the import contracts and mypy"
	@echo "make lab        JupyterLab on the repository (headless: open the printed URL)"
	@echo "make validate   check the data contracts of $(DATA)"
	@echo "make benchmark  run the survey-engine benchmark (slow; see benchmarks/README.md)"
	@echo "make benchmark-report  time a report run's stages, cold and warm"
	@echo "make lock       re-create requirements/*.txt from pyproject.toml (needs uv)"

$(STAMP): pyproject.toml requirements/lock.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --no-compile --require-hashes --no-deps -r requirements/lock.txt
	$(PIP) install --quiet --no-compile --no-deps --no-build-isolation -e .
	# bytecode of the environment and the editable package, on every core (pip compiles on
	# one); like pip, it skips the odd file that does not compile (another Python's tests)
	-$(BIN)/python -m compileall -qq -j 0 "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')" lublin_diagnosis
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3" >/dev/null
	touch $(STAMP)

install: $(STAMP)

report: $(STAMP)
	$(BIN)/lublin-diagnosis run --data $(DATA) --out $(OUT) --lang both $(if $(JOBS),--jobs $(JOBS))

test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder --durations=15 $(PYTEST_ARGS)

lint: $(DEVSTAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy lublin_diagnosis/survey

validate: $(STAMP)
	$(BIN)/lublin-diagnosis validate $(DATA)

conformance: $(STAMP)
	$(BIN)/lublin-diagnosis conformance tests/reference/survey-r/cases.json

$(DEVSTAMP): $(STAMP) requirements/dev.txt
	$(PIP) install --quiet --require-hashes --no-deps -r requirements/dev.txt
	touch $(DEVSTAMP)

lab: $(DEVSTAMP)
	$(BIN)/jupyter lab --no-browser --allow-root --ip=127.0.0.1 --ServerApp.root_dir="$(CURDIR)"

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench_survey.py

benchmark-report: $(STAMP)
	$(BIN)/python benchmarks/bench_report.py --verify

lock:
	requirements/compile.sh

clean:
	rm -rf $(VENV) .pytest_cache
