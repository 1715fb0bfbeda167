"""Unit tests for helpers.text: tokenising, language detection, sentiment, questions, clusters, trends.

All test data is built inline; nothing here touches the network or NLTK corpora.
"""
from __future__ import annotations

import random
import socket

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from helpers import text as T
from helpers.metrics import sentiment_coverage
from helpers.sentiment import SENTIMENT_BACKENDS, score_sentiment
from helpers.sentiment.backends import vader_analyzer
from helpers.text.language import language_detector
from helpers.text import (
    DEFAULT_LANGUAGES,
    STOPWORDS,
    cluster_questions,
    cluster_summary,
    detect_languages,
    is_question,
    language_mix,
    tokenize,
    trending_terms,
    truncate_for_display,
)

# --------------------------------------------------------------------------------------------------
# Inline data
# --------------------------------------------------------------------------------------------------

RU = [
    "Спасибо за отличный концерт!", "Когда будет следующая встреча?", "Очень понравилось, приду ещё",
    "Подскажите, где купить билеты", "Ужасное обслуживание, больше не приду", "Всем привет, я новенькая здесь",
    "Доставка опять задерживается", "Мы с семьёй были в восторге", "Как записаться на курс?",
    "Цены слишком высокие", "Отличная идея, поддерживаю", "Сколько стоит вход для детей?",
    "Почему не отвечаете на сообщения?", "Фото получились просто супер", "Жду ответа уже третий день",
    "Можно ли оплатить картой?", "Лучший магазин в городе", "Приложение не работает после обновления",
    "Вы молодцы, так держать", "Где находится ваш офис?",
]
AZ = [
    "Konsert üçün çox sağ olun!", "Növbəti görüş nə vaxt olacaq?", "Çox xoşuma gəldi, yenə gələcəyəm",
    "Biletləri haradan almaq olar?", "Xidmət dəhşətli idi, bir daha gəlmərəm", "Hamıya salam, mən burada yeniyəm",
    "Çatdırılma yenə gecikir", "Ailəmlə birlikdə çox məmnun qaldıq", "Kursa necə yazılmaq olar?",
    "Qiymətlər çox bahadır", "Əla fikirdir, dəstəkləyirəm", "Uşaqlar üçün giriş neçəyədir?",
    "Niyə mesajlara cavab vermirsiniz?", "Şəkillər çox gözəl alınıb", "Üç gündür cavab gözləyirəm",
    "Kartla ödəmək mümkündürmü?", "Şəhərin ən yaxşı mağazasıdır", "Yeniləmədən sonra tətbiq işləmir",
    "Siz əlasınız, belə davam edin", "Ofisiniz harada yerləşir?",
]
EN = [
    "Thanks for the great concert!", "When is the next meetup?", "Loved it, will come again",
    "Where can I buy tickets?", "Terrible service, never coming back", "Hi everyone, I am new here",
    "Delivery is late again", "My family and I were delighted", "How do I sign up for the course?",
    "Prices are way too high", "Great idea, I support it", "How much is entry for kids?",
    "Why don't you answer messages?", "The photos turned out amazing", "Still waiting for a reply after three days",
    "Can I pay by card?", "Best shop in town", "The app stopped working after the update",
    "You guys rock, keep it up", "Where is your office located?",
]

