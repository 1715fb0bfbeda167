"""Is a message a question? Rules for Russian, Azerbaijani and English (offline, no models)."""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import pandas as pd

from helpers.parallel import map_chunks
from helpers.text.normalising import (
    TURKIC,
    as_languages,
    as_text,
    as_texts,
    normalise,
    strip_links,
)

# --------------------------------------------------------------------------------------------------
# Questions
# --------------------------------------------------------------------------------------------------

_QMARK_RE = re.compile(r"[?？¿؟]")
_SENTENCE_SPLIT_RE = re.compile(r"[.!;…\n\r]+|:\s")
_Q_TOKEN_RE = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*|,")

# Leading words that do not start the "real" clause: greetings, vocatives, interjections, politeness.
_LEAD_IN = frozenset(normalise(w) for w in """
    hi hello hey heya dear team guys folks all everyone everybody friends admin admins good morning afternoon
    evening day greetings sir madam please pls plz sorry excuse me thanks thank you ok okay so well also and
    but btw yes no hmm oh um quick question hallo hiya
    здравствуйте здраствуйте привет приветствую добрый доброе доброго день вечер утро уважаемые уважаемый
    уважаемая друзья ребята коллеги админ админы администрация извините простите пожалуйста спасибо ну так
    а и всем всех девочки народ вопрос хм да нет слушайте кстати вопросик
    salam salamlar hörmətli əziz dostlar uşaqlar komanda admin sabahınız axşamınız günortanız xeyir
    zəhmət olmasa təşəkkür sağ olun bağışlayın üzr sual yaxşı bəs hə
""".split())

# Words after "how"/"what a"/"как"/"nə" that make an exclamation, not a question.
_EXCLAIM = frozenset(normalise(w, lang) for lang, words in {
    "en": """great nice cool lovely beautiful wonderful amazing awesome sweet kind fun good sad awful terrible
             cute lucky exciting brilliant fantastic gorgeous delicious perfect proud happy glad thoughtful
             generous fast quick inspiring touching weird funny crazy""",
    "ru": """здорово красиво классно приятно круто хорошо прекрасно замечательно чудесно отлично жаль мило вкусно
             весело грустно обидно стыдно ужасно радостно трогательно чудно странно смешно же я мы это""",
    "az": """gözəl yaxşı əla qəşəng şirin maraqlı dəhşət pis böyük xoş əcəb möhtəşəm gözəldir yaxşıdır
             əladır qəşəngdir dəhşətdir də""",
}.items() for w in words.split())

_EN_WH = frozenset("how what when where why who whom whose which".split())
_EN_WH_CONTRACTED = frozenset("how's what's when's where's why's who's".split())
_EN_AUX = frozenset("""do does did is are was were am can could will would should shall may might must
                       has have had""".split())
_EN_SUBJECTS = frozenset("""i you we they he she it there anyone anybody someone somebody everyone""".split())
_EN_DETERMINERS = frozenset("the a an this that these those my your our their his her its any".split())
_EN_NOT_AFTER_AUX = frozenset("not n't so very really just such too always never also".split())
_EN_PHRASES = tuple(re.compile(p) for p in (
    r"\b(?:can|could|may) (?:i|we|you|someone|somebody|anyone)\b",
    r"\b(?:would|will) you\b",
    r"\bis it possible\b", r"\b(?:is|are) there (?:any|a|an|some)\b",
    r"\bdo you (?:have|know|offer|sell|ship|deliver|accept|open|work|provide|plan)\b",
    r"\b(?:does|did|do) (?:anyone|anybody|someone|somebody)\b",
    r"\b(?:anyone|anybody|somebody|someone) (?:knows?|has|have|tried|got)\b",
    r"\bany (?:idea|ideas|news|update|updates|info|information)\b",
    r"\bi (?:was )?wonder(?:ing)?\b", r"\bwondering (?:if|whether|when|how|where|why|what)\b",
    r"\b(?:i'd|i would|we'd|we would) like to know\b", r"\b(?:want|wanted|need) to know\b",
    r"\bplease (?:tell|advise|explain|let (?:me|us) know|clarify|confirm)\b",
    r"\bhow (?:do|does|did|can|could) (?:i|we|you|they|one)\b",
))
# one pass for all of them: 5× faster than one search per phrase (the Russian and Azerbaijani ones, with
# lookbehinds, are not faster joined)
_EN_PHRASE_RE = re.compile("|".join(f"(?:{p.pattern})" for p in _EN_PHRASES))
RU_WH_WORDS = frozenset(normalise(w) for w in """как какой какая какое какие каких каким какую каком какого какому
    когда где куда откуда что чего чем чему почему зачем сколько кто кого кому кем чей чья чье чьи который
    которая которое которые разве неужели можно подскажите скажите""".split())
