# make demo: build the demo site and the demo PDF report from the bundled example answers.
# make test: lint, type-check and run every test.
# Both create .venv and install the project with its extras; run as root, they also
# install the missing system packages (Chromium, poppler, fonts, Pango) with apt-get.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := chromium poppler-utils fonts-dejavu-core fonts-liberation2 libpango-1.0-0 \
	libpangoft2-1.0-0 libharfbuzz-subset0 nodejs
OUT := out

.PHONY: demo test lint system clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

system:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || { [ $$p = nodejs ] && command -v node >/dev/null; } || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else echo "missing system packages (run as root or install them):$$missing"; fi; \
	fi

demo: system $(BIN)/.installed
	$(BIN)/loyalty-audit validate questions
	$(BIN)/loyalty-audit score --bank questions --baseline examples/demo-2025 examples/demo
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict
	$(BIN)/loyalty-audit report --bank questions --brand examples/brand/brand.yaml \
	  --baseline examples/demo-2025 --plan examples/demo-plan.yaml \
	  -o $(OUT)/informe-demo.pdf --appendix $(OUT)/anexo-demo.pdf --html $(OUT)/informe-demo.html examples/demo
	$(BIN)/loyalty-audit report --bank questions --brand examples/brand/brand.yaml --lang en \
	  --baseline examples/demo-2025 --plan examples/demo-plan.yaml \
	  -o $(OUT)/report-demo-en.pdf --appendix $(OUT)/appendix-demo-en.pdf examples/demo
	$(BIN)/loyalty-audit form --bank questions --organisation "Muebles Alba S.L." -o $(OUT)/cuestionario.pdf
	$(BIN)/loyalty-audit export --bank questions --baseline examples/demo-2025 --plan examples/demo-plan.yaml \
	  -o $(OUT)/auditoria-demo.xlsx examples/demo
	@echo "site: open site/index.html (or serve site/ from any static host); report: $(OUT)/informe-demo.pdf"
	@echo "also in $(OUT)/: anexo-demo.pdf (data pack), report-demo-en.pdf and appendix-demo-en.pdf, cuestionario.pdf (fillable form), auditoria-demo.xlsx"

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: system $(BIN)/.installed lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) site $(OUT) .pytest_cache .mypy_cache .ruff_cache .hypothesis
