# workforce: set up, test and render.  `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# The real DfE files live beside the repo in ../shared/data/dfe on project machines.
# An explicit WORKFORCE_DATA_DIR always wins; otherwise the library uses data/raw/.
ifeq ($(origin WORKFORCE_DATA_DIR), undefined)
  ifneq ($(wildcard ../shared/data/dfe/csww_indicators_*.csv),)
    export WORKFORCE_DATA_DIR := $(abspath ../shared/data/dfe)
  endif
endif

# Test processes (pytest-xdist), 2 for CI's two cores; TEST_WORKERS=0 runs in one process.
# --dist loadfile keeps each file in one process, in order: a notebook's cells run in one
# kernel and a module's shared fixture (a set of rendered reports) is made once.
TEST_WORKERS ?= 2

.PHONY: help setup reports test lint format check-data bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

setup: $(STAMP)  ## create .venv from nothing and install the project with its dev extras

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip >/dev/null
	$(BIN)/python -m pip install -e '.[dev]'
	$(BIN)/nbstripout --install --attributes .gitattributes 2>/dev/null || true
	touch $(STAMP)

check-data: setup  ## make sure a release file is in the data directory (fetches it if not)
	@$(BIN)/workforce data check || $(BIN)/workforce data fetch

reports: check-data  ## the main job: render every report (reports/index.html)
	$(BIN)/workforce render all

test: setup  ## lint, then the whole test suite (unit, notebooks, end-to-end)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest --nbval-lax -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile

lint: setup  ## ruff lint + format check only
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup  ## apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: setup  ## run the benchmarks and print their figures
	$(BIN)/python benchmarks/bench_load.py
	$(BIN)/python benchmarks/bench_hr.py
	$(BIN)/python benchmarks/bench_render.py --sample 30

clean:  ## remove the environment and rendered output
	rm -rf $(VENV) reports/*/ reports/index.html data/processed/*.parquet