_RU_NOT_AFTER_WH = frozenset(normalise(w) for w in "я мы ж касается бы ни".split())
_RU_PREPOSITIONS = frozenset(normalise(w) for w in "в во на с со к ко по до от для о об обо у за из про".split())
_RU_PHRASES = tuple(re.compile(p) for p in (
    r"(?<!\w)(?<!вряд )(?<!едва )(?<!то )ли(?!\w)",
    r"(?<!\w)(?:подскажите|подскажете|скажите|посоветуйте|объясните|уточните)(?!\w)",
    r"(?<!\w)не (?:знаете|подскажете|скажете)(?!\w)",
    r"(?<!\w)(?:кто(?:-нибудь|-то)?|кто нибудь) (?:знает|подскажет|сталкивался|пробовал)(?!\w)",
    r"(?<!\w)(?:хочу|хотел бы|хотела бы|хотелось бы|хотим) (?:узнать|уточнить|спросить)(?!\w)",
    r"(?<!\w)(?:интересует|интересно), (?:как|когда|где|что|сколько|можно|будет|есть)(?!\w)",
))
AZ_WH_WORDS = frozenset(normalise(w, "az") for w in """necə necədir niyə nəçin hara harada haradan haraya
    haradadır haralı neçə neçəyə neçədə neçədir neçənci neçəyədək hansı hansını hansına hansında hansından
    hansılar hansıdır kim kimə kimin kimdən kimdir kimlər nə nəyə nədən nəyi nədir nəyin nədə
    mı mi mu mü""".split())
_AZ_WH_PREFIX_RE = re.compile(r"^(?:neçə|hara|hansı|niyə|necəd)\w*$")  # neçəyədir, haradadır, hansınız
_AZ_PARTICLE_SUFFIX_RE = re.compile(
    r"(?:var|yox|dır|dir|dur|dür|tır|tir|tur|tür|ar|ər|ır|ir|ur|ür|acaq|əcək|dı|di|du|dü|tı|ti|tu|tü|"
    r"ıq|ik|uq|ük|sınız|siniz|sunuz|sünüz|san|sən|am|əm|yam|yəm|ıq|olar|mümkün|açıq|lazım|pulsuz)"
    r"(?:mı|mi|mu|mü)(?:dır|dir|dur|dür)?$"
)
_AZ_PARTICLE_FALSE = frozenset(normalise(w, "az") for w in "iyirmi ermi sərmi kimi ilkini".split())
_AZ_WH_BLOCKERS = {  # (wh word, next word) pairs that are not questions
    ("necə", "ki"), ("necə", "də"), ("hansı", "ki"), ("kim", "ki"), ("nə", "isə"), ("nə", "ki"),
}
_AZ_PHRASES = tuple(re.compile(p) for p in (
    r"(?<!\w)bilmək istə(?:yirəm|yirik|rdim|rdik)(?!\w)",
    r"(?<!\w)(?:deyə|kömək edə|məlumat verə|izah edə) bilərsiniz(?!\w)",
    r"(?<!\w)zəhmət olmasa (?:deyin|bildirin|izah edin|məlumat verin)(?!\w)",
    r"(?<!\w)(?:bilən var|kimsə bilir)(?!\w)",
    r"(?<!\w)maraqlıdır(?:,)? (?:necə|nə|niyə|harada|hansı|neçə)(?!\w)",
))


def _clause_words(clause: str) -> list[str]:
    """Words of a clause with leading greetings/vocatives/commas removed."""
    words = [w for w in _Q_TOKEN_RE.findall(clause)]
    # drop lead-in words and commas at the start ("Hi team, how ...", "Добрый день, когда ...")
    i = 0
    while i < len(words) and (words[i] == "," or words[i] in _LEAD_IN):
        i += 1
    return [w for w in words[i:] if w != ","]


def _en_question(clauses: list[list[str]], norm: str) -> bool:
    if _EN_PHRASE_RE.search(norm):
        return True
    for words in clauses:
        if not words:
            continue
        first, nxt = words[0], (words[1] if len(words) > 1 else "")
        if first in _EN_WH_CONTRACTED:
            return True
        if first in _EN_WH:
            if first == "how" and nxt in _EXCLAIM:
                continue  # "how great is that"
            if (first, nxt) in {("what", "a"), ("what", "an"), ("who", "knew"), ("who", "cares")}:
                continue  # "what a day"
            if first == "which" and nxt == "is" and len(words) > 2 and words[2] == "why":
                continue
            if nxt in _EN_SUBJECTS or nxt in _EN_DETERMINERS:
                continue  # "when I arrived, ...", "what the ..."
            return True
        if first in _EN_AUX:
            allowed = _EN_SUBJECTS if first in {"has", "have", "had"} else _EN_SUBJECTS | _EN_DETERMINERS
            if nxt in allowed:
                return True
            # "Are tickets refundable", "Does parking cost extra" (but not "Is so good", "Do not …")
            if first in {"is", "are", "does", "did"} and nxt and nxt not in _EN_NOT_AFTER_AUX:
                return True
    return False


