"""A researcher's path end to end: a raw export in someone else's format → import → the audience notebook.

The export is built from a fresh synthetic seed, renamed and reformatted the way platforms export
(own column names, naive local times as ``%d-%m-%Y %H.%M``, handles instead of ids, brand accounts named in
``brand_authors``), so the notebook's findings on the imported data can be checked against planted truth.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import papermill as pm
import pytest
import yaml

from helpers import synth
from helpers.io import load_dataset

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "01_audience_research.ipynb"

pytestmark = pytest.mark.slow


def test_import_then_notebook_recovers_planted_truth(tmp_path):
    ds, truth = synth.generate(seed=5, n_messages=4000)
    m = ds.messages
    handles = {a: f"@user_{i}" for i, a in enumerate(sorted(m["author_id"].unique()))}
    brand_handles = sorted({handles[a] for a in m.loc[m["author_role"] != "member", "author_id"]})
    export = (m.assign(
        when=m["created_at"].dt.tz_convert("Asia/Baku").dt.strftime("%d-%m-%Y %H.%M"),
        handle=m["author_id"].map(handles),
    ).rename(columns={"message_id": "post_id", "parent_id": "reply_to", "thread_id": "conversation",
                      "text": "body", "channel": "network", "reactions": "likes"})
      [["post_id", "reply_to", "conversation", "network", "when", "handle", "body", "likes", "shares"]])
    # 40 member comments are photos without a caption: kept as activity, skipped by text analyses
    members = export.index[(m["author_role"] == "member").to_numpy() & m["parent_id"].notna().to_numpy()]
    photos = members[::max(1, len(members) // 40)][:40]
    export["attachment"] = ""
    export.loc[photos, "body"] = ""
    export.loc[photos, "attachment"] = "photo"
    raw = tmp_path / "export.csv"
    export.to_csv(raw, index=False, encoding="utf-8-sig")
    before = raw.read_bytes()
    mapping = {
        "name": "imported-clinic",
        "columns": {"message_id": "post_id", "parent_id": "reply_to", "thread_id": "conversation",
                    "created_at": "when", "text": "body", "author_id": "handle", "channel": "network",
                    "reactions": "likes", "shares": "shares", "media": "attachment"},
        "constants": {"brand": "clinic"},
        "brand_authors": brand_handles,
        "timestamp_format": "%d-%m-%Y %H.%M",
        "timezone": "Asia/Baku",
        "languages": ["ru", "az", "en"],
    }
    map_path = tmp_path / "map.yml"
    map_path.write_text(yaml.safe_dump(mapping, allow_unicode=True))
    out = tmp_path / "mybrand"
    proc = subprocess.run([sys.executable, "-m", "helpers", "import", str(raw), "--map", str(map_path),
                           "--out", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert raw.read_bytes() == before  # raw data is never modified
    report = json.loads((out / "import_report.json").read_text())
    assert report["rows_read"] == len(m) == report["rows_kept"] + report["rows_quarantined"]
    assert report["rows_quarantined"] == 0
    imported = load_dataset(out)
    assert not imported.messages["author_id"].str.startswith("@").any()  # pseudonymised at import
    caption_less = imported.messages[imported.messages["x_media"].eq("photo").fillna(False)]
    assert len(caption_less) == 40 and caption_less["text"].eq("").all()

    findings_dir = tmp_path / "findings"
    pm.execute_notebook(str(NOTEBOOK), str(tmp_path / "executed.ipynb"), kernel_name="python3",
                        parameters={"data_dir": str(out), "output_dir": str(findings_dir)},
                        cwd=str(ROOT), progress_bar=False)
    found = json.loads((findings_dir / "findings.json").read_text())
    assert found["messages_analysed"] == truth["messages_analysed"]
    assert found["members_active"] == truth["members_active"]
    # timestamps lost their seconds in the export: allow the rounding
    assert found["median_first_response_hours"] == pytest.approx(truth["median_first_response_hours"], rel=0.10)
    assert abs(found["response_rate"] - truth["response_rate"]) <= 0.03
    for lang, share in truth["language_mix"].items():
        assert abs(found["language_mix"].get(lang, 0.0) - share) <= 0.03
    executed = (tmp_path / "executed.ipynb").read_text()
    for handle in list(handles.values())[:50]:
        assert f"{handle}\"" not in executed and f"{handle} " not in executed
