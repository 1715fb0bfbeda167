"""Readable tables for notebook 01's "Draft answers" section (text shortened, plain; pandas escapes it)."""
from __future__ import annotations

import pandas as pd

from helpers import text as T

__all__ = ["drafts_table"]


def drafts_table(drafts: pd.DataFrame, max_chars: int = 160) -> pd.DataFrame:
    """Reply drafts for display: cluster label, language, questions, the draft (shortened), its source
    thread and how the member responded. Text is plain; pandas escapes it in HTML."""
    cols = ["label", "language", "n", "draft", "source_thread_id", "member_response", "similarity"]
    if drafts.empty:
        return pd.DataFrame(columns=cols)
    out = drafts[cols].copy()
    out["draft"] = out["draft"].map(lambda t: T.truncate_for_display(t, max_chars) if isinstance(t, str) else
                                    "— no similar answered question: write one")
    return out.rename(columns={"n": "questions", "source_thread_id": "source thread",
                               "member_response": "member's response"})
