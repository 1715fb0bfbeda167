"""A real browser opens a rendered edition: code hidden, every image loads, no script from user text runs.

Headless Chromium is driven over the DevTools protocol (a small client on ``websocket-client``): the test loads
the edition's index and a notebook page that carry planted payloads, waits for the load event (which waits for
images), and asks the live DOM — after any script would have run — whether

* a code cell's input is visible (it must not be: pages hide code),
* every ``<img>`` finished loading with a non-zero natural width,
* any ``<script>`` element, ``on…`` handler or ``javascript:`` link exists, a planted marker fired, or a
  JavaScript dialog (``alert``) opened,
* the page requested anything beyond ``file:``/``data:`` URLs (pages must work offline),

and saves a screenshot of each page under the test's tmp dir (or under ``$WORKBOOK_SCREENSHOTS`` when set). The ru
and az editions are opened too: the page's ``lang``, every Azerbaijani letter drawn with a real glyph (compared
with the missing-glyph box the page's font gives an unassigned code point), and no English sentence of the
workbook's own (the catalogs' English messages) on the summary, a notebook page or a playbook. Without a browser
the test is skipped with a message, except under CI (``CI=true``), where a missing browser is a failure.
"""
from __future__ import annotations

import base64
import json
import os
import re
import time
from pathlib import Path

import pytest

from helpers.i18n import catalog
from helpers.publish.playbook import render_edition

from browser import DevTools, chromium
from builders import CODE_MARKER, CRISIS, audience, make_run

# payloads that would leave a trace in the DOM, or open a dialog, if they ever ran
MARKERS = ('<script>window.__pwned = "script"</script> <img src=x onerror="document.body.dataset.pwned=1"> '
           '<script>alert(1)</script> [x](javascript:alert(1)) <a href="javascript:alert(2)">click</a>')

PROBE = r"""(() => {
  const visible = el => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
                          return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const code = [...document.querySelectorAll(
      '.jp-CodeCell .jp-InputArea, .jp-InputArea-editor, .jp-CodeMirrorEditor, .highlight, .jp-InputPrompt')]
      .filter(visible).length;
  const images = [...document.images].map(i => ({src: i.currentSrc.slice(0, 30), complete: i.complete,
                                                 width: i.naturalWidth, alt: i.alt}));
  const handlers = [...document.querySelectorAll('*')]
      .filter(e => [...e.attributes].some(a => a.name.toLowerCase().startsWith('on'))).length;
  const jsLinks = [...document.querySelectorAll('[href], [src]')]
      .filter(e => /^\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src') || '')).length;
  return {code, images, handlers, jsLinks, scripts: document.scripts.length,
          pwned: window.__pwned || document.body.dataset.pwned || null,
          text: document.body.innerText, title: document.title};
})()"""


# Azerbaijani letters (Latin script) that fonts without Turkic coverage lack; \u0378 is unassigned: every font
# draws it as the missing-glyph box, which a real letter must not look like
AZ_LETTERS = "əƏğĞıİşŞçÇöÖüÜ"
GLYPHS = r"""((letters) => {
  const font = getComputedStyle(document.body).font;
  const draw = ch => { const c = document.createElement('canvas'); c.width = 64; c.height = 64;
                       const g = c.getContext('2d'); g.font = font.replace(/\d+(\.\d+)?px/, '40px');
                       g.textBaseline = 'top'; g.fillText(ch, 8, 8); return c.toDataURL(); };
  const box = draw('\u0378'), blank = draw('');
  return {font, missing: [...letters].filter(ch => { const d = draw(ch); return d === box || d === blank; }),
          lang: document.documentElement.lang};
})"""


def english_sentences() -> list[str]:
    """The workbook's own English sentences (catalog message ids of four words or more; for templates, their
    literal stretches of four words or more): none may show in a ru or az edition."""
    out = set()
    for domain in ("workbook", "pages"):
        for msg in catalog("ru", domain):
            ids = [msg.id] if isinstance(msg.id, str) else list(msg.id or ())
            for source in ids:
                for piece in re.split(r"\{[A-Za-z_]+\}|`[^`]*`|\*\*|[*_]", source):
                    piece = " ".join(piece.split()).strip(" .,:;()—–-")
                    if len(piece.split()) >= 4:
                        out.add(piece)
    return sorted(out)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("chromium-profile"),
                  extra=["--window-size=1280,2000", "--host-resolver-rules=MAP * ~NOTFOUND"]) as client:
        for domain in ("Page", "Runtime", "Network"):
            client.send(f"{domain}.enable")
        yield client


def open_page(client: DevTools, path: Path, shot: Path) -> dict:
    """Load ``path``, wait for the load event, probe the DOM, save a screenshot; returns the probe + requests."""
    client.events.clear()
    client.send("Page.navigate", url=path.resolve().as_uri())
    client.wait_for("Page.loadEventFired")
    time.sleep(0.3)  # let anything scheduled at load (it must not exist) have its chance
    result = client.send("Runtime.evaluate", expression=PROBE, returnByValue=True)["result"]["value"]
    png = base64.b64decode(client.send("Page.captureScreenshot", format="png")["data"])
    shot.write_bytes(png)
    result["dialogs"] = [e["params"] for e in client.events if e.get("method") == "Page.javascriptDialogOpening"]
    result["requests"] = [e["params"]["request"]["url"] for e in client.events
                          if e.get("method") == "Network.requestWillBeSent"]
    return result