QUESTIONS = {
    "en": [
        "How do I reset my password", "When do you open on Sunday", "Where can I park near the venue",
        "what time does the event start", "Hi team, is there a student discount", "Can I bring my dog",
        "Could you send me the schedule please", "Does anyone know if tickets are still available",
        "Is it possible to change my order", "Why was my comment deleted", "Which bus goes to the stadium",
        "Do you ship to Ganja", "I was wondering if you have vegan options", "Any update on my refund",
        "Is the shop open today?", "Are tickets refundable", "What's the dress code",
        "how long is the queue usually", "Has anyone tried the new menu", "Where's the nearest entrance",
    ],
    "ru": [
        "Подскажите, пожалуйста, до скольки вы работаете", "Когда начнётся регистрация",
        "Здравствуйте, где можно забрать заказ", "Как записаться на мастер-класс",
        "Сколько стоит доставка в Сумгаит", "Можно ли вернуть товар без чека", "Есть ли у вас скидки для студентов",
        "Почему не приходит код подтверждения", "Скажите, будет ли трансляция", "Добрый день, что нужно взять с собой",
        "Кто-нибудь знает, как добраться до площадки", "Не подскажете номер поддержки",
        "Работаете ли вы в праздники", "Хочу узнать статус заказа", "Вы открыты завтра?",
        "А во сколько начало", "Кому писать по поводу возврата", "Какие документы нужны",
        "Нельзя ли перенести запись", "Что делать, если забыл пароль",
    ],
    "az": [
        "Salam, mağaza saat neçədə açılır", "Qeydiyyat nə vaxt başlayır", "Sifarişi haradan götürmək olar",
        "Ustad dərsinə necə yazılmaq olar", "Sumqayıta çatdırılma neçəyədir", "Çeksiz məhsulu qaytarmaq olarmı",
        "Tələbələr üçün endirim varmı", "Təsdiq kodu niyə gəlmir", "Yayım olacaqmı", "Özümlə nə götürməliyəm",
        "Kimsə bilir məkana necə getmək olar", "Dəstək xidmətinin nömrəsini deyə bilərsiniz",
        "Bayramda işləyirsinizmi", "Sifarişimin statusunu bilmək istəyirəm", "Sabah açıqsınız?",
        "Tədbir harada keçiriləcək", "Parkinq pulsuzdur mu", "Bilet qiyməti nə qədərdir", "Kimə müraciət edim",
        "Uşaqlarla gəlmək olar mı",
    ],
}
STATEMENTS = {
    "en": [
        "How great is that!", "What a wonderful evening, thank you all", "When I arrived the staff was super friendly",
        "I know where to find you now", "Love how fast the delivery was", "This is what I was looking for",
        "Can't wait for the next one!", "Will be there with friends", "Have a great weekend everyone",
        "Great job team, keep going", "The app crashed twice today", "Which is why I keep coming back",
        "Thank you for answering so quickly", "Do not miss this concert", "How nice of you to reply",
        "When you visit, try the cake", "Where there is a will there is a way", "Has been a pleasure",
        "Can do, see you at 5", "What a game last night",
    ],
    "ru": [
        "Как здорово, что вы это организовали!", "Когда мы пришли, всё уже было готово",
        "Я думаю, что это лучший магазин", "Что за чудесный вечер!", "Спасибо большое за помощь",
        "Вряд ли приду в этот раз", "Очень вкусно и недорого", "Где-то я это уже видел, но всё равно круто",
        "Доставка пришла вовремя, всё отлично", "Как же красиво получилось", "Мне понравилось, как вы всё устроили",
        "Всем спасибо, до встречи", "Приложение снова зависает", "Отличная работа, ребята",
        "Что касается цен, они нормальные", "Как приятно было всех увидеть", "Что ж, спасибо за ответ",
        "Когда я узнал, сразу записался", "Можно было и лучше", "Интересно было послушать",
    ],
    "az": [
        "Nə gözəl tədbir idi!", "Gələndə hər şey artıq hazır idi", "Məncə bu ən yaxşı mağazadır",
        "Çox sağ olun, köməyiniz üçün", "Bu dəfə gələ bilməyəcəyəm", "Çox dadlı və ucuzdur",
        "Çatdırılma vaxtında gəldi, hər şey əladır", "Necə də gözəl alınıb", "Hamıya təşəkkürlər, görüşənədək",
        "Tətbiq yenə donur", "Əla iş, uşaqlar", "Sistemi yenilədim, indi işləyir", "Problemi tez həll etdiniz",
        "Mənim kimi çoxları məmnundur", "İyirmi dəqiqə gözlədik, amma dəydi", "Nə qədər gözəl idi",
        "Necə ki dedim, hər şey yaxşı oldu", "Heç nə başa düşmədim", "Nə vaxtsa yenə gələcəyik",
        "Kim gəlsə, qazanacaq",
    ],
}

