"""Every corpus input through every entry point it applies to: a result, or a clear error and nothing written."""

from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path

import pytest

import dashboard
from fer.cli import main as cli_main
from fer.errors import InvalidImageError
from flask_app import create_app

from .corpus import corpus

ROOT = Path(__file__).resolve().parents[1]
CASES = corpus()
FILE_CASES = [c for c in CASES if not c.name.startswith("filename-")]
RESULTS: dict[str, int] = {}


def _record(entry_point: str) -> None:
    RESULTS[entry_point] = RESULTS.get(entry_point, 0) + 1


def pytest_report_corpus() -> str:
    total = sum(RESULTS.values())
    per_entry = ", ".join(f"{name} {count}" for name, count in sorted(RESULTS.items()))
    return f"bad-input corpus: {len(CASES)} inputs, {total} checks ({per_entry})"


def _snapshot() -> set[Path]:
    """Files under the project (less caches) and the temp folder, to prove nothing new is written."""
    roots = [ROOT, Path(tempfile.gettempdir())]
    found = set()
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [
                d
                for d in dirnames
                if d not in {".git", "__pycache__", ".pytest_cache", "runs", "checkpoints", ".ruff_cache"}
                and not d.startswith("pytest-of")
            ]
            found.update(Path(dirpath) / f for f in filenames)
    return found


@pytest.fixture(scope="module")
def app_client(tiny_model_path):
    return create_app({"MODEL_PATH": str(tiny_model_path)}).test_client()


@pytest.fixture(scope="module", autouse=True)
def nothing_written(tiny_predictor, app_client):
    before = _snapshot()
    yield
    assert _snapshot() - before == set()


@pytest.mark.parametrize("case", FILE_CASES, ids=lambda c: c.name)
def test_predictor(tiny_predictor, case):
    _record("Predictor.predict")
    if case.faces is None:
        with pytest.raises(InvalidImageError) as error:
            tiny_predictor.predict(case.payload)
        assert str(error.value)
    else:
        assert len(tiny_predictor.predict(case.payload).faces) == case.faces


@pytest.mark.parametrize("case", FILE_CASES, ids=lambda c: c.name)
def test_cli(tiny_model_path, case, tmp_path, capsys):
    _record("python -m fer predict")
    path = tmp_path / case.filename
    path.write_bytes(case.payload)
    code = cli_main(["predict", str(path), "--json", "--model", str(tiny_model_path)])
    output = capsys.readouterr()
    record = json.loads(output.out)[0]
    if case.faces is None:
        assert code == 1 and record.get("error") and "skipped" in output.err
    else:
        assert code == 0 and len(record["faces"]) == case.faces
    assert "Traceback" not in output.out + output.err


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
@pytest.mark.parametrize("url", ["/predict", "/api/predict"])
def test_flask(app_client, case, url):
    _record(f"Flask {url}")
    data = {"image": (io.BytesIO(case.payload), case.filename)}
    response = app_client.post(url, data=data, content_type="multipart/form-data")
    body = response.data.decode()
    assert response.status_code == case.status, body[:300]
    assert "Traceback" not in body
    if url == "/api/predict":
        payload = response.get_json()
        if case.faces is None:
            assert payload["error"]
        else:
            assert len(payload["faces"]) == case.faces and "/" not in payload["file"] and len(payload["file"]) <= 100
    elif case.faces is None:
        assert 'class="error"' in body


@pytest.mark.parametrize("case", FILE_CASES, ids=lambda c: c.name)
def test_dashboard(tiny_predictor, case, tmp_path):
    _record("dashboard predict")
    path = tmp_path / case.filename
    path.write_bytes(case.payload)
    message, result, *_ = dashboard.make_predict(tiny_predictor)(
        str(path), tiny_predictor.config.min_detector_score, False, False
    )
    if case.faces is None:
        assert message.startswith("**Cannot use this file:**") and result is None
    else:
        assert len(result.faces) == case.faces


MALFORMED = {
    "no-file": lambda: {"data": {}, "content_type": "multipart/form-data"},
    "two-files": lambda: {
        "data": {"image": [(io.BytesIO(b"a"), "a.jpg"), (io.BytesIO(b"b"), "b.jpg")]},
        "content_type": "multipart/form-data",
    },
    "non-image-content-type": lambda: {"data": b"plain text body", "content_type": "text/plain"},
    "wrong-field": lambda: {"data": {"photo": (io.BytesIO(b"x"), "x.jpg")}, "content_type": "multipart/form-data"},
}


@pytest.mark.parametrize("kind", MALFORMED)
@pytest.mark.parametrize("url", ["/predict", "/api/predict"])
def test_malformed_requests(app_client, url, kind):
    _record(f"Flask {url}")
    response = app_client.post(url, **MALFORMED[kind]())
    assert response.status_code == 400 and "Traceback" not in response.data.decode()
