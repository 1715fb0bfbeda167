"""Multilingual text templates for the synthetic generator (:mod:`helpers.synth`); data only.

The fictional organisation is *Caspian Harbour Clinic* (ru «Каспийская гавань», az «Xəzər Liman
Klinikası»), a public-service clinic that talks with its audience in Russian (Cyrillic), Azerbaijani (Latin
script with ə ı ş ç ğ ö ü) and English. Every name, address and phone number here is invented.

Design rules the tests check (``tests/unit/test_synth.py``):

* every template renders to at least six words with language-typical function words, so a language
  detector restricted to {ru, az, en} recognises it (emoji-only texts are the planted "und" share);
* member texts carry a planted sentiment; English ones use words TextBlob's lexicon knows ("great",
  "terrible", "rude", …) and English neutral texts and questions avoid polar words;
* each of the ten question topics has at least six templates per language, every one containing a
  question cue word of its language (:data:`QUESTION_CUES`), and the topic's content words
  (:data:`TOPIC_ANCHORS`) so that char-n-gram TF-IDF clustering can group the topic;
* non-question member texts contain neither "?" nor question cues.

Templates use ``str.format`` slots: ``{greet}`` (a greeting with its comma, or nothing), ``{dept}``
(a department, Russian in the genitive), ``{doc}`` (a doctor's surname), ``{day}`` (a day phrase),
``{cname}`` (a campaign's localised name). :class:`helpers.synth.texts.TextMaker` fills them with a NumPy
generator, with the larger tables and the variations (details, openers, closers, typos, emoji) of
:mod:`helpers.synth.variety` and :mod:`helpers.synth.phrases`.
"""
from __future__ import annotations

__all__ = [
    "LANGUAGES", "SENTIMENTS", "BRAND_NAMES", "SLOTS", "EMOJI", "UND_TEXTS", "QUESTION_CUES", "TOPIC_LABELS",
    "TOPIC_ANCHORS", "QUESTION_TOPICS", "COMMENTS", "UGC_POSTS", "MEMBER_REPLIES", "FOLLOWUPS",
    "INCIDENT_COMPLAINTS", "BRAND_POSTS", "CAMPAIGN_POSTS", "STATEMENTS", "BRAND_GREETINGS", "BRAND_REPLIES",
    "TOPIC_ANSWERS", "TRICKY_WRAPPERS",
]

LANGUAGES: tuple[str, ...] = ("ru", "az", "en")
SENTIMENTS: tuple[str, ...] = ("negative", "neutral", "positive")

BRAND_NAMES: dict[str, str] = {
    "en": "Caspian Harbour Clinic",
    "ru": "Клиника «Каспийская гавань»",
    "az": "Xəzər Liman Klinikası",
}

# --------------------------------------------------------------------------------------------------
# Slot fillers
# --------------------------------------------------------------------------------------------------

SLOTS: dict[str, dict[str, tuple[str, ...]]] = {
    "ru": {
        "greet": ("Здравствуйте, ", "Добрый день, ", "Добрый вечер, ", "Доброе утро, ", "", "", ""),
        "dept": ("кардиологии", "терапии", "педиатрии", "неврологии", "стоматологии", "гинекологии",
                 "офтальмологии", "эндокринологии"),
        "doc": ("Мамедова", "Гасанов", "Алиева", "Кулиев", "Бабаева", "Исмаилов", "Рзаева", "Насиров"),
        "day": ("в субботу", "в воскресенье", "в понедельник", "завтра", "в пятницу", "в среду",
                "на выходных"),
    },
    "az": {
        "greet": ("Salam, ", "Salam aleykum, ", "Günortanız xeyir, ", "Axşamınız xeyir, ", "", "", ""),
        "dept": ("kardiologiya", "terapiya", "pediatriya", "nevrologiya", "stomatologiya", "ginekologiya",
                 "oftalmologiya", "endokrinologiya"),
        "doc": ("Məmmədova", "Həsənov", "Əliyeva", "Quliyev", "Babayeva", "İsmayılov", "Rzayeva", "Nəsirov"),
        "day": ("şənbə günü", "bazar günü", "bazar ertəsi", "sabah", "cümə günü", "çərşənbə günü",
                "həftə sonu"),
    },
    "en": {
        # no "Good morning": TextBlob scores "good" as positive and questions must stay neutral
        "greet": ("Hello, ", "Hi, ", "Hi there, ", "Hello everyone, ", "", "", ""),
        "dept": ("cardiology", "internal medicine", "paediatrics", "neurology", "dentistry", "gynaecology",
                 "ophthalmology", "endocrinology"),
        "doc": ("Mammadova", "Hasanov", "Aliyeva", "Guliyev", "Babayeva", "Ismayilov", "Rzayeva", "Nasirov"),
        "day": ("on Saturday", "on Sunday", "on Monday", "tomorrow", "on Friday", "on Wednesday",
                "at the weekend"),
    },
}

EMOJI: dict[str, tuple[str, ...]] = {
    "positive": ("🙏", "😊", "❤️", "👍", "👏", "🌸"),
    "neutral": ("🙂", "📌", "👀", "🙏"),
    "negative": ("😡", "😤", "👎", "😠", "😞"),
    "question": ("🙏", "🙂", "🤔", "😊"),
}

#: texts without letters: a language detector cannot tell their language (ground truth "und")
UND_TEXTS: dict[str, tuple[str, ...]] = {
    "positive": ("👍👍👍", "🙏🙏🙏", "❤️❤️❤️", "👏👏👏 💯", "10/10 👍", "⭐⭐⭐⭐⭐ 5/5", "🔥🔥", "💐💐💐"),
    "neutral": ("👀", "🤔🤔", "📌", "👆👆", "…"),
    "negative": ("😡😡😡", "👎👎", "😤😤", "0/10 👎", "😞😞😞"),
}

# --------------------------------------------------------------------------------------------------
# Questions: ten recurring topics, six or more phrasings per language
# --------------------------------------------------------------------------------------------------

#: question cue words per language; every question template contains at least one as a whole word
#: (Azerbaijani cues as word stems: "necədir", "haradadır" count as "necə", "harada")
QUESTION_CUES: dict[str, tuple[str, ...]] = {
    "ru": ("как", "когда", "где", "можно ли", "подскажите", "сколько"),
    "az": ("necə", "nə vaxt", "harada", "olarmı", "mümkündürmü", "hansı", "neçə", "varmı"),
    "en": ("how", "when", "where", "can i", "what", "which", "is there", "could you"),
}

#: topic key -> short English label (for notes and the data dictionary)
TOPIC_LABELS: dict[str, str] = {
    "opening_hours": "opening hours",
    "booking": "booking an appointment",
    "test_results": "test results",
    "prices_payment": "prices and payment",
    "parking_address": "parking and address",
    "vaccination": "vaccination",
    "doctor_schedule": "a specific doctor's schedule",
    "insurance": "insurance",
    "online_consultation": "online consultation",
    "visiting_rules": "visiting rules",
}

