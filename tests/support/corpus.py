"""Deterministic, realistic-looking text in Uzbek (Latin and Cyrillic), Russian and English."""

from __future__ import annotations

import random

LANGS: tuple[str, ...] = ("uz", "uz-cyrl", "ru", "en")

# Uzbek Latin, canonical spelling: U+02BB (ʻ) in oʻ/gʻ, U+02BC (ʼ) for the tutuq belgisi.
_UZ_NOUNS = """
kitob kitoblar kitobning kitobga kitobni kitobda kitobdan kitoblarni kitobxon kitobxonlar
kutubxona kutubxonalar kutubxonada kutubxonaga kutubxonaning kutubxonachi oʻquv oʻqituvchi
oʻqituvchilar oʻqituvchining oʻquvchi oʻquvchilar oʻquvchilarga taʼlim taʼlimning taʼlimga
gʻalaba gʻalabasi maktab maktabda maktabga maktablar maktabning talaba talabalar talabalarning
talabaga universitet universitetda dars darslar darsda darslik darsliklar ilm ilmning fan fanlar
tarix tarixi adabiyot adabiyotning sheʼr sheʼrlar muallif mualliflar asar asarlar asarning roman
hikoya hikoyalar til tilda tili soʻz soʻzlar soʻzlarni soʻzning gap matn matnni sahifa sahifalar
sahifada bob boblar qism ona ota bola bolalar oila uy uyda shahar shaharda qishloq qishloqda
Toshkent Samarqand Buxoro Xiva Oʻzbekiston Oʻzbekistonning xalq xalqning vatan yer suv osmon
quyosh oy yil yillar kun kunlar vaqt hayot hayotda inson odamlar doʻst doʻstlar ish mehnat bilim
bilimlar fikr gʻoya gʻoyalar savol savollar javob qoʻl koʻz yoʻl yoʻlda bogʻ bogʻda togʻ
togʻlar daryo dala bahor kuz qish yoz tong kecha maʼno maʼnaviyat madaniyat sanʼat jamiyat davlat
qonun tarbiya ustoz shogird daftar qalam xona eshik deraza dunyo kelajak tajriba mustaqillik
ertak qoʻshiq oʻyin gʻazal sheʼriyat
"""
_UZ_VERBS = """
oʻqiydi oʻqidi oʻqiyman oʻqib oʻqishni yozdi yozadi yozib bilaman biladi bildi koʻrdi koʻradi
keldi keladi ketdi boradi bordi aytdi aytadi oʻrganadi oʻrgandi oʻrgatadi tushundi tushunadi
ishlaydi ishladi yashaydi yashagan sevadi qaradi topdi berdi oldi qildi boʻldi boʻladi boshladi
tugadi soʻradi gapirdi eshitdi kutdi saqlaydi yaratdi chiqdi kirdi oʻtdi qaytdi
"""
_UZ_ADJS = """
katta kichik yangi eski yaxshi yomon goʻzal chiroyli qiziqarli muhim zarur oson qiyin uzun qisqa
baland keng issiq sovuq oq qora qizil koʻk yashil tez sekin kuchli aqlli dono mehribon baxtli
qadimiy zamonaviy milliy ilmiy badiiy toʻgʻri ochiq tinch
"""
_UZ_FUNC = """
va bilan uchun lekin ammo chunki bu u biz men siz ular har bir ikki uch juda eng ham yana endi
hali doim koʻp barcha hamma qanday nima qachon emas yoʻq bor
"""

_RU_NOUNS = """
книга книги книгу книгой книге книг библиотека библиотеки библиотеку библиотеке библиотекой
читатель читатели читателя читателей писатель писателя писатели автор автора авторы учитель
учителя учителем ученик ученики учеников студент студенты студентов школа школы школе школу
университет университета урок уроки уроке знание знания наука науки история истории литература
литературы стихи роман рассказ рассказы слово слова словами язык языка языке страница страницы
странице глава главы текст мать отец ребёнок дети детей семья дом доме город города городе
деревня народ народа родина земля вода небо солнце год года лет день дни время жизнь жизни
человек люди людей друг друзья работа труд мысль идея вопрос ответ рука глаза дорога дороге сад
гора река поле весна осень зима лето утро вечер ночь смысл культура искусство общество
государство закон учёба тетрадь комната окно дверь мир будущее опыт песня сказка
"""
_RU_VERBS = """
читает читал читала читали прочитал прочитала читать пишет писал написал знаю знает знал видит
увидел пришёл пришла приходит ушёл идёт шёл сказал говорит говорила учится учился учит понял
понимает работает живёт жил любит смотрел нашёл дал взял сделал стал начал закончил спросил
слушал ждал хранит создал вышел вернулся
"""
_RU_ADJS = """
большой большая большое маленький новый новая новую старый старая хороший хорошая плохой
красивый красивая интересный интересная важный важное трудный лёгкий длинный короткий высокий
широкий тёплый холодный белый чёрный красный зелёный быстрый сильный умный добрый счастливый
древний современный научный народный правильный открытый тихий русская учебный
"""
_RU_FUNC = """
и в на с для но однако потому что это он она мы я вы они каждый один два три очень самый тоже
ещё теперь всегда много все всё как что когда не нет есть её его их уже там здесь
"""

