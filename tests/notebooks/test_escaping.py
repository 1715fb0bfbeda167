"""User text is data, never markup: planted HTML/JS/Markdown/formula payloads stay text in pages and editions.

Fast tests render constructed notebooks and editions; the slow test plants the payloads (and raw author
handles) in a synthetic raw export, imports it, runs the audience notebook with papermill, renders its page and
an edition, and checks that the payloads appear only as text and that no handle appears anywhere.
"""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from helpers.publish.findings import Findings
from helpers.publish.pages import render_notebook_html
from helpers.publish.playbook import render_edition
from helpers.publish.safehtml import clean_fragment, markdown_to_html

from builders import audience, make_run, notebook, parse

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "01_audience_research.ipynb"

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
MD_LINK = "[x](javascript:alert(1))"
A_LINK = '<a href="javascript:alert(2)">click</a>'
FORMULA = '=HYPERLINK("http://evil.example","x")'
PAYLOAD = f"{FORMULA} {SCRIPT} {IMG} {MD_LINK} {A_LINK}"
TEXT_PAYLOADS = (SCRIPT, IMG, A_LINK, FORMULA)  # must be readable as text on the page


def assert_inert(html: str, *, expect_text: tuple[str, ...] = ()) -> None:
    """No script element, no event handler, no javascript:/external URL, no embedded active content; the
    ``expect_text`` strings are present in the page's text (i.e. they were escaped, not interpreted)."""
    page = parse(html)
    for tag, attrs in page.tags:
        assert tag not in {"script", "iframe", "object", "embed", "form", "svg", "base"}, (tag, attrs)
        for name, value in attrs.items():
            assert not name.lower().startswith("on"), (tag, name, value)
            if name in {"href", "src", "action", "formaction", "xlink:href"} and value:
                v = value.strip().lower()
                assert not v.startswith(("javascript:", "vbscript:", "http://", "https://", "//")) or \
                    (tag == "a" and v.startswith(("http://", "https://"))), (tag, name, value)
                if tag == "img":
                    assert v.startswith("data:image/png;base64,"), value
    text = "".join(page.text)
    for needle in expect_text:
        assert needle in text, f"{needle!r} not shown as text"


# ------------------------------------------------------------------------------------------ fast


def test_cleaner_escapes_disallowed_markup():
    out = clean_fragment(f"<p>{PAYLOAD}</p><style>td{{color:red}}</style><table><tr><td onclick=x()>1</td></tr></table>",
                         links=False)
    assert_inert(out, expect_text=(SCRIPT, IMG, A_LINK))
    assert_inert(clean_fragment(A_LINK))  # where links are allowed, the javascript: target is dropped
    assert "<table>" in out and "<td>1</td>" in out and "color:red" not in out
    md = markdown_to_html(f"**Sample:** {PAYLOAD} [ok](https://example.org)")
    assert_inert(md, expect_text=(SCRIPT, IMG, A_LINK))
    assert '<a href="https://example.org">ok</a>' in md and "javascript" not in md.split("</strong>")[0]


def test_notebook_page_escapes_markdown_html_styler_and_alt_text(tmp_path):
    nb = notebook(user_text=PAYLOAD, alt=f'Chart "quoted" {SCRIPT}')
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, str(path))
    html = render_notebook_html(path, tmp_path / "page.html").read_text(encoding="utf-8")
    assert_inert(html, expect_text=TEXT_PAYLOADS)
    imgs = [a for t, a in parse(html).tags if t == "img"]
    assert [a["alt"] for a in imgs] == [f'Chart "quoted" {SCRIPT}']  # alt stays one attribute value


def test_edition_escapes_every_string_it_shows(tmp_path):
    hostile = dict(audience(), sentiment_backend=PAYLOAD, crisis_type=PAYLOAD, crisis_detected=True,
                   first_response_hours=3.0,
                   initiatives={PAYLOAD: {"kind": PAYLOAD, "engagement_lift": 0.1, "engagement_lift_ci_low": -0.1,
                                          "engagement_lift_ci_high": 0.3}})
    run_dir = make_run(tmp_path, {"audience": hostile, "crisis": None}, title=f"Org {SCRIPT}",
                       user_text=PAYLOAD, failed={"crisis": f"ValueError: {IMG}"})
    for lang in ("en", "ru"):
        index = render_edition(run_dir, language=lang, out_dir=tmp_path / lang)
        pages = list(index.parent.rglob("*.html"))
        assert len(pages) == 5
        for page in pages:
            assert_inert(page.read_text(encoding="utf-8"))
        assert_inert(index.read_text(encoding="utf-8"), expect_text=(f"Org {SCRIPT}", f"ValueError: {IMG}"))
        crisis = (index.parent / "crisis-communication.html").read_text(encoding="utf-8")
        assert_inert(crisis, expect_text=(SCRIPT,))  # crisis_type shown as text (truncated to 120 chars)
        assert_inert((index.parent / "pages" / "audience.html").read_text(encoding="utf-8"),
                     expect_text=TEXT_PAYLOADS)


