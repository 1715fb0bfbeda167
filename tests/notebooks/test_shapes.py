"""Every notebook runs to the end on the shapes real exports have (issue 14, item 7), says in plain words what it
cannot compute, and records those figures as absent (null) in findings.json, never as 0.

Shapes (``builders.SHAPES``, cut from one small synthetic organisation by the session fixture ``shape_folders``):
no brand messages, one channel, every message in a language outside the configured ones (German), no campaigns/
incidents/audience rows, a few dozen messages, no labels; plus a period without messages. Each notebook runs on the
shapes that change what it can compute (19 papermill runs of ≈ 10–20 s): a shape that touches nothing a notebook
reads (one channel for notebook 04, say) is left out to keep the file within a few minutes.
"""
from __future__ import annotations

import json
from pathlib import Path

import papermill as pm
import pytest

from helpers.publish.recommend import FindingsView, recommend

ROOT = Path(__file__).resolve().parents[2]
KERNEL = "community-workbook"
pytestmark = pytest.mark.slow

NB01, NB02, NB03, NB04 = ("01_audience_research", "02_campaign_vs_community", "03_crisis_postmortem",
                          "04_sentiment_model")

#: (shape, notebook) -> (a statement the page must show, findings that must be null, findings that must equal)
EXPECTED: dict[tuple[str, str], tuple[str | None, tuple[str, ...], dict]] = {
    ("no_brand", NB01): ("No brand messages in this export",
                         ("response_rate", "response_rate_ci_low", "n_answered", "unanswered_questions",
                          "median_first_response_hours"), {"organisation_messages": 0}),
    ("no_brand", NB03): ("No brand messages in this export",
                         ("first_response_hours", "first_response_at", "reply_effect", "its_level_change"),
                         {"organisation_messages": 0, "crisis_detected": True}),
    ("one_channel", NB01): (None, (), {}),
    ("one_channel", NB02): (None, (), {}),
    ("other_language", NB01): ("No member message could be scored",
                               ("negative_share", "negative_share_ci_low"), {"sentiment_coverage": 0.0}),
    ("other_language", NB03): ("No member message could be scored",
                               ("peak_negative_share", "baseline_negative_share", "defender_share", "reply_effect",
                                "recovery_hours"), {"sentiment_coverage": 0.0}),
    ("other_language", NB04): (None, (), {"sentiment_model_trained": True}),
    ("no_tables", NB01): ("no audience table", ("active_member_share",), {}),
    ("no_tables", NB02): ("No paid campaign or community programme falls in the selected period",
                          ("retention_paid", "retention_community", "cost_per_retained_member_paid",
                           "engagement_rate_ratio_paid"), {"initiatives_analysed": 0}),
    ("no_tables", NB03): (None, ("incident_id",), {}),
    ("few_dozen", NB01): (None, (), {"messages_analysed": 40}),
    ("few_dozen", NB02): ("No paid campaign or community programme falls in the selected period",
                          ("retention_paid", "retention_community"), {"initiatives_analysed": 0}),
    ("few_dozen", NB03): ("Crisis detection cannot be computed", ("onset_at", "first_response_hours"),
                          {"crisis_detected": None}),
    ("few_dozen", NB04): ("No model trained", (), {"sentiment_model_trained": False}),
    ("no_labels", NB04): ("No model trained", (), {"sentiment_model_trained": False, "sentiment_labels": 0}),
    ("empty_period", NB01): ("No messages in the selected period",
                             ("response_rate", "negative_share", "ugc_share"), {"messages_analysed": 0}),
    ("empty_period", NB02): ("No messages", ("retention_paid",), {"messages_analysed": 0}),
    ("empty_period", NB03): ("No messages in the selected period", ("onset_at", "reply_effect"),
                             {"messages_analysed": 0, "crisis_detected": False}),
    ("empty_period", NB04): ("the selected brand and period hold no messages", (),
                             {"sentiment_model_trained": False}),
}


def _outputs_text(executed: dict) -> str:
    parts = []
    for cell in executed["cells"]:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append("".join(out["text"]))
            for kind in ("text/markdown", "text/plain", "text/html"):
                if kind in out.get("data", {}):
                    parts.append("".join(out["data"][kind]))
    return "\n".join(parts)


@pytest.mark.parametrize(("shape", "notebook"), sorted(EXPECTED), ids=lambda v: v)
def test_notebook_runs_on_shape(shape, notebook, shape_folders, tmp_path):
    statement, nulls, equal = EXPECTED[(shape, notebook)]
    out_dir = tmp_path / "out"
    params = {"data_dir": str(shape_folders.get(shape, shape_folders["full"])), "output_dir": str(out_dir)}
    if shape == "empty_period":
        params.update(start="2030-01-01", end="2030-01-31")
    if notebook == NB04:  # the model goes beside the run, not into the shared dataset folder
        params["model_dir"] = str(tmp_path / "model")
    executed = tmp_path / "executed.ipynb"
    pm.execute_notebook(str(ROOT / "notebooks" / f"{notebook}.ipynb"), str(executed), kernel_name=KERNEL,
                        parameters=params, cwd=str(ROOT), progress_bar=False)
    nb = json.loads(executed.read_text(encoding="utf-8"))
    assert not [o for c in nb["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    text = _outputs_text(nb)
    assert "Traceback" not in text
    if statement:
        assert statement in text
    found = json.loads((out_dir / "findings.json").read_text(encoding="utf-8"))
    for key in nulls:
        assert key in found and found[key] is None, (key, found.get(key, "missing"))
    for key, value in equal.items():
        assert found.get(key, "missing") == value, (key, found.get(key, "missing"))
    # no recommendation rests on an absent figure
    view = FindingsView(found)  # also derives keys (unanswered_question_share …) the rules read
    for rec in recommend(view, language="en"):
        assert all(view.get(k) is not None for k in rec.findings), (rec.rule, rec.findings)
