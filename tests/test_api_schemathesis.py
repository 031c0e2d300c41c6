"""Schemathesis (a tool kbgen did not write) against the real `kbgen api` and the OpenAPI
document it serves, on SQLite and PostgreSQL: no 5xx, and every answer conforms to the
document (status codes, content types, headers, bodies). Bounded and reproducible: at most
200 examples per operation, deterministic generation (issue 14, "keep it from coming back").
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from api_helpers import BROWSER, free_port, make_project
from backend_helpers import BACKENDS, Backend
from pg_helpers import start_api_on
from search_helpers import fixture_docs

from kbgen.project import load_project
from kbgen.search import build_index

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_headers_conformance", "response_schema_conformance")
MAX_EXAMPLES = 200


@pytest.fixture(params=[pytest.param(name, marks=[pytest.mark.postgres] if name != "sqlite"
                                      else []) for name in BACKENDS])
def backend(request, tmp_path):
    found = Backend(request.param, tmp_path)
    yield found
    found.close()


@pytest.mark.slow
def test_schemathesis_finds_no_server_error_and_no_nonconformance(backend, tmp_path):
    config = make_project(tmp_path, "      rate_limit: 0\n")
    build_index(fixture_docs(), load_project(config).index_dir)
    port = free_port()
    log = tmp_path / "api.log"
    server = start_api_on(config, backend.url(), port, log)
    try:
        run = subprocess.run(
            [str(SCHEMATHESIS), "run", f"http://127.0.0.1:{port}/api/openapi.json",
             "--checks", ",".join(CHECKS), "--max-examples", str(MAX_EXAMPLES),
             "--generation-deterministic", "--workers", "1", "--no-color",
             "--request-timeout", "20", "--phases", "examples,coverage,fuzzing",
             # A browser's user agent, so events are stored rather than dropped as a bot's.
             "--header", f"User-Agent: {BROWSER}"],
            capture_output=True, text=True, timeout=600, cwd=tmp_path,
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
    text = log.read_text(errors="replace")
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
    assert "4 selected / 4 total" in run.stdout  # events, health, search, the document
    assert "Traceback" not in text and '" 5' not in text