_EN_NOUNS = """
book books library libraries reader readers writer writers author authors teacher teachers
student students school schools university lesson lessons knowledge science history literature
poem poems novel story stories word words language languages page pages chapter chapters text
mother father child children family house home city cities village people country land water
sky sun moon year years day days time life lives man woman friend friends work idea ideas
question questions answer hand eyes road garden mountain river field spring autumn winter summer
morning evening night meaning culture art society state law education notebook room window
door world future experience song tale shelf catalogue
"""
_EN_VERBS = """
reads read writes wrote knows knew sees saw came comes went goes said says learns learned
teaches taught understood understands works worked lives lived loves looked found gave took
made became began finished asked heard waited keeps kept created opened returned
"""
_EN_ADJS = """
big small new old good bad beautiful interesting important necessary easy difficult long short
high wide warm cold white black red green fast strong clever kind happy ancient modern
scientific national right open quiet
"""
_EN_FUNC = """
and with for but however because this it he she we I you they every one two three very most also
again now always many all how what when not no there here already
"""


def _split(block: str) -> tuple[str, ...]:
    return tuple(block.split())


_LATIN_TO_CYRL_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("yoʻ", "йў"),
    ("oʻ", "ў"),
    ("gʻ", "ғ"),
    ("sh", "ш"),
    ("ch", "ч"),
    ("yo", "ё"),
    ("yu", "ю"),
    ("ya", "я"),
    ("ye", "е"),
)
_LATIN_TO_CYRL: dict[str, str] = {
    "a": "а", "b": "б", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "ҳ", "i": "и", "j": "ж",
    "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "қ", "r": "р", "s": "с",
    "t": "т", "u": "у", "v": "в", "x": "х", "y": "й", "z": "з", "ʼ": "ъ",
}  # fmt: skip


def _to_cyrillic(word: str) -> str:
    """Transliterate one canonical Uzbek Latin word (the vocabulary above) to Cyrillic."""
    capital = word[0].isupper()
    low = word.lower()
    out: list[str] = []
    i = 0
    while i < len(low):
        for latin, cyrl in _LATIN_TO_CYRL_DIGRAPHS:
            if low.startswith(latin, i):
                out.append(cyrl)
                i += len(latin)
                break
        else:
            ch = low[i]
            out.append("э" if ch == "e" and i == 0 else _LATIN_TO_CYRL[ch])
            i += 1
    result = "".join(out)
    return result[0].upper() + result[1:] if capital else result


_VOCAB: dict[str, dict[str, tuple[str, ...]]] = {
    "uz": {"n": _split(_UZ_NOUNS), "v": _split(_UZ_VERBS), "a": _split(_UZ_ADJS),
           "f": _split(_UZ_FUNC)},
    "ru": {"n": _split(_RU_NOUNS), "v": _split(_RU_VERBS), "a": _split(_RU_ADJS),
           "f": _split(_RU_FUNC)},
    "en": {"n": _split(_EN_NOUNS), "v": _split(_EN_VERBS), "a": _split(_EN_ADJS),
           "f": _split(_EN_FUNC)},
}  # fmt: skip
_VOCAB["uz-cyrl"] = {k: tuple(_to_cyrillic(w) for w in ws) for k, ws in _VOCAB["uz"].items()}

# Sentence skeletons: n = noun, a = adjective, v = verb, f = function word.
_PATTERNS: tuple[str, ...] = (
    "fanv", "nfanv", "annfv", "fnanv", "nnav", "fannfnv", "anfnv", "nfnanv", "fnv", "nafnnv",
)  # fmt: skip