# Recurring questions: 4 topics x 3 languages, several phrasings each, with slot fillers and noise.
TEMPLATES = {
    "en": {
        "hours": ["What time do you open on {day}?", "When does the {place} open on {day}",
                  "Are you open on {day}?", "What are your opening hours on {day}?",
                  "Hi, until what time is the {place} open on {day}?"],
        "delivery": ["Where is my order {num}? It still hasn't arrived", "My delivery {num} is late, when will it arrive?",
                     "How long does delivery to {city} take?", "Hello, any update on order {num} delivery?",
                     "Is delivery to {city} free?"],
        "refund": ["How can I get a refund for {item}?", "I want to return the {item}, how do I do it?",
                   "Can I return {item} without a receipt?", "When will my refund for the {item} come back?",
                   "What is your return policy for {item}?"],
        "tickets": ["Where can I buy tickets for the {event}?", "How much are tickets for the {event}?",
                    "Are there still tickets for the {event}?", "Is there a student discount on {event} tickets?",
                    "Hi team, how do I register for the {event}?"],
    },
    "ru": {
        "hours": ["Во сколько вы открываетесь в {day}?", "До скольки работает {place} в {day}?",
                  "Вы работаете в {day}?", "Подскажите часы работы в {day}",
                  "Здравствуйте, какой график работы {place} в {day}?"],
        "delivery": ["Где мой заказ {num}? До сих пор не пришёл", "Заказ {num} задерживается, когда доставят?",
                     "Сколько идёт доставка в {city}?", "Добрый день, есть новости по доставке заказа {num}?",
                     "Доставка в {city} бесплатная?"],
        "refund": ["Как вернуть деньги за {item}?", "Хочу вернуть {item}, как это сделать?",
                   "Можно ли вернуть {item} без чека?", "Когда вернут деньги за {item}?",
                   "Какие условия возврата для {item}?"],
        "tickets": ["Где купить билеты на {event}?", "Сколько стоят билеты на {event}?",
                    "Остались ли билеты на {event}?", "Есть ли студенческая скидка на билеты на {event}?",
                    "Подскажите, как зарегистрироваться на {event}?"],
    },
    "az": {
        "hours": ["{day} saat neçədə açılırsınız?", "{place} {day} saat neçəyə qədər işləyir?",
                  "{day} işləyirsinizmi?", "{day} iş saatlarınız necədir?",
                  "Salam, {place} {day} hansı saatlarda açıqdır?"],
        "delivery": ["{num} nömrəli sifarişim haradadır? Hələ gəlməyib",
                     "{num} sifarişim gecikir, nə vaxt çatdırılacaq?", "{city} şəhərinə çatdırılma nə qədər çəkir?",
                     "Salam, {num} sifarişinin çatdırılması ilə bağlı xəbər varmı?",
                     "{city} şəhərinə çatdırılma pulsuzdurmu?"],
        "refund": ["{item} üçün pulu necə geri ala bilərəm?", "{item} qaytarmaq istəyirəm, necə edim?",
                   "{item} çeksiz qaytarmaq olarmı?", "{item} üçün pul nə vaxt qaytarılacaq?",
                   "{item} üçün qaytarma şərtləri necədir?"],
        "tickets": ["{event} üçün biletləri haradan almaq olar?", "{event} biletləri neçəyədir?",
                    "{event} üçün bilet qalıbmı?", "{event} biletlərinə tələbə endirimi varmı?",
                    "Salam, {event} üçün necə qeydiyyatdan keçmək olar?"],
    },
}
SLOTS = {
    "en": {"day": ["Sunday", "Saturday", "Monday", "holidays", "Friday"], "place": ["shop", "store", "office", "cafe"],
           "city": ["Ganja", "Sumgait", "Baku", "Shaki"], "item": ["jacket", "shoes", "headphones", "phone case", "dress"],
           "event": ["concert", "festival", "marathon", "workshop"]},
    "ru": {"day": ["воскресенье", "субботу", "понедельник", "праздники", "пятницу"], "place": ["магазин", "офис", "кафе"],
           "city": ["Гянджу", "Сумгаит", "Баку", "Шеки"], "item": ["куртку", "обувь", "наушники", "чехол", "платье"],
           "event": ["концерт", "фестиваль", "марафон", "мастер-класс"]},
    "az": {"day": ["Bazar günü", "Şənbə günü", "Bazar ertəsi", "Bayram günləri", "Cümə günü"],
           "place": ["Mağaza", "Ofis", "Kafe"], "city": ["Gəncə", "Sumqayıt", "Bakı", "Şəki"],
           "item": ["Gödəkçəni", "Ayaqqabını", "Qulaqlığı", "Telefon qabını", "Donu"],
           "event": ["Konsert", "Festival", "Marafon", "Seminar"]},
}
NOISE = {
    "en": ["Who is the author of this photo?", "Why did you change the logo?", "Is the parking lot safe at night?",
           "Do you hire volunteers?", "Which charity do you support?", "Can my kid join the chess club?",
           "What camera did you use for this video?", "Who won the raffle?", "Are dogs allowed inside?"],
    "ru": ["Кто автор этой фотографии?", "Почему вы поменяли логотип?", "Безопасна ли парковка ночью?",
           "Вы набираете волонтёров?", "Какой благотворительный фонд вы поддерживаете?",
           "На какую камеру снимали видео?", "Кто выиграл розыгрыш?", "Можно ли с собакой внутрь?"],
    "az": ["Bu şəklin müəllifi kimdir?", "Loqonu niyə dəyişdiniz?", "Gecə parkinq təhlükəsizdirmi?",
           "Könüllü qəbul edirsinizmi?", "Hansı xeyriyyə fonduna dəstək olursunuz?",
           "Bu videonu hansı kamera ilə çəkmisiniz?", "Lotereyanı kim udub?", "İtlə içəri girmək olarmı?"],
}


