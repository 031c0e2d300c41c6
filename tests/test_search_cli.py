"""`kbgen search` as scripts use it, and search tests as writers see them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kbgen.search import build_index, open_index, run_search_tests
from tests.search_helpers import fixture_docs


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("helpcenter")
    (root / "content").mkdir()
    (root / "mkdocs.yml").write_text("site_name: Help\ndocs_dir: content\n", "utf-8")
    build_index(fixture_docs(), root / ".kbgen" / "search-index")
    return root


def kbgen(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kbgen", *args], cwd=cwd, input=stdin, text=True,
        capture_output=True, check=False, timeout=60,
    )


def test_json_output_has_the_documented_shape(project):
    result = kbgen("search", "reset password", "--json", "--limit", "2", cwd=project)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["query"] == "reset password"
    assert len(data["results"]) == 2
    first = data["results"][0]
    assert set(first) == {"id", "title", "url", "score"}
    assert first["id"] == "reset-password"
    assert first["url"] == "account/reset-password/"
    assert isinstance(first["score"], float)


def test_batch_mode_answers_each_line_in_order(project):
    queries = ["dunning", "", "charged twice", 'AND OR "( *? title:', "mileage"]
    result = kbgen("search", "--json", "-", cwd=project, stdin="\n".join(queries) + "\n")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["query"] for line in lines] == queries
    assert lines[0]["results"][0]["id"] == "payment-reminders"
    assert lines[1]["results"] == []
    assert lines[2]["results"][0]["url"] == "billing/billing-faq/#why-was-i-charged-twice"
    assert lines[4]["results"][0]["id"] == "mileage-tracking"


def test_human_output_shows_rank_title_url_and_snippet(project):
    result = kbgen("search", "backups", "-f", str(project / "mkdocs.yml"), cwd=project.parent)
    assert result.returncode == 0, result.stderr
    assert "1. How we keep your data safe  [security-overview]" in result.stdout
    assert "account/security/" in result.stdout
    assert "Backups run every night" in result.stdout


def test_missing_index_is_an_error_without_traceback(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: Help\ndocs_dir: content\n", "utf-8")
    result = kbgen("search", "anything", cwd=tmp_path)
    assert result.returncode == 1
    assert "no search index at" in result.stderr and "run kbgen build" in result.stderr
    assert "Traceback" not in result.stderr


def test_search_test_failure_names_line_rank_and_what_outranked_it(project, tmp_path):
    tests_file = tmp_path / "search-tests.yml"
    tests_file.write_text(
        "# comment\n"
        "- query: reset password\n"
        "  expect: reset-password\n"
        "- query: reset password\n"
        "  expect: security-overview\n"
        "  top: 1\n"
        "- query: dunning\n"
        "  expect: no-such-article\n"
        "- expect: reset-password\n"
        "- query: mileage\n"
        "  expect: mileage-tracking\n"
        "  top: zero\n",
        "utf-8",
    )
    known = {doc.id for doc in fixture_docs()}
    with open_index(project / ".kbgen" / "search-index") as idx:
        messages = [str(p) for p in run_search_tests(tests_file, idx, known)]
    assert messages == [
        "search-tests.yml:9: 'query' is missing or empty; add the words a customer would type",
        "search-tests.yml:10: 'top' must be a positive whole number, not 'zero'",
        'search-tests.yml:4: query "reset password" expected security-overview in the top 1, '
        "found it at rank 2; outranked by: reset-password",
        'search-tests.yml:7: query "dunning" expects unknown article id "no-such-article"; '
        "use the id from the article's front matter",
    ]


def test_search_test_not_found_at_all(project, tmp_path):
    tests_file = tmp_path / "search-tests.yml"
    tests_file.write_text("- query: dunning\n  expect: mileage-tracking\n", "utf-8")
    with open_index(project / ".kbgen" / "search-index") as idx:
        (problem,) = run_search_tests(tests_file, idx, {"mileage-tracking"})
    assert str(problem) == (
        'search-tests.yml:1: query "dunning" expected mileage-tracking in the top 3, '
        "did not find it in the top 50; outranked by: payment-reminders"
    )


def test_invalid_yaml_names_the_line(project, tmp_path):
    tests_file = tmp_path / "search-tests.yml"
    tests_file.write_text("- query: a\n  expect: [b\n", "utf-8")
    with open_index(project / ".kbgen" / "search-index") as idx:
        (problem,) = run_search_tests(tests_file, idx, set())
    assert str(problem).startswith("search-tests.yml:")
    assert "invalid YAML" in str(problem)
