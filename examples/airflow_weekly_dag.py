"""Airflow DAG: the weekly Community Workbook runs (copy into your dags/ folder and adjust the paths).

Two ways, pick one:

* ``weekly_grid`` runs the whole run config with ``python -m helpers run`` (grid, validation, parallel
  workers, timeouts, manifest.json, index.html, reports/latest). ``--as-of {{ ds }}`` makes a backfill or a
  rerun of an old date resolve ``last_7_days`` etc. against *that* date, so reruns are reproducible. Exit
  status 1 (some notebooks failed) fails the task; Airflow's retry then calls ``--retry-failed`` on the
  same folder, which reruns only the failed notebooks.
* ``audience_papermill`` runs a single notebook with Airflow's own PapermillOperator (no grid, no
  manifest): the same notebook, the same parameters cell.
"""
from __future__ import annotations

import datetime as dt

from airflow import DAG
from airflow.operators.bash import BashOperator
from airflow.providers.papermill.operators.papermill import PapermillOperator

WORKBOOK = "/srv/community-workbook"          # the checked-out workbook with its .venv
PYTHON = f"{WORKBOOK}/.venv/bin/python"
CONFIG = "examples/weekly.yml"                # name: weekly -> reports/weekly/<as-of>/

with DAG(
    dag_id="community_workbook_weekly",
    schedule="0 6 * * 1",                     # Mondays 06:00
    start_date=dt.datetime(2026, 1, 5),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 0},
    tags=["community-workbook"],
) as dag:
    weekly_grid = BashOperator(
        task_id="weekly_grid",
        cwd=WORKBOOK,
        # first attempt runs the grid; a cleared/retried task reruns only what failed in that folder
        bash_command=(
            f"if [ -f reports/weekly/{{{{ ds }}}}/manifest.json ]; then "
            f"{PYTHON} -m helpers run {CONFIG} --retry-failed reports/weekly/{{{{ ds }}}} --no-progress; "
            f"else {PYTHON} -m helpers run {CONFIG} --as-of {{{{ ds }}}} --jobs 2 --no-progress; fi"
        ),
        execution_timeout=dt.timedelta(hours=2),  # the config's timeout_seconds already stops hung notebooks
    )

    audience_papermill = PapermillOperator(
        task_id="audience_papermill",
        input_nb=f"{WORKBOOK}/notebooks/01_audience_research.ipynb",
        output_nb=f"{WORKBOOK}/reports/airflow/{{{{ ds }}}}/01_audience_research.ipynb",
        parameters={
            "data_dir": f"{WORKBOOK}/data/sample",
            "start": "{{ macros.ds_add(ds, -7) }}",   # last_7_days: the 7 complete days before ds
            "end": "{{ macros.ds_add(ds, -1) }}",
            "output_dir": f"{WORKBOOK}/reports/airflow/{{{{ ds }}}}/audience",
        },
        kernel_name="community-workbook",
    )
