"""A two-language help center made from scratch: `kbgen init`, `languages: [en, de]`, German
translations of the starter articles in the `<name>.<lang>.md` layout."""

from __future__ import annotations

from pathlib import Path

from kbgen.content.loader import load_content
from kbgen.content.revisions import article_revision
from tests.conftest import run_kbgen

ACCOUNT_DE = """---
id: create-an-account
title: Ein Konto erstellen
description: Registrieren Sie sich in zwei Minuten mit Ihrer geschäftlichen E-Mail-Adresse.
keywords: [registrieren, anmelden, neues Konto]
translated_from: "{rev}"
---

## Registrieren

1. Öffnen Sie die Registrierungsseite.
2. Geben Sie Ihre geschäftliche E-Mail-Adresse ein und wählen Sie ein Passwort.
3. Klicken Sie auf den Link in der Bestätigungsmail.

Danach folgen Sie den [ersten Schritten](first-steps.md).

## Rechnungen und Zahlungen

Ihre Rechnungen finden Sie unter Einstellungen. Wir bestätigen jede Zahlung per E-Mail.
"""

CATEGORY_DE = """de:
  title: Erste Schritte
  description: Ein Konto anlegen und loslegen.
"""


def make_two_language_center(root: Path) -> Path:
    """`kbgen init` in root, then German: one translated article (current), the FAQ not."""
    result = run_kbgen("init", str(root), cwd=root.parent)
    assert result.returncode == 0, result.stderr
    config = root / "mkdocs.yml"
    text = config.read_text()
    config.write_text(text.replace("  - kbgen:\n", "  - kbgen:\n      languages: [en, de]\n", 1)
                      .replace("# site_url: https://help.example.com/",
                               "site_url: https://help.example.com/"))
    folder = root / "content" / "getting-started"
    (folder / "_category.yml").write_text((folder / "_category.yml").read_text() + CATEGORY_DE)
    site = load_content(root / "content", root=root)
    rev = article_revision(site.by_id["create-an-account"])
    (folder / "create-an-account.de.md").write_text(ACCOUNT_DE.format(rev=rev))
    return root