#: content words that every template of a topic carries in that language (at least one of them)
TOPIC_ANCHORS: dict[str, dict[str, tuple[str, ...]]] = {
    "opening_hours": {"ru": ("часы работы", "график работы"), "az": ("iş saat", "iş qrafik"),
                      "en": ("opening hours",)},
    "booking": {"ru": ("записаться на приём", "записать"), "az": ("qəbula yaz",), "en": ("book an appointment",)},
    "test_results": {"ru": ("результаты анализов",), "az": ("analiz",), "en": ("test results",)},
    "prices_payment": {"ru": ("оплат", "стоимость", "цен", "стоит"), "az": ("qiymət", "ödəniş"),
                       "en": ("price", "pay", "cost")},
    "parking_address": {"ru": ("парковк", "адрес"), "az": ("parkinq", "ünvan"), "en": ("parking", "address")},
    "vaccination": {"ru": ("вакцинац", "привив"), "az": ("peyvənd",), "en": ("vaccin",)},
    "doctor_schedule": {"ru": ("доктор {doc}",), "az": ("həkim {doc}",), "en": ("Dr {doc}",)},
    "insurance": {"ru": ("страхов",), "az": ("sığorta",), "en": ("insurance",)},
    "online_consultation": {"ru": ("онлайн-консультац",), "az": ("onlayn konsultasiya",),
                            "en": ("online consultation",)},
    "visiting_rules": {"ru": ("посещени", "навестить"), "az": ("ziyarət",), "en": ("visit",)},
}

