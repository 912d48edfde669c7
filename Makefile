# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?=

.PHONY: run test bench setup lint messages clean

run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver $(HOST)

test: setup
	scripts/ensure-test-services.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The load benchmark on the production setup at 100,000 initiatives (bench/load.py; not part
# of `make test`). The data is seeded once into BENCH_DATABASE_URL and kept between runs.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bench_scale
bench: setup
	scripts/ensure-bench-services.sh
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/load.py $(BENCH_ARGS)

setup: $(VENV)/.installed node_modules/.installed locale-compiled

$(VENV)/.installed: requirements.txt pyproject.toml
	scripts/ensure-system.sh
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

locale-compiled: $(VENV)/.installed
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Refresh the French and Spanish catalogues after changing user-facing strings.
messages: setup
	$(BIN)/python manage.py makemessages -l fr -l es --ignore=.venv --ignore=node_modules --no-obsolete

clean:
	rm -rf $(VENV) node_modules staticfiles