# How real Uzbek Latin texts write the oʻ/gʻ sign and the tutuq belgisi.
_OKINA_FORMS: tuple[str, ...] = ("ʻ", "‘", "'", "`", "ʼ")
_OKINA_WEIGHTS: tuple[float, ...] = (0.6, 0.15, 0.15, 0.05, 0.05)
_TUTUQ_FORMS: tuple[str, ...] = ("ʼ", "'", "’")
_TUTUQ_WEIGHTS: tuple[float, ...] = (0.6, 0.25, 0.15)

_CHAPTER_WORD: dict[str, str] = {"uz": "bob", "uz-cyrl": "боб", "ru": "Глава", "en": "Chapter"}


def vocabulary(lang: str) -> tuple[str, ...]:
    """All distinct words (canonical spelling) that `paragraph` draws from for `lang`."""
    _check(lang)
    return tuple(dict.fromkeys(w for ws in _VOCAB[lang].values() for w in ws))


def _check(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGS}")


def _vary_apostrophes(word: str, rng: random.Random) -> str:
    if "ʼ" in word:
        word = word.replace("ʼ", rng.choices(_TUTUQ_FORMS, _TUTUQ_WEIGHTS)[0])
    if "ʻ" in word:
        word = word.replace("ʻ", rng.choices(_OKINA_FORMS, _OKINA_WEIGHTS)[0])
    return word


def sentence(lang: str, rng: random.Random) -> str:
    """One capitalised sentence with inner commas and final punctuation."""
    _check(lang)
    vocab = _VOCAB[lang]
    pattern = rng.choice(_PATTERNS)
    if rng.random() < 0.5:
        pattern += rng.choice(("fnv", "an", "fan", "nv"))
    words: list[str] = []
    for slot in pattern:
        word = rng.choice(vocab[slot])
        if lang == "uz":
            word = _vary_apostrophes(word, rng)
        words.append(word)
    if len(words) > 5 and rng.random() < 0.35:
        pos = rng.randrange(2, len(words) - 2)
        words[pos] += ","
    if lang in ("ru", "uz-cyrl") and len(words) > 4 and rng.random() < 0.1:
        pos = rng.randrange(1, len(words) - 1)
        words.insert(pos, "—")
    if len(words) > 3 and rng.random() < 0.08:
        pos = rng.randrange(1, len(words) - 1)
        word = words[pos].rstrip(",")
        quoted = f"“{word}”" if lang == "en" else f"«{word}»"
        words[pos] = quoted + ("," if words[pos].endswith(",") else "")
    first = words[0]
    words[0] = first[0].upper() + first[1:]
    end = rng.choices((".", "?", "!", "…"), (0.86, 0.07, 0.05, 0.02))[0]
    return " ".join(words) + end


def paragraph(lang: str, rng: random.Random, words: int = 60) -> str:
    """A paragraph of whole sentences with about `words` words (at least one sentence)."""
    _check(lang)
    sentences: list[str] = []
    count = 0
    while count < words:
        s = sentence(lang, rng)
        sentences.append(s)
        count += len(s.split())
    return " ".join(sentences)


def page_text(lang: str, rng: random.Random, chars: int = 1800) -> str:
    """About `chars` characters (never more) of paragraphs separated by blank lines."""
    _check(lang)
    paragraphs: list[str] = []
    total = 0
    while total < chars:
        para = paragraph(lang, rng, rng.randint(35, 90))
        paragraphs.append(para)
        total += len(para) + 2
    text = "\n\n".join(paragraphs)
    if len(text) <= chars:
        return text
    cut = text[:chars]
    # End on a sentence boundary when one is close, otherwise on a word boundary.
    best = max(cut.rfind(p) for p in (". ", "? ", "! ", "… "))
    if best >= chars * 0.85:
        return cut[: best + 1]
    space = cut.rfind(" ")
    if space <= 0:
        return cut
    return cut[:space].rstrip(",—«“ ") + "."


def chapter_title(lang: str, rng: random.Random, number: int) -> str:
    """A chapter heading such as ``3-bob. Yangi kitob`` or ``Глава 3. Новая книга``."""
    _check(lang)
    vocab = _VOCAB[lang]
    adj, noun = rng.choice(vocab["a"]), rng.choice(vocab["n"])
    name = f"{adj[0].upper()}{adj[1:]} {noun}"
    if lang in ("uz", "uz-cyrl"):
        return f"{number}-{_CHAPTER_WORD[lang]}. {name}"
    return f"{_CHAPTER_WORD[lang]} {number}. {name}"