#: topic -> language -> templates (no final punctuation: the renderer adds "?" or not)
QUESTION_TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "opening_hours": {
        "ru": (
            "{greet}подскажите часы работы клиники {day}",
            "{greet}когда вы открываетесь {day}, какие у вас часы работы",
            "Как работает клиника {day}, часы работы не изменились",
            "Подскажите, пожалуйста, график работы клиники на праздники",
            "Где посмотреть часы работы и график работы регистратуры",
            "{greet}можно ли прийти вечером, до скольки часы работы клиники",
            "Какие часы работы у регистратуры {day}, когда закрываетесь",
        ),
        "az": (
            "{greet}klinikanın iş saatları {day} necədir",
            "{greet}qeydiyyat şöbəsi {day} nə vaxt açılır, iş saatları dəyişibmi",
            "Klinikanın iş saatlarını harada görmək olar, iş qrafiki dəyişib",
            "{greet}{day} gəlmək istəyirəm, iş saatlarınız necədir",
            "Bayram günlərində iş qrafiki necə olacaq, iş saatları eynidir",
            "{greet}klinika {day} nə vaxt bağlanır, iş saatlarını yazın",
            "Axşam iş saatları necədir, klinika saat neçəyədək işləyir",
        ),
        "en": (
            "{greet}what are your opening hours {day}, when do you close",
            "When do you open {day}, are the opening hours the same",
            "{greet}can I come {day}, what are the opening hours of the reception",
            "{greet}where can I find your opening hours for the holidays",
            "How long are you open {day}, I need the opening hours of the clinic",
            "Could you tell me the opening hours {day}, when does the clinic open",
            "{greet}when does the reception open, what are the opening hours",
        ),
    },
    "booking": {
        "ru": (
            "{greet}как записаться на приём в отделение {dept}",
            "Можно ли записаться на приём {day} через сайт",
            "Подскажите, где можно записаться на приём в отделение {dept}",
            "Когда лучше звонить, чтобы записаться на приём {day}",
            "{greet}хочу записать ребёнка на приём в отделение {dept}, подскажите, как это сделать",
            "Можно ли записаться на приём через регистратуру по телефону",
            "{greet}как записаться на приём к терапевту {day}",
        ),
        "az": (
            "{greet}{dept} şöbəsinə qəbula necə yazılmaq olar",
            "{day} {dept} həkiminin qəbuluna yazılmaq mümkündürmü",
            "Saytdan qəbula yazılmaq olarmı, yoxsa mütləq zəng etməliyəm",
            "{greet}uşağımı {dept} şöbəsinə qəbula yazmaq istəyirəm, bunu harada etmək olar",
            "Qəbula yazılmaq üçün nə vaxt zəng edim, {dept} şöbəsinə növbə lazımdır",
            "{greet}{day} üçün qəbula yazılmaq mümkündürmü",
            "Telefonla qəbula yazılmaq olarmı, terapevtə yazılmaq istəyirəm",
        ),
        "en": (
            "{greet}how can I book an appointment with the {dept} department",
            "Can I book an appointment {day} through the website",
            "Where do I book an appointment for my son in {dept}",
            "When should I call to book an appointment {day}",
            "{greet}how do I book an appointment, the booking form does not load",
            "Is it possible to book an appointment {day}, can I book by phone",
            "{greet}can I book an appointment with a GP {day}",
        ),
    },
    "test_results": {
        "ru": (
            "{greet}когда будут готовы результаты анализов",
            "Где можно забрать результаты анализов {day}",
            "Можно ли получить результаты анализов на почту",
            "Сдала кровь {day}, подскажите, как узнать результаты анализов",
            "Подскажите, результаты анализов уже готовы, сколько ещё ждать",
            "{greet}как получить результаты анализов через личный кабинет",
            "Когда приходят результаты анализов крови из лаборатории",
        ),
        "az": (
            "{greet}analizlərin nəticələri nə vaxt hazır olacaq",
            "Analizlərin nəticələrini harada götürmək olar, {day} gələ bilərəm",
            "Analizlərin nəticələrini e-poçtla göndərmək mümkündürmü",
            "{greet}{day} qan analizi vermişəm, analiz nəticələrini necə öyrənə bilərəm",
            "Analizlərin nəticələri hələ gəlməyib, nə vaxt gözləyək",
            "{greet}laboratoriyadan analiz nəticələrini necə almaq olar",
            "Analiz cavablarını şəxsi kabinetdə görmək olarmı",
        ),
        "en": (
            "{greet}when will my test results arrive",
            "Where can I pick up my test results {day}",
            "Can I get my lab test results by email",
            "I gave blood {day}, how do I check my test results",
            "How soon do test results come back from the lab",
            "{greet}can I see my test results in the patient portal",
            "When do the blood test results come back from the lab",
        ),
    },
    "prices_payment": {
        "ru": (
            "{greet}подскажите стоимость приёма и способы оплаты",
            "Можно ли оплатить картой или только наличными, какая стоимость приёма",
            "Где посмотреть цены и стоимость услуг, есть ли оплата картой",
            "Сколько стоит приём {day}, как можно оплатить картой",
            "Подскажите цены и способы оплаты, есть ли рассрочка по оплате",
            "{greet}какая цена и стоимость УЗИ, можно ли оплатить переводом",
            "Как узнать стоимость и цены на УЗИ, оплата картой принимается",
        ),
        "az": (
            "{greet}{dept} həkiminin qəbulunun qiyməti nə qədərdir, kartla ödəmək olarmı",
            "Ödənişi kartla etmək mümkündürmü, yoxsa yalnız nağd qəbul edirsiniz",
            "{dept} şöbəsində müayinənin qiymətini harada öyrənmək olar",
            "{greet}qiymətlər necədir, {dept} müayinəsi üçün ödəniş necə edilir",
            "Qiymət siyahısını harada görmək olar, ödəniş kassada olur",
            "Ödənişi hissə-hissə etmək olarmı, müayinənin qiyməti nə qədərdir",
            "{greet}ödəniş köçürmə ilə mümkündürmü, qiyməti bilmək istəyirəm",
        ),
        "en": (
            "{greet}what is the price of an appointment in {dept}, can I pay by card",
            "Can I pay by card or only cash, what is the price of an appointment",
            "Where can I see the price list, can I pay by card",
            "What is the price of a check-up {day}, how do I pay",
            "Can I pay the price in instalments, how does payment work",
            "{greet}what is the price of an ultrasound, can I pay by bank transfer",
            "What does a blood pressure check cost, what is the price if I pay at the reception",
        ),
    },
    "parking_address": {
        "ru": (
            "{greet}подскажите точный адрес клиники и есть ли парковка",
            "Где можно оставить машину, есть ли у вас парковка",
            "Как доехать до клиники на метро, какой адрес",
            "Можно ли парковаться возле клиники {day}, адрес прежний",
            "Где вход с парковки, не могу найти адрес клиники",
            "{greet}как найти вход с парковки, подскажите адрес",
            "Когда откроют новую парковку, по какому адресу вход",
        ),
        "az": (
            "{greet}klinikanın ünvanı haradadır, parkinq varmı",
            "Maşınla gəlsəm parkinq yeri harada var",
            "Metrodan klinikaya necə gəlmək olar, ünvanı dəqiq yazın",
            "Klinikanın yanında parkinq etmək olarmı, ünvan dəyişməyib",
            "{greet}yeni ünvanınız haradadır, parkinq üçün yer varmı",
            "{day} maşınla gələcəyəm, parkinq harada yerləşir, ünvanı göndərin",
            "Parkinqdən girişi necə tapım, ünvanı bir daha yazın",
        ),
        "en": (
            "{greet}what is the address and is there parking",
            "Where can I leave my car, do you have parking",
            "How do I get to the clinic by metro, what is the address",
            "Can I park next to the clinic {day}, is the address the same",
            "Where is the parking entrance, I cannot find the address",
            "{greet}how do I find the entrance from the parking, please send the address",
            "When will the second parking open, which address is the entrance",
        ),
    },
    "vaccination": {
        "ru": (
            "{greet}когда будет вакцинация от гриппа",
            "Можно ли сделать прививку ребёнку {day}",
            "Подскажите, какие прививки есть в наличии, нужна вакцинация от гепатита",
            "Где делают прививки, в каком кабинете вакцинация",
            "Как попасть на прививку от гриппа {day}",
            "{greet}подскажите, прививка бесплатная или платная, как проходит вакцинация",
            "Когда можно привить ребёнка, вакцинация по графику",
        ),
        "az": (
            "{greet}qrip peyvəndi nə vaxt olacaq",
            "Uşaq üçün peyvənd vurdurmaq olarmı, {day} gələ bilərik",
            "Peyvənd üçün hansı sənədlər lazımdır, necə etmək olar",
            "{greet}peyvəndlər harada vurulur, peyvənd otağı hansıdır",
            "Qrip peyvəndi {day} vurdurmaq mümkündürmü",
            "Hepatit B peyvəndi sizdə var, nə vaxt gəlmək olar",
            "{greet}uşaqlar üçün peyvənd cədvəli necədir, hansı peyvəndlər vurulur",
        ),
        "en": (
            "{greet}when will the flu vaccination start",
            "Can I get my child vaccinated {day}",
            "Where do you do vaccinations, which room is the vaccine in",
            "How do I get the flu vaccine {day}, is vaccination paid",
            "Do you have the hepatitis B vaccine, when can I come for vaccination",
            "{greet}can I get the vaccine without a referral, how does vaccination work",
            "When can children get vaccinated, is there a vaccination schedule",
        ),
    },
    "doctor_schedule": {
        "ru": (
            "{greet}когда принимает доктор {doc}, в какие дни недели",
            "Подскажите, в какие дни работает доктор {doc}",
            "Подскажите расписание, доктор {doc} принимает {day}",
            "Где посмотреть расписание, когда доктор {doc} ведёт приём",
            "Можно ли узнать, доктор {doc} ещё работает в клинике",
            "{greet}подскажите, доктор {doc} уже принимает после отпуска, где расписание",
            "Как узнать расписание, в какие часы принимает доктор {doc}",
        ),
        "az": (
            "{greet}həkim {doc} hansı günlər qəbul edir, nə vaxt gəlim",
            "Həkim {doc} {day} işləyir, qəbul saatı necədir",
            "Həkim {doc} məzuniyyətdədir, nə vaxt qayıdacaq",
            "{greet}həkim {doc} iş qrafiki necədir, {day} qəbul edir",
            "Həkim {doc} ilə görüşmək mümkündürmü, {day} qəbulu varmı",
            "{greet}həkim {doc} hansı saatlarda qəbul edir, harada baxmaq olar",
            "Həkim {doc} hələ də klinikada işləyir, qrafiki necədir",
        ),
        "en": (
            "{greet}when does Dr {doc} see patients",
            "What days does Dr {doc} work, where can I see the schedule",
            "Is Dr {doc} working {day}, how do I check the schedule",
            "Where can I find the schedule of Dr {doc}",
            "Can I see Dr {doc} {day}, what is the schedule",
            "{greet}is Dr {doc} back from vacation, when is the schedule out",
            "How often does Dr {doc} see patients, when is the next day",
        ),
    },
    "insurance": {
        "ru": (
            "{greet}принимаете ли вы полис медицинского страхования, как его оформить",
            "Можно ли прийти к врачу по полису страхования, страховка у вас действует",
            "Подскажите, с какими страховыми компаниями вы работаете, где посмотреть список",
            "Как работает медицинское страхование у вас, что покрывает страховка",
            "Подскажите, страховка покрывает приём у врача по полису",
            "{greet}у меня полис страхования, можно ли по нему прийти {day}",
            "Когда начнёт действовать страховка, как её использовать в клинике",
        ),
        "az": (
            "{greet}icbari tibbi sığorta ilə qəbul edirsiniz, necə istifadə etmək olar",
            "Sığorta polisim var, {dept} müayinəsini sığorta ilə etmək olarmı",
            "Hansı sığorta şirkətləri ilə işləyirsiniz, harada öyrənmək olar",
            "Sığorta ödənişi necə olur, {dept} şöbəsi sığortaya daxildir",
            "{greet}tibbi sığorta kartı ilə gəlmək mümkündürmü",
            "Sığorta ilə müayinəni harada yoxlamaq olar, polis lazımdır",
            "{greet}sığorta polisi {day} qüvvəyə minir, necə istifadə edim",
        ),
        "en": (
            "{greet}do you accept health insurance, how does the insurance policy work",
            "Can I use my insurance policy in {dept}",
            "Which insurance companies do you work with, where can I see the list",
            "How does insurance cover work, is {dept} covered by my insurance",
            "{greet}can I come {day} with my insurance card",
            "Does my insurance policy cover the appointment, how can I check",
            "When does my insurance start to work at the clinic, how do I use it",
        ),
    },
    "online_consultation": {
        "ru": (
            "{greet}как проходит онлайн-консультация с врачом",
            "Можно ли получить онлайн-консультацию в отделении {dept}",
            "Подскажите, онлайн-консультация по видеосвязи платная",
            "Где найти ссылку на онлайн-консультацию {day}",
            "Когда можно заказать онлайн-консультацию, не могу прийти лично",
            "{greet}как подключиться к онлайн-консультации через телефон",
            "Можно ли перенести онлайн-консультацию на другой день",
        ),
        "az": (
            "{greet}onlayn konsultasiya necə işləyir, həkimlə video ilə danışmaq olar",
            "{dept} həkimi ilə onlayn konsultasiya etmək mümkündürmü",
            "Video zənglə onlayn konsultasiya olarmı, {day} vaxtım var",
            "Onlayn konsultasiya üçün link harada göndərilir, nə vaxt başlayır",
            "{greet}evdən çıxa bilmirəm, onlayn konsultasiya almaq olarmı",
            "Onlayn konsultasiyaya telefondan necə qoşulum",
            "Onlayn konsultasiyanı başqa günə keçirmək mümkündürmü",
        ),
        "en": (
            "{greet}how does an online consultation work",
            "Can I get an online consultation with the {dept} department",
            "Is the online consultation by video call paid, how do I join",
            "Where can I find the link for my online consultation {day}",
            "When can I order an online consultation, I cannot come in person",
            "{greet}how do I join the online consultation from my phone",
            "Can I move my online consultation to another day",
        ),
    },
    "visiting_rules": {
        "ru": (
            "{greet}какие часы посещения пациентов в стационаре, когда можно прийти",
            "Можно ли навестить маму в палате {day}",
            "Подскажите правила посещения, можно ли приносить еду пациентам",
            "Когда можно навестить пациента в реанимации",
            "Как проходит посещение пациентов, сколько человек пускают в палату",
            "{greet}где узнать правила посещения стационара {day}",
            "Можно ли навестить отца в стационаре вечером, какие правила посещения",
        ),
        "az": (
            "{greet}xəstələri ziyarət saatları necədir, gündə neçə dəfə gəlmək olar",
            "Palatada yatan atamı {day} ziyarət etmək olarmı",
            "Xəstəni ziyarət üçün nə vaxt gəlmək olar, neçə nəfər girə bilər",
            "Ziyarət qaydaları necədir, uşaqlarla ziyarət mümkündürmü",
            "{greet}reanimasiyada olan xəstəni ziyarət etmək olarmı",
            "Ziyarət zamanı xəstəyə yemək gətirmək olarmı, ziyarət qaydaları harada yazılıb",
            "{greet}stasionarda anamı ziyarət etmək istəyirəm, nə vaxt gəlim",
        ),
        "en": (
            "{greet}what are the visiting hours for patients, when can I come",
            "Can I visit my mother in the ward {day}",
            "What are the visiting rules, can I bring food to a patient",
            "When can I visit a patient in intensive care",
            "How do visits work, can two people visit a patient together, where do we wait",
            "{greet}where can I read the visiting rules {day}",
            "Can I visit my father in the evening, what are the visiting rules",
        ),
    },
}

