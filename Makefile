# Two commands do the work: `make report` (the main job) and `make test`.
# Both build .venv from pyproject.toml when it is missing or older than pyproject.toml.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# the external FA-KES corpus (CC BY 4.0, Zenodo record 2607278), used when present
FAKES := $(abspath ../shared/corpora/fakes/FA-KES-Dataset.csv)
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))

.PHONY: report test lab lint format bench bench-scale clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/toolkit validate data/reports data/curated/claims.csv data/curated/events.csv
	$(BIN)/toolkit extract data/reports --out build/extracted/claims.csv --events build/extracted/events.csv \
		--rejects build/extracted/rejects.csv --ledger build/extracted/ledger.csv
	$(BIN)/toolkit evaluate --claims build/extracted/claims.csv --events build/extracted/events.csv --gold data/curated
	$(BIN)/toolkit process --reports data/reports --curated data/curated --out data/processed
	TOOLKIT_FAKES_CSV=$${TOOLKIT_FAKES_CSV:-$(FAKES)} $(BIN)/toolkit report $(NOTEBOOKS) --out build/report
	@echo "open build/report/index.html"

test: $(STAMP)
	TOOLKIT_FAKES_CSV=$${TOOLKIT_FAKES_CSV:-$(FAKES)} $(BIN)/python -m pytest tests $(NOTEBOOKS) --nbval --nbval-sanitize-with notebooks/nbval_sanitize.cfg

lab: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,lab]'
	$(BIN)/jupyter lab notebooks/

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

clean:
	rm -rf build data/processed .pytest_cache

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	TOOLKIT_FAKES_CSV=$${TOOLKIT_FAKES_CSV:-$(FAKES)} \
		taskset -c 0 $(BIN)/python bench/throughput.py

# Scale benchmark (docs/scale.md): replicated corpora of 10k and 100k reports, in-process
# against a 2-worker Dask LocalCluster. The 100k run takes tens of minutes.
bench-scale: $(STAMP)
	TOOLKIT_FAKES_CSV=$${TOOLKIT_FAKES_CSV:-$(FAKES)} $(BIN)/python bench/scale.py 10000 100000