def planted_questions(per_topic: int = 15, seed: int = 0) -> tuple[list[str], list[str], list[str]]:
    """(texts, languages, topic) with topic "noise" for one-off questions; shuffled deterministically."""
    rng = random.Random(seed)
    rows = []
    for lang, topics in TEMPLATES.items():
        for topic, templates in topics.items():
            for _ in range(per_topic):
                fill = {k: rng.choice(v) for k, v in SLOTS[lang].items()}
                fill["num"] = str(rng.randint(10000, 99999))
                text = rng.choice(templates).format(**fill)
                if rng.random() < 0.2:
                    text = text.lower()
                if rng.random() < 0.15:
                    text += " " + rng.choice(["🙏", "!!", "pls", "😊"])
                rows.append((text, lang, f"{lang}:{topic}"))
        rows += [(text, lang, "noise") for text in NOISE[lang]]
    rng.shuffle(rows)
    texts, langs, topics = (list(x) for x in zip(*rows))
    return texts, langs, topics


def planted_found(topics: list[str], clusters: pd.Series) -> dict[str, bool]:
    """DEVELOPERS.md: found = some cluster of >= 5 is >= 70 % that topic and holds >= 25 % of it."""
    frame = pd.DataFrame({"topic": topics, "cluster": clusters.to_numpy()})
    found = {}
    for topic in sorted(set(topics) - {"noise"}):
        total = (frame.topic == topic).sum()
        found[topic] = any(
            len(g) >= 5 and (g.topic == topic).mean() >= 0.7 and (g.topic == topic).sum() >= 0.25 * total
            for _, g in frame[frame.cluster >= 0].groupby("cluster")
        )
    return found


# --------------------------------------------------------------------------------------------------
# Tokenising
# --------------------------------------------------------------------------------------------------


def test_tokenize_english_drops_urls_numbers_punctuation():
    tokens = tokenize("Visit https://example.com/a?b=1 NOW!!! I'm 25, ran 5km on the 12th :) #BakuMarathon @john a")
    assert tokens == ["visit", "now", "i'm", "ran", "on", "the", "bakumarathon"]


def test_tokenize_russian_lowercases_and_folds_yo():
    assert tokenize("Ёлки-палки, ЧТО-ТО пошло не так в 2024 году! www.site.ru") == [
        "елки-палки", "что-то", "пошло", "не", "так", "году"]


def test_tokenize_azerbaijani_keeps_schwa_and_dotless_i():
    tokens = tokenize("İSTİFADƏÇİ BAKI şəhərində ığdır Qışda", "az")
    assert tokens == ["istifadəçi", "bakı", "şəhərində", "ığdır", "qışda"]
    # without a language, ə marks Azerbaijani text; İ never leaves a combining dot behind
    assert tokenize("İLHAM Əliyev BAKI") == ["ilham", "əliyev", "bakı"]
    assert tokenize("İstanbul", "en") == ["istanbul"]
    assert "ə" in "".join(tokenize("Əla", "az")) and "e" not in "".join(tokenize("Əla", "az"))


def test_tokenize_handles_missing_and_stopwords():
    assert tokenize(None) == [] and tokenize(float("nan")) == [] and tokenize("") == []
    assert tokenize("The delivery was very late", "en", drop_stopwords=True) == ["delivery", "late"]
    assert tokenize("Доставка была очень поздно", "ru", drop_stopwords=True) == ["доставка", "поздно"]
    assert tokenize("Çatdırılma çox gec oldu və bu pisdir", "az", drop_stopwords=True) == [
        "çatdırılma", "gec", "pisdir"]


def test_stopword_lists_are_hand_written_and_normalised():
    assert set(STOPWORDS) == {"ru", "az", "en"}
    for lang, words in STOPWORDS.items():
        assert 100 <= len(words) <= 300, lang
        assert all(w == T.normalise(w, lang) for w in words)
    assert {"и", "не", "что"} <= STOPWORDS["ru"] and {"və", "bu", "üçün"} <= STOPWORDS["az"]
    assert {"the", "and", "is"} <= STOPWORDS["en"]


# --------------------------------------------------------------------------------------------------
# Language detection
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang,sentences", [("ru", RU), ("az", AZ), ("en", EN)])
def test_detect_languages_accuracy_per_language(lang, sentences):
    detected = detect_languages(sentences, progress=False)
    accuracy = (detected == lang).mean()
    assert accuracy >= 0.9, list(zip(sentences, detected))


def test_detect_languages_undetermined_cases():
    texts = ["", "👍👍", "12345", "   ", None, float("nan"), "https://example.com/path", "@someone"]
    assert detect_languages(texts, progress=False).tolist() == ["und"] * len(texts)


def test_detect_languages_known_index_and_duplicates():
    texts = pd.Series(["Привет всем", "Hello everyone", "Salam hamıya", "Hello everyone"], index=[10, 11, 12, 13])
    out = detect_languages(texts, known=[None, "fr", "", pd.NA], progress=False)
    assert out.index.tolist() == [10, 11, 12, 13] and out.name == "language"
    assert out.tolist() == ["ru", "fr", "az", "en"]


