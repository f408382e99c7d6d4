# Quickstart (what CI runs):   make warehouse   then   make test
#   make warehouse FILINGS=/some/folder WAREHOUSE=/some/file.duckdb [STRICT=1]

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FILINGS ?= data/filings
WAREHOUSE ?= warehouse.duckdb
STRICT ?= 0
WORKERS ?=

STAMP := $(VENV)/.installed

N ?= 1000
CORPUS ?= build/corpus
FORMATS ?= txt

.PHONY: warehouse test lint install docs report corpus bench query clean help

help:
	@echo "make warehouse [FILINGS=dir] [WAREHOUSE=file.duckdb] [STRICT=1]  build the warehouse"
	@echo "make test                                                       lint the SQL, then run every test"
	@echo "make lint                                                       SQLFluff on the dbt SQL (.sqlfluff)"
	@echo "make docs                                                       dbt docs as one static HTML file"
	@echo "make report                                                     self-contained HTML report"
	@echo "make corpus N=1000 [FORMATS=txt,pdf,docx,xlsx]                   synthetic filings with known truth"
	@echo "make bench                                                      throughput benchmark → BENCHMARKS.md"
	@echo "make query SQL='select …'                                       query the warehouse"

# .venv is created if absent and the project installed into it (editable) once per pyproject change
$(STAMP): pyproject.toml
	@echo "installing into $(VENV) (once, and again when pyproject.toml changes; 1-3 minutes on a fresh machine):"
	@echo "  the project (editable) with DuckDB, dbt-core + dbt-duckdb, sqlglot, pandas, pyarrow, pdfplumber,"
	@echo "  pypdfium2, python-docx, openpyxl, xlrd, lxml, and the test tools (pytest, hypothesis, duckdb-cli,"
	@echo "  dask[distributed] for the cluster-build tests, ...)"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

warehouse: $(STAMP)
	$(BIN)/medwh build --filings "$(FILINGS)" --warehouse "$(WAREHOUSE)" \
		$(if $(filter 1 true yes,$(STRICT)),--strict) $(if $(WORKERS),--workers $(WORKERS)) \
		$(if $(filter 1 true yes,$(FULL_REFRESH)),--full-refresh)

# the SQL style check first (a violation fails `make test`), then pytest
test: lint
	@echo "running every test: unit tests, then integration tests that build sample warehouses with dbt"
	@echo "(sample builds, round trips, real filings, incremental rebuilds and a local Dask cluster: expect roughly 15-25 minutes)"
	$(BIN)/python -m pytest

# SQLFluff with the dbt templater (.sqlfluff; compiles against profiles.yml's in-memory `lint`
# target, so no warehouse file is opened). Fix what it reports with
#   $(BIN)/sqlfluff fix <file>
SQL_DIRS := models analyses tests macros
lint: $(STAMP)
	@echo "linting the dbt SQL with SQLFluff ($(SQL_DIRS); about 2 minutes)"
	$(BIN)/sqlfluff lint $(SQL_DIRS)

query: $(STAMP)
	$(BIN)/medwh query "$(SQL)" --warehouse "$(WAREHOUSE)"

docs: $(STAMP)
	@echo "building the dbt docs site from $(WAREHOUSE) (dbt docs generate; about 20 s) -> target/docs/static_index.html"
	$(BIN)/medwh docs --warehouse "$(WAREHOUSE)"

report: $(STAMP)
	$(BIN)/medwh report --warehouse "$(WAREHOUSE)"

# a synthetic corpus of N filings with its truth (benchmarks/corpus.py); FORMATS taken in turn:
# txt (the sample layouts' text exports), pdf, docx, xlsx (部门预算 originals, benchmarks/originals.py)
corpus: $(STAMP)
	$(BIN)/python -m benchmarks.corpus --n $(N) --out "$(CORPUS)" --formats "$(FORMATS)"

# loader and dbt throughput on 1,000 and 10,000 filings → BENCHMARKS.md
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf target logs .pytest_cache build reports
