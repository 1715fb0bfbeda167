"""Builders shared by several test files: constructed findings, notebooks and run folders (no papermill).

``audience()`` gives notebook-01 findings a run would record; ``notebook()`` a small executed notebook with
user text and a chart; ``make_run()`` a run folder with its manifest, as ``python -m helpers run`` writes it.
"""
from __future__ import annotations

import base64
import io
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import nbformat
from helpers.publish.pages import render_notebook_html


def audience(**over) -> dict:
    """Findings as notebook 01 records them (a slow, evening-starved organisation)."""
    f = {
        "messages_analysed": 12010, "members_active": 979, "active_member_share": 0.0232,
        "active_member_share_ci_low": 0.0218, "active_member_share_ci_high": 0.0247,
        "participation_gini": 0.61, "top1pct_message_share": 0.16, "top10pct_message_share": 0.48,
        "language_mix": {"ru": 0.444, "az": 0.347, "en": 0.202, "und": 0.007},
        "sentiment_backend": "textblob", "sentiment_coverage": 0.199, "sentiment_coverage_ci_low": 0.19,
        "sentiment_coverage_ci_high": 0.21, "sentiment_coverage_n": 7064,
        "negative_share": 0.215, "negative_share_ci_low": 0.194, "negative_share_ci_high": 0.237,
        "negative_share_n": 1406,
        "median_first_response_hours": 12.65, "median_first_response_hours_ci_low": 12.19,
        "median_first_response_hours_ci_high": 13.10, "p90_first_response_hours": 34.4,
        "response_rate": 0.72, "response_rate_ci_low": 0.708, "response_rate_ci_high": 0.731,
        "n_openers": 5759, "n_answered": 4146, "unanswered_questions": 367, "response_sla_hours": 24,
        "questions": 1266, "question_clusters": 34, "ugc_share": 0.0776, "ugc_share_ci_low": 0.0716,
        "ugc_share_ci_high": 0.084, "n_ugc": 548, "n_member_messages": 7064,
        "median_first_response_hours_night": 10.9, "median_first_response_hours_night_ci_low": 10.2,
        "median_first_response_hours_night_ci_high": 11.3, "median_first_response_hours_night_n": 507,
        "openers_night": 695,
        "median_first_response_hours_day": 4.7, "median_first_response_hours_day_ci_low": 4.3,
        "median_first_response_hours_day_ci_high": 5.0, "median_first_response_hours_day_n": 2337,
        "openers_day": 3243,
        "median_first_response_hours_evening": 15.9, "median_first_response_hours_evening_ci_low": 15.6,
        "median_first_response_hours_evening_ci_high": 16.2, "median_first_response_hours_evening_n": 1302,
        "openers_evening": 1821,
        "_meta": {"notebook": "01_audience_research"},
    }
    f.update(over)
    return f


CODE_MARKER = "SECRET_CODE_CELL_MARKER = 42"


def png_bytes() -> bytes:
    """A real PNG chart (matplotlib, Agg)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1, 2], [1, 3, 2])
    ax.set_title("Messages per week")
    ax.set_ylabel("messages per week")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=60)
    plt.close(fig)
    return buf.getvalue()


def notebook(user_text: str = "plain member text", alt: str = "Line chart of messages per week") -> nbformat.NotebookNode:
    """An executed-looking notebook: markdown, a code cell with outputs (markdown, HTML table, PNG chart)."""
    import pandas as pd

    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("# Audience research\n\nWhat the audience asks."))
    code = nbformat.v4.new_code_cell(CODE_MARKER + "\nprint('hidden?')")
    table = pd.DataFrame({"message_id": ["m1", "m2"], "text": [user_text, "second"]})
    code.outputs = [
        nbformat.v4.new_output("display_data", data={"text/markdown": f"**Sample:** {user_text}",
                                                     "text/plain": "sample"}),
        nbformat.v4.new_output("execute_result", data={"text/html": table._repr_html_(),
                                                       "text/plain": "table"}, execution_count=1),
        nbformat.v4.new_output("display_data", data={"text/html": table.style.to_html(), "text/plain": "styled"}),
        nbformat.v4.new_output("display_data", data={"image/png": base64.b64encode(png_bytes()).decode("ascii"),
                                                     "text/plain": alt},
                               metadata={"image/png": {"alt": alt}}),
    ]
    nb.cells.append(code)
    return nb


def make_run(tmp_path: Path, runs: dict[str, dict | None], title: str = "Sample organisation",
             user_text: str = "plain member text", failed: dict[str, str] | None = None,
             alt: str = "Line chart of messages per week") -> Path:
    """A finished run folder as helpers.run writes it: manifest.json, <id>/findings.json, <id>/report.html."""
    run_dir = tmp_path / "run"
    records = []
    for run_id, findings in runs.items():
        out = run_dir / run_id
        out.mkdir(parents=True, exist_ok=True)
        rec = {"id": run_id, "name": f"{run_id.title()} research", "notebook": f"notebooks/{run_id}.ipynb",
               "parameters": {}, "status": "ok", "error": None, "html": None, "headline": {}}
        if failed and run_id in failed:
            rec.update(status="failed", error=failed[run_id])
        if findings is not None:
            (out / "findings.json").write_text(json.dumps(findings, ensure_ascii=False), encoding="utf-8")
            nb_path = out / "executed.ipynb"
            nbformat.write(notebook(user_text, alt), str(nb_path))
            render_notebook_html(nb_path, out / "report.html", title=rec["name"])
            rec["html"], rec["executed"] = f"{run_id}/report.html", f"{run_id}/executed.ipynb"
        records.append(rec)
    manifest = {"config": "sample", "title": title, "as_of": "2026-03-01T09:00:00+00:00",
                "status": "ok" if not failed else "failed", "runs": records}
    (run_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return run_dir


CRISIS = {"crisis_detected": True, "onset_at": "2025-05-10T18:00:00+00:00", "first_response_hours": 6.5,
          "peak_hours": 9.0, "recovery_hours": 80.0, "baseline_negative_share": 0.12, "peak_negative_share": 0.55,
          "defender_share": 0.04, "reply_effect": 0.12, "reply_effect_ci_low": 0.05, "reply_effect_ci_high": 0.2}


class Tags(HTMLParser):
    """Collects start tags with attributes and the visible text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Tags:
    p = Tags()
    p.feed(html)
    return p



