# workforce: set up, test and render.  `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Every package's tested version, with its hashes (uv pip compile of pyproject.toml's
# dependencies and dev extras, Python 3.11). `make setup` installs exactly these;
# `make upgrade` re-resolves to the newest, tests them in a fresh venv, then rewrites it.
LOCK   := requirements-lock.txt
UV_COMPILE = pyproject.toml --extra dev --python-version 3.11 --generate-hashes \
	--no-header --quiet

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

.PHONY: help setup lock upgrade reports test lint format docs check-data bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

setup: $(STAMP)  ## create .venv from nothing and install the project with its dev extras

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --no-deps -e .
	$(BIN)/python -m pip check
	$(BIN)/nbstripout --install --attributes .gitattributes 2>/dev/null || true
	touch $(STAMP)

lock: setup  ## re-pin after a change to pyproject.toml's dependencies (keeps versions where it can)
	$(BIN)/uv pip compile $(UV_COMPILE) -o $(LOCK)

upgrade: setup  ## re-resolve every package to its newest version, test them in a fresh venv, then rewrite the lock
	rm -rf .upgrade && mkdir .upgrade
	$(BIN)/uv pip compile $(UV_COMPILE) --upgrade -o .upgrade/$(LOCK)
	cp .upgrade/$(LOCK) .upgrade/candidate.txt
	$(MAKE) test VENV=.upgrade/venv LOCK=.upgrade/candidate.txt
	mv .upgrade/$(LOCK) $(LOCK)
	rm -rf .upgrade
	@echo "$(LOCK) rewritten with the newest versions, which passed the tests: review and commit it"

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

docs: setup  ## build the documentation site into site/ (mkdocs --strict; the CLI page from the parsers)
	NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true $(BIN)/python -m mkdocs build --strict

bench: setup  ## run the benchmarks and print their figures
	$(BIN)/python benchmarks/bench_load.py
	$(BIN)/python benchmarks/bench_hr.py
	$(BIN)/python benchmarks/bench_render.py --sample 30

clean:  ## remove the environment and rendered output
	rm -rf $(VENV) site reports/*/ reports/index.html data/processed/*.parquet
