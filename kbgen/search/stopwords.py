"""Stop words of the languages other than English (English's are in analysis.py), and the
Snowball stemmer of each language code.

Like English's, two lists per language: function words dropped everywhere, and the words
that frame a question ("wie kann ich") dropped from queries. Written in their folded form
(analysis.fold: lower case, no accents, "ß" as "ss"); a language without a list here is
stemmed but keeps all its words.
"""

from __future__ import annotations

import unicodedata

# ISO 639-1 code -> the snowballstemmer algorithm.
SNOWBALL_NAMES = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech",
    "da": "danish", "nl": "dutch", "en": "english", "eo": "esperanto", "et": "estonian",
    "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "hi": "hindi",
    "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian", "lt": "lithuanian",
    "ne": "nepali", "nb": "norwegian", "no": "norwegian", "nn": "norwegian", "fa": "persian",
    "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "st": "sesotho", "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish",
    "yi": "yiddish",
}

_GERMAN_INDEX = """aber als am an auch auf aus bei bin bis bist da damit dann das dass dein
deine dem den der des dessen die dies diese diesem diesen dieser dieses du durch ein eine
einem einen einer eines er es euer eure für hat hatte hätte ihr ihre ihrem ihren ihrer im in
ins ist ja jede jedem jeden jeder jedes mit nach noch ob oder ohne sein seine seinem seinen
seiner sich sie sind so über um und uns unser unsere vom von vor war waren was wir wird zu
zum zur"""

# Negations ("nicht", "kein") stay: "kann mich nicht anmelden" is the topic.
_GERMAN_QUERY = """alle allem allen aller alles also andere anderen bitte brauche dafür
darf dort drin einfach etwa etwas gibt geht habe haben hier ich immer irgendwie kann kannst
können könnte man mein meine meinem meinen meiner mich mir möchte möglich muss müssen soll
sollte tun viel warum was weiß welche welchem welchen welcher welches wenn wer wie wieso
will wo woher wohin würde"""


def _folded(text: str) -> frozenset[str]:
    def fold(word: str) -> str:
        word = unicodedata.normalize("NFKD", word.lower().replace("ß", "ss"))
        return "".join(ch for ch in word if not unicodedata.combining(ch))
    return frozenset(fold(word) for word in text.split())


_INDEX = {"de": _folded(_GERMAN_INDEX)}
_QUERY = {"de": _folded(_GERMAN_QUERY)}


def index_stop_words(lang: str) -> frozenset[str]:
    return _INDEX.get(lang.split("-")[0], frozenset())


def query_stop_words(lang: str) -> frozenset[str]:
    return index_stop_words(lang) | _QUERY.get(lang.split("-")[0], frozenset())
