# The two commands: `make run` (set up + demo on SQLite + serve) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := FLASK_APP=app:create_app $(BIN)/flask
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: run test setup migrate db demo serve clean ci translations catalogs screenshots lock lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Every package pinned with its hashes (requirements-dev.lock, made from requirements*.txt by
# `make lock`); reinstalled when the lock changes.
$(VENV)/.installed: requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

# The packages, then the compiled catalogs (built here, not committed: `catalogs` below).
setup: $(VENV)/.installed catalogs

db: setup
	$(FLASK) db upgrade

demo: db
	@$(FLASK) ensure-admin
	@$(FLASK) seed-demo

run: demo
	@echo ""
	@echo "  After-sales service desk: http://$(HOST):$(PORT)/"
	@echo "  Logins: admin (Admin) and manager, tech, field1, field2, cs, keeper (demo roles)."
	@echo "  Passwords were printed above when the logins were created."
	@echo ""
	$(FLASK) run --host $(HOST) --port $(PORT)

# The suite on both cores: two pytest-xdist workers, each with its own database (tests/conftest.py),
# each test file whole on one worker, in file order (--dist loadfile: the fuzz's deletes last, module
# fixtures built once). TEST_WORKERS=0: one process, as .ci/run does.
TEST_WORKERS ?= 2
test: setup
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

ci:
	bash .ci/run

# docs/screenshots from the browser tests (Debian's chromium; the tests save the key screens).
screenshots: setup
	rm -f docs/screenshots/*.png
	SCREENSHOT_DIR=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest -q tests/browser $(PYTEST_ARGS)

# After editing requirements.txt (runtime) or requirements-dev.txt (tests, tools): the hashed locks.
PIP_TOOLS := $(VENV)/pip-tools
lock: | $(BIN)/python
	test -x $(PIP_TOOLS)/bin/pip-compile || ($(PYTHON) -m venv $(PIP_TOOLS) && $(PIP_TOOLS)/bin/pip install --quiet pip-tools==7.6.2)
	for f in requirements requirements-dev; do \
		$(PIP_TOOLS)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
			--no-emit-index-url --no-emit-find-links --output-file $$f.lock $$f.txt || exit 1; \
	done

# ruff with the rule sets of pyproject.toml (pyflakes, pycodestyle, isort, bugbear, pyupgrade,
# simplify) over the code, the bench and the tests; the layering contracts (import-linter:
# views -> services -> models, models and security free of the screens); types (mypy: strict
# on app/services and app/security). All configured in pyproject.toml.
lint: setup
	$(BIN)/ruff check app bench tests
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

clean:
	rm -rf $(VENV) instance .pytest_cache

# Translations (docs/I18N.md). The .po catalogs are the source; the compiled .mo files and the
# extracted .pot are build products, ignored by git. `catalogs` compiles a .mo whose .po is newer
# (on every `make setup`, so run, test, lint and CI have them; in production after each install:
# docs/DEPLOY.md). It needs only .venv/bin/pybabel (Babel is a runtime package), not the dev tools.
LOCALES := zh_Hans zh_Hant
CATALOGS := $(foreach l,$(LOCALES),translations/$(l)/LC_MESSAGES/messages.mo) \
	translations/fab/zh_Hant/LC_MESSAGES/messages.mo
catalogs: $(CATALOGS)
	@:

%.mo: %.po
	$(BIN)/pybabel compile --statistics -i $< -o $@

# Extract every string (into the ignored translations/messages.pot), update both catalogs, compile.
translations: setup
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		--project after-sales-desk -o translations/messages.pot .
	for l in $(LOCALES); do \
		$(BIN)/pybabel update -i translations/messages.pot -d translations -l $$l \
			--no-fuzzy-matching --ignore-obsolete --no-wrap || exit 1; \
	done
	@$(MAKE) --no-print-directory catalogs

# Regenerate docs/PERMISSIONS.md from app/security/policy.py (a test fails when it is stale).
.PHONY: permissions-doc
permissions-doc: setup
	$(FLASK) permissions-doc

# Page speed at a tenth of a real department's size, beside stock FAB (docs/PERFORMANCE.md).
.PHONY: bench bench-postings
bench: setup
	$(BIN)/python bench/scale.py --fraction 0.1 --sqlite /tmp/scale.db
	$(BIN)/python bench/pages.py --sqlite /tmp/scale.db

# Concurrent stock postings through the API: 8 keepers, 4 gunicorn workers, PostgreSQL on
# 127.0.0.1 (database bench_postings, WIPED), 30 s, then the ledger invariants (docs/PERFORMANCE.md).
bench-postings: setup
	$(BIN)/python bench/postings.py $(BENCH_ARGS)
