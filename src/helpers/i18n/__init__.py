"""Translations: the gettext catalogs behind the en, ru and az editions (:mod:`helpers.i18n.catalogs`) and
the Babel extraction that keeps them in step with the code and the notebooks (:mod:`helpers.i18n.extract`)."""
from __future__ import annotations

from helpers.i18n.catalogs import (
    DOMAINS,
    LANGUAGES,
    LOCALE_DIR,
    SOURCE_LANGUAGE,
    N_,
    NP_,
    catalog,
    check_language,
    gettext,
    ngettext,
    po_path,
    translate_text,
)

__all__ = ["DOMAINS", "LANGUAGES", "LOCALE_DIR", "SOURCE_LANGUAGE", "N_", "NP_", "catalog", "check_language", "gettext",
           "ngettext", "po_path", "translate_text"]
