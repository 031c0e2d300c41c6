"""`kbgen serve`'s fast path: an edited article body shows without rebuilding the site,
and every other kind of change still gets a full (checked) rebuild."""

from __future__ import annotations

import pytest

from kbgen import scaffold
from kbgen.preview.site import Preview
from kbgen.project import load_project

ARTICLE = "content/getting-started/first-steps.md"


@pytest.fixture
def preview(tmp_path):
    scaffold.init(tmp_path)
    project = load_project(tmp_path / "mkdocs.yml")
    preview = Preview(project, "http://127.0.0.1:8000")
    assert preview.build()
    return preview


def page(preview: Preview, url: str) -> str:
    return (preview.site_dir / url / "index.html").read_text(encoding="utf-8")


def edit(preview: Preview, old: str, new: str):
    path = preview.project.root / ARTICLE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_an_edited_body_is_shown_after_rendering_only_that_page(preview):
    home_before = page(preview, "")
    epoch = preview.epoch
    path = edit(preview, "\n## ", "\nA sentence the writer just added.\n\n## ")

    assert preview.refresh({path, path.parent})
    assert "A sentence the writer just added." in page(preview, "getting-started/first-steps")
    assert preview.epoch == epoch + 1  # open pages reload
    assert page(preview, "") == home_before  # nothing else was rebuilt


def test_a_second_edit_to_the_same_page_is_shown_too(preview):
    path = edit(preview, "\n## ", "\nFirst edit.\n\n## ")
    assert preview.refresh({path})
    edit(preview, "First edit.", "Second edit.")
    assert preview.refresh({path})
    html = page(preview, "getting-started/first-steps")
    assert "Second edit." in html and "First edit." not in html


def test_a_new_title_needs_the_full_rebuild_that_updates_the_category_page(preview):
    path = edit(preview, "title: ", "title: Renamed ")
    assert not preview.refresh({path})
    assert preview.build()
    assert "Renamed " in page(preview, "getting-started")


def test_a_broken_link_is_not_rendered_and_the_full_build_keeps_the_last_good_page(preview):
    path = edit(preview, "\n## ", "\nSee [gone](no-such-article.md).\n\n## ")
    assert not preview.refresh({path})
    assert not preview.build()
    assert "no-such-article" not in page(preview, "getting-started/first-steps")


def test_a_failed_build_keeps_its_problems_for_the_browser_until_one_succeeds(preview):
    assert (preview.error, preview.error_seq) == (None, 0)
    edit(preview, "\n## ", "\nSee [gone](no-such-article.md).\n\n## ")
    assert not preview.build()
    # What open pages show: each problem with its file, line and fix, not MkDocs' "Aborted".
    assert f"{ARTICLE}:" in preview.error and "no-such-article" in preview.error
    assert "Fix:" in preview.error and "Aborted with" not in preview.error
    failed = preview.error_seq
    assert not preview.build()  # the same problems again: nothing new to show
    assert preview.error_seq == failed
    edit(preview, "See [gone](no-such-article.md).", "Fixed.")
    assert preview.build()
    assert preview.error is None and preview.error_seq == failed + 1


def test_changes_outside_articles_take_the_full_rebuild(preview):
    category = preview.project.docs_dir / "getting-started" / "_category.yml"
    category.write_text(category.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert not preview.refresh({category})
    assert not preview.refresh({preview.project.config_file})
