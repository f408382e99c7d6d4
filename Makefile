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

.PHONY: warehouse test install docs query clean help

help:
	@echo "make warehouse [FILINGS=dir] [WAREHOUSE=file.duckdb] [STRICT=1]  build the warehouse"
	@echo "make test                                                       run every test"
	@echo "make docs                                                       dbt docs as one static HTML file"
	@echo "make query SQL='select …'                                       query the warehouse"

# .venv is created if absent and the project installed into it (editable) once per pyproject change
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

warehouse: $(STAMP)
	$(BIN)/medwh build --filings "$(FILINGS)" --warehouse "$(WAREHOUSE)" \
		$(if $(filter 1 true yes,$(STRICT)),--strict) $(if $(WORKERS),--workers $(WORKERS))

test: $(STAMP)
	$(BIN)/python -m pytest

query: $(STAMP)
	$(BIN)/medwh query "$(SQL)" --warehouse "$(WAREHOUSE)"

docs: $(STAMP)
	$(BIN)/medwh docs --warehouse "$(WAREHOUSE)"

clean:
	rm -rf target logs .pytest_cache
