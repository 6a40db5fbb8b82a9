# Two commands do all set-up on a fresh Debian machine with Python 3.11:
#   make run   - create .venv, install, migrate, seed demo data, serve http://127.0.0.1:8000
#   make test  - install what the tests need and run the whole suite
VENV := .venv
PROD_VENV := .venv-production
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTHON ?= python3

.PHONY: run test lint format bench seed clean production-venv faults load

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(PY) manage.py seed_demo
	DEBUG=$${DEBUG:-true} bash scripts/serve.sh

test: $(VENV)/.dev $(PROD_VENV)/.runtime
	bash scripts/ensure-chromium.sh
	$(PY) -m pytest $(PYTEST_ARGS)

# A production install: requirements.txt alone, as the README says. The tests run its worker and beat.
production-venv: $(PROD_VENV)/.runtime
$(PROD_VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(PROD_VENV)
	$(PROD_VENV)/bin/pip install --quiet --upgrade pip
	$(PROD_VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Benchmarks (not timed tests), written to bench/results/ and printed as tables (each app's bench,
# bench/APP.py, builds its own trust in its own database ps_bench_APP):
# - the reminder scans at 100 and 10,000 due items (query count must not grow);
# - manager review at trust scale on PostgreSQL (BENCH_DATABASE_URL, default
#   postgres://postgres@127.0.0.1:5432/ps_bench): builds the trust, measures, and fails if the
#   board's median is over twice the floor's. BENCH_ARGS="--reuse" keeps a trust built earlier.
bench: $(VENV)/.dev
	DATABASE_URL=$${DATABASE_URL:-$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ps_bench}} $(PY) bench/run.py $(BENCH)
	$(PY) bench/board.py $(BENCH_ARGS)
	for app in training supervision devdays; do \
	  if [ -f bench/$$app.py ]; then DATABASE_URL=postgres://postgres@127.0.0.1:5432/ps_bench_$$app $(PY) bench/$$app.py || exit 1; fi; \
	done

# Fault runs (slow, so not in make test): PostgreSQL crashed under 50 clients logging contacts through
# gunicorn, backup and restore, clock changes in Europe/London, concurrent edits through gunicorn.
# Each starts its own PostgreSQL cluster on a free port (never the one on 5432); the clock-change run
# uses the test database of FAULTS_DATABASE_URL. Figures: bench/results/faults.json, printed as a table.
FAULTS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ps_faults
faults: $(VENV)/.dev
	DATABASE_URL=$${DATABASE_URL:-$(FAULTS_DATABASE_URL)} $(PY) -m pytest faults -p no:randomly --create-db $(FAULTS_ARGS)

# Load run: Locust (headless, its own process) against gunicorn with the production settings on the
# trust bench/board.py builds (LOAD_DATABASE_URL, built first if missing), users raised step by step
# until the 95th percentile passes 500 ms, for each gunicorn shape in LOAD_ARGS (see bench/load/run.py).
# Figures: bench/results/load.json, printed as a table.
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ps_bench
load: $(VENV)/.dev
	BENCH_DATABASE_URL=$(LOAD_DATABASE_URL) $(PY) bench/load/run.py $(LOAD_ARGS)

seed: $(VENV)/.runtime
	$(PY) manage.py seed_demo

clean:
	rm -rf $(VENV) $(PROD_VENV) staticfiles
