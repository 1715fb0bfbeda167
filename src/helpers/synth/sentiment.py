"""Synthetic-data extras for the sentiment loop: lexicon-hard English texts and a labels table.

The generator's English templates use plain sentiment words, so TextBlob reads them almost perfectly
(``tests/unit/test_synth.py`` relies on that). Real English is harder: sarcasm ("Great, another two hours in
the queue"), complaints without a single negative word ("Still waiting for someone to call me back"),
praise phrased through negatives ("No queue at all"), and neutral texts full of words a lexicon scores
("Bad weather today so we will come by taxi"). :func:`harden_english` rewrites a share of the English
member messages with such texts — the gold sentiment stays what was planted — so that tests can check a
trained model against a lexicon on the kind of text lexicons fail on. :func:`sample_labels` draws a
labels table (message_id, sentiment) from the gold labels, as a person would have labelled them.

Both are opt-in (``write_synthetic(..., lexicon_hard_share=…, labels=…)``, ``python -m helpers synth
--lexicon-hard-share X --labels N``) and use their own random streams, so the rest of the generated
dataset is identical with or without them.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from helpers.synth.templates import SLOTS
from helpers.synth.texts import TextMaker
from helpers.synth.variety import lower_first, upper_first

__all__ = ["HARD_ENGLISH", "harden_english", "sample_labels"]

#: English member texts lexicon scorers misread, by the sentiment a person would give them. Statements only
#: (no question cues), slots as in :data:`helpers.synth.templates.SLOTS`.
HARD_ENGLISH: dict[str, tuple[str, ...]] = {
    "negative": (
        "Great, another two hours in the queue at {dept}. Just great",
        "Still waiting for someone to call me back about my results",
        "Nobody picks up the phone at reception, I have been calling since the morning",
        "Thanks a lot for cancelling my appointment without telling me",
        "Paid for the full check-up and they sent me home without seeing a doctor",
        "Third time my booking has vanished from the system",
        "Oh wonderful, the lift is broken again and my mother cannot climb the stairs",
        "Love how nobody answers messages here",
        "Came in at eight, left at two, saw Dr {doc} for five minutes",
        "So much for the online booking, I stood in line like everyone else {day}",
        "My results were lost twice and I had to give blood again",
        "Brilliant idea to close the main entrance without a single sign",
    ),
    "neutral": (
        "The new parking area opens next month according to the post",
        "My appointment in {dept} is at nine, then I have a free afternoon",
        "Bad weather today so we will come by taxi",
        "The sick leave certificate is collected at the reception desk",
        "Booked the first available slot with Dr {doc}",
        "Heard the old building will close for works in the spring",
        "My grandmother has high blood pressure and sees Dr {doc} every month",
        "The cold season started, so my son has his flu shot {day}",
        "Big renovation on our street, we will take the long way to the clinic",
        "Dr {doc} told me to come back in a month for a second look",
        "Sharing for my neighbour, she had a hard time finding the {dept} entrance last year",
        "Just a heads up for others, the car park fills up early {day}",
    ),
    "positive": (
        "No queue at all {day}, in and out in twenty minutes",
        "Dr {doc} fixed in one visit what three other clinics could not",
        "My son was terrified of injections and left smiling",
        "Zero waiting and zero paperwork problems, we will be back",
        "I cannot fault anything about the visit {day}",
        "They called back within ten minutes and booked me in the same day",
        "Not a single complaint, the {dept} team sorted everything out",
        "Was dreading the procedure but it was over before I noticed",
        "Never had a doctor explain things this patiently before",
        "Forty years of visiting clinics and this is the first one I would send my family to",
        "Results came the next morning, no chasing needed",
        "Nothing to worry about here, the {dept} staff had it all under control",
    ),
}

_HARDENABLE_KINDS = frozenset({"comment", "ugc", "member_reply", "followup"})


def harden_english(result: Any, share: float, seed: int) -> int:
    """Rewrite ``share`` (0–1) of the eligible English member messages of a
    :class:`helpers.synth.state.SynthResult` with lexicon-hard texts of the same gold sentiment, in place (state
    and ``dataset.messages``).

    Eligible: member comments, UGC, member replies and follow-ups in English that are not questions, not
    emoji-only and not carrying planted markup. Uses its own random stream (``seed``), so nothing else in
    the dataset changes. Returns the number of messages rewritten.
    """
    if not 0 <= share <= 1:
        raise ValueError(f"lexicon_hard_share must be between 0 and 1, got {share}")
    if share == 0:
        return 0
    rng = np.random.default_rng([int(seed), 20261125])
    # the sentence (template, slots, case) comes from ``rng``, the neutral context around it from a second
    # stream: which hard sentences a seed gets does not depend on how much context is added
    context = TextMaker(np.random.default_rng([int(seed), 20261125, 13]), typo_rate=0.0, emoji_rate=0.0,
                        lowercase_rate=0.0)
    eligible = [m for m in result.state.messages
                if m.get("role") == "member" and m.get("lang") == "en" and m.get("kind") in _HARDENABLE_KINDS
                and not m.get("question") and not m.get("und") and not m.get("tricky")
                and m.get("sentiment") in HARD_ENGLISH]
    if not eligible:
        return 0
    k = int(round(share * len(eligible)))
    picked = rng.choice(len(eligible), size=k, replace=False)
    new_text: dict[str, str] = {}
    for i in sorted(int(p) for p in picked):
        m = eligible[i]
        pool = HARD_ENGLISH[m["sentiment"]]
        template = pool[int(rng.integers(len(pool)))]
        values = {key: opts[int(rng.integers(len(opts)))] for key, opts in SLOTS["en"].items()
                  if "{" + key + "}" in template}
        text = upper_first(template.format(**values), "en")
        _typo, case, _emoji = rng.random(3)  # typos and emoji are off for hard texts
        if case < 0.2:
            text = lower_first(text, "en")
        # neutral details only, no emoji, openers, closers or emoticons: the text stays hard for a lexicon
        text = context.composer.compose(text, "en", m["sentiment"], polar_extras=False, emoji=False)
        m["text"] = text
        new_text[m["message_id"]] = text
    msgs = result.dataset.messages
    hit = msgs["message_id"].isin(list(new_text))
    msgs.loc[hit, "text"] = msgs.loc[hit, "message_id"].map(new_text).astype("string")
    return len(new_text)


def sample_labels(gold: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """``n`` gold labels (message_id, sentiment) drawn at random without replacement (own stream ``seed``),
    sorted by message id; all of them when ``n`` exceeds the gold labels."""
    if n < 0:
        raise ValueError(f"labels must be >= 0, got {n}")
    rng = np.random.default_rng([int(seed), 5150])
    take = min(int(n), len(gold))
    idx = np.sort(rng.choice(len(gold), size=take, replace=False)) if take else np.array([], dtype=int)
    out = gold.iloc[idx][["message_id", "sentiment"]].astype("string")
    return out.sort_values("message_id").reset_index(drop=True)
