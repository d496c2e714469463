# Two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export REFLEX_USE_NPM := 1
export UV_LINK_MODE := copy

.PHONY: run run-scaled worker test lint bench bench-event-loop bench-mail bench-load clean

$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --inexact
	touch $@

$(VENV)/.installed-test: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --extra test
	touch $@ $(VENV)/.installed

/usr/bin/chromium:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

/usr/bin/caddy:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq caddy  # RUNLEVEL=1: no service started

/usr/bin/redis-server:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq redis-server  # RUNLEVEL=1: no service started

run: $(VENV)/.installed
	python scripts/run_local.py

run-scaled: $(VENV)/.installed /usr/bin/redis-server  # Redis, 2 backend workers on it, 2 dedicated job workers
	python scripts/run_local.py --scaled

worker: $(VENV)/.installed  # a dedicated job worker, for deployments whose app processes run none (JOB_WORKER_IN_APP=0)
	python -m resolution_app.jobs.worker

test: $(VENV)/.installed-test /usr/bin/chromium /usr/bin/redis-server /usr/bin/caddy
	ruff check .
	pytest

lint: $(VENV)/.installed-test
	ruff check .
	ruff format --check .

bench: $(VENV)/.installed-test  # the table, the export, the queue, uploads, page events, the API list and analytics; each beside its floor
	python bench/creator_table.py
	python bench/review_queue.py
	python bench/uploads.py
	python bench/claim_upload.py
	python bench/page_events.py
	python bench/api.py
	python bench/analytics.py

bench-event-loop: $(VENV)/.installed-test  # against `make run`'s server: start it first
	python bench/event_loop.py

bench-mail: $(VENV)/.installed-test
	python bench/mail_outbox.py

bench-load: $(VENV)/.installed-test /usr/bin/redis-server  # Locust: 200 users on 1 worker, then on 2 workers on Redis
	python bench/load.py

clean:
	rm -rf .venv .tools .web data