# --------------------------------------------------------------------------------------------------
# Member texts by sentiment (no question cues, no "?")
# --------------------------------------------------------------------------------------------------

COMMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "ru": {
        "positive": (
            "Огромное спасибо врачам отделения {dept}, всё сделали быстро и очень внимательно",
            "Хочу поблагодарить весь персонал, отличные врачи и очень вежливые медсёстры",
            "Спасибо за быстрый приём {day}, всё было организовано просто отлично",
            "Лучшая клиника в городе, врачи настоящие профессионалы, спасибо вам",
            "Очень довольна приёмом в отделении {dept}, персонал добрый и внимательный",
            "Доктор {doc} прекрасный специалист, спасибо за заботу и терпение",
            "Всё прошло быстро и без очередей, спасибо за отличную работу",
            "Рекомендую эту клинику всем знакомым, здесь по-настоящему заботятся о пациентах",
            "{greet}спасибо за полезный пост, вы молодцы и делаете большое дело",
        ),
        "neutral": (
            "Была сегодня на приёме в отделении {dept}, сдала анализы и жду результатов",
            "Интересная информация, сохраню себе этот пост",
            "Перешлю эту новость родителям, им это тоже нужно знать",
            "{day} иду на плановый осмотр в отделение {dept}",
            "Отметила подругу, она тоже собиралась к вам на обследование",
            "Прочитала пост, в следующем месяце пройду обследование",
            "Мы живём недалеко от клиники и обычно ходим пешком",
            "Моя мама тоже наблюдается в этой клинике, её врач доктор {doc}",
            "Понятно, значит {day} все отделения работают в обычном режиме",
        ),
        "negative": (
            "Ужасное отношение, ждали приёма несколько часов, это просто позор",
            "Медсестра в регистратуре была очень грубой, больше сюда не приду",
            "{day} прождала в очереди три часа, никто ничего не объяснил, безобразие",
            "Очень недовольна, врач отделения {dept} даже не посмотрел мои анализы",
            "Дозвониться невозможно, телефон регистратуры постоянно занят, это позор",
            "Грубый персонал и грязные коридоры, я разочарована этой клиникой",
            "Запись перенесли без предупреждения, я потеряла целый день, ужасная организация",
            "Отвратительный сервис, деньги взяли, а толку никакого",
            "Опять очередь на два часа в отделение {dept}, это просто безобразие",
        ),
    },
    "az": {
        "positive": (
            "{dept} şöbəsinin həkimlərinə çox sağ olun, hər şey tez və diqqətlə edildi",
            "Bütün heyətə təşəkkür edirəm, əla həkimlər və çox nəzakətli tibb bacıları",
            "{day} qəbul çox tez oldu, hər şey əla təşkil olunmuşdu, təşəkkürlər",
            "Şəhərin ən yaxşı klinikasıdır, həkimlər əsl peşəkardır, sağ olun",
            "{dept} şöbəsində qəbuldan çox razı qaldım, işçilər mehriban və diqqətlidir",
            "Həkim {doc} əla mütəxəssisdir, qayğı və səbr üçün təşəkkür edirəm",
            "Hər şey növbəsiz və tez keçdi, gözəl işinizə görə təşəkkürlər",
            "Bu klinikanı bütün tanışlarıma tövsiyə edirəm, burada xəstələrə həqiqətən qayğı göstərirlər",
            "{greet}faydalı paylaşım üçün təşəkkürlər, siz böyük iş görürsünüz",
        ),
        "neutral": (
            "Bu gün {dept} şöbəsində qəbulda oldum, analiz verdim və cavabı gözləyirəm",
            "Maraqlı məlumatdır, bu paylaşımı özümə saxlayıram",
            "Bu xəbəri valideynlərimlə paylaşacağam, onlar da bilməlidir",
            "{day} {dept} şöbəsinə planlı müayinəyə gedirəm",
            "Rəfiqəmi qeyd etdim, o da sizə müayinəyə gəlmək istəyirdi",
            "Paylaşımı oxudum, gələn ay müayinədən keçəcəyəm",
            "Biz klinikanın yaxınlığında yaşayırıq və adətən piyada gəlirik",
            "Anam da bu klinikada həkim {doc} yanında müalicə alır",
            "Aydındır, deməli {day} bütün şöbələr adi qaydada işləyir",
        ),
        "negative": (
            "Dəhşətli münasibət, qəbul üçün saatlarla gözlədik, bu sadəcə biabırçılıqdır",
            "Qeydiyyatdakı tibb bacısı çox kobud idi, bir daha bura gəlməyəcəyəm",
            "{day} növbədə üç saat gözlədim, heç kim heç nə izah etmədi, rüsvayçılıqdır",
            "Çox narazıyam, {dept} şöbəsinin həkimi analizlərimə heç baxmadı",
            "Zəng çatdırmaq mümkün deyil, qeydiyyatın telefonu həmişə məşğuldur, ayıbdır",
            "Kobud işçilər və çirkli dəhlizlər, bu klinikadan çox məyus oldum",
            "Qəbulu xəbərdarlıqsız dəyişdilər, bütün günüm boşa getdi, pis təşkilat",
            "İyrənc xidmət, pulu aldılar, amma heç bir fayda olmadı",
            "Yenə {dept} şöbəsində iki saatlıq növbə, bu sadəcə biabırçılıqdır",
        ),
    },
    "en": {
        "positive": (
            "Thank you to the {dept} team, excellent doctors and a very fast visit",
            "Great service {day}, the nurses were kind and everything was well organised",
            "The best clinic in town, the doctors are true professionals, thank you",
            "Dr {doc} is a wonderful specialist, I am very happy with the care",
            "Everything went fast with no queue, great job and thanks to the staff",
            "I recommend this clinic to all my friends, the staff are amazing",
            "Very pleased with my visit to {dept}, friendly and attentive staff",
            "Excellent care for my mother {day}, thank you so much, wonderful people",
            "{greet}thanks for the useful post, great work as always",
        ),
        "neutral": (
            "I had an appointment in {dept} {day} and I am waiting for the results",
            "Saving this post for later, my husband needs to read it",
            "Sharing this with my parents, they should know about it",
            "Going for a routine check-up in {dept} {day}",
            "Tagging my sister, she wanted to come to you for a check-up",
            "Read the post, I will do my check-up next month",
            "We are two streets from the clinic and go there on foot",
            "My mother also goes to this clinic for her check-ups with Dr {doc}",
            "Noted, so all departments are open {day}",
        ),
        "negative": (
            "Terrible attitude, we waited for hours for the appointment, this is a disgrace",
            "The nurse at the reception was very rude, I will never come back here",
            "I waited three hours in the queue {day} and nobody explained anything, awful",
            "Very disappointed, the doctor in {dept} did not even look at my results",
            "Impossible to get through, the reception phone is always busy, so bad",
            "Rude staff and dirty corridors, a horrible experience at this clinic",
            "They moved my appointment without warning, I lost a whole day, terrible organisation",
            "Awful service, they took the money and the visit was useless",
            "Another two hour queue in {dept}, this is a terrible disgrace",
        ),
    },
}

