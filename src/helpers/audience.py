"""The audience-research pipeline behind notebooks/01_audience_research.ipynb.

:func:`prepare` loads a canonical dataset, cuts the period and annotates every message once (detected
language, sentiment with coverage, question flag), so the notebook's sections only call metrics and plots.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers import sentiment, text
from helpers.annotate import annotate_with_scorer, load_period
from helpers.io import Dataset


@dataclass
class AudienceData:
    """A dataset cut to the analysed period, with annotated messages.

    ``messages`` carries the canonical columns plus ``language`` (detected ISO 639-1, "und" when unsure),
    ``score`` (scorer's polarity −1..1, NaN when not scored), ``sentiment`` (negative/neutral/positive or NA),
    ``scored`` (bool) and ``is_question`` (bool, member messages only).
    """

    dataset: Dataset
    messages: pd.DataFrame
    timezone: str
    languages: list[str]
    sentiment_backend: str
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    sentiment_choice: sentiment.BackendChoice | None = None

    @property
    def is_empty(self) -> bool:
        """True when the period holds no messages."""
        return self.messages.empty

    def period_label(self) -> str:
        """The analysed period as 'YYYY-MM-DD – YYYY-MM-DD' in the organisation's timezone."""
        if self.is_empty:
            return "no messages"
        local = self.messages["created_at"].dt.tz_convert(self.timezone)
        return f"{local.min():%Y-%m-%d} – {local.max():%Y-%m-%d}"


def prepare(
    data_dir: str | Path,
    brand: str | None = None,
    start: str | None = None,
    end: str | None = None,
    languages: Sequence[str] = text.DEFAULT_LANGUAGES,
    sentiment_backend: str = sentiment.AUTO,
    timezone: str | None = None,
    progress: bool = True,
) -> AudienceData:
    """Load ``data_dir``, keep ``brand`` and the days ``start``–``end`` (inclusive), and annotate messages.

    ``sentiment_backend="auto"`` (the default) runs the dataset's own validated model when it reads the
    languages present, else TextBlob; ``sentiment_backend`` / ``sentiment_choice`` of the result say which ran.
    ``timezone`` defaults to the dataset's own (dataset.json), else UTC. Raises the dataset's validation
    error (listing every problem) when the folder is not a valid canonical dataset.
    """
    period = load_period(data_dir, brand=brand, start=start, end=end, timezone=timezone)
    languages = list(languages)
    msgs, choice = annotate_with_scorer(period.cut.messages, languages, sentiment_backend, data_dir=period.path,
                                        progress=progress)
    return AudienceData(
        dataset=period.cut, messages=msgs, timezone=period.timezone, languages=languages, sentiment_backend=choice.backend,
        start=pd.Timestamp(start) if start else None, end=pd.Timestamp(end) if end else None, sentiment_choice=choice,
    )


# --- plain-language summaries the notebook displays (numbers only; user text never goes into Markdown) ---