def copy_dataset(folder: Path, to: Path) -> Path:
    """A private copy of a shared dataset folder (for tests that write labels, models or imports into it)."""
    shutil.copytree(folder, to)
    return to


# ---------------------------------------------------------------------------------------------------------
# Dataset shapes real exports have (issue 14, item 7): each a function Dataset -> Dataset
# ---------------------------------------------------------------------------------------------------------

#: German member texts for the "one language outside the configured set" shape (questions, complaints, praise)
GERMAN_TEXTS = (
    "Wann öffnet die Klinik am Samstag?", "Ich warte seit drei Stunden, das ist eine Frechheit!",
    "Vielen Dank für die schnelle Hilfe, sehr freundliches Personal.", "Gibt es noch freie Termine nächste Woche?",
    "Die Anmeldung funktioniert schon wieder nicht, sehr ärgerlich.", "Super Veranstaltung gestern, gerne wieder!",
    "Warum antwortet hier niemand auf meine Nachricht?", "Kann man den Befund auch online abholen?",
    "Das Wartezimmer war sauber und ruhig, alles bestens.", "Schlechter Service, ich komme nicht mehr.",
)


def _roots(messages):
    """Thread roots after rows were dropped: a parent that is gone is nulled, each message's thread is the
    top of its remaining chain of parents."""
    import pandas as pd

    m = messages.copy()
    m["parent_id"] = m["parent_id"].where(m["parent_id"].isin(m["message_id"]))
    parent = dict(zip(m["message_id"], m["parent_id"]))

    def root(mid):
        seen = set()
        while not pd.isna(parent.get(mid)) and mid not in seen:
            seen.add(mid)
            mid = parent[mid]
        return mid

    m["thread_id"] = [root(mid) for mid in m["message_id"]]
    return m


def _labels_for(labels, messages):
    return None if labels is None else labels[labels["message_id"].isin(messages["message_id"])].reset_index(drop=True)


def _with_messages(ds, messages):
    import dataclasses

    messages = _roots(messages).reset_index(drop=True)
    return dataclasses.replace(ds, messages=messages, labels=_labels_for(ds.labels, messages))


def shape_no_brand(ds):
    """Only member messages (the organisation's replies are not in the export)."""
    return _with_messages(ds, ds.messages[ds.messages["author_role"].eq("member")])


def shape_one_channel(ds):
    """The busiest channel only."""
    channel = ds.messages["channel"].value_counts().index[0]
    keep = ds.messages["channel"].eq(channel)
    out = _with_messages(ds, ds.messages[keep])
    out.campaigns = ds.campaigns[ds.campaigns["channel"].eq(channel)].reset_index(drop=True)
    out.messages["campaign_id"] = out.messages["campaign_id"].where(
        out.messages["campaign_id"].isin(out.campaigns["campaign_id"]))
    return out


def shape_other_language(ds):
    """Every message in German, which the export marks as such (outside the configured ru/az/en)."""
    import dataclasses

    m = ds.messages.copy()
    m["text"] = [GERMAN_TEXTS[i % len(GERMAN_TEXTS)] for i in range(len(m))]
    m["language"] = "de"
    return dataclasses.replace(ds, messages=m)


def shape_no_tables(ds):
    """No campaigns, incidents or audience rows."""
    import dataclasses

    import pandas as pd
    from helpers.io import empty_table

    return dataclasses.replace(ds, campaigns=empty_table("campaigns"), incidents=empty_table("incidents"),
                               audience=empty_table("audience"),
                               messages=ds.messages.assign(campaign_id=pd.NA).astype({"campaign_id": "string"}))


def shape_few_dozen(ds, n: int = 40):
    """The first ``n`` messages (no campaigns: none of their posts would belong to one)."""
    import dataclasses

    import pandas as pd
    from helpers.io import empty_table

    out = _with_messages(ds, ds.messages.sort_values("created_at").head(n))
    out.messages["campaign_id"] = pd.Series(pd.NA, index=out.messages.index, dtype="string")
    return dataclasses.replace(out, campaigns=empty_table("campaigns"))


def shape_no_labels(ds):
    """No labels table (nothing to train a sentiment model on)."""
    import dataclasses

    return dataclasses.replace(ds, labels=None)


SHAPES = {"no_brand": shape_no_brand, "one_channel": shape_one_channel, "other_language": shape_other_language,
          "no_tables": shape_no_tables, "few_dozen": shape_few_dozen, "no_labels": shape_no_labels}
"""Name -> Dataset transformation, for tests/notebooks/test_shapes.py and tests/unit."""
