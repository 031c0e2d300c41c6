"""kbgen.files: every output is replaced whole, or left as it was."""

from __future__ import annotations

import json
import stat

import pytest

from kbgen.files import open_atomic, replace_dir, write_atomic, write_json_atomic


def test_a_failed_write_leaves_the_previous_file_and_no_partial_one(tmp_path):
    path = tmp_path / "out" / "events.jsonl"
    write_atomic(path, "first\n")
    with pytest.raises(RuntimeError), open_atomic(path) as handle:
        handle.write("second, half")
        raise RuntimeError("disk full")
    assert path.read_text() == "first\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["events.jsonl"]


def test_files_are_written_whole_with_the_usual_permissions(tmp_path):
    path = tmp_path / "state.json"
    write_json_atomic(path, {"title": "Réinitialiser"})
    assert json.loads(path.read_text(encoding="utf-8")) == {"title": "Réinitialiser"}
    write_json_atomic(path, [1, 2], compact=True)
    assert path.read_text() == "[1,2]"
    write_atomic(path, b"\x00bytes")
    assert path.read_bytes() == b"\x00bytes"
    # Readable by the web server, like a file `open` creates (not mkstemp's 0600).
    reference = tmp_path / "reference"
    reference.write_text("x")
    assert stat.S_IMODE(path.stat().st_mode) == stat.S_IMODE(reference.stat().st_mode)


def test_a_folder_is_swapped_in_whole_or_not_at_all(tmp_path):
    target = tmp_path / "site" / "kb"
    with replace_dir(target) as staging:
        (staging / "entry.json").write_text("1")
    assert (target / "entry.json").read_text() == "1"
    assert stat.S_IMODE(target.stat().st_mode) == 0o755

    with pytest.raises(RuntimeError), replace_dir(target) as staging:
        (staging / "entry.json").write_text("2, half")
        raise RuntimeError("build failed")
    assert (target / "entry.json").read_text() == "1"

    with replace_dir(target) as staging:
        (staging / "other.json").write_text("3")
    assert sorted(p.name for p in target.iterdir()) == ["other.json"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["kb"]