def test_spreadsheet_tables_neutralise_formulas(tmp_path):
    f = Findings(tmp_path, notebook="t")
    path = f.table("samples", pd.DataFrame({"text": [FORMULA, "+1", "-2", "@x", "plain"]}))
    with path.open(encoding="utf-8-sig") as fh:  # written with a BOM so spreadsheet apps detect UTF-8
        cells = [row["text"] for row in csv.DictReader(fh)]
    assert cells == ["'" + FORMULA, "'+1", "'-2", "'@x", "plain"]


# ------------------------------------------------------------------------------------------ slow


def _hostile_export(tmp_path: Path) -> tuple[Path, Path, list[str]]:
    """A raw export with handles for authors and the payload prepended to recent member messages."""
    from helpers import synth

    ds, _ = synth.generate(seed=23, n_messages=3000)
    m = ds.messages.copy()
    handles = {a: f"rawhandle.{i:04d}.zq" for i, a in enumerate(sorted(m["author_id"].unique()))}
    brand_handles = sorted({handles[a] for a in m.loc[m["author_role"] != "member", "author_id"]})
    recent = (m["author_role"] == "member") & (m["created_at"] >= m["created_at"].max() - pd.Timedelta(days=20))
    # tables truncate long texts (pandas max_colwidth 120): the markup payloads go first, the formula elsewhere
    markup = f"{SCRIPT} {IMG} {A_LINK} {MD_LINK} "
    alternate = pd.Series(range(len(m)), index=m.index) % 4 == 0
    m.loc[recent & ~alternate, "text"] = markup + m.loc[recent & ~alternate, "text"]
    m.loc[recent & alternate, "text"] = FORMULA + " " + m.loc[recent & alternate, "text"]
    export = m.assign(handle=m["author_id"].map(handles),
                      when=m["created_at"].dt.strftime("%Y-%m-%dT%H:%M:%SZ"))[
        ["message_id", "parent_id", "thread_id", "channel", "when", "handle", "text", "reactions", "shares"]]
    raw = tmp_path / "export.csv"
    export.to_csv(raw, index=False)
    mapping = {"name": "hostile", "columns": {"message_id": "message_id", "parent_id": "parent_id",
                                              "thread_id": "thread_id", "created_at": "when", "text": "text",
                                              "author_id": "handle", "channel": "channel",
                                              "reactions": "reactions", "shares": "shares"},
               "constants": {"brand": "clinic"}, "brand_authors": brand_handles, "timezone": "Asia/Baku",
               "languages": ["ru", "az", "en"]}
    map_path = tmp_path / "map.yml"
    map_path.write_text(yaml.safe_dump(mapping, allow_unicode=True))
    return raw, map_path, sorted(handles.values())


@pytest.mark.slow
def test_planted_payloads_and_handles_through_import_notebook_and_edition(tmp_path):
    import papermill as pm

    raw, map_path, handles = _hostile_export(tmp_path)
    data = tmp_path / "data"
    proc = subprocess.run([sys.executable, "-m", "helpers", "import", str(raw), "--map", str(map_path), "--out",
                           str(data)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    run_dir = tmp_path / "run"
    out = run_dir / "audience"
    executed = out / "executed.ipynb"
    out.mkdir(parents=True)
    pm.execute_notebook(str(NOTEBOOK), str(executed), kernel_name="python3", cwd=str(ROOT), progress_bar=False,
                        parameters={"data_dir": str(data), "output_dir": str(out)})
    page = render_notebook_html(executed, out / "report.html", title="Audience research")
    html = page.read_text(encoding="utf-8")
    # the payloads reached the page (missed-questions table) and are shown only as text
    assert_inert(html, expect_text=(SCRIPT, IMG, A_LINK))
    manifest = {"config": "hostile", "title": "Hostile sample", "as_of": "2026-03-01T09:00:00+00:00", "status": "ok",
                "runs": [{"id": "audience", "name": "Audience research", "notebook": str(NOTEBOOK), "status": "ok",
                          "error": None, "html": "audience/report.html", "parameters": {}, "headline": {}}]}
    (run_dir / "manifest.json").write_text(json.dumps(manifest))
    editions = [render_edition(run_dir, language=lang, out_dir=tmp_path / f"ed-{lang}") for lang in ("en", "ru")]
    for index in editions:
        for p in index.parent.rglob("*.html"):
            assert_inert(p.read_text(encoding="utf-8"))
        assert_inert((index.parent / "pages" / "audience.html").read_text(encoding="utf-8"),
                     expect_text=(SCRIPT, IMG, A_LINK))
    # no raw author handle anywhere: the imported data, findings, tables, the page and both editions
    outputs = [p for p in [*out.rglob("*"), *tmp_path.glob("ed-*/**/*"), *data.rglob("*")]
               if p.is_file() and p.suffix in {".html", ".json", ".csv", ".ipynb", ".txt"}]
    assert len(outputs) > 10
    for p in outputs:
        body = p.read_text(encoding="utf-8", errors="replace")
        leaked = [h for h in handles if h in body]
        assert not leaked, f"{p}: raw handles {leaked[:3]}"
    # spreadsheet outputs never start a cell with a formula character
    for table in out.glob("tables/*.csv"):
        with table.open(encoding="utf-8-sig") as fh:
            for row in csv.reader(fh):
                assert not any(c[:1] in {"=", "+", "@", "\t", "\r"} for c in row), (table, row)
