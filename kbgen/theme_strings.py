"""kbgen's own words on the site, per language (mkdocs-material translates its own parts).

The theme calls `kb.t("English text", name=value)`: the text in the page's language, with
`{name}` filled in; a language or a text not listed here stays English. kbgen.js gets the
`MESSAGES` entries of its language through kb-config. Add a language by adding a table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

GERMAN: dict[str, str] = {
    # home, category and search pages
    "Help Center": "Hilfe-Center",
    "Home": "Startseite",
    "Answers to common questions, guides and troubleshooting.":
        "Antworten auf häufige Fragen, Anleitungen und Hilfe bei Problemen.",
    "How can we help?": "Wie können wir helfen?",
    "Search {n} articles, or browse by topic.":
        "Durchsuchen Sie {n} Artikel oder stöbern Sie nach Themen.",
    "Browse by topic": "Nach Themen stöbern",
    "1 article": "1 Artikel",
    "{n} articles": "{n} Artikel",
    "Popular articles": "Beliebte Artikel",
    "Recently updated": "Kürzlich aktualisiert",
    "Popular in {title}": "Beliebt in {title}",
    "Articles": "Artikel",
    "FAQs": "Häufige Fragen",
    "Troubleshooting": "Fehlerbehebung",
    "Article": "Artikel",
    "FAQ": "FAQ",
    "Help articles about {title}.": "Hilfeartikel zum Thema {title}.",
    "Search": "Suche",
    "Search the help center.": "Das Hilfe-Center durchsuchen.",
    "Search the help center": "Im Hilfe-Center suchen",
    "Search (press / or s)": "Suche (Taste / oder s)",
    "Close search": "Suche schließen",
    "e.g. reset my password": "z. B. Passwort zurücksetzen",
    "Your browser is not running JavaScript, so this page cannot show results for what you "
    "searched: this help center looks up answers inside your browser. Every answer is also "
    "one of these topics:":
        "Ihr Browser führt kein JavaScript aus, daher kann diese Seite keine Ergebnisse "
        "anzeigen: Dieses Hilfe-Center sucht Antworten in Ihrem Browser. Jede Antwort gehört "
        "zu einem dieser Themen:",
    "Our support team can answer what these articles do not.":
        "Unser Support-Team beantwortet, was diese Artikel nicht beantworten.",
    "Our support team can answer anything these articles do not.":
        "Unser Support-Team beantwortet alles, was diese Artikel nicht beantworten.",
    # contact
    "Still need help?": "Brauchen Sie weitere Hilfe?",
    "Our support team is happy to help with anything these articles do not answer.":
        "Unser Support-Team hilft gern bei allem, was diese Artikel nicht beantworten.",
    "Contact support": "Support kontaktieren",
    "Tell us what you need help with.": "Sagen Sie uns, wobei Sie Hilfe brauchen.",
    "Tell us what you need help with. We will suggest articles that may answer it right away.":
        "Sagen Sie uns, wobei Sie Hilfe brauchen. Wir schlagen Ihnen Artikel vor, die Ihre "
        "Frage vielleicht sofort beantworten.",
    "What do you need help with?": "Wobei brauchen Sie Hilfe?",
    "Suggested articles": "Vorgeschlagene Artikel",
    "Continue to contact support": "Weiter zum Support",
    # article pages
    "Breadcrumb": "Brotkrumennavigation",
    "Draft: this article is not published.": "Entwurf: Dieser Artikel ist nicht veröffentlicht.",
    "Last updated": "Zuletzt aktualisiert",
    "{helpful} of {votes} found this helpful": "{helpful} von {votes} fanden das hilfreich",
    "Related articles": "Verwandte Artikel",
    "Was this helpful?": "War das hilfreich?",
    "Yes": "Ja",
    "No": "Nein",
    "What went wrong?": "Was hat nicht gepasst?",
    "Tell us more (optional)": "Erzählen Sie uns mehr (optional)",
    "0 / 1000 characters": "0 / 1000 Zeichen",
    "Send feedback": "Feedback senden",
    "Sorry this did not solve it.": "Schade, dass das nicht geholfen hat.",
    "The article is incomplete": "Der Artikel ist unvollständig",
    "It is out of date": "Er ist veraltet",
    "It is hard to follow": "Er ist schwer verständlich",
    "It is not about my problem": "Er passt nicht zu meinem Problem",
    "Something else": "Etwas anderes",
    # languages
    "Languages": "Sprachen",
    "Not translated yet": "Noch nicht übersetzt",
    "This article is not translated into {language} yet.":
        "Dieser Artikel ist noch nicht auf {language} übersetzt.",
    "This translation is older than the original: the {language} original has changed "
    "since it was translated.":
        "Diese Übersetzung ist älter als das Original: Das Original auf {language} wurde "
        "seit der Übersetzung geändert.",
    "Read the current original": "Das aktuelle Original lesen",
    # search.js (keys "search.<English text>")
    "search.No articles match \u201c{q}\u201d. Try other words.":
        "Keine Artikel passen zu \u201e{q}\u201c. Versuchen Sie andere Wörter.",
    "search.{n}+ articles found": "{n}+ Artikel gefunden",
    "search.1 article found": "1 Artikel gefunden",
    "search.{n} articles found": "{n} Artikel gefunden",
    "search.Search is not available right now. Please try again.":
        "Die Suche ist gerade nicht verfügbar. Bitte versuchen Sie es noch einmal.",
    "search.Contact support": "Support kontaktieren",
    "search.Popular articles and topics": "Beliebte Artikel und Themen",
    "search.Still need help?": "Brauchen Sie weitere Hilfe?",
    "search.Search results": "Suchergebnisse",
    "search.Search": "Suche",
    "search.Search (press / or s)": "Suche (Taste / oder s)",
    "search.Search the help center": "Im Hilfe-Center suchen",
    # kbgen.js (the MESSAGES keys)
    "js.sending": "Ihr Feedback wird gesendet …",
    "js.thanks": "Vielen Dank für Ihr Feedback.",
    "js.thanksNo": "Danke für den Hinweis. Wir verbessern diesen Artikel damit.",
    "js.failed": "Ihr Feedback konnte gerade nicht gespeichert werden. Bitte versuchen Sie es "
                 "noch einmal.",
    "js.noService": "Dieses Hilfe-Center sammelt kein Feedback, Ihre Antwort wurde daher "
                    "nicht gespeichert.",
    "js.privacy": "Feedback ist aus, weil Ihr Browser Websites bittet, Sie nicht zu verfolgen.",
    "js.declined": "Ihr Feedback wurde nicht gespeichert, weil Ihr Browser Websites bittet, "
                   "Sie nicht zu verfolgen.",
    "js.tooLong": "Bitte kürzen Sie Ihren Kommentar auf höchstens 1000 Zeichen.",
    "js.subjectFirst": "Sagen Sie uns bitte zuerst, wobei Sie Hilfe brauchen. Wir schlagen "
                       "Artikel vor, danach können Sie den Support kontaktieren.",
}

STRINGS: dict[str, dict[str, str]] = {"de": GERMAN}

# Each language's name in its own language, for the language switcher.
NAMES = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español",
         "it": "Italiano", "nl": "Nederlands", "pt": "Português", "pt-BR": "Português (Brasil)",
         "pl": "Polski", "sv": "Svenska", "da": "Dansk", "nb": "Norsk bokmål", "fi": "Suomi",
         "ja": "日本語", "zh": "中文", "ko": "한국어", "ru": "Русский", "tr": "Türkçe"}
# The name of a language in German ("auf Englisch"), used in German notices.
IN_LANGUAGE = {"de": {"en": "Englisch", "fr": "Französisch", "es": "Spanisch",
                      "it": "Italienisch", "nl": "Niederländisch"}}


def name_of(lang: str) -> str:
    return NAMES.get(lang, lang)


def translator(lang: str) -> Callable[..., str]:
    """`t(text, **values)`: `text` in `lang` (English when not listed), values filled in."""
    table = STRINGS.get(lang, {})

    def t(text: str, **values: Any) -> str:
        found = table.get(text, text)
        return found.format(**values) if values else found

    return t


def language_in(lang: str, other: str) -> str:
    """The name of language `other` as a sentence in `lang` writes it."""
    return IN_LANGUAGE.get(lang, {}).get(other) or name_of(other)


def script_messages(lang: str) -> dict[str, str]:
    """The scripts' words in `lang` (only the ones translated): kbgen.js's MESSAGES by key,
    search.js's as "search.<English text>"."""
    table = STRINGS.get(lang, {})
    found = {key[3:]: text for key, text in table.items() if key.startswith("js.")}
    found.update({key: text for key, text in table.items() if key.startswith("search.")})
    return found
