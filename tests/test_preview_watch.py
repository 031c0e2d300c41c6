"""`kbgen serve`'s watcher (kbgen/preview/watch.py) on real files: what a writer's save, an
editor's save-by-rename and a deleted file report to the preview."""

from __future__ import annotations

import contextlib
import os
import queue
import threading

import pytest

from kbgen.preview.watch import watch


@pytest.fixture
def watched(tmp_path):
    """Start watching tmp_path/mkdocs.yml and tmp_path/content; yields (root, next_batch)."""
    (tmp_path / "content" / "help").mkdir(parents=True)
    (tmp_path / "content" / "help" / "a.md").write_text("A\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: T\n", encoding="utf-8")
    batches: queue.Queue = queue.Queue()
    stop = threading.Event()

    def run():
        for changes in watch(tmp_path / "mkdocs.yml", tmp_path / "content", stop):
            batches.put(changes)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    _until_both_watchers_answer(tmp_path, batches)
    yield tmp_path, lambda: batches.get(timeout=20)
    stop.set()
    thread.join(timeout=10)


def _until_both_watchers_answer(root, batches: queue.Queue) -> None:
    """Touch mkdocs.yml and a probe article until both were reported, then delete the probe:
    the test starts with both watchers running and, once they are quiet, nothing queued."""
    config, probe = root / "mkdocs.yml", root / "content" / "probe.md"
    seen: set = set()
    for attempt in range(100):
        config.write_text(f"site_name: T\n# {attempt}\n", encoding="utf-8")
        probe.write_text(f"{attempt}\n", encoding="utf-8")
        try:
            seen |= batches.get(timeout=0.5).paths
        except queue.Empty:
            continue
        if {config, probe} <= seen:
            break
    else:
        raise AssertionError("the watchers never reported a change")
    probe.unlink()
    while not batches.get(timeout=20).removed:
        pass
    with contextlib.suppress(queue.Empty):
        while True:  # a save can straddle two batches: wait until a whole second is quiet
            batches.get(timeout=1.0)


def test_an_edit_in_place_reports_the_file(watched):
    root, next_batch = watched
    article = root / "content" / "help" / "a.md"
    article.write_text("A, edited\n", encoding="utf-8")
    changes = next_batch()
    assert changes.paths == {article} and not changes.removed


def test_a_save_by_rename_is_an_edit_of_the_file_and_the_temporary_file_is_ignored(watched):
    root, next_batch = watched
    article = root / "content" / "help" / "a.md"
    temporary = article.with_name("a.md.tmp-save")
    temporary.write_text("A, saved by rename\n", encoding="utf-8")
    os.replace(temporary, article)
    changes = next_batch()
    assert changes.paths == {article} and not changes.removed


def test_mkdocs_yml_is_still_watched_after_an_editor_replaced_it(watched):
    root, next_batch = watched
    config = root / "mkdocs.yml"
    temporary = root / "mkdocs.yml.new"
    temporary.write_text("site_name: T2\n", encoding="utf-8")
    os.replace(temporary, config)
    assert config in next_batch().paths
    config.write_text("site_name: T3\n", encoding="utf-8")
    assert next_batch().paths == {config}


def test_a_deleted_article_is_reported_as_removed(watched):
    root, next_batch = watched
    (root / "content" / "help" / "a.md").unlink()
    assert next_batch().removed


def test_other_files_beside_mkdocs_yml_are_not_reported(watched):
    root, next_batch = watched
    (root / "notes.txt").write_text("not part of the site\n", encoding="utf-8")
    article = root / "content" / "help" / "a.md"
    article.write_text("A, edited\n", encoding="utf-8")
    assert next_batch().paths == {article}
