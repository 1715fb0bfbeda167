"""Translations: every catalog complete and well-formed, Babel's formats and plurals, pages translated at render
time without touching user text, and the Azerbaijani edition end to end (constructed run; no papermill)."""
from __future__ import annotations

import re

import nbformat
import pandas as pd
import pytest

from helpers.formatting import fmt_count, fmt_date, fmt_date_range, fmt_hours, fmt_int, fmt_share, localise_numbers
from helpers.i18n import LANGUAGES, NP_, catalog, gettext, ngettext, translate_text
from helpers.i18n.extract import template, untranslated
from helpers.i18n.markdown import messages, replace_messages, segments
from helpers.publish.playbook import MESSAGES_ANALYSED, UI, render_edition
from helpers.publish.translate import translate_notebook, translate_output_text
from helpers.views import audience as audience_views

from builders import CRISIS, audience, make_run, parse

TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]
DOMAINS = ("workbook", "pages")
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def strings(msg) -> list[str]:
    return list(msg.string) if isinstance(msg.string, (list, tuple)) else [msg.string]


# ---------------------------------------------------------------------------------------- the catalogs


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_has_a_translation(language, domain):
    """Nothing falls back to English silently: a new string in the code or a notebook fails here until
    `python -m helpers i18n update` adds it and someone translates it."""
    missing = untranslated(language, domain)
    assert not missing, f"{len(missing)} untranslated in {language}/{domain}.po, e.g. {missing[:3]}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_catalogs_hold_no_stale_messages(domain):
    fresh = {m.id if isinstance(m.id, str) else m.id[0] for m in template(domain) if m.id}
    for language in TRANSLATED:
        stale = [m.id for m in catalog(language, domain) if m.id and (m.id if isinstance(m.id, str) else m.id[0])
                 not in fresh]
        assert not stale, f"{language}/{domain}.po: run `python -m helpers i18n update` ({stale[:3]})"


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_placeholders_code_and_emphasis(language, domain):
    for msg in catalog(language, domain):
        if not msg.id:
            continue
        source = msg.id if isinstance(msg.id, str) else msg.id[0]
        for text in strings(msg):
            where = f"{language}/{domain}: {source[:70]!r}"
            if domain == "workbook":
                assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(source)), where
            # parameter names, commands and paths in `code` are never translated
            assert sorted(re.findall(r"`[^`]+`", text)) == sorted(re.findall(r"`[^`]+`", source)), where
            assert text.count("**") == source.count("**") and text.count("**") % 2 == 0, where


def test_azerbaijani_is_written_in_latin_script():
    from helpers.i18n.extract import PACKAGE_DIR

    for domain in DOMAINS:
        for msg in catalog("az", domain):
            for text in strings(msg) if msg.id else []:
                unquoted = re.sub(r"«[^»]*»|\"[^\"]*\"", "", text)  # quoted cue words of other languages are examples
                assert not CYRILLIC.search(unquoted), text
    playbooks = sorted((PACKAGE_DIR.parents[1] / "playbooks" / "az").glob("*.md"))
    assert len(playbooks) == 3
    for path in playbooks:
        body = path.read_text(encoding="utf-8")
        assert not CYRILLIC.search(body), path
        assert "ə" in body and "ı" in body and "ş" in body


def test_message_counts_are_reported_per_catalog():
    counts = {f"{lang}/{domain}": sum(1 for m in catalog(lang, domain) if m.id)
              for lang in TRANSLATED for domain in DOMAINS}
    assert counts["ru/workbook"] == counts["az/workbook"] >= 300
    assert counts["ru/pages"] == counts["az/pages"] >= 100


# ---------------------------------------------------------------------------------------- Babel's formats


def test_plural_forms_follow_each_languages_rules():
    forms = NP_("{n} message analysed", "{n} messages analysed")
    assert forms == MESSAGES_ANALYSED
    ru = [fmt_count(n, forms, "ru") for n in (1, 3, 5, 11, 21, 22, 25)]
    assert ru == ["проанализировано 1 сообщение", "проанализировано 3 сообщения", "проанализировано 5 сообщений",
                  "проанализировано 11 сообщений", "проанализировано 21 сообщение",
                  "проанализировано 22 сообщения", "проанализировано 25 сообщений"]
    assert [fmt_count(n, forms, "en") for n in (1, 2)] == ["1 message analysed", "2 messages analysed"]
    assert fmt_count(5, forms, "az") == "5 mesaj təhlil edilib"  # Azerbaijani nouns stay singular after numerals
    assert ngettext("{n} day", "{n} days", 3, "ru", n=3) == "3 дня"


