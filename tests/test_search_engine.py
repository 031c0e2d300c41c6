"""The search engine on a small help center: ranking, typos, FAQ questions, odd input."""

from __future__ import annotations

import dataclasses
import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbgen.errors import KbgenError
from kbgen.search import Ranking, build_index, open_index, related_ids
from kbgen.search.analysis import INDEX_STOP_WORDS, query_words
from kbgen.search.fuzzy import Speller, edit_distance, joined_words
from kbgen.search.porter import stem
from tests.search_helpers import fixture_docs


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("index")
    build_index(fixture_docs(), path)
    return path


@pytest.fixture(scope="module")
def idx(index_dir):
    with open_index(index_dir) as index:
        yield index


def ids(idx, query: str) -> list[str]:
    return [hit.id for hit in idx.search(query)]


def test_title_match_outranks_body_mention(idx):
    assert ids(idx, "reset password")[:2] == ["reset-password", "security-overview"]


def test_keywords_act_as_synonyms(idx):
    assert ids(idx, "dunning")[0] == "payment-reminders"
    assert ids(idx, "how do I chase a payment")[0] == "payment-reminders"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pasword rest", "reset-password"),
        ("mileage traking", "mileage-tracking"),
        ("sned an invocie", "send-an-invoice"),
        ("autmatic reminders", "payment-reminders"),
    ],
)
def test_typos_find_the_article(idx, query, expected):
    assert ids(idx, query)[0] == expected


def test_a_space_typed_inside_a_word_still_finds_it(index_dir):
    with open_index(index_dir) as idx:
        assert ids(idx, "back ups")[0] == "security-overview"  # "Backups run every night"
    with open_index(index_dir, Ranking(join_words=0)) as idx:
        assert "security-overview" not in ids(idx, "back ups")


def test_a_three_letter_word_that_lost_a_letter_is_found(idx):
    assert ids(idx, "log a tip")[0] == "mileage-tracking"


def test_a_topic_the_help_center_lacks_finds_nothing(index_dir):
    # "night" is only said in passing ("Backups run every night"), "mode" never
    with open_index(index_dir) as idx:
        assert ids(idx, "night mode") == []
        assert ids(idx, "how do I set up kubernetes") == []  # "up" only in passing
        assert ids(idx, "night backups")[0] == "security-overview"
    with open_index(index_dir, Ranking(match_floor=False)) as idx:
        assert ids(idx, "night mode") == ["security-overview"]
        assert ids(idx, "how do I set up kubernetes") != []


def test_question_style_words_do_not_decide_the_ranking(idx):
    assert ids(idx, "Is there a way how I can track my mileage?")[0] == "mileage-tracking"


def test_faq_question_is_found_on_its_own_with_its_anchor(idx):
    hit = idx.search("charged twice")[0]
    assert hit.id == "billing-faq"
    assert hit.title == "Why was I charged twice?"
    assert hit.anchor == "why-was-i-charged-twice"
    assert hit.url == "billing/billing-faq/#why-was-i-charged-twice"


def test_an_article_is_listed_once_even_when_several_entries_match(idx):
    found = ids(idx, "billing subscription charged pause")
    assert found.count("billing-faq") == 1


def test_hit_carries_snippet_with_the_matched_words_and_category(idx):
    hit = idx.search("backups every night")[0]
    assert hit.id == "security-overview"
    assert "Backups run every night" in hit.snippet
    assert hit.category == "account"
    assert hit.anchor is None
    assert hit.score > 0


def test_limit_is_respected(idx):
    assert len(idx.search("invoice password mileage payment", limit=2)) == 2


@pytest.mark.parametrize(
    "query",
    ['AND OR "( *? title:', "NOT", ")))", "pass*", '"unterminated', "a:b:c", "~2^3", "",
     "   ", "\x00\n\t", "-- OR --", "x" * 5000, "the and of"],
)
def test_odd_queries_without_words_of_the_help_center_find_nothing(idx, query):
    # Query syntax is never interpreted: operators and wildcards are just text, so a query
    # made only of them (or of stop words) answers an empty list rather than an error.
    assert idx.search(query) == []


@pytest.mark.parametrize("query", ["title:(reset", "ünïcödé pässwörd", "🙂 reset"])
def test_odd_queries_with_a_real_word_still_find_its_article(idx, query):
    assert ids(idx, query)[0] == "reset-password"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60))
def test_any_text_is_a_valid_query(idx, query):
    for hit in idx.search(query, limit=3):
        assert hit.id


def test_stop_word_only_query_still_searches(idx):
    assert query_words("how do I") != []


def test_missing_index_is_a_clear_error(tmp_path):
    with pytest.raises(KbgenError, match="no search index at .*; run kbgen build"):
        open_index(tmp_path / "nothing-here")


