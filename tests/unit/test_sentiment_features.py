"""Units for helpers.sentiment.features: the model's preparation of real social text."""
from __future__ import annotations

import pytest

from helpers.sentiment.features import fold_azerbaijani, lexicon_features, prepare_chars, prepare_words


@pytest.mark.parametrize("text, tokens", [
    ("Great job :) ;-) :D", ["great", "job", "xxsmile", "xxsmile", "xxsmile"]),
    ("broke again :( :'(", ["broke", "again", "xxfrown", "xxfrown"]),
    ("спасибо)) опять не работает((", ["спасибо", "xxsmile", "опять", "не", "not_работает", "xxfrown"]),
    ("i <3 it", ["i", "xxheart", "it"]),
])
def test_emoticons_become_tokens(text, tokens):
    assert prepare_words(text).split() == tokens


def test_emoji_are_kept_as_tokens():
    words = prepare_words("Delivery late again 😡😡 👎").split()
    assert words.count("😡") == 2 and "👎" in words
    assert "😡" in prepare_chars("late 😡")


def test_links_and_mentions_are_placeholders_not_words():
    words = prepare_words("@AppleSupport see https://t.co/abc and www.apple.com").split()
    assert words == ["xxuser", "see", "xxurl", "and", "xxurl"]


def test_negation_marks_the_rest_of_the_clause():
    assert prepare_words("I don't like it, but fine").split() == ["i", "dont", "not_like", "not_it", "but", "fine"]
    assert prepare_words("не нравится. хорошо").split() == ["не", "not_нравится", "хорошо"]
    assert prepare_words("xidmət yaxşı deyil").split() == ["xidmet", "not_yaxsi", "deyil"]  # Azerbaijani: after
    assert "not_" not in prepare_chars("I don't like it")  # characters see the raw words


def test_repeated_letters_and_punctuation_runs():
    assert prepare_words("soooo gooood!!!") == "soo good xxexcl"
    assert prepare_words("ооочень???").split() == ["оочень", "xxquest"]


def test_russian_yo_and_case():
    assert prepare_words("ЁЛКИ Всё") == prepare_words("елки все") == "елки все"


def test_azerbaijani_letters_fold_to_ascii():
    assert prepare_words("Çox yaxşı, müsbət") == prepare_words("cox yaxsi, musbet")
    assert prepare_words("İşıq") == prepare_words("isiq")
    assert fold_azerbaijani("чох јахшы") == "чох yaxsi"  # a word with an Azerbaijani-only Cyrillic letter
    assert fold_azerbaijani("мәнфи rəy") == "menfi rey"
    assert fold_azerbaijani("очень хорошо") == "очень хорошо"  # Russian words are left alone


def test_lexicon_features_read_english_and_emoji_only():
    m = lexicon_features(["I love it", "terrible", "Спасибо 😀", "Спасибо"]).toarray()
    assert m.shape == (4, 3)
    assert m[0, 2] > 0.3 and m[1, 2] < -0.3  # compound score
    assert m[2, 2] > 0 and m[3].tolist() == [0.0, 0.0, 0.0]  # the emoji counts, the Russian word does not
