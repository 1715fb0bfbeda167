"""Phrase tables that make generated texts varied (:mod:`helpers.synth.variety`); data only.

Real pages are 95–98 % unique; templates alone repeat. These tables add what members really write around
the point they make: names, relatives, dates, times, booking and ticket numbers, rooms, minutes waited,
optional openers and closers, mentions, links and emoticons. :class:`helpers.synth.variety.Composer` fills
their slots and decides which parts a text gets and in which order.

Design rules (checked by ``tests/unit/test_synth_variety.py``):

* no table entry contains "?" or a question cue of its language (:data:`helpers.synth.templates.QUESTION_CUES`,
  and the sentence-start interrogatives of :func:`helpers.text.is_question`), so statements stay statements;
* ``neutral`` entries in English carry no word TextBlob scores; ``positive`` entries no negative word and
  ``negative`` entries no positive word, so a text keeps its planted sentiment;
* entries are written in their language only (Azerbaijani in Latin script, Russian in Cyrillic).

Slots: ``{name}`` (a first name), ``{rel}`` (a relative, "my son"), ``{date}`` ("12 March"), ``{time}``
("10:40"), ``{ref}`` (a 5–6 digit booking or request number), ``{ticket}`` (a queue ticket), ``{room}``,
``{mins}`` (minutes), ``{times}`` (a count 2–9), ``{age}`` (years), ``{agent}`` (a support agent's first name),
``{dept}``, ``{doc}``, ``{day}`` as in :data:`helpers.synth.templates.SLOTS`.
"""
from __future__ import annotations

__all__ = ["FIRST_NAMES", "AGENTS", "RELATIVES", "MONTHS", "EXTRA_SLOTS", "DETAILS", "OPENERS", "CLOSERS",
           "QUESTION_DETAILS", "QUESTION_CLOSERS", "REPLY_SIGNATURES", "REPLY_REFERENCES", "LINKS",
           "EMOTICONS", "AZ_ASCII", "MOODS", "RELATIVES_RU_CASES",
           "RELATIVE_GENDERS", "NAME_GENDERS", "RELATIVE_AGES", "AGE_RANGES"]

MOODS: tuple[str, ...] = ("negative", "neutral", "positive")

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "ru": ("Айгюн", "Эльвин", "Нигяр", "Руслан", "Лейла", "Самир", "Гюнай", "Тимур", "Наиля", "Фарид", "Севиндж",
           "Орхан", "Айсель", "Рашад", "Камран", "Зарина", "Мурад", "Лала", "Эльшан", "Марина", "Ирина", "Дмитрий",
           "Анна", "Сергей", "Ольга", "Артём", "Наталья", "Алексей", "Светлана", "Игорь", "Фидан", "Вугар"),
    "az": ("Aynur", "Elvin", "Nigar", "Rüstəm", "Leyla", "Samir", "Günay", "Tural", "Nailə", "Fərid", "Sevinc",
           "Orxan", "Aysel", "Rəşad", "Kamran", "Zəhra", "Murad", "Lalə", "Elşən", "Ülviyyə", "Vüqar", "Fidan",
           "Səbinə", "Nihad", "Könül", "Cavid", "Gülnar", "Əli", "Aytən", "Şahin", "Xədicə", "İlqar"),
    "en": ("Aynur", "Elvin", "Nigar", "Rustam", "Leyla", "Samir", "Gunay", "Tural", "Naila", "Farid", "Sevinj",
           "Orkhan", "Aysel", "Rashad", "Kamran", "Zahra", "Murad", "Lala", "Emma", "James", "Sarah", "David",
           "Anna", "Tom", "Lucy", "Daniel", "Olivia", "Michael", "Sophie", "Peter", "Fidan", "Vugar"),
}