def test_rebuild_picks_up_edits_and_drops_deleted_articles(tmp_path, caplog):
    docs = fixture_docs()
    build_index(docs, tmp_path)
    edited = dataclasses.replace(docs[5], title="Log car journeys and kilometres")
    remaining = [d for d in docs if d.id not in {"mileage-tracking", "payment-reminders"}]
    with caplog.at_level(logging.INFO, logger="kbgen.search.engine"):
        build_index([*remaining, edited], tmp_path)
    assert "1 articles re-indexed, 1 removed, 4 unchanged" in caplog.text
    with open_index(tmp_path) as idx:
        assert ids(idx, "car journeys kilometres")[0] == "mileage-tracking"
        assert "payment-reminders" not in ids(idx, "dunning automatic reminders")
        assert ids(idx, "reset password")[0] == "reset-password"


def test_related_articles_are_similar_and_exclude_the_article_itself(index_dir):
    related = related_ids(fixture_docs(), per_article=2)
    assert set(related) == {d.id for d in fixture_docs()}
    assert related["reset-password"][0] == "security-overview"
    assert all(article not in others for article, others in related.items())
    assert all(len(others) <= 2 for others in related.values())


def test_porter_stems_match_the_published_examples():
    assert [stem(w) for w in ("caresses", "ponies", "hopping", "relational", "generalization",
                              "connected", "connections")] == [
        "caress", "poni", "hop", "relat", "gener", "connect", "connect"]


def test_speller_prefers_the_closest_then_most_common_word():
    speller = Speller({"invoice": 40, "invoices": 10, "voice": 3, "password": 9})
    assert speller.corrections("invocie")[0] == ("invoice", 1)
    assert speller.corrections("pasword") == [("password", 1)]
    assert speller.corrections("tax") == []
    assert edit_distance("facebok", "facebook") == 1


def test_a_long_word_with_a_letter_too_many_and_one_mistyped_is_corrected():
    speller = Speller({"calendar": 7, "calender": 1, "colander": 1})
    assert speller.corrections("callrndar")[0] == ("calendar", 2)


def test_a_correction_keeps_one_of_the_first_letters():
    speller = Speller({"mail": 9, "replied": 4, "invoice": 5})
    assert speller.corrections("nail") == []  # the first letter is rarely the slip
    assert speller.corrections("unreplied") == [("replied", 2)]
    assert speller.corrections("imvoice") == [("invoice", 1)]


def test_three_letter_words_are_only_corrected_by_a_lost_letter():
    speller = Speller({"mail": 9, "mile": 2, "mill": 2, "mall": 5, "nil": 4, "kmil": 8})
    assert speller.corrections("mil") == [("mail", 1), ("mile", 1), ("mill", 1)]
    assert speller.corrections("ml") == []


def test_neighbouring_query_words_are_joined_only_into_words_of_the_help_center():
    vocabulary = {"backup": 3, "strikethrough": 1, "tohtml": 1, "setup": 2}
    tokens = "how to back up and set up strike through to html".split()
    assert joined_words(tokens, vocabulary, INDEX_STOP_WORDS) == [
        "backup", "setup", "strikethrough"]
    assert joined_words(["back", "the", "up"], vocabulary, INDEX_STOP_WORDS) == []


def test_common_word_pruning_keeps_the_best_answer_on_top(index_dir):
    # Pruning is for big indexes; force it on the small fixture to see what it changes.
    with open_index(index_dir) as idx:
        assert ids(idx, "client invoice with line items") == [
            "send-an-invoice", "payment-reminders"]
    pruned = Ranking(common_share=0.2, common_min_entries=1)
    with open_index(index_dir, pruned) as idx:
        # "client", "line" and "items" are common here: they only rank, they no longer
        # match on their own, so the reminder that shares only them drops out.
        assert ids(idx, "client invoice with line items") == ["send-an-invoice"]
        assert ids(idx, "password")[0] == "reset-password"  # only common words: still found


def test_index_from_an_older_kbgen_is_rebuilt_from_scratch(tmp_path, caplog):
    build_index(fixture_docs(), tmp_path)
    (tmp_path / "kbgen-index.json").write_text('{"version": "kbgen-search-0"}', "utf-8")
    with caplog.at_level(logging.INFO, logger="kbgen.search.engine"):
        build_index(fixture_docs(), tmp_path)
    assert "6 articles re-indexed, 0 removed, 0 unchanged" in caplog.text
    with open_index(tmp_path) as idx:
        assert ids(idx, "reset password")[0] == "reset-password"


def test_searching_an_index_from_another_version_asks_for_a_rebuild(tmp_path):
    build_index(fixture_docs(), tmp_path)
    (tmp_path / "kbgen-index.json").write_text('{"version": "kbgen-search-0"}', "utf-8")
    with pytest.raises(KbgenError, match="built by another version of kbgen; run kbgen build"):
        open_index(tmp_path)