def test_numbers_dates_and_ranges_come_from_babel():
    assert fmt_int(12081, "az") == "12.081" and fmt_int(12081, "ru") == "12\u00a0081"
    assert fmt_share(0.273, "az") == "27%" and fmt_share(0.273, "ru") == "27\u00a0%"
    assert fmt_hours(11.24, "az") == "11,2 saat"
    assert fmt_date("2026-12-02", "az") == "2 dekabr 2026"
    assert fmt_date_range("2026-11-01", "2026-11-25", "az") == "1\u2009–\u200925 noy 2026"  # CLDR's thin spaces
    assert fmt_date_range("2026-11-01", "2026-11-25", "ru") == "1—25 нояб. 2026\u202fг."
    assert fmt_date_range("2026-10-28", "2026-11-25", "en") == "Oct 28\u2009–\u2009Nov 25, 2026"
    assert fmt_date_range("2026-11-25", "2026-11-25", "az") == "25 noyabr 2026"
    assert gettext("n/a", "az") == "m/y"


def test_localise_numbers_rewrites_numbers_only():
    text = "**1,234 messages**, 12.3 % in 5.2 h; id C-2026-01, on 2026-11-01 14:30, 2026 and 42 stay; n/a"
    az = localise_numbers(text, "az")
    assert az == "**1.234 messages**, 12,3% in 5,2 saat; id C-2026-01, on 2026-11-01 14:30, 2026 and 42 stay; m/y"
    assert localise_numbers(text, "en") == text


# ---------------------------------------------------------------------------------------- page translation


def test_markdown_split_round_trips():
    doc = "# Title {#x}\n\nOne paragraph\nover two lines.\n\n- item **one**\n- item two\n\n| a | b |\n|---|---|\n| c | d |\n\n```\ncode\n```"
    assert messages(doc) == ["Title", "One paragraph over two lines.", "item **one**", "item two", "a", "b", "c", "d"]
    assert replace_messages(doc, lambda m: None) == "".join(p for _, p in segments(doc)).replace(
        "One paragraph over two lines.", "One paragraph over two lines.")
    assert replace_messages(doc, str.upper).endswith("```\ncode\n```")  # code is never a message


def test_a_views_summary_is_translated_with_its_numbers_in_the_edition_format():
    ugc = {"n_ugc": 1234, "n_member_messages": 16020, "ugc_share": 0.077, "ugc_share_ci_low": 0.073,
           "ugc_share_ci_high": 0.081}
    english = audience_views.ugc_markdown(ugc)
    assert english.startswith("**1,234 of 16,020 member messages**")
    az = translate_output_text(english, "az")
    assert az == "**16.020 üzv mesajından 1.234 mesaj** üzvlərin öz paylaşımlarıdır: UGC payı **7,7%** (95 % Eİ 7,3%–8,1%)."
    ru = translate_output_text(english, "ru")
    assert ru.startswith("**1\u00a0234 из 16\u00a0020 сообщений участников**") and "7,7\u00a0%" in ru


def test_sentences_built_from_several_messages_are_translated_one_by_one():
    text = "**No verdict.** no initiatives in range"
    assert translate_text(text, "az", localise=None) == "**Nəticə yoxdur.** aralıqda təşəbbüs yoxdur"
    two = "No crisis detected, so there is no crisis window to look at. " \
          "No crisis detected, so there is no crisis type to frame."
    assert translate_text(two, "ru").count("Кризис не обнаружен") == 2
    assert translate_text("A sentence the workbook never wrote.", "ru") is None


def test_a_reason_given_by_an_analysis_is_translated_inside_its_sentence():
    from helpers.crisis import Crisis
    from helpers.views import crisis as crisis_views

    cr = Crisis(detected=False, reason="the period holds no member messages.", baseline_days=14, window_days=14)
    english = crisis_views.detection_markdown(cr, "Asia/Baku")
    assert english == "**No crisis detected**: the period holds no member messages. Every section below is empty."
    assert translate_output_text(english, "ru") == ("**Кризис не обнаружен**: в периоде нет сообщений участников. "
                                                    "Все разделы ниже пусты.")


def test_user_text_is_moved_never_translated_or_reformatted():
    payload = '<script>alert(1)</script> member 2.5 "Outage 1,234"'
    english = f"Analysed: incident **{payload}**. Onset **2025-05-10 21:00** (Asia/Baku; incident row)."
    az = translate_output_text(english, "az")
    assert az == f"Təhlil edilib: insident **{payload}**. Başlanğıc **2025-05-10 21:00** (Asia/Baku; incident row)."
    # a value that is itself a workbook message is translated; the user text inside it still is not

    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("## Languages\n\nA paragraph no catalog has."))
    code = nbformat.v4.new_code_cell("x")
    table = pd.DataFrame({"channel": ["facebook"], "text": ["member"]})
    code.outputs = [nbformat.v4.new_output("execute_result", data={"text/html": table._repr_html_()},
                                           execution_count=1)]
    nb.cells.append(code)
    translate_notebook(nb, "az")
    assert nb.cells[0]["source"] == "## Dillər\n\nA paragraph no catalog has."
    html = nb.cells[1]["outputs"][0]["data"]["text/html"]
    assert "<th>kanal</th>" in html and "<th>mətn</th>" in html  # headers are the workbook's words
    assert "<td>member</td>" in html and "<td>facebook</td>" in html  # cells are data: never translated


