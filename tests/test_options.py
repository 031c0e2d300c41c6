"""The plugin options mean the same to the build (MkDocs' own config loading) and to every
other command (kbgen.project, read by the API, check, notify, report): one model,
kbgen.options, with `!ENV` resolved as MkDocs resolves it."""

from __future__ import annotations

import ipaddress

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from kbgen import options
from kbgen.errors import UsageError
from kbgen.project import load_project
from tests.conftest import MINIMAL_CONFIG, run_kbgen

# Per option: a value as written in mkdocs.yml, what every reader makes of it, and a bad value
# with the words its error must contain.
SAMPLES = {
    "enabled": ("false", False, "maybe", "'maybe' is not true or false"),
    "drafts": ("true", True, "3", "3 is not true or false"),
    "strict": ("yes", True, "[1]", "[1] is not true or false"),
    "languages": ("[en, de]", ("en", "de"), "[en, 'de DE']", "'de DE' is not a language code"),
    "api_url": ("https://api.example.com", "https://api.example.com", "8000",
                "8000 is not a string"),
    "contact_url": ("https://desk.example.com/new", "https://desk.example.com/new", "{a: 1}",
                    "{'a': 1} is not a string"),
    "contact": ("{helpdesk: zendesk, url: 'https://x.zendesk.com', session_field: 7}",
                {"helpdesk": "zendesk", "url": "https://x.zendesk.com", "session_field": 7},
                "zendesk", "'zendesk' is not a mapping"),
    "nps": ("{enabled: true, sample: 0.5}", {"enabled": True, "sample": 0.5}, "[1]",
            "[1] is not a mapping"),
    "footer_credit": ("true", True, "2", "2 is not true or false"),
    "allowed_origins": ("[https://WWW.Example.com:443/shop]", ("https://www.example.com",),
                        "['*']", "'*' is not an origin"),
    "trusted_proxies": ("[10.0.0.0/8]", (ipaddress.ip_network("10.0.0.0/8"),), "[10.0.0.300]",
                        "'10.0.0.300' is not an IP address or network"),
    "rate_limit": ("1.5", 1.5, "-1", "-1 is not a number >= 0"),
    "popular": ("[refunds, invoices]", ("refunds", "invoices"), "[1, 2]",
                "[1, 2] is not a list of strings"),
    "list_count": ("3", 3, "-2", "-2 is not a whole number >= 0"),
    "related_count": ("0", 0, "2.5", "2.5 is not a whole number >= 0"),
    "semantic_search": ("off", False, "[a]", "['a'] is not auto, on, off or a model folder"),
    "stats_file": ("stats.json", "stats.json", "[a]", "['a'] is not a string"),
    "helpful_threshold": ("5", 5, "true", "True is not a whole number >= 0"),
    "review_csat_below": ("0.6", 0.6, "2", "2 is not a number from 0 to 1"),
    "notify": ("[{owner: sam, email: sam@example.com}]",
               ({"owner": "sam", "email": "sam@example.com"},), "sam@example.com",
               "'sam@example.com' is not a list of entries"),
}


# A help center whose kbgen entry sets nothing but what each test writes.
CONFIG = MINIMAL_CONFIG.replace("      contact_url: mailto:help@example.com\n", "")


def write_config(root, **values) -> str:
    extra = "".join(f"      {name}: {value}\n" for name, value in values.items())
    (root / "content").mkdir(exist_ok=True)
    path = root / "mkdocs.yml"
    path.write_text(CONFIG + (extra or "      {}\n"), encoding="utf-8")
    return str(path)


def read_by_mkdocs(path: str):
    config = load_config(path)
    return config.plugins["kbgen"].config


def test_every_option_has_a_sample():
    assert sorted(SAMPLES) == sorted(options.names())


@pytest.mark.parametrize("name", options.names())
def test_the_build_and_the_other_commands_read_each_option_alike(tmp_path, caplog, name):
    written, value, bad, error = SAMPLES[name]
    path = write_config(tmp_path, **{name: written})
    assert read_by_mkdocs(path)[name] == value
    assert getattr(load_project(path).options, name) == value

    # Left out: both use the model's default.
    path = write_config(tmp_path)
    assert read_by_mkdocs(path)[name] == options.default(name)
    assert getattr(load_project(path).options, name) == options.default(name)

    # A bad value: the same words from MkDocs and from every other command.
    path = write_config(tmp_path, **{name: bad})
    with pytest.raises(Abort):
        read_by_mkdocs(path)
    assert f"Plugin 'kbgen' option '{name}': {error}. Fix: " in caplog.text
    with pytest.raises(UsageError) as raised:
        load_project(path)
    assert str(raised.value).startswith(f"{path}: plugin option '{name}': {error}. Fix: ")


def test_env_tags_resolve_as_mkdocs_resolves_them(tmp_path, monkeypatch):
    path = write_config(tmp_path, rate_limit="!ENV [KBGEN_TEST_RATE, 600]",
                        api_url="!ENV KBGEN_TEST_API", drafts="!ENV [KBGEN_TEST_A, "
                        "KBGEN_TEST_B, false]")
    for name in ("KBGEN_TEST_RATE", "KBGEN_TEST_API", "KBGEN_TEST_A", "KBGEN_TEST_B"):
        monkeypatch.delenv(name, raising=False)
    # Unset: the tag's default, or (no default) null, which is the option's default.
    built = read_by_mkdocs(path)
    assert (built["rate_limit"], built["api_url"], built["drafts"]) == (600, "", False)
    project = load_project(path).options
    assert (project.rate_limit, project.api_url, project.drafts) == (600, "", False)

    # Set: the variable's value read as YAML (a number, a boolean), the first one set wins.
    monkeypatch.setenv("KBGEN_TEST_RATE", "120")
    monkeypatch.setenv("KBGEN_TEST_API", "https://api.example.com")
    monkeypatch.setenv("KBGEN_TEST_B", "true")
    built = read_by_mkdocs(path)
    project = load_project(path).options
    assert (built["rate_limit"], built["api_url"], built["drafts"]) == (
        120, "https://api.example.com", True)
    assert (project.rate_limit, project.api_url, project.drafts) == (
        120, "https://api.example.com", True)


def test_a_bad_option_stops_check_and_build_with_the_same_message(tmp_path):
    write_config(tmp_path, review_csat_below="2")
    check = run_kbgen("check", cwd=tmp_path)
    assert check.returncode == 2 and "Traceback" not in check.stderr
    assert ("mkdocs.yml: plugin option 'review_csat_below': 2 is not a number from 0 to 1. "
            "Fix: write e.g. 0.5") in check.stderr
    build = run_kbgen("build", cwd=tmp_path)
    assert build.returncode != 0 and "Traceback" not in build.stderr
    assert ("option 'review_csat_below': 2 is not a number from 0 to 1. Fix: write e.g. 0.5"
            in build.stderr)