def _ru_question(clauses: list[list[str]], norm: str) -> bool:
    if any(p.search(norm) for p in _RU_PHRASES):
        return True
    for words in clauses:
        if not words:
            continue
        if len(words) > 1 and words[0] in _RU_PREPOSITIONS:
            words = words[1:]  # "во сколько", "до скольки", "на какой адрес"
        first, nxt = words[0], (words[1] if len(words) > 1 else "")
        if first in RU_WH_WORDS or first in {"скольки", "скольких"}:
            if first in {"как", "что"} and nxt in _EXCLAIM:
                continue  # "как здорово", "как же круто"
            if nxt in _RU_NOT_AFTER_WH:
                continue  # "когда мы пришли, ...", "что касается ..."
            if first == "можно" and nxt in {"было", "сказать"}:
                continue
            if first == "что" and nxt == "за":
                continue  # "что за прекрасный день" (exclamation without "?")
            return True
    return False


def _az_question(clauses: list[list[str]], norm: str) -> bool:
    if any(p.search(norm) for p in _AZ_PHRASES):
        return True
    for words in clauses:
        if words.count("nə") >= 2:  # "nə ... nə ..." = neither ... nor
            words = [w for w in words if w != "nə"]
        for k, w in enumerate(words):
            nxt = words[k + 1] if k + 1 < len(words) else ""
            parts = w.split("-")
            if any(p in {"mı", "mi", "mu", "mü"} for p in parts[1:]):
                return True  # "var-mı"
            if w in AZ_WH_WORDS or (_AZ_WH_PREFIX_RE.match(w) and not w.endswith(("sa", "sə"))):
                if ((w, nxt) in _AZ_WH_BLOCKERS or (k > 0 and words[k - 1] == "heç")
                        or nxt.endswith(("sa", "sə"))):  # "nə vaxtsa", "kim gəlsə" (whoever comes)
                    continue
                if w in {"nə", "necə"} and (nxt in _EXCLAIM or (nxt == "qədər" and k + 2 < len(words)
                                                                and words[k + 2] in _EXCLAIM)):
                    continue  # "nə gözəl!", "nə qədər gözəldir"
                return True
            if len(w) >= 5 and w not in _AZ_PARTICLE_FALSE and _AZ_PARTICLE_SUFFIX_RE.search(w):
                return True  # "varmı", "olarmı", "mümkündürmü", "açılırmı"
    return False


_QUESTION_RULES: dict[str, Callable[[list[list[str]], str], bool]] = {
    "en": _en_question,
    "ru": _ru_question,
    "az": _az_question,
}


def _is_question_one(text: str, language: str | None) -> bool:
    if not text:
        return False
    plain = strip_links(text)
    if _QMARK_RE.search(plain):
        return True
    norm = " ".join(normalise(plain, language).split())
    clauses = [_clause_words(c) for c in _SENTENCE_SPLIT_RE.split(norm)]
    if language in _QUESTION_RULES:
        rules = [_QUESTION_RULES[language]]
    elif language in TURKIC:  # Turkish shares the Azerbaijani particles and most interrogatives
        rules = [_az_question]
    else:  # unknown / undetermined: any language's cues
        rules = list(_QUESTION_RULES.values())
    return any(rule(clauses, norm) for rule in rules)


def _questions_of(pairs: Sequence[tuple[str, str | None]]) -> list[bool]:
    """Question flags of (text, language) pairs (module level: it runs in pool processes too)."""
    return [_is_question_one(text, lang) for text, lang in pairs]


def is_question(texts: Sequence[str], languages: Sequence[str | None] | str | None = None, *,
                workers: int | None = 1) -> pd.Series:
    """Whether each text asks something, using multilingual cues, not only "?".

    Cues: a question mark (``?``, ``？``, ``¿``, ``؟``; ignored inside URLs); English wh-words and
    auxiliary inversion at the start of a sentence ("How do I…", "Is there…", "Can I…") and request
    phrases anywhere ("could you", "anyone know", "is it possible"); Russian interrogatives at the start
    of a sentence (как, когда, где, сколько…), the particle ``ли`` (можно ли, есть ли) and request verbs
    (подскажите, скажите, не подскажете); Azerbaijani interrogatives anywhere (necə, nə vaxt, harada,
    neçə, hansı…), the particle ``mı/mi/mu/mü`` as a word or suffix (varmı, olarmı, mümkündürmü) and
    request phrases (bilmək istəyirəm, deyə bilərsiniz). Greetings at the start ("Hi team, …",
    "Добрый день, …", "Salam, …") are skipped. Exclamations ("How great is that!", "Как здорово!",
    "Nə gözəl!") and subordinate clauses ("When I arrived, …") do not count.

    Args:
        texts: message texts.
        languages: per-text ISO 639-1 codes (a single string applies to all). ``None``/``"und"``/other
            codes use the cues of all three languages.
        workers: processes for large inputs (:func:`helpers.parallel.map_chunks`; None = the
            ``workers`` setting, 1 = this process only). The flags do not depend on it.

    Returns:
        Boolean ``pd.Series`` named ``"is_question"`` on the texts' index.
    """
    values, index = as_texts(texts)
    langs = as_languages(languages, len(values))
    flags = map_chunks(_questions_of, [(as_text(t), lang) for t, lang in zip(values, langs)], workers)
    return pd.Series(flags, index=index, name="is_question", dtype=bool)

