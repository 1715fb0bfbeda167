"""Airflow DAG: the weekly Community Workbook runs (copy into your dags/ folder and adjust the paths).

Two ways, pick one:

* ``weekly_grid`` runs the whole run config with ``python -m helpers run`` (grid, validation, parallel
  workers, timeouts, manifest.json, index.html, reports/latest). ``--as-of {{ ds }}`` makes a backfill or a
  rerun of an old date resolve ``last_7_days`` etc. against *that* date, so reruns are reproducible. Exit
  status 1 (some notebooks failed) fails the task; Airflow's retry then calls ``--retry-failed`` on the
  same folder, which reruns only the failed notebooks.
* ``audience_papermill`` runs a single notebook with Airflow's own PapermillOperator (no grid, no
  manifest): the same notebook, the same parameters cell. papermill does not create the output folder, so
  ``audience_folder`` makes ``reports/airflow/<ds>/`` first. The operator starts the kernel
  ``community-workbook``: Airflow's Jupyter must see it — install it for the Airflow user
  (``.venv/bin/python -m ipykernel install --user --name community-workbook``) or put
  ``<workbook>/.venv/share/jupyter`` on ``JUPYTER_PATH`` of the Airflow worker.

Written for Airflow 3 (``apache-airflow`` with ``apache-airflow-providers-papermill``; the BashOperator lives
in the standard provider); ``tests/notebooks/test_airflow_dag.py`` runs it with ``airflow dags test``.
"""
from __future__ import annotations

import datetime as dt
import os

from airflow.providers.papermill.operators.papermill import PapermillOperator
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

# the checked-out workbook with its .venv, and where reports go (override with the environment variables)
WORKBOOK = os.environ.get("COMMUNITY_WORKBOOK", "/srv/community-workbook")
REPORTS = os.environ.get("COMMUNITY_WORKBOOK_REPORTS", f"{WORKBOOK}/reports")
PYTHON = f"{WORKBOOK}/.venv/bin/python"
CONFIG = "examples/weekly.yml"                # name: weekly -> REPORTS/weekly/<as-of>/

with DAG(
    dag_id="community_workbook_weekly",
    schedule="0 6 * * 1",                     # Mondays 06:00
    start_date=dt.datetime(2025, 1, 6),       # a Monday; backfills of the sample year (2025) work too
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
            f"if [ -f {REPORTS}/weekly/{{{{ ds }}}}/manifest.json ]; then "
            f"{PYTHON} -m helpers run {CONFIG} --retry-failed {REPORTS}/weekly/{{{{ ds }}}} --no-progress; "
            f"else {PYTHON} -m helpers run {CONFIG} --output {REPORTS} --as-of {{{{ ds }}}} --jobs 2 --no-progress; fi"
        ),
        execution_timeout=dt.timedelta(hours=2),  # the config's timeout_seconds already stops hung notebooks
    )

    # papermill writes into an existing folder only
    audience_folder = BashOperator(
        task_id="audience_folder",
        bash_command=f"mkdir -p {REPORTS}/airflow/{{{{ ds }}}}",
    )

    audience_papermill = PapermillOperator(
        task_id="audience_papermill",
        input_nb=f"{WORKBOOK}/notebooks/01_audience_research.ipynb",
        output_nb=f"{REPORTS}/airflow/{{{{ ds }}}}/01_audience_research.ipynb",
        parameters={
            "data_dir": f"{WORKBOOK}/data/sample",
            "start": "{{ macros.ds_add(ds, -7) }}",   # last_7_days: the 7 complete days before ds
            "end": "{{ macros.ds_add(ds, -1) }}",
            "output_dir": f"{REPORTS}/airflow/{{{{ ds }}}}/audience",
        },
        kernel_name="community-workbook",
    )

    audience_folder >> audience_papermill