#: first names of the brand's support agents, who sign replies
AGENTS: dict[str, tuple[str, ...]] = {
    "ru": ("Айнур", "Эльмира", "Тогрул", "Севда", "Рамин", "Нармин", "Анар", "Гюльнара", "Олег", "Екатерина",
           "Ильгар", "Самира"),
    "az": ("Aynur", "Elmira", "Toğrul", "Sevda", "Ramin", "Nərmin", "Anar", "Gülnarə", "Ilkin", "Fatimə",
           "İlqar", "Samirə"),
    "en": ("Aynur", "Elmira", "Toghrul", "Sevda", "Ramin", "Narmin", "Anar", "Gulnara", "Ilkin", "Fatima",
           "Ilgar", "Samira"),
}

RELATIVES: dict[str, tuple[str, ...]] = {
    "ru": ("мой сын", "моя дочь", "моя мама", "мой папа", "моя жена", "мой муж", "моя бабушка", "мой дедушка",
           "моя сестра", "мой брат", "моя свекровь", "мой племянник"),
    "az": ("oğlum", "qızım", "anam", "atam", "həyat yoldaşım", "nənəm", "babam", "bacım", "qardaşım",
           "qayınanam", "bacım qızı", "qardaşım oğlu"),
    "en": ("my son", "my daughter", "my mother", "my father", "my wife", "my husband", "my grandmother",
           "my grandfather", "my sister", "my brother", "my mother-in-law", "my nephew"),
}

#: grammatical gender of each relative (same order as :data:`RELATIVES`), so that a name fits "my son …"
RELATIVE_GENDERS: dict[str, str] = {"ru": "mffmfmfmfmfm", "az": "mffmffmfmffm", "en": "mffmfmfmfmfm"}

#: age class of each relative (same order as :data:`RELATIVES`): c child 2–25, a adult 20–70, p parent 40–85,
#: g grandparent 65–90 (years)
RELATIVE_AGES: dict[str, str] = {"ru": "ccppaaggaapc", "az": "ccppaggaapcc", "en": "ccppaaggaapc"}
AGE_RANGES: dict[str, tuple[int, int]] = {"c": (2, 25), "a": (20, 70), "p": (40, 85), "g": (65, 90)}

#: grammatical gender of each first name (same order as :data:`FIRST_NAMES`)
NAME_GENDERS: dict[str, str] = {"ru": "fmfmfmfmfmfmfmmfmfmffmfmfmfmfmfm", "az": "fmfmfmfmfmfmfmmfmfmfmffmfmfmfmfm", "en": "fmfmfmfmfmfmfmmfmffmfmfmfmfmfmfm"}

#: Russian relatives in the genitive and accusative (same order as :data:`RELATIVES`)
RELATIVES_RU_CASES: dict[str, tuple[str, ...]] = {
    "gen": ("моего сына", "моей дочери", "моей мамы", "моего папы", "моей жены", "моего мужа", "моей бабушки",
            "моего дедушки", "моей сестры", "моего брата", "моей свекрови", "моего племянника"),
    "acc": ("моего сына", "мою дочь", "мою маму", "моего папу", "мою жену", "моего мужа", "мою бабушку",
            "моего дедушку", "мою сестру", "моего брата", "мою свекровь", "моего племянника"),
}