UGC_POSTS: dict[str, dict[str, tuple[str, ...]]] = {
    "ru": {
        "positive": (
            "Мой отзыв о клинике «Каспийская гавань»: отличные врачи, быстро и вежливо, спасибо",
            "Фото после выписки из отделения {dept}, спасибо всем врачам за заботу",
            "Делюсь историей: {day} попала в отделение {dept}, врачи сделали всё отлично, огромное спасибо",
            "Сегодня выписали маму, спасибо доктор {doc} и всем медсёстрам за внимание",
        ),
        "neutral": (
            "Фото из холла клиники, в отделении {dept} сделали новый ремонт",
            "Сегодня прошла плановый осмотр, делюсь списком документов для первого визита",
            "Мой дневник лечения: неделя в отделении {dept}, завтра снова на процедуры",
            "Заметка для себя и друзей: регистратура теперь на первом этаже у главного входа",
        ),
        "negative": (
            "Мой отзыв о клинике: ждала три часа, персонал грубый, очень разочарована",
            "Хочу рассказать о своём опыте: грубое отношение в регистратуре и бесконечные очереди",
            "Не рекомендую отделение {dept}, после приёма осталось ужасное впечатление",
            "Моя история: у меня потеряли направление и заставили ждать весь день, позор",
        ),
    },
    "az": {
        "positive": (
            "Xəzər Liman Klinikası haqqında rəyim: əla həkimlər, tez və nəzakətli, təşəkkürlər",
            "{dept} şöbəsindən çıxdıqdan sonra şəkil, bütün həkimlərə qayğı üçün təşəkkür",
            "Hekayəmi paylaşıram: {day} {dept} şöbəsinə düşdüm, həkimlər hər şeyi əla etdi, çox sağ olun",
            "Bu gün anamı evə buraxdılar, həkim {doc} və bütün tibb bacılarına təşəkkürlər",
        ),
        "neutral": (
            "Klinikanın foyesindən şəkil, {dept} şöbəsində yeni təmir edilib",
            "Bu gün planlı müayinədən keçdim, ilk gəliş üçün sənədlərin siyahısını paylaşıram",
            "Müalicə gündəliyim: {dept} şöbəsində bir həftə, sabah yenə prosedurlara gedirəm",
            "Özüm və dostlar üçün qeyd: qeydiyyat indi əsas girişin yanında, birinci mərtəbədədir",
        ),
        "negative": (
            "Klinika haqqında rəyim: üç saat gözlədim, işçilər kobuddur, çox məyus oldum",
            "Təcrübəmi danışmaq istəyirəm: qeydiyyatda kobud münasibət və bitməyən növbələr",
            "{dept} şöbəsini tövsiyə etmirəm, qəbuldan sonra dəhşətli təəssürat qaldı",
            "Göndərişimi itirdilər və bütün gün gözlətdilər, bu biabırçılıqdır",
        ),
    },
    "en": {
        "positive": (
            "My review of Caspian Harbour Clinic: excellent doctors, fast and polite, thank you",
            "Photo after leaving the {dept} ward, thanks to all the doctors for the wonderful care",
            "Sharing my story: {day} I ended up in {dept} and the doctors were excellent, thank you so much",
            "My mother came home today, thank you Dr {doc} and all the nurses, you are amazing",
        ),
        "neutral": (
            "Photo from the clinic hall, the {dept} department has been renovated",
            "I had my routine check-up today, sharing the list of documents you need",
            "My treatment diary: one week in {dept}, tomorrow the next procedures",
            "Note for myself and friends: the reception is now on the ground floor by the front entrance",
        ),
        "negative": (
            "My review of the clinic: I waited three hours and the staff were rude, very disappointed",
            "I want to share my experience: rude reception staff and endless queues, terrible",
            "I do not recommend {dept}, I left with an awful impression",
            "They lost my referral and made me wait all day, a terrible disgrace",
        ),
    },
}

MEMBER_REPLIES: dict[str, dict[str, tuple[str, ...]]] = {
    "ru": {
        "positive": (
            "Полностью согласна, врачи там замечательные",
            "Поддерживаю, у меня был такой же хороший опыт",
            "Спасибо за совет, обязательно схожу к этому врачу",
            "У нас тоже всё прошло отлично, персонал очень внимательный",
        ),
        "neutral": (
            "Я тоже хожу в это отделение, обычно по утрам",
            "Мне кажется, это зависит от конкретного врача",
            "Посмотрите на сайте, там есть всё расписание",
            "Мы были там в прошлом месяце, обычная поликлиника",
        ),
        "negative": (
            "У меня тоже был ужасный опыт, очереди бесконечные",
            "Согласна, регистратура у них работает просто отвратительно",
            "Не советую, персонал там очень грубый",
            "То же самое, ждали три часа и ушли ни с чем",
        ),
    },
    "az": {
        "positive": (
            "Tamamilə razıyam, orada həkimlər əladır",
            "Mənim də eyni yaxşı təcrübəm olub, təşəkkürlər",
            "Məsləhət üçün sağ olun, mütləq bu həkimə gedəcəyəm",
            "Bizdə də hər şey əla keçdi, işçilər çox diqqətlidir",
        ),
        "neutral": (
            "Mən də bu şöbəyə gedirəm, adətən səhərlər",
            "Məncə bu konkret həkimdən asılıdır",
            "Sayta baxın, bütün cədvəl orada var",
            "Biz keçən ay orada olduq, adi poliklinikadır",
        ),
        "negative": (
            "Mənim də dəhşətli təcrübəm olub, növbələr bitmir",
            "Razıyam, qeydiyyat çox pis işləyir",
            "Məsləhət görmürəm, orada işçilər çox kobuddur",
            "Eyni şey, üç saat gözlədik və əliboş qayıtdıq",
        ),
    },
    "en": {
        "positive": (
            "Totally agree, the doctors there are great",
            "Same here, I had a wonderful experience too",
            "Thanks for the tip, I will see this excellent doctor too",
            "It was great for us as well, the staff are very kind",
        ),
        "neutral": (
            "I also go to this department in the morning",
            "I think it depends on the doctor you see",
            "Check the website, you will find the schedule on it",
            "We were there last month for a check-up",
        ),
        "negative": (
            "I had a terrible experience too, the queues are awful",
            "Agreed, the reception is really bad",
            "I would not recommend it, the staff are so rude",
            "Same thing here, we waited three hours and left with nothing, terrible",
        ),
    },
}

