# The two commands of the README:  make demo   and   make test   (make check: the quick loop while working)
# Both set up everything on a fresh machine (a venv in .venv, and LibreOffice for the tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO := demo-output

.PHONY: setup system demo test check templates docs clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

system:
	bash scripts/install-system-packages

demo: setup
	rm -rf $(DEMO)
	$(BIN)/xlplan ny samples/plan.toml -o $(DEMO)/projektmapper
	$(BIN)/xlplan tjek samples/returned --kun-fejl || \
		echo "(Eksemplerne indeholder med vilje fejl, så man kan se, hvad et team får at vide.)"
	$(BIN)/xlplan saml samples/returned --plan samples/plan.toml --opgjort-pr 15-06-2026 \
		-o $(DEMO)/samlet-status.xlsx --json $(DEMO)/samlet-status.json --pdf $(DEMO)/samlet-status.pdf
	@echo "Se $(DEMO)/: projektmapperne til hvert team og den samlede status til ledelsen."

test: setup system
	$(BIN)/python -m pytest -q

# Everything but what needs LibreOffice, a browser, a fresh virtual environment or half a second (marker "slow")
check: setup
	$(BIN)/python -m pytest -q -m "not libreoffice and not browser and not wheel and not floors and not slow"

templates: setup
	$(BIN)/xlplan skabelon

docs: setup system
	$(BIN)/python tools/cli_reference.py
	$(BIN)/python tools/render_docs.py
	$(BIN)/python tools/serve_screenshots.py

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache
