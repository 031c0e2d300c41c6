"""Which customer texts may become a keyword or a search test, and how they compare.

A query is a customer's text: it can hold an email address, an order number, a URL or
markup pasted by mistake. Only short, plain phrases become content. The rule is
deliberately conservative (a missed suggestion costs little; a customer's personal data in
a published page costs a lot):

- at most MAX_CHARS characters and MAX_WORDS words, at least one letter;
- letters, digits, spaces and the punctuation in ALLOWED_PUNCTUATION only: no control or
  format characters, no `< > / \\ @ . = { } [ ] ( ) " ; | * % $ ~ ^ backtick`, so no URL,
  email address, file path, markup or template;
- no run of DIGIT_RUN or more digits (phone, order, card and account numbers);
- it starts with a letter or a digit.
"""

from __future__ import annotations

import re
import unicodedata

MAX_CHARS = 50
MAX_WORDS = 6
DIGIT_RUN = 5
ALLOWED_PUNCTUATION = frozenset("'-&+#:?!,")
_DIGITS = re.compile(rf"\d{{{DIGIT_RUN},}}")


def customer_words(text: str) -> str | None:
    """The phrase to propose (whitespace collapsed, lower-cased), or None when `text` fails
    the rule above."""
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp") for ch in text):
        return None
    phrase = " ".join(text.split()).lower()
    if not phrase or len(phrase) > MAX_CHARS or len(phrase.split()) > MAX_WORDS:
        return None
    if not phrase[0].isalnum() or not any(ch.isalpha() for ch in phrase):
        return None
    if _DIGITS.search(phrase):
        return None
    for ch in phrase:
        if not (ch.isalnum() or ch == " " or ch in ALLOWED_PUNCTUATION
                or unicodedata.category(ch) == "Mn"):
            return None
    return phrase


def same(text: str) -> str:
    """The comparison form of a keyword or query: case-folded, accents and punctuation
    dropped, whitespace collapsed ("Sign-in" and "sign in" are the same keyword)."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(" " if not (ch.isalnum() or unicodedata.category(ch) == "Mn") else ch
                   for ch in folded if unicodedata.category(ch) != "Mn")
    return " ".join(kept.split())
