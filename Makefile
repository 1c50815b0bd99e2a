# wangge — `make run` to try it, `make test` to prove it. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Chromium and its CJK font for the browser tests; the serif CJK face the PDFs are set in
# (core/pdf.py: circulars and the other documents, TrueType so reportlab can embed it); ffmpeg
# encodes the H.264 test stream the camera player is tested on (tests/video/fake_platform.py).
BROWSER_PACKAGES := chromium fonts-wqy-microhei fonts-arphic-uming ffmpeg

.PHONY: help install dev run test test-fast test-miniprogram lint fmt bench load faults smoke messages browser-deps postgis-deps node-deps nginx-deps clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 16

# The optional runtime packages a district chooses among (pyproject's extras). `make run`
# installs RUN_EXTRAS; the suite installs TEST_EXTRAS beside the test tools, every one by
# default so the whole suite runs. Empty, the project installs bare (the `dev` extra holds
# the test tools only): `make VENV=.venv-bare RUN_EXTRAS= TEST_EXTRAS= test`.
RUN_EXTRAS ?= postgres,redis,dense
TEST_EXTRAS ?= postgres,redis,s3,prod,sms,dense
comma := ,

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.$(if $(RUN_EXTRAS),[$(RUN_EXTRAS)])'
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev$(if $(TEST_EXTRAS),$(comma)$(TEST_EXTRAS))]'
	touch $@

install: $(VENV)/.installed  ## create .venv and install the project

dev: $(VENV)/.installed-dev  ## install the project with the test and lint tools

run: install  ## migrate, load the demo district on an empty database, serve web + worker on HOST:PORT
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py serve --host $(HOST) --port $(PORT)

# $(call apt_install,PACKAGES,WHAT NEEDS THEM,TEST THAT THEY ARE HERE): Debian's packages, installed
# with apt when root; otherwise the command to run, and the target fails.
define apt_install
	@if ! { $(3); } >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing $(1) for $(2)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; \
	  else \
	    echo "Needed by $(2): $(1). Run:"; \
	    echo "  sudo apt-get install -y $(1)"; \
	    exit 1; \
	  fi; \
	fi
endef

browser-deps:  ## Chromium, the CJK fonts and ffmpeg for the browser tests and the PDFs (installed with apt when root)
	$(call apt_install,$(BROWSER_PACKAGES),the browser tests and the PDFs,dpkg -s $(BROWSER_PACKAGES))

# PostGIS for the database engine (GRID_ENGINE=database, docs/maps.md), into the PostgreSQL this
# machine runs; `make test` asks for it when DATABASE_URL names PostgreSQL, before the test
# database is migrated, so the engine's tests run there instead of skipping.
PG_MAJOR ?= $(shell ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
POSTGIS_PACKAGES = postgresql-$(PG_MAJOR)-postgis-3

postgis-deps:  ## PostGIS for the database engine, into this machine's PostgreSQL (installed with apt when root)
	@[ -n "$(PG_MAJOR)" ] || echo "No PostgreSQL server here: install PostGIS beside the database server"
	$(call apt_install,$(POSTGIS_PACKAGES),the database engine (GRID_ENGINE=database),[ -z "$(PG_MAJOR)" ] || dpkg -s $(POSTGIS_PACKAGES))

# The mini-program client's tests (clients/miniprogram, jest + miniprogram-simulate) run with the
# suite unless MINIPROGRAM=skip: they do not touch the database, so CI runs them once.
MINIPROGRAM ?= run

test: dev browser-deps $(if $(filter postgres%,$(DATABASE_URL)),postgis-deps)  ## run the whole suite (DATABASE_URL picks the database; SQLite by default)
	$(PY) -m pytest -n auto --dist loadfile -q $(PYTEST_ARGS)
	@if [ "$(MINIPROGRAM)" != skip ]; then $(MAKE) --no-print-directory test-miniprogram; fi

node-deps:  ## Node.js and npm from Debian for the mini-program's tests (installed with apt when root)
	$(call apt_install,nodejs npm,the mini-program's tests,command -v npm)

nginx-deps:  ## nginx from Debian for the tests of deploy/'s nginx configuration (installed with apt when root)
	$(call apt_install,nginx,the tests of the nginx configuration (they skip without it),command -v nginx || [ -x /usr/sbin/nginx ])

clients/miniprogram/node_modules/.installed: clients/miniprogram/package-lock.json | node-deps
	cd clients/miniprogram && npm ci --no-audit --no-fund --loglevel=error
	touch $@

test-miniprogram: clients/miniprogram/node_modules/.installed  ## the mini-program's pages under miniprogram-simulate (Node)
	cd clients/miniprogram && npx jest --ci

test-fast: dev  ## the suite without the browser tests
	$(PY) -m pytest -n auto --dist loadfile -q -m "not browser" $(PYTEST_ARGS)

lint: dev  ## ruff, mypy, import contracts (layers, no circles), migrations up to date, translations compiled, page input through forms
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy wangge
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m wangge.core.i18n_check
	$(PY) -m wangge.core.input_check

fmt: dev  ## format and auto-fix
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: dev  ## the benchmarks under bench/ (results go in docs/benchmarks.md by hand)
	$(PY) bench/bench_locate.py
	$(PY) bench/bench_resolve.py
	$(PY) bench/bench_places.py --micros 10000 --queries 1000
	$(PY) bench/bench_seed.py

load: dev  ## the mixed load (locust) on SQLite and on PostgreSQL: docs/benchmarks.md
	$(PY) -m pip install --quiet -e '.[dev,$(TEST_EXTRAS),load]'
	$(PY) bench/bench_mixed.py --db sqlite
	$(PY) bench/bench_mixed.py --db postgres

faults: dev  ## kill -9, PostgreSQL restart and Redis stopped under load (own cluster on :5433; root): docs/reliability.md
	$(PY) -m pip install --quiet -e '.[dev,$(TEST_EXTRAS),load]'
	$(PY) bench/faults/kill9.py --seconds 90 --kills 3
	$(PY) bench/faults/pg_restart.py --seconds 60 --down 8
	$(PY) bench/faults/redis_outage.py --seconds 90 --down 60

smoke:  ## docs/deploy.md run as written: nginx, gunicorn, worker, PostgreSQL, Redis (root; takes over /srv/wangge)
	bash .ci/production-smoke

messages: dev  ## extract and compile zh-Hans translations (needs gettext)
	cd wangge && ../$(PY) ../manage.py makemessages -l zh_Hans --no-obsolete
	$(PY) -m wangge.core.i18n_fill
	cd wangge && ../$(PY) ../manage.py compilemessages -l zh_Hans

clean:  ## remove the virtualenv and local data
	rm -rf $(VENV) .venv-bare var .pytest_cache .mypy_cache .ruff_cache