def test_detect_languages_unsupported_language_is_named():
    with pytest.raises(ValueError, match="'xx'"):
        detect_languages(["hello"], languages=("en", "xx"))
    with pytest.raises(ValueError, match="empty"):
        detect_languages(["hello"], languages=())
    with pytest.raises(ValueError):
        detect_languages(["hello"], known=["en", "ru"])


def test_detect_languages_restricted_set_never_claims_other_scripts():
    out = detect_languages(["Привет, как у вас дела сегодня?", "Hello, how are you today?"], languages=("en",),
                           progress=False)
    assert out.tolist() == ["und", "en"]
    out = detect_languages(["Привет, как у вас дела сегодня?", "Salam, bu gün necəsiniz?"], languages=("ru", "en"),
                           progress=False)
    assert out.iloc[0] == "ru" and out.iloc[1] != "az"


def test_detect_languages_unsure_on_single_ambiguous_words():
    out = detect_languages(["ok", "Спасибо", "Çox sağ olun"], progress=False)
    assert out.tolist() == ["und", "ru", "az"]


def test_detect_languages_progress_is_silent_off_terminal(capsys):
    out = detect_languages([f"Message number {i} about the concert" for i in range(1200)], progress=True)
    assert (out == "en").all()
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_language_mix_shares():
    mix = language_mix(pd.Series(["ru", "ru", "az", None, "en", "ru", "und", "az"]))
    assert list(mix) == ["ru", "az", "und", "en"]
    assert mix["ru"] == pytest.approx(3 / 8) and mix["und"] == pytest.approx(2 / 8)
    assert sum(mix.values()) == pytest.approx(1.0)
    assert language_mix([]) == {}


# --------------------------------------------------------------------------------------------------
# Sentiment
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", sorted(SENTIMENT_BACKENDS))
def test_score_sentiment_english_only(backend):
    texts = pd.Series(
        ["I love this community, great job!", "This is terrible, the worst service ever",
         "Отличная работа, спасибо!", "Ужасный сервис", "Çox gözəl tədbir idi, təşəkkürlər!", "Xidmət dəhşətli idi",
         "", None],
        index=list("abcdefgh"),
    )
    langs = ["en", "en", "ru", "ru", "az", "az", "und", None]
    out = score_sentiment(texts, langs, backend=backend, progress=False)
    assert list(out.columns) == ["score", "sentiment", "scored"]
    assert out.index.tolist() == list("abcdefgh")
    assert out.loc["a", "sentiment"] == "positive" and out.loc["a", "score"] > 0
    assert out.loc["b", "sentiment"] == "negative" and out.loc["b", "score"] < 0
    assert out["scored"].tolist() == [True, True] + [False] * 6
    unscored = out.loc[list("cdefgh")]
    assert unscored["score"].isna().all() and unscored["sentiment"].isna().all()
    assert (out["score"].dropna().between(-1, 1)).all()
    assert out["scored"].dtype == bool and out["score"].dtype == "float64"
    assert sentiment_coverage(out).value == pytest.approx(2 / 8)  # one coverage definition: helpers.metrics


def test_score_sentiment_thresholds_and_neutral():
    out = score_sentiment(["The shop opens at nine.", "It is fine I guess"], "en", backend="textblob", progress=False)
    assert out.loc[0, "sentiment"] == "neutral" and out.loc[0, "scored"]
    for backend, lo, hi in [("textblob", -0.1, 0.1), ("vader", -0.05, 0.05)]:
        res = score_sentiment(EN, "en", backend=backend, progress=False)
        expected = np.where(res.score <= lo, "negative", np.where(res.score >= hi, "positive", "neutral"))
        assert res.sentiment.tolist() == expected.tolist()


def test_score_sentiment_detects_languages_when_not_given():
    out = score_sentiment(["I really love this place!", "Мне очень понравилось это место!"], None, progress=False)
    assert out["scored"].tolist() == [True, False]


def test_score_sentiment_backend_errors():
    with pytest.raises(ValueError, match="textblob.*vader"):
        score_sentiment(["hi"], ["en"], backend="bert")
    from helpers.sentiment import ModelError

    with pytest.raises(ModelError, match="model folder not found"):
        score_sentiment(["hi"], ["en"], backend="model:/models/sentiment")
    with pytest.raises(ValueError, match="aligned"):
        score_sentiment(["hi", "there"], ["en"])


def test_sentiment_coverage_edges():
    frame = pd.DataFrame({"sentiment": ["neutral", pd.NA, "positive", "negative"], "scored": [True, False, True, True]})
    assert sentiment_coverage(frame).value == pytest.approx(0.75)
    assert np.isnan(sentiment_coverage(frame.iloc[:0]).value)


