"""`kbgen init`, `kbgen new` and the command line's contract (help, exit codes, docs)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import click
import pytest

from kbgen.cli import cli
from tests.conftest import REPO, run_kbgen


def test_init_then_build_in_an_empty_folder(tmp_path):
    target = tmp_path / "help"
    result = run_kbgen("init", str(target), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Created a help center" in result.stdout
    build = run_kbgen("build", cwd=target)
    assert build.returncode == 0, build.stderr
    html = (target / "site/getting-started/create-an-account/index.html").read_text()
    assert "Was this helpful?" in html
    assert not (target / "theme").exists()  # the theme ships inside kbgen, never copied
    assert run_kbgen("check", "--strict", cwd=target).returncode == 0
    # Every sample category has a title and a description of its own: "FAQ", not "Faq".
    home = (target / "site/index.html").read_text()
    assert re.search(r">\s*FAQ\s*<", home) and "Faq" not in home
    faq = (target / "site/faq/index.html").read_text()
    assert "Quick answers to the questions we hear most often." in faq
    # What a build writes stays out of git.
    assert (target / ".gitignore").read_text().splitlines()[-2:] == ["site/", ".kbgen/"]
    git = subprocess.run(["git", "init", "-q"], cwd=target)
    assert git.returncode == 0
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                            cwd=target, capture_output=True, text=True).stdout
    assert "content/faq/_category.yml" in status
    assert "site/" not in status and ".kbgen/" not in status, status


def test_init_keeps_an_existing_gitignore_and_adds_only_what_is_missing(tmp_path):
    (tmp_path / ".gitignore").write_text("node_modules/\n/site")  # no final newline
    assert run_kbgen("init", cwd=tmp_path).returncode == 0
    lines = (tmp_path / ".gitignore").read_text().splitlines()
    assert lines[:2] == ["node_modules/", "/site"]
    assert lines[-1] == ".kbgen/" and "site/" not in lines


def test_a_new_category_gets_a_category_file_and_a_warning_until_described(tmp_path):
    run_kbgen("init", cwd=tmp_path)
    new = run_kbgen("new", "Rotate a key", "--category", "sso-and-api-keys", cwd=tmp_path)
    assert new.returncode == 0, new.stderr
    category = tmp_path / "content/sso-and-api-keys/_category.yml"
    assert "content/sso-and-api-keys/_category.yml" in new.stderr
    assert category.read_text().startswith('title: "SSO and API keys"\ndescription: TODO ')
    # Another article in it keeps what the writer wrote.
    category.write_text(category.read_text().replace("SSO and API keys", "Single sign-on"))
    run_kbgen("new", "Second", "--category", "sso-and-api-keys", cwd=tmp_path)
    assert "Single sign-on" in category.read_text()

    # Only drafts in it: nothing is published, nothing to say.
    assert run_kbgen("check", "--strict", cwd=tmp_path).returncode == 0
    article = tmp_path / "content/sso-and-api-keys/rotate-a-key.md"
    article.write_text(
        "---\nid: rotate-a-key\ntitle: Rotate a key\ndescription: How to replace a key.\n"
        "---\n\nOpen Settings.\n")
    where = "content/sso-and-api-keys/_category.yml: warning: the category's 'description' is"
    relaxed = run_kbgen("check", cwd=tmp_path)
    assert relaxed.returncode == 0 and where in relaxed.stderr
    assert "Fix: replace the TODO with one sentence" in relaxed.stderr
    strict = run_kbgen("check", "--strict", cwd=tmp_path)
    assert strict.returncode == 1 and where in strict.stderr
    built = run_kbgen("build", cwd=tmp_path)  # a warning: built, and the TODO never shown
    assert built.returncode == 0, built.stderr
    for page in (tmp_path / "site").rglob("*.html"):
        assert "TODO" not in page.read_text(), page
    assert "Single sign-on" in (tmp_path / "site/index.html").read_text()

    # A category folder without the file: the warning names the file to create.
    category.unlink()
    missing = run_kbgen("check", cwd=tmp_path)
    assert ("content/sso-and-api-keys/_category.yml: warning: category 'sso-and-api-keys' "
            "has no _category.yml") in missing.stderr
    assert ("Fix: create content/sso-and-api-keys/_category.yml with 'title: SSO and API "
            "keys' and 'description: ") in missing.stderr

    category.write_text("title: Single sign-on\ndescription: Sign in with your company "
                        "account.\n")
    assert run_kbgen("check", "--strict", cwd=tmp_path).returncode == 0
    assert run_kbgen("build", cwd=tmp_path).returncode == 0
    assert "Sign in with your company account." in \
        (tmp_path / "site/sso-and-api-keys/index.html").read_text()


def test_init_refuses_an_existing_help_center(tmp_path):
    assert run_kbgen("init", cwd=tmp_path).returncode == 0
    again = run_kbgen("init", cwd=tmp_path)
    assert again.returncode == 2 and "already has a help center" in again.stderr


def test_new_creates_a_valid_article_with_a_fresh_id(tmp_path):
    run_kbgen("init", cwd=tmp_path)
    first = run_kbgen("new", "Create an account", "--category", "getting-started", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    path = Path(first.stdout.strip())
    assert path == Path("content/getting-started/create-an-account-2.md")
    text = (tmp_path / path).read_text()
    assert "id: create-an-account-2" in text and 'title: "Create an account"' in text
    faq = run_kbgen("new", "Billing questions", "--type", "faq", "--category", "billing",
                    cwd=tmp_path)
    assert "type: faq" in (tmp_path / faq.stdout.strip()).read_text()
    assert run_kbgen("check", cwd=tmp_path).returncode == 0


def test_bad_usage_exits_2_without_traceback(tmp_path):
    result = run_kbgen("new", "X", "--type", "novel", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    missing = run_kbgen("check", cwd=tmp_path)
    assert missing.returncode == 2 and "No mkdocs.yml in" in missing.stderr


def test_every_command_has_help_and_is_in_the_readme():
    readme = (REPO / "README.md").read_text()
    ctx = click.Context(cli)
    names = cli.list_commands(ctx)
    assert {"build", "report", "events", "db", "demo"} <= set(names)
    for name in names:
        command = cli.get_command(ctx, name)  # commands load when used
        assert command is not None and command.help, name
        result = run_kbgen(name, "--help", cwd=REPO)
        assert result.returncode == 0 and "Usage: kbgen" in result.stdout
        assert re.search(rf"kbgen {name}\b", readme), f"README does not mention kbgen {name}"


def test_every_plugin_option_is_documented():
    # One model (kbgen.options) serves every consumer: the build's schema is derived from it
    # and the other commands read Options (tests/test_options.py checks they agree).
    from kbgen import options
    from kbgen.mkdocs_plugin.config import KbgenConfig

    assert [name for name, _ in KbgenConfig._schema] == options.names()
    docs = (REPO / "docs" / "configuration.md").read_text()
    for name in options.names():
        assert f"`{name}`" in docs, f"plugin option {name} is not in docs/configuration.md"
        assert options.doc(name), f"plugin option {name} has no docstring in kbgen/options.py"


def test_new_article_is_a_draft_and_its_placeholders_are_never_published(tmp_path):
    run_kbgen("init", cwd=tmp_path)
    new = run_kbgen("new", "Change your billing email", "--category", "billing", cwd=tmp_path)
    assert new.returncode == 0, new.stderr
    rel = new.stdout.strip()
    assert rel == "content/billing/change-your-billing-email.md"
    assert "Next: replace every TODO in" in new.stderr and "status: published" in new.stderr
    path = tmp_path / rel
    assert "status: draft" in path.read_text()

    # A draft passes check --strict and build leaves it out: nothing of it reaches customers.
    assert run_kbgen("check", "--strict", cwd=tmp_path).returncode == 0
    build = run_kbgen("build", cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    assert not (tmp_path / "site/billing/change-your-billing-email").exists()
    for built in (tmp_path / "site").rglob("*"):
        if built.is_file() and built.suffix in (".html", ".json", ".xml", ".js"):
            assert "TODO one sentence" not in built.read_text(errors="replace"), built

    # Published with the scaffold's text still in it: an error at each placeholder's line,
    # in strict and relaxed mode, and the build refuses.
    path.write_text(path.read_text().replace("status: draft", "status: published"))
    for args in (("check",), ("check", "--strict"), ("build",)):
        result = run_kbgen(*args, cwd=tmp_path)
        assert result.returncode == 1, (args, result.stderr)
        assert "Traceback" not in result.stderr
        for where in (":4: error: 'description' is still the scaffold's placeholder",
                      ":7: error: 'owner' is still the scaffold's placeholder",
                      ":16: error: the scaffold's placeholder text is still here: TODO what",
                      ":20: error: the scaffold's placeholder text is still here: 1. TODO"):
            assert f"{rel}{where}" in result.stderr, (args, result.stderr)
        assert "keep 'status: draft' until it is ready" in result.stderr
    assert not (tmp_path / "site/billing/change-your-billing-email").exists()

    # Filled in, it is published.
    text = path.read_text().replace(
        "TODO one sentence that answers 'what will I learn here?'",
        "How to change the address your invoices go to.").replace("owner: TODO", "owner: sam")
    path.write_text(text.replace("TODO what the reader needs first.", "Admin rights.")
                    .replace("1. TODO the first step.", "1. Open Billing settings."))
    assert "category's 'description' is still" in run_kbgen("check", cwd=tmp_path).stderr
    category = tmp_path / "content/billing/_category.yml"
    category.write_text(category.read_text().replace(
        "TODO one sentence on what customers find in this category", "Invoices and plans."))
    assert run_kbgen("check", "--strict", cwd=tmp_path).returncode == 0
    assert run_kbgen("build", cwd=tmp_path).returncode == 0
    html = (tmp_path / "site/billing/change-your-billing-email/index.html").read_text()
    assert "Open Billing settings." in html and "TODO" not in html


@pytest.mark.parametrize("kind", ["faq", "troubleshooting"])
def test_every_scaffold_type_is_caught_when_published_unfinished(tmp_path, kind):
    run_kbgen("init", cwd=tmp_path)
    rel = run_kbgen("new", "Unfinished", "--type", kind, cwd=tmp_path).stdout.strip()
    path = tmp_path / rel
    path.write_text(path.read_text().replace("status: draft\n", ""))  # published by default
    result = run_kbgen("check", cwd=tmp_path)
    assert result.returncode == 1
    body_lines = [n for n, line in enumerate(path.read_text().splitlines(), 1)
                  if "TODO" in line and n > 12]
    assert body_lines
    for number in body_lines:
        assert f"{rel}:{number}: error: the scaffold's placeholder" in result.stderr
