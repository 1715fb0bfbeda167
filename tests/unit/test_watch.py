"""``python -m helpers watch``: exit 0 quiet / 3 alert / 2 unusable, alert.json and escaped alert.html,
de-duplicated episodes, volume-only mode, and a replay whose shortcut gives exactly the hourly checks."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from helpers.watch import job, output
from helpers.watch.window import ALL_CHANNELS

from builders import copy_dataset

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
ONSET = pd.Timestamp("2025-07-20T05:30", tz="UTC")  # the sample's planted booking outage (I01)
PAYLOAD = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def watch(*args: str) -> subprocess.CompletedProcess:
    # TextBlob named: the suite's notebook 04 run may have trained data/sample/models/sentiment meanwhile
    return subprocess.run([sys.executable, "-m", "helpers", "watch", *args, "--sentiment-backend", "textblob"],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)


@pytest.fixture(scope="module")
def sample_data():
    return job.load(SAMPLE, "textblob")  # English is scored


def test_alert_then_quiet_for_the_same_episode(tmp_path):
    out = tmp_path / "out"
    first = watch(str(SAMPLE), "--as-of", "2025-07-20T18:00", "--out", str(out), "--no-progress")
    assert first.returncode == 3, first.stderr
    assert "ALERT Caspian Harbour Clinic / all channels" in first.stdout
    doc = json.loads((out / "alert.json").read_text(encoding="utf-8"))
    assert doc["status"] == "alert" and len(doc["alerts"]) == 1
    a = doc["alerts"][0]
    assert a["brand"] == "Caspian Harbour Clinic" and a["channel"] == ALL_CHANNELS
    assert abs(pd.Timestamp(a["onset_at"]) - ONSET) <= pd.Timedelta(hours=3)
    assert a["mode"] == "volume and negative share"
    vol, neg = a["volume"], a["negative_share"]
    assert vol["since_onset_messages"] > 3 * vol["expected_messages"] and vol["baseline_messages"] > 100
    assert neg["since_onset"] > neg["baseline"] and neg["since_onset_n"] >= 10 and neg["baseline_n"] > 0
    assert 3 <= len(a["examples"]) <= 5 and all(x["text"] for x in a["examples"])
    assert all(x["author"].startswith("m_") for x in a["examples"])  # pseudonyms, never handles
    assert a["terms"] and all(t["messages"] >= 3 for t in a["terms"])
    assert "first-hours" in doc["checklist"]
    page = (out / "alert.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "first hours" in page.lower()
    state = json.loads((out / job.STATE_FILE).read_text(encoding="utf-8"))
    assert len(state["raised"]) == 1

    again = watch(str(SAMPLE), "--as-of", "2025-07-20T19:00", "--out", str(out), "--no-progress")
    assert again.returncode == 0, again.stderr
    assert "already raised" in again.stdout
    doc = json.loads((out / "alert.json").read_text(encoding="utf-8"))
    assert doc["status"] == "quiet" and not doc["alerts"] and len(doc["ongoing_episodes"]) == 1


def test_quiet_day_exits_0(tmp_path):
    done = watch(str(SAMPLE), "--as-of", "2025-03-12T09:00", "--out", str(tmp_path), "--no-progress")
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "alert.json").read_text(encoding="utf-8"))["status"] == "quiet"


@pytest.mark.parametrize("args,message", [
    (["no/such/folder"], "no such dataset folder"),
    ([str(SAMPLE), "--as-of", "2025-13-40"], "--as-of: cannot read '2025-13-40'"),
    ([str(SAMPLE), "--brand", "Nobody"], "--brand 'Nobody' does not occur"),
    ([str(SAMPLE), "--replay", "2025-07-21", "2025-07-20"], "END"),
    ([str(SAMPLE), "--replay", "2025-07-20", "2025-07-21", "--every", "soon"], "--every: cannot read 'soon'"),
])
def test_unusable_input_exits_2_with_a_message(args, message, tmp_path):
    done = watch(*args, "--out", str(tmp_path), "--no-progress")
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert message in done.stderr and "Traceback" not in done.stderr


def test_dataset_without_member_messages_is_unusable(tmp_path):
    data = copy_dataset(SAMPLE, tmp_path / "ds")
    m = pd.read_csv(data / "messages.csv", dtype=str)
    m["author_role"] = m["author_role"].replace("member", "moderator")
    m.to_csv(data / "messages.csv", index=False)
    done = watch(str(data), "--out", str(tmp_path / "out"), "--no-progress")
    assert done.returncode == 2 and "no member messages" in done.stderr


def test_volume_only_when_the_scorer_reads_nothing(tmp_path):
    # languages ru/az only: English is never detected, so TextBlob (English only) scores nothing
    done = watch(str(SAMPLE), "--as-of", "2025-07-20T18:00", "--languages", "ru,az", "--out", str(tmp_path),
                 "--no-progress")
    assert done.returncode == 3, done.stderr
    a = json.loads((tmp_path / "alert.json").read_text(encoding="utf-8"))["alerts"][0]
    assert a["mode"].startswith("volume only") and "too few to confirm" in a["mode"]
    assert a["negative_share"]["since_onset_n"] == 0
    assert "volume only" in (tmp_path / "alert.html").read_text(encoding="utf-8")


def test_alert_page_escapes_every_data_value():
    rec = {"brand": PAYLOAD, "channel": PAYLOAD, "onset_at": "2025-07-20T05:30:00+00:00", "hours_since_onset": 2.0,
           "mode": "volume and negative share",
           "volume": {"since_onset_messages": 9, "since_onset_hours": 2.0, "per_hour": 4.5, "baseline_per_hour": 0.8,
                      "baseline_messages": 300, "ratio_to_baseline": 5.6},
           "negative_share": {"since_onset_text": "0.8 (n = 9)", "baseline_text": "0.2 (n = 60)"},
           "terms": [{"term": PAYLOAD, "messages": 4}],
           "examples": [{"created_at": "2025-07-20T06:00:00+00:00", "channel": PAYLOAD, "language": "en",
                         "author": PAYLOAD, "text": PAYLOAD}],
           "scopes": [{"channel": PAYLOAD, "since_onset_messages": 9}]}
    doc = output.alert_document("alert", pd.Timestamp("2025-07-20T08:00", tz="UTC"), Path("data/" + PAYLOAD),
                                [rec], [{"brand": PAYLOAD, "onset_at": "x"}],
                                {"window_hours": 24, "sentiment_backend": PAYLOAD, "sentiment_coverage": 0.2})
    page = output.render_html(doc)
    assert "<script" not in page and "<img" not in page and "onerror=\"" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "default-src 'none'" in page  # and the page itself forbids scripts and remote loads


@pytest.mark.slow
def test_replay_shortcut_matches_a_check_at_every_step(sample_data):
    start, end = ONSET.floor("h") - pd.Timedelta(hours=30), ONSET.floor("h") + pd.Timedelta(hours=12)
    fast = job.replay(sample_data, start, end, pd.Timedelta(hours=1))
    state, slow = job.AlertState(), []
    for step in pd.date_range(start, end, freq="h"):
        for alert in state.new_alerts(job.check(sample_data, step)):
            slow.append((step.isoformat(), alert.brand, alert.channel, alert.onset_at.isoformat()))
    assert [(r["raised_at"], r["brand"], r["channel"], r["onset_at"]) for r in fast] == slow
    assert len(fast) == 1 and 0 < fast[0]["delay_hours"] <= 12


@pytest.mark.slow
def test_replay_cli_scores_planted_crises(tmp_path):
    done = watch(str(SAMPLE), "--replay", "2025-07-10", "2025-07-25", "--every", "1h", "--out", str(tmp_path),
                 "--no-progress")
    assert done.returncode == 0, done.stderr
    doc = json.loads((tmp_path / "replay.json").read_text(encoding="utf-8"))
    assert doc["checks"] == 15 * 24 + 1
    planted = doc["planted"]
    assert planted["planted"] == 1 and planted["caught"] == 1 and planted["false_alarms"] == 0
    assert planted["crises"][0]["incident_id"] == "I01" and planted["crises"][0]["delay_hours"] <= 12
    assert "planted I01 onset 2025-07-20T05:30: caught" in done.stdout


def test_score_replay_counts_misses_and_false_alarms():
    planted = [{"incident_id": "A", "onset_at": pd.Timestamp("2025-01-10T06:00", tz="UTC")},
               {"incident_id": "B", "onset_at": pd.Timestamp("2025-03-01T06:00", tz="UTC")}]
    raised = [{"raised_at": "2025-01-10T08:00:00+00:00", "onset_at": "2025-01-10T05:45:00+00:00"},
              {"raised_at": "2025-02-01T08:00:00+00:00", "onset_at": "2025-02-01T05:00:00+00:00"}]
    s = job.score_replay(raised, planted, pd.Timestamp("2025-01-01", tz="UTC"), pd.Timestamp("2025-12-31", tz="UTC"))
    assert (s["caught"], s["missed"], s["false_alarms"]) == (1, 1, 1)
    assert s["median_delay_hours"] == 2.0 and s["false_alarms_per_year"] == pytest.approx(365 / 364, abs=0.01)