# --------------------------------------------------------------------------------------------------
# Questions
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ru", "az"])
def test_is_question_precision_recall(lang):
    texts = QUESTIONS[lang] + STATEMENTS[lang]
    truth = np.array([True] * len(QUESTIONS[lang]) + [False] * len(STATEMENTS[lang]))
    for languages in (lang, None):  # with the language, and with every language's cues
        pred = is_question(texts, languages).to_numpy()
        tp = (pred & truth).sum()
        precision, recall = tp / max(pred.sum(), 1), tp / truth.sum()
        wrong = [t for t, p, y in zip(texts, pred, truth) if p != y]
        assert precision >= 0.9 and recall >= 0.9, (languages, precision, recall, wrong)


def test_is_question_question_marks_and_edges():
    texts = pd.Series(["Ok?", "See https://x.com/page?id=3", "", None, "¿Qué?", "Это правда？"], index=list("abcdef"))
    out = is_question(texts)
    assert out.tolist() == [True, False, False, False, True, True]
    assert out.dtype == bool and out.index.tolist() == list("abcdef") and out.name == "is_question"
    assert is_question([]).empty


# --------------------------------------------------------------------------------------------------
# Question clusters
# --------------------------------------------------------------------------------------------------


def test_cluster_questions_recovers_planted_topics():
    texts, langs, topics = planted_questions(per_topic=15, seed=0)
    clusters = cluster_questions(texts, langs)
    planted = np.array([t != "noise" for t in topics])
    ari = adjusted_rand_score(np.array(topics)[planted], clusters.to_numpy()[planted])
    assert ari >= 0.7
    assert all(planted_found(topics, clusters).values())
    # one language per cluster, ids 0..k-1 by size, small clusters are noise
    frame = pd.DataFrame({"lang": langs, "cluster": clusters})
    assert frame[frame.cluster >= 0].groupby("cluster").lang.nunique().max() == 1
    sizes = frame[frame.cluster >= 0].cluster.value_counts().sort_index()
    assert sizes.index.tolist() == list(range(len(sizes))) and sizes.min() >= 5
    assert sizes.is_monotonic_decreasing


def test_cluster_questions_is_deterministic_and_keeps_index():
    texts, langs, _ = planted_questions(per_topic=8, seed=3)
    series = pd.Series(texts, index=[f"m{i}" for i in range(len(texts))])
    first = cluster_questions(series, langs)
    second = cluster_questions(series, langs)
    assert first.equals(second) and first.index.equals(series.index) and first.name == "cluster"


def test_cluster_questions_edge_cases():
    empty = cluster_questions([])
    assert empty.empty and empty.dtype == "int64"
    assert cluster_questions(["How do I reset my password?"], ["en"]).tolist() == [-1]
    assert cluster_questions(["How do I reset my password?", "Где мой заказ?"], ["en", "ru"]).tolist() == [-1, -1]
    assert cluster_questions(["How do I reset my password?", "how do i reset my password"], ["en", "en"],
                             min_cluster_size=2).tolist() == [0, 0]
    assert cluster_questions(["??", "👍", ""], None).tolist() == [-1, -1, -1]
    assert cluster_questions(["Where is my order 123?"] * 6, "en").tolist() == [0] * 6


def test_cluster_questions_finds_topics_among_thousands():
    """Thousands of questions still give the planted topics (speed: benchmarks/bench_text.py, not timed here)."""
    texts, langs, topics = planted_questions(per_topic=250, seed=1)
    assert len(texts) >= 3000
    clusters = cluster_questions(texts, langs)
    assert all(planted_found(topics, clusters).values())


def test_cluster_summary_rows():
    texts, langs, _ = planted_questions(per_topic=15, seed=0)
    clusters = cluster_questions(texts, langs)
    summary = cluster_summary(texts, langs, clusters)
    assert list(summary.columns) == ["cluster", "label", "language", "n", "examples"]
    assert set(summary.cluster) == set(clusters[clusters >= 0])
    assert summary.n.is_monotonic_decreasing and summary.n.sum() == (clusters >= 0).sum()
    assert set(summary.language) <= {"ru", "az", "en"}
    for row in summary.itertuples():
        assert 1 <= len(row.examples) <= 3 and all(len(e) <= 120 for e in row.examples)
        assert 1 <= len(row.label.split(" / ")) <= 5
    labels = " ".join(summary.label)
    assert "tickets" in labels and "билеты" in labels
    empty = cluster_summary(["a", "b"], ["en", "en"], [-1, -1])
    assert empty.empty and list(empty.columns) == ["cluster", "label", "language", "n", "examples"]


# --------------------------------------------------------------------------------------------------
# Trending terms
# --------------------------------------------------------------------------------------------------