def assert_clean(probe: dict, page: str) -> None:
    assert probe["code"] == 0, f"{page}: a code cell is visible"
    assert CODE_MARKER not in probe["text"], f"{page}: code text is visible"
    broken = [i for i in probe["images"] if not (i["complete"] and i["width"] > 0)]
    assert not broken, f"{page}: images did not load: {broken}"
    assert probe["scripts"] == 0 and probe["handlers"] == 0 and probe["jsLinks"] == 0, (page, probe)
    assert probe["pwned"] is None and not probe["dialogs"], f"{page}: a planted script ran: {probe}"
    offline = [u for u in probe["requests"] if not u.startswith(("file:", "data:"))]
    assert not offline, f"{page}: requested {offline}"


def test_edition_in_a_real_browser(browser, tmp_path):
    run_dir = make_run(tmp_path, {"audience": audience(sentiment_backend=MARKERS)}, title=f"Org {MARKERS}",
                       user_text=MARKERS, alt=f'Chart "{MARKERS}"')
    index = render_edition(run_dir, out_dir=tmp_path / "edition")

    summary = open_page(browser, index, tmp_path / "index.png")
    if os.environ.get("WORKBOOK_SCREENSHOTS"):
        (Path(os.environ["WORKBOOK_SCREENSHOTS"]) / "en-index.png").parent.mkdir(parents=True, exist_ok=True)
        (Path(os.environ["WORKBOOK_SCREENSHOTS"]) / "en-index.png").write_bytes((tmp_path / "index.png").read_bytes())
    assert_clean(summary, "index.html")
    assert "Executive summary" in summary["text"] and "12.7 hr" in summary["text"]
    assert "<script>alert(1)</script>" in summary["title"]  # the hostile title is shown, as text

    page = index.parent / "pages" / "audience.html"
    nb = open_page(browser, page, tmp_path / "audience.png")
    assert_clean(nb, "pages/audience.html")
    assert len(nb["images"]) == 1 and nb["images"][0]["src"].startswith("data:image/png")
    assert nb["images"][0]["alt"] == f'Chart "{MARKERS}"'
    assert "<script>alert(1)</script>" in nb["text"] and '<a href="javascript:alert(2)">click</a>' in nb["text"]

    playbook = open_page(browser, index.parent / "community-management.html", tmp_path / "playbook.png")
    assert_clean(playbook, "community-management.html")

    for shot in ("index.png", "audience.png", "playbook.png"):
        data = (tmp_path / shot).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, shot


def test_missing_browser_skips_locally_and_fails_in_ci(monkeypatch):
    import browser as me

    monkeypatch.setattr(me, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception, match="chromium"):
        me.need(False, "no Chromium/Chrome executable found")
    monkeypatch.setattr(me, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        me.need(False, "no Chromium/Chrome executable found")
    me.need(True, "present")  # nothing happens when the requirement holds


@pytest.mark.parametrize("language", ["ru", "az"])
def test_translated_editions_in_a_real_browser(browser, tmp_path, language):
    """The ru and az editions: right lang, real glyphs for Azerbaijani letters, no English sentence of the
    workbook's own, images load, user text stays text and no script runs."""
    run_dir = make_run(tmp_path, {"audience": audience(messages_analysed=12081), "crisis": CRISIS},
                       title=f"Org {MARKERS}", user_text=MARKERS, alt=f'Chart "{MARKERS}"')
    index = render_edition(run_dir, language=language, out_dir=tmp_path / "edition")
    shots = Path(os.environ.get("WORKBOOK_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    sentences = english_sentences()
    assert len(sentences) > 150  # the check has teeth: the catalogs' English is long

    pages = {"index.html": index, "pages/audience.html": index.parent / "pages" / "audience.html",
             "crisis-communication.html": index.parent / "crisis-communication.html"}
    for name, path in pages.items():
        shot = shots / f"{language}-{name.replace('/', '-').replace('.html', '')}.png"
        probe = open_page(browser, path, shot)
        assert_clean(probe, f"{language}/{name}")
        glyphs = browser.send("Runtime.evaluate", expression=f"{GLYPHS}({json.dumps(AZ_LETTERS)})",
                              returnByValue=True)["result"]["value"]
        assert glyphs["lang"] == language, (name, glyphs)
        assert not glyphs["missing"], f"{language}/{name}: no glyph for {glyphs['missing']} in {glyphs['font']}"
        control = browser.send("Runtime.evaluate", expression=f"{GLYPHS}({json.dumps('ə' + chr(0x379))})",
                               returnByValue=True)["result"]["value"]
        assert control["missing"] == [chr(0x379)], control  # the probe tells a missing glyph from a real one
        leaked = [s for s in sentences if s in probe["text"]]
        assert not leaked, f"{language}/{name}: English sentences of the workbook: {leaked[:5]}"
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, shot
    english = render_edition(run_dir, language="en", out_dir=tmp_path / "english")
    control = open_page(browser, english, tmp_path / "english.png")
    assert [s for s in sentences if s in control["text"]], "the English check finds nothing even in English"
    summary = open_page(browser, index, shots / f"{language}-index.png")
    if language == "az":
        assert "Qısa xülasə" in summary["text"] and "12.081 mesaj təhlil edilib" in summary["text"]
        assert "İlk cavaba qədər median vaxt" in summary["text"]
    else:
        assert "Краткое резюме" in summary["text"] and "проанализировано 12\u00a0081 сообщение" in summary["text"]
    assert "<script>alert(1)</script>" in summary["title"]  # the hostile title is shown, as text
    nb = open_page(browser, pages["pages/audience.html"], shots / f"{language}-pages-audience.png")
    assert nb["images"][0]["alt"] == f'Chart "{MARKERS}"'  # the description is user text here: untouched
    assert "<script>alert(1)</script>" in nb["text"]
