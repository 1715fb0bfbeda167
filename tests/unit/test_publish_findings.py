"""helpers.report: findings are plain JSON with stable keys; pages escape user text and hide code."""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

from helpers.io import to_jsonable
from helpers.publish import Findings, write_index


def test_findings_are_plain_json(tmp_path):
    f = Findings(tmp_path / "out", notebook="nb", parameters={"data_dir": "x"})
    f.add("n", np.int64(3))
    f.update({"share": np.float64(0.25), "missing": float("nan"), "mix": {"ru": np.float32(0.5)},
              "when": pd.Timestamp("2025-01-01", tz="UTC"), "flag": np.bool_(True)})
    data = json.loads((tmp_path / "out" / "findings.json").read_text())
    assert data["n"] == 3 and data["share"] == 0.25 and data["missing"] is None
    assert data["mix"] == {"ru": 0.5} and data["when"].startswith("2025-01-01") and data["flag"] is True
    assert data["_meta"]["notebook"] == "nb"


def test_to_jsonable_handles_na():
    assert to_jsonable(pd.NA) is None and to_jsonable(pd.NaT) is None and to_jsonable(math.inf) is None


def test_findings_tables_are_spreadsheet_safe(tmp_path):
    f = Findings(tmp_path, notebook="nb")
    path = f.table("t", pd.DataFrame({"text": ["=HYPERLINK(\"x\")", "fine"], "n": [-1, 2]}))
    raw = path.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in raw and "-1" in raw


def test_index_escapes_everything(tmp_path):
    runs = [{"name": "<script>alert(1)</script>", "status": "failed", "html": None, "notebook": "n.ipynb",
             "error": "<img src=x onerror=alert(1)>", "duration_seconds": 1.0, "headline": {"k": "<b>"}}]
    html = write_index(tmp_path, runs, title="T <i>").read_text()
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html


def test_rendered_page_hides_code_escapes_text_has_alt_text_and_loads_no_remote_script(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    from helpers.publish.pages import render_notebook_html

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Page"),
        nbformat.v4.new_code_cell(
            "import pandas as pd\n"
            "from helpers import plots\n"
            f"from helpers.report import Findings\n"
            f"f = Findings({str(tmp_path / 'out')!r}, notebook='t')\n"
            "display(f.figure('mix', plots.language_mix_bar({'ru': 0.6, 'en': 0.4}, n=10)))\n"
            "pd.DataFrame({'text': ['<script>alert(1)</script>', '<img src=x onerror=alert(2)>']})"
        ),
    ]
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    executed = tmp_path / "nb.ipynb"
    nbformat.write(nb, executed)
    html = render_notebook_html(executed, tmp_path / "page.html", title="T").read_text()
    assert "import pandas" not in html  # code hidden
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "<img src=x" not in html
    assert 'alt="Bar chart of the language mix of 10 analysed messages' in html
    assert "cdnjs" not in html and "cdn.jsdelivr" not in html and "require.min.js" not in html
    assert (tmp_path / "out" / "figures" / "mix.png").is_file()


def test_key_numbers_table_leaves_out_when_the_model_was_trained(tmp_path):
    """Retraining the same labels changes only the training time: findings.json keeps it, the table does not."""
    from helpers import views
    f = Findings(tmp_path, notebook="x")
    f.update({"negative_share": 0.2, "sentiment_scorer_trained_at": "2026-12-02T03:16:59+00:00"})
    table = views.findings_table(f)
    assert "negative_share" in table.index and "sentiment_scorer_trained_at" not in table.index
    assert json.loads((tmp_path / "findings.json").read_text())["sentiment_scorer_trained_at"].startswith("2026")