MONTHS: dict[str, tuple[str, ...]] = {
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"),
    "az": ("yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avqust", "sentyabr", "oktyabr", "noyabr",
           "dekabr"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}

#: extra day phrases (neither past nor future: the templates use both) and doctor surnames appended to the template slots (more values per slot)
EXTRA_SLOTS: dict[str, dict[str, tuple[str, ...]]] = {
    "ru": {"doc": ("Гусейнова", "Алиев", "Керимова", "Ахмедов", "Велиева", "Мусаев", "Джафарова", "Сафаров"),
           "day": ("сегодня", "сегодня утром", "в эту субботу", "во вторник", "в четверг",
                   "в следующий понедельник")},
    "az": {"doc": ("Hüseynova", "Əliyev", "Kərimova", "Əhmədov", "Vəliyeva", "Musayev", "Cəfərova", "Səfərov"),
           "day": ("bu gün", "bu gün səhər", "bu şənbə", "çərşənbə axşamı", "cümə axşamı", "gələn bazar ertəsi")},
    "en": {"doc": ("Huseynova", "Aliyev", "Karimova", "Ahmadov", "Valiyeva", "Musayev", "Jafarova", "Safarov"),
           "day": ("today", "this morning", "this Saturday", "on Tuesday", "on Thursday", "next Monday")},
}

#: detail clauses by language and mood: written after the main text (", …") or before it ("… . ")
DETAILS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "neutral": (
            "booking ref {ref}", "we came in at {time}", "this was on {date}", "for {rel} {name}",
            "{rel} {name} is {age}", "ticket {ticket} at the window", "room {room}", "appointment at {time} on {date}",
            "patient card {ref}", "it takes us {mins} minutes by bus", "{rel} was with me", "we were there at {time}",
            "booked for {date} at {time}", "referral number {ref}",
            "{rel} {name}, age {age}",
        ),
        "positive": (
            "in and out in {mins} minutes", "seen at {time} on the dot", "{rel} {name} is already feeling better",
            "booking ref {ref}, all sorted", "thanks from {rel} {name} too", "room {room}, lovely nurses",
            "we were done by {time}", "on {date}, {rel} {name} and I", "{rel} is {age} and felt at ease",
            "ticket {ticket}, called in {mins} minutes", "a big thank you from {name}",
        ),
        "negative": (
            "waited {mins} minutes", "ticket number {ticket} and still waiting", "booking ref {ref}, still nothing",
            "called {times} times since {time}", "{rel} {name} is {age} and had to stand for {mins} minutes",
            "I was there at {time} on {date}", "room {room}, nobody came for {mins} minutes",
            "this was on {date} and still no answer", "{times} calls and {mins} minutes on hold",
            "{rel} had an appointment at {time}, seen after {mins} minutes", "ref {ref}, {times} emails, no reply",
        ),
    },
    "ru": {
        "neutral": (
            "номер записи {ref}", "пришли к {time}", "это было {date}", "для {rel_gen}", "{rel} {name}, {age} лет",
            "талон {ticket} в окно регистратуры", "кабинет {room}", "приём в {time}, {date}", "карта пациента {ref}",
            "мы добираемся {mins} минут на автобусе", "ходили вместе, {rel} и я", "были там в {time}",
            "записаны на {date} на {time}", "направление № {ref}", "речь про {rel_acc}, {age} лет",
        ),
        "positive": (
            "всё заняло {mins} минут", "приняли ровно в {time}", "{rel} {name} уже чувствует себя лучше",
            "номер записи {ref}, всё решили", "спасибо и от {rel_gen}", "кабинет {room}, чудесные медсёстры",
            "к {time} мы уже закончили", "{date} ходили вдвоём, {rel} и я", "талон {ticket}, вызвали через {mins} минут",
            "{name} тоже передаёт спасибо",
        ),
        "negative": (
            "ждали {mins} минут", "талон {ticket}, до сих пор жду", "номер записи {ref}, до сих пор ничего",
            "звоню с {time}, уже {times}-й раз", "{rel} {name}, {age} лет, всё время на ногах в коридоре",
            "я была там в {time}, {date}", "кабинет {room}, {mins} минут никто не подходил",
            "это было {date}, ответа до сих пор нет", "звонков: {times}, на линии {mins} минут",
            "номер обращения {ref}, писем без ответа: {times}",
        ),
    },
    "az": {
        "neutral": (
            "qəbul nömrəsi {ref}", "saat {time} gəldik", "bu {date} idi", "{rel} {name} üçün", "{rel} {name}, {age} yaş",
            "növbə talonu {ticket}", "otaq {room}", "qəbul {date}, saat {time}", "pasiyent kartı {ref}",
            "avtobusla {mins} dəqiqəyə gəlirik", "{rel} mənimlə idi", "saat {time} orada idik",
            "{date} saat {time} üçün yazılmışıq", "göndəriş nömrəsi {ref}", "söhbət {rel} barədədir, {age} yaş",
        ),
        "positive": (
            "hər şey {mins} dəqiqə çəkdi", "düz saat {time} qəbul etdilər", "{rel} {name} artıq özünü yaxşı hiss edir",
            "qəbul nömrəsi {ref}, hər şey həll olundu", "{rel} {name} də təşəkkür edir", "otaq {room}, əla tibb bacıları",
            "saat {time} artıq bitirmişdik", "{date} {name} ilə birlikdə", "talon {ticket}, {mins} dəqiqəyə çağırdılar",
            "{name} adından da böyük təşəkkür",
        ),
        "negative": (
            "{mins} dəqiqə gözlədik", "talon {ticket}, hələ də gözləyirəm", "qəbul nömrəsi {ref}, hələ də heç nə yoxdur",
            "saat {time}-dan bəri {times} dəfə zəng etdim", "{rel} {name} {age} yaşındadır, bütün vaxt ayaqda qaldı",
            "saat {time} orada idim, {date}", "otaq {room}, {mins} dəqiqə heç kim gəlmədi",
            "bu {date} idi, hələ də cavab yoxdur", "{times} zəng və xətdə {mins} dəqiqə",
            "müraciət nömrəsi {ref}, {times} məktub, cavab yoxdur",
        ),
    },
}

