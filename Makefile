# sanctionlens — two commands: `make report` and `make test`.
# Each target creates .venv if missing and installs the pinned environment.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KERNEL := sanctionlens
JOBS   ?=
REPORT_ARGS ?=
# A folder of articles for the reports (default: the bundled seeds); its per-document tables
# are extracted once into CORPUS/.sanctionlens-store, which every notebook then reads.
CORPUS ?=

.PHONY: install report test lint lab bench browser clean prices

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (sanctionlens)" >/dev/null
	touch $(STAMP)

# The corpus to extract: CORPUS, else a --corpus given in REPORT_ARGS, else the seeds.
report: $(STAMP)
	corpus=$$(printf ' %s ' '$(REPORT_ARGS)' | sed -n 's/.* --corpus[ =]\([^ ]*\) .*/\1/p'); \
	$(BIN)/sanctionlens extract $(or $(CORPUS),$${corpus:-seeds}) $(if $(JOBS),--jobs $(JOBS))
	$(BIN)/sanctionlens report $(if $(CORPUS),--corpus $(CORPUS)) $(if $(JOBS),--jobs $(JOBS)) $(REPORT_ARGS)

# Daily prices of every listed company in the knowledge base and its market indices, with
# their provenance (data/prices/SOURCES.json). The only target that goes online; needs the
# optional `online` extra (yfinance), installed here. PRICES_ARGS e.g. "--adjusted".
PRICES_ARGS ?=
prices: $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[online]"
	$(BIN)/sanctionlens prices fetch $(PRICES_ARGS)

# Debian's chromium drives the browser tests; installed here when missing (root, apt).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "note: could not install chromium; browser tests will be skipped"; \
	  else echo "note: chromium missing and cannot be installed here; browser tests will be skipped"; fi; }

test: $(STAMP) browser
	$(BIN)/ruff check lib tests benchmarks
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check lib tests benchmarks

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf reports .pytest_cache
