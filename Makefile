# Community Workbook — `make report` (main job) and `make test` (the whole suite).
# Both set themselves up: a .venv made with the machine's python, the project with its test extras,
# and a Jupyter kernel "community-workbook". A second call skips the install.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
KERNEL := community-workbook
SEED   ?= 7
# every committed notebook: nbval compares them, `make notebooks` re-executes them
NOTEBOOKS := $(sort $(wildcard notebooks/0*.ipynb))
SAMPLE_MODEL := data/sample/models/sentiment/model.joblib

.PHONY: setup report test lab sample notebooks playbook bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "installing the workbook into $(VENV) (first run takes a few minutes)…"
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -e '.[test]'
	@$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Community Workbook (Python 3)" >/dev/null
	@touch $(STAMP)

## make report: run config/report.yml on data/sample; the last line printed is reports/latest/index.html
report: $(STAMP) $(SAMPLE_MODEL)
	@$(PY) -m helpers run config/report.yml

# the sample's own sentiment scorer, trained on data/sample/labels.csv (about 10 s): the crisis run reads
# Russian and Azerbaijani with it, where TextBlob and VADER read English only
$(SAMPLE_MODEL): data/sample/labels.csv | $(STAMP)
	@$(PY) -m helpers sentiment train data/sample --out $(dir $(SAMPLE_MODEL))

## make test: unit tests, bad-input tests, nbval over the committed notebook, papermill ground-truth checks
# (the committed notebooks were executed with the sample's own model, which sentiment_backend "auto" runs)
test: $(STAMP) $(SAMPLE_MODEL)
	@$(PY) -m pytest tests \
		--nbval $(NOTEBOOKS) \
		--nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

## make lab: JupyterLab on the workbook's kernel
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=. --MappingKernelManager.default_kernel_name=$(KERNEL) \
		$(if $(filter 0,$(shell id -u)),--allow-root)

## make sample: regenerate data/sample (deterministic for SEED)
sample: $(STAMP)
	$(PY) -m helpers synth --out data/sample --seed $(SEED) --labels 500 --lexicon-hard-share 0.4

## make notebooks: re-execute the committed notebooks on data/sample (their outputs are what nbval compares)
notebooks: $(STAMP)
	cd notebooks && ../$(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace $(notdir $(NOTEBOOKS))

## make playbook: render the edition of the latest run into playbooks/sample-edition (English, Russian, Azerbaijani)
playbook: $(STAMP)
	$(PY) -m helpers playbook reports/latest --out playbooks/sample-edition/en
	$(PY) -m helpers playbook reports/latest --language ru --out playbooks/sample-edition/ru
	$(PY) -m helpers playbook reports/latest --language az --out playbooks/sample-edition/az

## make bench: throughput and wall-time measurements (not part of make test)
bench: $(STAMP)
	$(PY) benchmarks/bench_text.py
	$(PY) benchmarks/bench_report.py
	$(PY) benchmarks/bench_runs.py
	$(PY) benchmarks/bench_import.py
	$(PY) benchmarks/bench_watch.py
	$(PY) benchmarks/bench_labels.py
	$(PY) benchmarks/bench_scale.py
	$(PY) benchmarks/bench_cache.py --out benchmarks/results/cache.md
	$(PY) benchmarks/bench_synth.py

clean:
	rm -rf $(VENV) reports/*/ reports/latest