#: sentence openers by language and mood (they end with a comma or colon; the text follows in lower case)
OPENERS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {"neutral": ("So,", "Well,", "Btw,", "FYI,", "Update:", "Just so you know,", "For the record,", "Also,"),
           "positive": ("So,", "Well,", "Update:", "Honestly,", "Wow,", "Just wanted to say,"),
           "negative": ("So,", "Well,", "Again,", "Seriously,", "Update:", "Once again,")},
    "ru": {"neutral": ("Кстати,", "В общем,", "Для информации:", "Ну,", "Короче,", "Так вот,", "К слову,"),
           "positive": ("Кстати,", "В общем,", "Честно,", "Ну,", "Хочу сказать:", "Вот,"),
           "negative": ("Опять,", "В общем,", "Серьёзно,", "Ну,", "Снова,", "Короче,")},
    "az": {"neutral": ("Yeri gəlmişkən,", "Ümumiyyətlə,", "Məlumat üçün:", "Sözün düzü,", "Qısası,", "Bəli,"),
           "positive": ("Sözün düzü,", "Ümumiyyətlə,", "Açığı,", "Deməliyəm ki,", "Qısası,"),
           "negative": ("Yenə,", "Ümumiyyətlə,", "Ciddi deyirəm,", "Açığı,", "Qısası,", "Bir daha,")},
}

#: closing sentences by language and mood
CLOSERS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {"neutral": ("Just for info", "Noted", "Regards, {name}", "Will see", "Posting for others",
                       "{name} here, from {date}"),
           "positive": ("Thank you!", "Thanks again", "Much appreciated", "Keep it up", "Highly recommend",
                        "Best wishes from {name}", "Thank you so much, {rel} says the same"),
           "negative": ("Not acceptable", "Please fix this", "Very disappointed", "Never again",
                        "Shame on you", "Really bad, {name}", "Absolutely terrible")},
    "ru": {"neutral": ("Просто для информации", "Приняла к сведению", "С уважением, {name}", "Посмотрим",
                       "Пишу для других", "{name}, {date}"),
           "positive": ("Спасибо!", "Ещё раз спасибо", "Очень благодарна", "Так держать", "Всем рекомендую",
                        "С благодарностью, {name}"),
           "negative": ("Это недопустимо", "Исправьте это", "Очень разочарована", "Больше ни ногой", "Позор вам",
                        "Просто ужас, {name}")},
    "az": {"neutral": ("Sadəcə məlumat üçün", "Qeyd etdim", "Hörmətlə, {name}", "Baxarıq", "Başqaları üçün yazıram",
                       "{name}, {date}"),
           "positive": ("Təşəkkürlər!", "Bir daha sağ olun", "Çox minnətdaram", "Belə davam edin",
                        "Hamıya tövsiyə edirəm", "Minnətdarlıqla, {name}"),
           "negative": ("Bu yolverilməzdir", "Bunu düzəldin", "Çox məyus oldum", "Bir daha gəlmərəm", "Ayıbdır",
                        "Sadəcə dəhşətdir, {name}")},
}