#: a member's answer to the brand's reply
FOLLOWUPS: dict[str, dict[str, tuple[str, ...]]] = {
    "ru": {
        "positive": ("Спасибо за быстрый ответ, теперь всё понятно",
                     "Благодарю, вопрос решён, вы молодцы",
                     "Спасибо большое, обязательно приду к вам снова",
                     "Отлично, спасибо за помощь и внимание"),
        "neutral": ("Поняла, позвоню в регистратуру завтра утром",
                    "Хорошо, напишу вам в личные сообщения номер записи"),
        "negative": ("Ответ ничего не объясняет, проблема так и не решена",
                     "Это отписка, я очень разочарована вашим ответом"),
    },
    "az": {
        "positive": ("Tez cavab üçün təşəkkürlər, indi hər şey aydındır",
                     "Sağ olun, məsələ həll olundu, siz əlasınız",
                     "Çox sağ olun, mütləq yenə sizə gələcəyəm",
                     "Əla, kömək və diqqət üçün təşəkkür edirəm"),
        "neutral": ("Başa düşdüm, sabah səhər qeydiyyata zəng edəcəyəm",
                    "Yaxşı, qəbul nömrəsini sizə şəxsi mesajla yazacağam"),
        "negative": ("Cavab heç bir şeyi izah etmir, problem hələ də həll olunmayıb",
                     "Bu formal cavabdır, cavabınızdan çox məyus oldum"),
    },
    "en": {
        "positive": ("Thanks for the fast answer, it is all clear now",
                     "Thank you, problem solved, you are great",
                     "Thank you so much, I will definitely come back to you",
                     "Excellent, thanks for the help and the kind words"),
        "neutral": ("Understood, I will call the reception tomorrow morning",
                    "Noted, I will send you my booking number in a private message"),
        "negative": ("This answer is useless, the problem is still there, very disappointing",
                     "This is a standard reply and it is really bad, I am disappointed"),
    },
}

#: negative member messages planted around an incident, by incident kind
INCIDENT_COMPLAINTS: dict[str, dict[str, tuple[str, ...]]] = {
    "queue": {
        "ru": (
            "Стою в очереди уже четыре часа, система записи не работает, это позор",
            "Регистратура парализована, сотни людей ждут часами, ужасная организация",
            "Записалась заранее, а сегодня никто не может найти мою запись, безобразие",
            "Пожилые люди стоят в очереди часами, никто ничего не объясняет, стыдно",
            "Сбой системы записи и огромные очереди, персонал грубит, просто кошмар",
        ),
        "az": (
            "Artıq dörd saatdır növbədə dayanıram, qeydiyyat sistemi işləmir, bu biabırçılıqdır",
            "Qeydiyyat iflic olub, yüzlərlə insan saatlarla gözləyir, dəhşətli təşkilat",
            "Əvvəlcədən yazılmışdım, bu gün deyirlər ki, sistemdə heç bir yazılış yoxdur, rüsvayçılıqdır",
            "Yaşlı insanlar saatlarla növbədə dayanır, heç kim heç nə izah etmir, ayıbdır",
            "Sistem çökdü, növbələr böyükdür, işçilər kobuddur, sadəcə dəhşətdir",
        ),
        "en": (
            "I have been in the queue for four hours, the booking system is down, this is a disgrace",
            "The reception is paralysed, hundreds of people waiting for hours, terrible organisation",
            "I booked in advance and today nobody can find my booking, awful",
            "Elderly people standing in the queue for hours and nobody explains anything, shameful and bad",
            "System failure and huge queues, the staff are rude, a horrible day",
        ),
    },
    "data_leak": {
        "ru": (
            "Мне пришли чужие результаты анализов, защита персональных данных не работает, это позор",
            "Мои анализы увидел посторонний человек, я в шоке и требую объяснений",
            "Утечка медицинских данных недопустима, буду писать жалобу",
            "Больше не доверяю клинике свои данные, отвратительное отношение к пациентам",
            "Чужой человек получил мой диагноз по почте, это просто безобразие",
        ),
        "az": (
            "Mənə başqasının analiz cavabları gəlib, şəxsi məlumatların qorunması belədir, biabırçılıqdır",
            "Analizlərimi yad adam görüb, şokdayam və izahat tələb edirəm",
            "Tibbi məlumatların sızması yolverilməzdir, şikayət yazacağam",
            "Artıq məlumatlarımı klinikaya etibar etmirəm, pasiyentlərə iyrənc münasibət",
            "Yad adam diaqnozumu e-poçtla alıb, bu sadəcə rüsvayçılıqdır",
        ),
        "en": (
            "I received somebody else's test results, data protection is a joke, terrible",
            "A stranger saw my results, I am shocked and this is terrible",
            "A leak of medical data is unacceptable and awful, I will file a complaint",
            "I no longer trust the clinic with my data, horrible treatment of patients",
            "A stranger got my diagnosis by email, this is a terrible disgrace",
        ),
    },
}

# --------------------------------------------------------------------------------------------------
# Brand texts
# --------------------------------------------------------------------------------------------------

