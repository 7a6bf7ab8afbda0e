# The two commands a newcomer needs are `make run` and `make test`; the rest are for regulars.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
DEV_ENV := DEBUG=True
HOST ?= 127.0.0.1
PORT ?= 8000
DATA_DIR ?= .data

.PHONY: install assets run test lint format messages worker beat migrate demo stop-db clean-data bench backup restore

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

# Front-end packages come from npm (package-lock.json) into static/vendor/. Without npm the
# portal still works: every page is usable without JavaScript.
static/vendor/htmx.min.js: package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --silent && mkdir -p static/vendor && \
		cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js; \
	else echo "npm not found: skipping front-end assets (pages work without them)"; fi

# axe-core checks the pages' accessibility in the browser tests (tests/browser/); visitors'
# pages never load it. With REQUIRE_BROWSER set, those tests fail when it is missing.
static/vendor/axe.min.js: package-lock.json | static/vendor/htmx.min.js
	@if command -v npm >/dev/null 2>&1; then \
		{ [ -f node_modules/axe-core/axe.min.js ] || npm ci --no-audit --no-fund --silent; } && \
		mkdir -p static/vendor && cp node_modules/axe-core/axe.min.js static/vendor/axe.min.js; \
	else echo "npm not found: skipping axe-core (the browser tests' accessibility check needs it)"; fi

# Tom Select turns the editor's long menus (sectors, countries, organisations, languages) into
# searchable pickers (static/js/pickers.js); without it they stay plain menus.
static/vendor/tom-select.complete.min.js: package-lock.json | static/vendor/htmx.min.js
	@if command -v npm >/dev/null 2>&1; then \
		{ [ -f node_modules/tom-select/dist/js/tom-select.complete.min.js ] || npm ci --no-audit --no-fund --silent; } && \
		mkdir -p static/vendor && \
		cp node_modules/tom-select/dist/js/tom-select.complete.min.js* static/vendor/ && \
		cp node_modules/tom-select/dist/css/tom-select.min.css* static/vendor/; \
	else echo "npm not found: skipping Tom Select (the editor's menus stay plain menus)"; fi

assets: static/vendor/htmx.min.js static/vendor/axe.min.js static/vendor/tom-select.complete.min.js

install: $(INSTALLED) assets

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput

demo: migrate
	$(DEV_ENV) $(BIN)/python manage.py load_demo
	$(DEV_ENV) $(BIN)/python manage.py build_iati_files --site-url http://$(HOST):$(PORT)
	$(DEV_ENV) $(BIN)/python manage.py make_release --if-none

run: demo
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Translation catalogues: collect the code's messages into locale/*/django.po (translate the
# new entries there), then compile the .mo files, which are committed (needs GNU gettext).
messages: install
	$(DEV_ENV) $(BIN)/python manage.py makemessages --all
	$(DEV_ENV) $(BIN)/python manage.py compilemessages --ignore .venv --ignore node_modules

worker: install
	$(BIN)/celery --app ssdc_portal worker --loglevel INFO

# Periodic clean-up: fails stuck reports, deletes expired report files.
beat: install
	$(BIN)/celery --app ssdc_portal beat --loglevel INFO --schedule .data/celerybeat-schedule

# Benchmark: fills a SEPARATE database with synthetic data and measures it (BENCHMARKS.md).
#   BENCH_DATABASE_URL  database to fill and measure, e.g. postgres://postgres@127.0.0.1/ssdc_bench;
#                       empty: an embedded PostgreSQL under .data/bench. Never DATABASE_URL's.
#   BENCH_INITIATIVES   size of the synthetic data set (default 100000)
#   BENCH_ARGS          extra options for `manage.py benchmark`, e.g. --quick or --output FILE
# Needs wrk (apt-get install wrk); takes well under 20 minutes on 2 cores.
BENCH_DATABASE_URL ?=
BENCH_INITIATIVES ?= 100000
BENCH_ARGS ?=
BENCH_ENV := DEBUG=False DEVTOOLS=True ALLOW_PLAIN_HTTP=True SECRET_KEY=bench-only-key \
	ALLOWED_HOSTS=127.0.0.1,localhost \
	DATA_DIR=$(CURDIR)/.data/bench DATABASE_URL=$(BENCH_DATABASE_URL)

bench: install
	$(BENCH_ENV) $(BIN)/python manage.py migrate --noinput
	$(BENCH_ENV) $(BIN)/python manage.py generate_synthetic --initiatives $(BENCH_INITIATIVES) --replace
	$(BENCH_ENV) $(BIN)/python manage.py benchmark $(BENCH_ARGS)

# Backup and restore of the database and the uploaded files (README: "Backup and restore").
#   make backup                   a new timestamped folder under BACKUP_DIR (.data/backups)
#   make restore BACKUP=<folder>  into an empty database; add FORCE=1 to replace one with data
backup: install
	$(DEV_ENV) $(BIN)/python manage.py backup

restore: install
	$(if $(BACKUP),,$(error Name the backup folder: make restore BACKUP=.data/backups/<name>))
	$(DEV_ENV) $(BIN)/python manage.py restore "$(BACKUP)" $(if $(FORCE),--force)

# Without DATABASE_URL the embedded PostgreSQL keeps running between commands; this stops it
# (and the benchmark's).
stop-db:
	@if [ -x $(BIN)/python ]; then \
		$(BIN)/python -m ssdc_portal.embedded_postgres stop $(DATA_DIR)/pg .data/bench/pg; fi

clean-data: stop-db
	rm -rf .data