#: neutral context added to questions (no question cues, no polar words)
QUESTION_DETAILS: dict[str, tuple[str, ...]] = {
    "en": ("it is for {rel} {name}", "{rel} is {age}", "booking ref {ref}", "it is {mins} minutes by bus for us",
           "I have a referral, number {ref}", "asking for {rel}", "it is {name} writing", "for {date}",
           "patient card {ref}", "after {time}"),
    "ru": ("это для {rel_gen}", "{rel}, {age} лет", "номер записи {ref}", "мы живём в {mins} минутах",
           "у меня направление № {ref}", "спрашиваю для {rel_gen}", "пишет {name}", "на {date}",
           "карта пациента {ref}", "после {time}"),
    "az": ("{rel} {name} üçün", "{rel} {age} yaşındadır", "qəbul nömrəsi {ref}", "{mins} dəqiqəlik yolda yaşayırıq",
           "göndərişim var, nömrəsi {ref}", "{rel} üçün yazıram", "{name} yazır", "{date} üçün",
           "pasiyent kartı {ref}", "saat {time}-dan sonra"),
}

#: what members write after a question mark
QUESTION_CLOSERS: dict[str, tuple[str, ...]] = {
    "en": ("Thank you in advance", "Thank you", "Thank you, {name}", "Regards, {name}", "Thx", "Cheers"),
    "ru": ("Заранее спасибо", "Спасибо", "Спасибо, {name}", "С уважением, {name}", "Благодарю"),
    "az": ("Əvvəlcədən təşəkkürlər", "Təşəkkürlər", "Sağ olun, {name}", "Hörmətlə, {name}", "Çox sağ olun"),
}

#: how a support agent signs a brand reply
REPLY_SIGNATURES: dict[str, tuple[str, ...]] = {
    "en": ("— {agent}, patient support", "{agent}, Caspian Harbour Clinic", "— {agent}", "Best regards, {agent}",
           "{agent} from the reception team"),
    "ru": ("— {agent}, служба поддержки пациентов", "{agent}, клиника «Каспийская гавань»", "— {agent}",
           "С уважением, {agent}", "{agent}, регистратура"),
    "az": ("— {agent}, pasiyent dəstəyi", "{agent}, Xəzər Liman Klinikası", "— {agent}", "Hörmətlə, {agent}",
           "{agent}, qeydiyyat şöbəsi"),
}

#: the request number a brand reply quotes
REPLY_REFERENCES: dict[str, tuple[str, ...]] = {
    "en": ("Request no. {ref}.", "Your request number is {ref}.", "Ref. {ref}.", "Case {ref}."),
    "ru": ("Обращение № {ref}.", "Номер вашего обращения: {ref}.", "Заявка {ref}.", "№ {ref}."),
    "az": ("Müraciət № {ref}.", "Müraciətinizin nömrəsi: {ref}.", "Sorğu {ref}.", "№ {ref}."),
}

#: links members paste (language-neutral)
LINKS: tuple[str, ...] = ("https://caspianharbour.example/booking/{ref}", "https://t.me/caspianharbour/{ref}",
                          "https://instagram.example/p/{ref}", "https://facebook.example/photo/{ref}",
                          "caspianharbour.example/news/{ref}")

#: emoticons by mood (added next to emoji)
EMOTICONS: dict[str, tuple[str, ...]] = {
    "positive": (":)", ":-)", ")))", ":D", "))"),
    "neutral": ("...", "!", "..", ""),
    "negative": (":(", ":-(", "(((", "!!!", "(("),
}

#: Azerbaijani letters typed on a keyboard without them
AZ_ASCII: dict[str, str] = {"ə": "e", "Ə": "E", "ı": "i", "İ": "I", "ş": "s", "Ş": "S", "ç": "c", "Ç": "C",
                            "ğ": "g", "Ğ": "G", "ö": "o", "Ö": "O", "ü": "u", "Ü": "U"}