BRAND_POSTS: dict[str, dict[str, tuple[str, ...]]] = {
    "announcement": {
        "ru": (
            "Уважаемые пациенты! С понедельника отделение {dept} принимает по новому графику.\n\n"
            "Записаться можно по телефону регистратуры или на сайте.",
            "Важное объявление: {day} лаборатория работает до 14:00. Забор анализов проводится только утром.",
            "В отделение {dept} пришёл новый врач, доктор {doc}. Приём уже открыт, записывайтесь через регистратуру.",
            "Мы обновили зал ожидания и регистратуру. Теперь очереди станут короче, а ожидание комфортнее.",
        ),
        "az": (
            "Hörmətli pasiyentlər! Bazar ertəsindən {dept} şöbəsi yeni qrafik üzrə qəbul edir.\n\n"
            "Qəbula qeydiyyat şöbəsinin telefonu və ya sayt vasitəsilə yazıla bilərsiniz.",
            "Vacib elan: {day} laboratoriya saat 14:00-dək işləyir. Analizlər yalnız səhər götürülür.",
            "{dept} şöbəsinə yeni həkim, {doc} qoşuldu. Qəbul artıq açıqdır, qeydiyyat şöbəsi vasitəsilə yazılın.",
            "Gözləmə zalını və qeydiyyat şöbəsini yenilədik. İndi növbələr daha qısa, gözləmə isə daha rahat olacaq.",
        ),
        "en": (
            "Dear patients! From Monday the {dept} department sees patients on a new schedule.\n\n"
            "You can book by calling the reception or on our website.",
            "Important notice: {day} the laboratory is open until 14:00. Blood samples are taken in the morning only.",
            "A new doctor has joined the {dept} department: Dr {doc}. Appointments are already open at the reception.",
            "We have renovated the waiting area and the reception. "
            "Queues will be shorter and waiting more comfortable.",
        ),
    },
    "tip": {
        "ru": (
            "Совет врача: пейте достаточно воды и гуляйте не меньше 30 минут в день. "
            "Здоровье начинается с простых привычек.",
            "Доктор {doc} напоминает: регулярный осмотр помогает обнаружить болезнь на ранней стадии. "
            "Не откладывайте визит к врачу.",
            "Берегите сердце: меньше соли, больше овощей и движения. "
            "Отделение {dept} проводит бесплатные консультации.",
            "Сезон простуды: мойте руки, проветривайте помещение и не занимайтесь самолечением.",
        ),
        "az": (
            "Həkim məsləhəti: kifayət qədər su için və gündə ən azı 30 dəqiqə piyada gəzin. "
            "Sağlamlıq sadə vərdişlərdən başlayır.",
            "Həkim {doc} xatırladır: müntəzəm müayinə xəstəliyi erkən mərhələdə aşkar etməyə kömək edir. "
            "Həkimə getməyi təxirə salmayın.",
            "Ürəyinizi qoruyun: az duz, çox tərəvəz və hərəkət. {dept} şöbəsi pulsuz məsləhətlər verir.",
            "Soyuqdəymə mövsümüdür: əllərinizi yuyun, otağı havalandırın və özünüzü müalicə etməyin.",
        ),
        "en": (
            "Doctor's tip: drink plenty of water and walk at least 30 minutes a day. "
            "Good health starts with simple habits.",
            "Dr {doc} reminds you: regular check-ups help to find illness at an early stage. "
            "Do not put off your visit to the doctor.",
            "Look after your heart: less salt, more vegetables and more movement. "
            "The {dept} department offers free advice.",
            "It is cold and flu season: wash your hands, air your rooms and do not treat yourself without a doctor.",
        ),
    },
    "event": {
        "ru": (
            "Приглашаем на день открытых дверей в отделении {dept}: консультации специалистов и измерение давления.",
            "{day} в холле клиники пройдёт лекция о здоровом питании. Вход свободный, ждём вас!",
            "Школа будущих мам: новая встреча {day} в конференц-зале клиники. Регистрация в регистратуре.",
            "Бесплатный скрининг для пенсионеров {day}: измерение сахара и давления, консультация терапевта.",
        ),
        "az": (
            "{dept} şöbəsində açıq qapı gününə dəvət edirik: mütəxəssis məsləhətləri və təzyiqin ölçülməsi.",
            "{day} klinikanın foyesində sağlam qidalanma haqqında mühazirə keçiriləcək. "
            "Giriş pulsuzdur, sizi gözləyirik!",
            "Gələcək anaların məktəbi: növbəti görüş {day} klinikanın konfrans zalında olacaq. "
            "Qeydiyyat qəbulda aparılır.",
            "Təqaüdçülər üçün pulsuz skrininq {day}: şəkərin və təzyiqin ölçülməsi, terapevt məsləhəti.",
        ),
        "en": (
            "Join our open day in the {dept} department: advice from specialists and blood pressure checks.",
            "{day} there will be a talk about healthy eating in the clinic hall. Entry is free, see you there!",
            "School for expectant mothers: the next meeting is {day} in the clinic conference room. "
            "Register at the reception.",
            "Free screening for pensioners {day}: blood sugar and blood pressure checks and advice from a GP.",
        ),
    },
}

CAMPAIGN_POSTS: dict[str, dict[str, tuple[str, ...]]] = {
    "paid_campaign": {
        "ru": (
            "«{cname}»: комплексное обследование со скидкой 20 % до конца акции. "
            "Запишитесь по телефону регистратуры.",
            "Стартует «{cname}»! Специалисты отделения {dept} ждут вас, количество мест ограничено.",
            "«{cname}» продолжается: успейте пройти обследование по специальной цене.",
        ),
        "az": (
            "«{cname}»: kampaniya bitənədək kompleks müayinə 20 % endirimlə. Qeydiyyat şöbəsinə zəng edib yazılın.",
            "«{cname}» başlayır! {dept} şöbəsinin mütəxəssisləri sizi gözləyir, yerlərin sayı məhduddur.",
            "«{cname}» davam edir: müayinədən xüsusi qiymətlə keçməyə tələsin.",
        ),
        "en": (
            "{cname}: a full check-up with a 20% discount until the end of the campaign. "
            "Call the reception to book your place.",
            "{cname} starts today! The {dept} team is waiting for you, places are limited.",
            "{cname} continues: there is still time to get your check-up at a special price.",
        ),
    },
    "community_programme": {
        "ru": (
            "«{cname}»: поделитесь своей историей лечения в нашей клинике, лучшие истории мы опубликуем на странице.",
            "«{cname}»: задайте вопрос в комментариях, доктор {doc} ответит в прямом эфире {day}.",
            "Спасибо всем участникам проекта «{cname}»! Ваши истории вдохновляют нас и других пациентов.",
        ),
        "az": (
            "«{cname}»: klinikamızda müalicə hekayənizi bizimlə paylaşın, "
            "ən yaxşı hekayələri səhifəmizdə dərc edəcəyik.",
            "«{cname}»: sualınızı şərhlərdə yazın, həkim {doc} {day} canlı efirdə cavab verəcək.",
            "«{cname}» layihəsinin bütün iştirakçılarına təşəkkür edirik! "
            "Hekayələriniz bizi və digər pasiyentləri ruhlandırır.",
        ),
        "en": (
            "{cname}: share your treatment story at our clinic, and we will publish the best stories on our page.",
            "{cname}: ask your question in the comments and Dr {doc} will answer live {day}.",
            "Thank you to everyone taking part in {cname}! Your stories inspire us and other patients.",
        ),
    },
}

#: official statements posted at an incident's first_response_at, by incident kind
STATEMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "queue": {
        "ru": ("Официальное заявление. Сегодня из-за сбоя системы записи в регистратуре образовались длинные "
               "очереди. Приносим извинения пациентам: специалисты уже восстанавливают работу системы, "
               "все записи сохранены.",),
        "az": ("Rəsmi bəyanat. Bu gün qeydiyyat sistemindəki nasazlıq səbəbindən qeydiyyat şöbəsində uzun "
               "növbələr yarandı. Pasiyentlərdən üzr istəyirik: mütəxəssislər sistemi artıq bərpa edir, "
               "bütün qeydlər saxlanılıb.",),
        "en": ("Official statement. Today a failure of the booking system caused long queues at the reception. "
               "We apologise to our patients: our specialists are already restoring the system and all "
               "bookings are safe.",),
    },
    "data_leak": {
        "ru": ("Официальное заявление. Часть результатов анализов по ошибке была отправлена не тем пациентам. "
               "Мы приносим извинения, проводим проверку и лично связываемся с каждым, кого это коснулось.",),
        "az": ("Rəsmi bəyanat. Analiz cavablarının bir hissəsi səhvən başqa pasiyentlərə göndərilib. "
               "Üzr istəyirik, yoxlama aparırıq və bununla üzləşən hər kəslə şəxsən əlaqə saxlayırıq.",),
        "en": ("Official statement. Some test results were sent to the wrong patients by mistake. "
               "We apologise, we are investigating and we are contacting everyone affected in person.",),
    },
}