# ---------------------------------------------------------------------------------------- the az edition


@pytest.fixture(scope="module")
def az_edition(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("az")
    run_dir = make_run(tmp, {"audience": audience(messages_analysed=12081), "crisis": CRISIS})
    return render_edition(run_dir, language="az", out_dir=tmp / "az")


def test_azerbaijani_edition_summary(az_edition):
    html = az_edition.read_text(encoding="utf-8")
    text = " ".join(parse(html).text)
    assert '<html lang="az">' in html
    assert "Qısa xülasə" in text and "Növbəti addımlar" in text and "1 mart 2026" in text
    assert "12,7 saat" in text and "axşam növbəsini işçi ilə təmin edin" in text
    assert "12.081 mesaj təhlil edilib" in text
    english_ui = [w for w in UI.values() if len(w.split()) >= 2]
    leaked = [w for w in english_ui if w in text]
    assert not leaked, leaked


def test_azerbaijani_edition_pages_and_playbooks(az_edition):
    out = az_edition.parent
    page = (out / "pages" / "audience.html").read_text(encoding="utf-8")
    assert '<html lang="az">' in page and "Auditoriya tədqiqatı</h1>" in page.replace("¶</a>", "").replace(
        "\n", "") or "Auditoriya tədqiqatı" in page
    assert "What the audience asks." in page  # a paragraph no catalog has stays as written, never garbled
    crisis = (out / "crisis-communication.html").read_text(encoding="utf-8")
    assert "Böhran kommunikasiyası üzrə bələdçi" in crisis and "İlkin bəyanat şablonu" in crisis
    assert "6,5 saat" in crisis


# ---------------------------------------------------------------------------------------- charts


def test_charts_are_drawn_again_with_translated_titles_and_labels(tmp_path):
    from helpers import plots
    from helpers.publish import Findings
    from helpers.publish.translate import translated_figure

    fig = plots.language_mix_bar({"ru": 0.44, "az": 0.35, "en": 0.2, "und": 0.01}, 12081)
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "Language mix (n = 12,081 messages)"
    with translated_figure(fig, "az"):
        assert ax.get_title(loc="left") == "Dillər (n = 12.081 mesaj)"
        assert ax.get_xlabel() == "təhlil edilmiş mesajların payı (%)"
        assert [t.get_text() for t in ax.get_yticklabels()] == [t.get_text() for t in ax.get_yticklabels()]
    assert ax.get_title(loc="left") == "Language mix (n = 12,081 messages)"  # restored for the English page

    shown = Findings(tmp_path, notebook="test").figure("language_mix", fig)
    files = {p.name for p in (tmp_path / "figures").iterdir()}
    assert files == {"language_mix.png", "language_mix.ru.png", "language_mix.az.png"}
    en, az = shown.png, (tmp_path / "figures" / "language_mix.az.png").read_bytes()
    assert az[:8] == b"\x89PNG\r\n\x1a\n" and az != en
    data, meta = shown._repr_mimebundle_()
    assert meta["image/png"]["workbook_figure"] == "figures/language_mix"
    assert data["text/plain"].startswith("Bar chart of the language mix of 12,081 analysed messages")

    # the az page shows the az drawing and the az description; an English page is untouched
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("display_data", data=data, metadata=meta)]
    nb.cells.append(cell)
    translate_notebook(nb, "az", figures_dir=tmp_path)
    out = nb.cells[0]["outputs"][0]
    import base64

    assert base64.b64decode(out["data"]["image/png"]) == az
    assert out["metadata"]["image/png"]["alt"].startswith("12.081 təhlil edilmiş mesajın dil tərkibi üzrə sütunlu diaqram")


def test_a_chart_file_outside_the_figures_folder_is_never_read(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "AAAA", "text/plain": "x"},
                                           metadata={"image/png": {"alt": "x", "workbook_figure": "../../etc/x"}})]
    nb.cells.append(cell)
    translate_notebook(nb, "ru", figures_dir=tmp_path)
    assert nb.cells[0]["outputs"][0]["data"]["image/png"] == "AAAA"
