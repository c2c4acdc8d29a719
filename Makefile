# Minutebook: `make run` sets up and serves the demo; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export PLAYWRIGHT_BROWSERS_PATH ?= 0
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run install assets migrate seed serve test lint check bench lock clean

# DEBUG is off unless set: the demo targets run as a development machine.
run migrate seed serve bench: export DEBUG ?= true

run: install assets migrate seed ## install, migrate, load the demo, serve on :8000
	@$(PY) manage.py demo_logins
	$(PY) manage.py runserver 127.0.0.1:8000

# Development installs the whole lock (runtime + tests and lint); a server installs only
# requirements/base.txt (see README, Production). Both are hashed locks made by `make lock`.
$(VENV)/.installed: requirements/dev.txt requirements/base.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --require-hashes -r requirements/dev.txt
	touch $@

install: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Front-end files come from npm at set-up and are served locally: no CDN.
assets: node_modules/.installed
	@mkdir -p static/vendor/bootstrap static/vendor/bootstrap-icons/fonts static/vendor/htmx static/vendor/sortablejs static/vendor/tom-select static/vendor/axe-core
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js static/vendor/bootstrap/
	cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css static/vendor/bootstrap-icons/
	cp node_modules/bootstrap-icons/font/fonts/* static/vendor/bootstrap-icons/fonts/
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp node_modules/sortablejs/Sortable.min.js static/vendor/sortablejs/
	cp node_modules/tom-select/dist/js/tom-select.complete.min.js node_modules/tom-select/dist/css/tom-select.bootstrap5.min.css static/vendor/tom-select/
	cp node_modules/axe-core/axe.min.js static/vendor/axe-core/

migrate: install
	$(PY) manage.py migrate --no-input

seed: install
	$(PY) manage.py seed_demo

serve: install
	$(PY) manage.py runserver 127.0.0.1:8000

test: install assets ## every test; PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set
	$(VENV)/bin/pytest --durations=15

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

check: install
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	DEBUG=false SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	  ALLOWED_HOSTS=minutebook.example.org $(PY) manage.py check --deploy --fail-level WARNING

# The bench runs on PostgreSQL (what a council would use); it makes its own databases
# <name>_small, <name>_large and <name>_reminders next to DATABASE_URL's.
# Set-up output goes to stderr: stdout carries the one JSON object and nothing else.
bench:
	@$(MAKE) --no-print-directory install assets >&2
	@DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/minutebook_bench} $(PY) -m bench

# Re-lock after editing requirements/*.in; existing pins are kept unless you ask to move
# one: `make lock LOCK_ARGS="--upgrade-package django"` (see README). Extras stay in the
# lock: pip 23.2's hash mode refuses weasyprint's `fonttools[woff]` against a bare
# `fonttools==` pin once a newer fonttools is published.
PIP_COMPILE := $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --no-strip-extras \
	--no-emit-index-url --no-emit-find-links
lock: install
	$(PIP_COMPILE) $(LOCK_ARGS) requirements/base.in -o requirements/base.txt
	$(PIP_COMPILE) $(LOCK_ARGS) requirements/dev.in -o requirements/dev.txt

clean:
	rm -rf $(VENV) node_modules static/vendor var
