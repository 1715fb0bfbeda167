"""helpers.formatting: the prose helpers that are not edition formatters (those are covered with the editions)."""
from __future__ import annotations

import pandas as pd

from helpers.formatting import language_shares


def test_language_shares_names_the_most_frequent_codes_with_shares():
    assert language_shares(["de"] * 3) == "de (100 %)"
    assert language_shares(pd.Series(["ru", "ru", "ru", "en", None])) == "ru (60 %), en (20 %), und (20 %)"
    assert language_shares(["a", "b", "b", "c", "c", "c", "d"], top=2) == "c (43 %), b (29 %)"
    assert language_shares([]) == ""