def _trend_data() -> tuple[list[str], list[pd.Timestamp]]:
    rng = random.Random(0)
    steady = ["Great concert yesterday", "The delivery was quick", "Thanks for the support",
              "Nice photos from the event", "Спасибо за концерт", "Çox gözəl tədbir idi"]
    start = pd.Timestamp("2024-01-01", tz="UTC")
    texts, stamps = [], []
    for day in range(90):
        for _ in range(10):
            texts.append(rng.choice(steady))
            stamps.append(start + pd.Timedelta(days=day, hours=rng.randrange(24)))
        if day >= 65:  # the parking fee complaint starts late in the period
            for _ in range(3):
                texts.append(rng.choice(["The parking fee is outrageous", "Parking fee doubled again",
                                         "Why is the parking fee so high", "Плата за парковку выросла"]))
                stamps.append(start + pd.Timedelta(days=day, hours=5))
    return texts, stamps


def test_trending_terms_finds_planted_rising_term():
    texts, stamps = _trend_data()
    out = trending_terms(texts, stamps, languages=None)
    assert list(out.columns) == ["term", "language", "count_recent", "count_before", "share_recent",
                                 "share_before", "lift"]
    assert out.iloc[0]["term"] == "parking fee" and out.iloc[0]["language"] == "en"
    assert out.iloc[0]["count_before"] == 0 and out.iloc[0]["count_recent"] >= 5
    assert out.lift.is_monotonic_decreasing and (out.lift >= 1.5).all()
    assert "concert" not in set(out.term)  # steady terms are not trending
    assert len(trending_terms(texts, stamps, top_n=2)) == 2


def test_trending_terms_empty_and_degenerate_inputs():
    cols = ["term", "language", "count_recent", "count_before", "share_recent", "share_before", "lift"]
    for out in (trending_terms([], []),
                trending_terms(["parking fee"] * 10, [pd.Timestamp("2024-01-01", tz="UTC")] * 10, languages="en"),
                trending_terms(["parking fee"] * 3, [None, "not a date", None], languages="en")):
        assert out.empty and list(out.columns) == cols
    with pytest.raises(ValueError):
        trending_terms(["a"], ["2024-01-01"], recent_share=1.5)


# --------------------------------------------------------------------------------------------------
# Display and offline guarantees
# --------------------------------------------------------------------------------------------------


def test_truncate_for_display():
    assert truncate_for_display("short  text\nhere") == "short text here"
    long = "word " * 100
    out = truncate_for_display(long, 50)
    assert len(out) <= 50 and out.endswith("…") and not out[:-1].endswith(" ")
    assert truncate_for_display("x" * 300, 10) == "x" * 9 + "…"
    assert truncate_for_display(None) == ""


def test_everything_works_without_network(monkeypatch, tmp_path):
    def refuse(*args, **kwargs):
        raise OSError("network disabled in tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    import nltk

    monkeypatch.setattr(nltk.data, "path", [str(tmp_path)])  # no corpora anywhere
    monkeypatch.setattr(nltk, "download", refuse)
    language_detector.cache_clear()
    vader_analyzer.cache_clear()
    texts = EN[:5] + RU[:5] + AZ[:5]
    langs = detect_languages(texts, languages=DEFAULT_LANGUAGES, progress=False)
    for backend in SENTIMENT_BACKENDS:
        assert score_sentiment(texts, langs, backend=backend, progress=False)["scored"].sum() == 5
    assert is_question(texts, langs).any()
    q_texts, q_langs, _ = planted_questions(per_topic=6, seed=2)
    clusters = cluster_questions(q_texts, q_langs)
    cluster_summary(q_texts, q_langs, clusters)
    trending_terms(*_trend_data())


# --------------------------------------------------------------------------------------------------
# Whole columns at once (helpers.text.columns): the per-text results, string for string
# --------------------------------------------------------------------------------------------------

from collections import Counter  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from helpers.text import TEXT_SEPARATOR, normalise_many, token_table  # noqa: E402
from helpers.text.normalising import normalise, raw_tokens, stopwords_for, strip_links  # noqa: E402

# characters the normalisation rules treat specially: Turkic I/İ, ə, ё, apostrophes and hyphens, combining marks
# (below and beyond U+10000), Greek sigma, ß, links, mentions, e-mails, digits, whitespace of every kind
_TRICKY = list("IİıiəƏёЁ’‘ʼ`´‐‑-'Σσςßẞǅΐ\u0301\u0307\U0001d167🙂 \t\n\u00a0\u2028.@:/_0123456789") + [
    "https://x.az/a?b", "www.example.com", "mail@site.ru", "@handle", "shop.az", "e-mail", "don't", "12th", "5km"]
_TEXTS = st.lists(st.one_of(st.sampled_from(_TRICKY), st.text(max_size=4)), max_size=12).map("".join)
_LANGS = st.sampled_from(["ru", "az", "en", "tr", "de", None])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_TEXTS, _LANGS), max_size=25))
def test_normalise_many_and_token_table_match_the_per_text_functions(rows):
    texts = [t for t, _ in rows]
    langs = [lang for _, lang in rows]
    assert normalise_many(texts, langs) == [normalise(strip_links(t), lang) for t, lang in rows]
    table = token_table(texts, langs)
    assert [table.tokens_of(i) for i in range(len(texts))] == [raw_tokens(t, lang) for t, lang in rows]
    stop = table.member_of(langs, stopwords_for)
    assert stop.tolist() == [w in stopwords_for(langs[d]) for w, d in zip(table.vocab[table.code], table.doc)]


