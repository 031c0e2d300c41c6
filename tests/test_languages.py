"""Help centers in several languages: translation files, their checks, the per-language site,
`kbgen translations`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_kbgen
from tests.language_helpers import make_two_language_center


@pytest.fixture
def center(tmp_path) -> Path:
    return make_two_language_center(tmp_path / "help")


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_check_accepts_a_translation_and_names_each_bad_one(center):
    ok = run_kbgen("check", "--strict", cwd=center)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    folder = center / "content" / "getting-started"
    _write(folder / "first-steps.fr.md", "---\nid: first-steps\ntitle: Premiers pas\n"
           "description: Les premiers pas.\n---\nTexte\n")
    _write(folder / "welcome.de.md", "---\nid: welcome\ntitle: Willkommen\n"
           "description: Hallo.\ntranslated_from: \"0123456789ab\"\n---\nText\n")
    _write(folder / "first-steps.de.md", "---\ntitle: Erste Schritte\nid: first-step\n"
           "description: Los geht's.\n---\nText\n")
    _write(folder / "first-steps.en.md", "---\nid: first-steps\ntitle: First steps\n"
           "description: x.\n---\nText\n")
    result = run_kbgen("check", cwd=center)
    assert result.returncode == 1
    out = result.stdout + result.stderr
    assert "content/getting-started/first-steps.fr.md:1: error: unknown language 'fr'" in out
    assert ("content/getting-started/welcome.de.md:2: error: translation without a source: "
            "'content/getting-started/welcome.md' does not exist") in out
    assert ("content/getting-started/first-steps.de.md:3: error: the translation's id "
            "'first-step' is not its source's id 'first-steps'") in out
    assert "first-steps.en.md:1: error: 'en' is the default language" in out
    assert "Traceback" not in out


def test_two_translations_of_one_language_and_a_bad_revision(center):
    folder = center / "content" / "getting-started"
    (folder / "sub").mkdir()
    _write(folder / "sub" / "create-an-account.md", (folder / "create-an-account.md")
           .read_text().replace("id: create-an-account", "id: create-an-account-2"))
    _write(folder / "sub" / "create-an-account.de.md", (folder / "create-an-account.de.md")
           .read_text().replace("translated_from: ", "translated_from: x"))
    result = run_kbgen("check", cwd=center)
    out = result.stdout + result.stderr
    assert ("content/getting-started/sub/create-an-account.de.md:2: error: the translation's "
            "id 'create-an-account' is not its source's id 'create-an-account-2'") in out
    _write(folder / "sub" / "create-an-account.md", (folder / "create-an-account.md")
           .read_text())  # the same id twice: one error for the newer source, as ever
    result = run_kbgen("check", cwd=center)
    out = result.stdout + result.stderr
    assert "a second 'de' translation of 'create-an-account'" in out
    assert "content/getting-started/sub/create-an-account.de.md:2" in out


def test_a_category_file_with_an_undeclared_language(center):
    category = center / "content" / "faq" / "_category.yml"
    _write(category, category.read_text() + "fr:\n  title: Questions\n")
    result = run_kbgen("check", cwd=center)
    out = result.stdout + result.stderr
    assert "content/faq/_category.yml:" in out and "'fr' is not a key of category files" in out
    lines = category.read_text().splitlines()
    assert f"_category.yml:{lines.index('fr:') + 1}:" in out


def test_a_translation_without_languages_declared(tmp_path):
    root = tmp_path / "help"
    run_kbgen("init", str(root), cwd=tmp_path)
    folder = root / "content" / "faq"
    _write(folder / "general-faq.de.md", "---\nid: general-faq\ntitle: FAQ\n"
           "description: Fragen.\n---\nText\n")
    result = run_kbgen("check", cwd=root)
    out = result.stdout + result.stderr
    assert "general-faq.de.md:1: error: 'faq/general-faq.de.md' is a translation into 'de', but " \
           "the help center declares no languages" in out