#: opening words of a brand reply
BRAND_GREETINGS: dict[str, tuple[str, ...]] = {
    "ru": ("Здравствуйте! ", "Добрый день! ", ""),
    "az": ("Salam! ", "Hörmətli izləyici, ", ""),
    "en": ("Hello! ", "Hi, ", ""),
}

#: brand reply bodies by the class of the message answered
BRAND_REPLIES: dict[str, dict[str, tuple[str, ...]]] = {
    "ru": {
        "question": ("Спасибо за вопрос! {answer} Если останутся вопросы, звоните в регистратуру: "
                     "(012) 555-01-01.",
                     "{answer} Будем рады помочь, пишите нам в личные сообщения."),
        "negative": ("Нам очень жаль, что так получилось. Пожалуйста, напишите нам в личные сообщения номер "
                     "записи, мы разберёмся и свяжемся с вами.",
                     "Приносим извинения за неудобства. Ваш отзыв передан руководству отделения, "
                     "мы обязательно примем меры."),
        "positive": ("Спасибо за тёплые слова! Обязательно передадим вашу благодарность команде.",
                     "Благодарим за отзыв, нам очень приятно! Будьте здоровы."),
        "neutral": ("Спасибо, что вы с нами! Будем рады видеть вас в клинике.",
                    "Благодарим за внимание к нашим публикациям. Хорошего дня!"),
    },
    "az": {
        "question": ("Sualınız üçün təşəkkür edirik! {answer} Başqa sualınız olsa, qeydiyyata zəng edin: "
                     "(012) 555-01-01.",
                     "{answer} Kömək etməyə şadıq, bizə şəxsi mesaj yazın."),
        "negative": ("Belə olduğuna görə çox təəssüf edirik. Zəhmət olmasa, qəbul nömrənizi bizə şəxsi mesajla "
                     "yazın, araşdırıb sizinlə əlaqə saxlayacağıq.",
                     "Narahatlığa görə üzr istəyirik. Rəyiniz şöbə rəhbərliyinə çatdırılıb, "
                     "mütləq tədbir görəcəyik."),
        "positive": ("Xoş sözlərə görə təşəkkür edirik! Minnətdarlığınızı mütləq komandamıza çatdıracağıq.",
                     "Rəyiniz üçün sağ olun, bizim üçün çox xoşdur! Sağlam olun."),
        "neutral": ("Bizimlə olduğunuz üçün təşəkkür edirik! Sizi klinikada görməyə şad olarıq.",
                    "Paylaşımlarımıza diqqətiniz üçün təşəkkürlər. Gününüz xoş keçsin!"),
    },
    "en": {
        "question": ("Thank you for your question! {answer} If you need anything else, call the reception on "
                     "(012) 555-01-01.",
                     "{answer} We are happy to help, send us a private message any time."),
        "negative": ("We are very sorry this happened. Please send us your booking number in a private "
                     "message and we will look into it and get back to you.",
                     "We apologise for the trouble. Your feedback has been passed to the head of the "
                     "department and we will act on it."),
        "positive": ("Thank you for the kind words! We will pass your thanks on to the team.",
                     "Thank you for your review, it means a lot to us! Stay healthy."),
        "neutral": ("Thank you for being with us! We look forward to seeing you at the clinic.",
                    "Thanks for following our posts. Have a nice day!"),
    },
}

#: the factual part of a brand answer to a question, by topic
TOPIC_ANSWERS: dict[str, dict[str, str]] = {
    "opening_hours": {"ru": "Клиника работает ежедневно с 08:00 до 20:00, в воскресенье до 15:00.",
                      "az": "Klinika hər gün 08:00-dan 20:00-dək, bazar günü isə 15:00-dək işləyir.",
                      "en": "The clinic is open daily from 08:00 to 20:00, on Sundays until 15:00."},
    "booking": {"ru": "Записаться можно по телефону регистратуры или на сайте в разделе «Запись».",
                "az": "Qəbula qeydiyyat şöbəsinin telefonu ilə və ya saytda «Qeydiyyat» bölməsində yazılmaq olar.",
                "en": "You can book by phone at the reception or on our website under Booking."},
    "test_results": {"ru": "Результаты обычно готовы через 1–2 рабочих дня и приходят в личный кабинет.",
                     "az": "Nəticələr adətən 1–2 iş günü ərzində hazır olur və şəxsi kabinetə göndərilir.",
                     "en": "Results are usually ready within 1–2 working days and appear in your patient portal."},
    "prices_payment": {"ru": "Прайс-лист размещён на сайте, оплата возможна картой и наличными.",
                       "az": "Qiymət siyahısı saytdadır, ödəniş kartla və nağd qəbul olunur.",
                       "en": "The price list is on our website; you can pay by card or in cash."},
    "parking_address": {"ru": "Наш адрес: ул. Приморская, 12; парковка со стороны главного входа.",
                        "az": "Ünvanımız: Dənizkənarı küçəsi, 12; parkinq əsas giriş tərəfdədir.",
                        "en": "Our address is 12 Seaside Street; parking is next to the main entrance."},
    "vaccination": {"ru": "Вакцинация проводится в кабинете 105 с 09:00 до 17:00 по будням.",
                    "az": "Peyvənd iş günləri 09:00-dan 17:00-dək 105 saylı otaqda vurulur.",
                    "en": "Vaccinations are given in room 105 from 09:00 to 17:00 on weekdays."},
    "doctor_schedule": {"ru": "Актуальное расписание врачей есть на сайте и в регистратуре.",
                        "az": "Həkimlərin cari qrafiki saytda və qeydiyyat şöbəsində var.",
                        "en": "The current schedule of every doctor is on our website and at the reception."},
    "insurance": {"ru": "Мы работаем с основными страховыми компаниями, список есть на сайте.",
                  "az": "Əsas sığorta şirkətləri ilə işləyirik, siyahı saytda yerləşdirilib.",
                  "en": "We work with the main insurance companies; the list is on our website."},
    "online_consultation": {"ru": "Онлайн-консультацию можно заказать на сайте, ссылка придёт по SMS.",
                            "az": "Onlayn konsultasiyanı saytda sifariş etmək olar, link SMS ilə gələcək.",
                            "en": "You can order an online consultation on our website; the link comes by SMS."},
    "visiting_rules": {"ru": "Посещение пациентов разрешено ежедневно с 16:00 до 19:00, не более двух человек.",
                       "az": "Xəstələri hər gün 16:00-dan 19:00-dək, ən çoxu iki nəfər ziyarət edə bilər.",
                       "en": "Patients can have visitors daily from 16:00 to 19:00, two people at most."},
}

#: markup and formula-like content planted verbatim in a few member texts (must stay data, never markup)
TRICKY_WRAPPERS: tuple[str, ...] = (
    "<b>{text}</b>",
    "{text} <script>alert(1)</script>",
    "=SUM(A1) {text}",
)
