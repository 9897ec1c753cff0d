# The two commands a newcomer needs: `make run` and `make test`.
# Everything else here is what those two call.

PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed

.PHONY: run test setup system-deps lint resources translations bench screenshot clean

run: setup
	$(PY) -m symdesk gui --demo-if-empty

test: setup
	$(VENV)/bin/ruff check symdesk tests tools benchmarks
	$(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

setup: $(STAMP)

# Reinstall when the dependency list changes.
$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory system-deps
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Qt needs a few shared libraries that a bare Debian lacks. Install them when
# we can (root, or sudo without a password); otherwise say what is missing.
system-deps:
	@sh tools/system-deps.sh

lint: setup
	$(VENV)/bin/ruff check symdesk tests tools benchmarks
	$(VENV)/bin/lint-imports

# Rebuild resources/ from ../shared/data (developers only; the product never reads ../shared).
resources: setup
	$(PY) tools/build_resources.py --shared ../shared/data --out resources

# Extract messages and update the Russian catalogue.
translations: setup
	$(VENV)/bin/pybabel extract -F tools/babel.cfg -o resources/locale/symdesk.pot --project symdesk --no-location --sort-output --keywords=N_ --keywords=pgettext:1c,2 symdesk
	$(VENV)/bin/pybabel update -i resources/locale/symdesk.pot -d resources/locale -D symdesk --no-fuzzy-matching

bench: setup
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