def test_columns_with_the_separator_inside_a_text_fall_back_to_text_by_text():
    texts = [f"a{TEXT_SEPARATOR}b Hello", "İstanbul www.x.com ok", None, 42]
    langs = ["en", "az", None, "ru"]
    assert normalise_many([str(t) for t in texts], langs) == [normalise(strip_links(str(t)), lang)
                                                              for t, lang in zip(texts, langs)]
    table = token_table(texts, langs)
    assert [table.tokens_of(i) for i in range(4)] == [raw_tokens(t, lang) for t, lang in zip(texts, langs)]


def _trending_reference(texts, stamps, langs, top_n=15, min_count=5, min_lift=1.5, recent_share=1 / 3):
    """The per-text loop trending_terms ran before it went columnar (kept here as the definition)."""
    times = pd.to_datetime(pd.Series(stamps, dtype=object), utc=True)
    first, last = times.min(), times.max()
    cut = last - (last - first) * recent_share
    counts, docs_recent, words = {True: Counter(), False: Counter()}, Counter(), {True: 0, False: 0}
    term_lang: dict[str, Counter] = {}
    for text, stamp, lang in zip(texts, times, langs):
        recent = bool(stamp > cut)
        stop = stopwords_for(lang)
        tokens = raw_tokens(text, lang)
        uni = [t for t in tokens if t not in stop]
        terms = uni + [f"{a} {b}" for a, b in zip(tokens, tokens[1:]) if a not in stop and b not in stop]
        counts[recent].update(terms)
        words[recent] += len(uni)
        for term in set(terms):
            term_lang.setdefault(term, Counter())[lang or "und"] += 1
        if recent:
            docs_recent.update(set(terms))
    rows = []
    for term, c in counts[True].items():
        b = counts[False].get(term, 0)
        lift = ((c + 0.5) / words[True]) / ((b + 0.5) / words[False])
        if c >= min_count and docs_recent[term] >= 2 and lift >= min_lift and lift > 1:
            language = sorted(term_lang[term].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            rows.append((term, language, c, b, c / words[True], b / words[False], lift))
    frame = pd.DataFrame(rows, columns=["term", "language", "count_recent", "count_before", "share_recent",
                                        "share_before", "lift"])
    frame = frame.sort_values(["lift", "count_recent", "term"], ascending=[False, False, True])
    explained = {p for t, c in zip(frame["term"], frame["count_recent"]) if " " in t for p in t.split(" ")
                 if c >= 0.8 * counts[True].get(p, 0)}
    return frame[~frame["term"].isin(explained)].head(top_n).reset_index(drop=True)


def test_trending_terms_equal_the_per_text_definition():
    rng = random.Random(5)
    words = ["parking", "queue", "doctor", "xidmət", "növbə", "очередь", "парковка", "the", "и", "və", "late",
             "price", "цена", "qiymət", "appointment", "İnsan", "Ёлка"]
    texts, stamps, langs = [], [], []
    start = pd.Timestamp("2025-01-01", tz="UTC")
    for i in range(600):
        lang = rng.choice(["en", "ru", "az", None])
        n_words = rng.randint(0, 8)
        pool = words + (["parking", "queue"] * 3 if i > 400 else [])
        texts.append(" ".join(rng.choice(pool) for _ in range(n_words)) + rng.choice(["", "!", " @x", " 5km"]))
        stamps.append(start + pd.Timedelta(hours=i))
        langs.append(lang)
    got = trending_terms(texts, pd.Series(stamps), langs, top_n=30, min_count=3, min_lift=1.1)
    want = _trending_reference(texts, stamps, langs, top_n=30, min_count=3, min_lift=1.1)
    assert len(got) > 0
    pd.testing.assert_frame_equal(got, want.astype({"count_recent": "int64", "count_before": "int64"}),
                                  check_exact=True)


def test_clean_many_repeated_call_gives_the_same_words():
    from helpers.text.clusters import clean_many, clean_for_cluster

    texts, langs = ["Salam, qəbul saatları nədir?", "Hello, what are your opening hours?"], ["az", "en"]
    first = clean_many(texts, langs)
    again = clean_many(list(texts), list(langs))
    assert first == again == [clean_for_cluster(t, lang) for t, lang in zip(texts, langs)]
    assert clean_many(texts, ["en", "en"]) == [clean_for_cluster(t, "en") for t in texts]
