import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fer.classes import CLASS_NAMES
from flask_app import create_app

APP_DIR = Path(__file__).resolve().parents[1] / "flask_app"


def _jpeg(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def client(tiny_model_path):
    app = create_app({"MODEL_PATH": str(tiny_model_path), "MAX_CONTENT_LENGTH": 2 * 1024 * 1024, "TESTING": True})
    return app.test_client()


@pytest.fixture(scope="module")
def face_jpeg():
    return _jpeg(pytest.importorskip("skimage.data").astronaut())


def _post(client, url, payload: bytes, name="photo.jpg"):
    return client.post(url, data={"image": (io.BytesIO(payload), name)}, content_type="multipart/form-data")


def test_index_renders_the_form(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'name="image"' in response.data and b"/api/predict" in response.data
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_results_page_for_a_face(client, face_jpeg):
    response = _post(client, "/predict", face_jpeg)
    html = response.data.decode()
    assert response.status_code == 200
    assert "1 face found." in html
    assert html.count("data:image/") == 4  # original with boxes, crop, 48x48 input, attention
    shown = [float(v) for v in __import__("re").findall(r"<td>([0-9.]+)%</td>", html)]
    assert len(shown) == 7 and sum(shown) == pytest.approx(100, abs=0.5)
    assert all(name in html for name in CLASS_NAMES)


def test_results_page_without_a_face(client):
    response = _post(client, "/predict", _jpeg(np.full((120, 160, 3), 200, np.uint8)))
    assert response.status_code == 200 and b"No face found" in response.data
    assert b'name="image"' in response.data  # the form to try again


def test_api_schema(client, face_jpeg):
    response = _post(client, "/api/predict", face_jpeg, "../../etc/passwd.jpg")
    body = response.get_json()
    assert response.status_code == 200
    assert list(body) == ["file", "faces", "message"] and body["file"] == "etc_passwd.jpg"
    face = body["faces"][0]
    assert set(face) == {"box", "score", "emotion", "uncertain", "probabilities"}
    assert list(face["probabilities"]) == list(CLASS_NAMES)
    assert sum(face["probabilities"].values()) == pytest.approx(1, abs=1e-4)
    health = client.get("/api/health").get_json()
    assert health["status"] == "ok" and health["classes"] == list(CLASS_NAMES)


BOMB = io.BytesIO()
Image.new("L", (12000, 12000)).save(BOMB, "PNG")


@pytest.mark.parametrize(
    "payload, status, message",
    [
        (b"", 400, "empty"),
        (b"just some text, renamed to .jpg", 415, "Not a readable image"),
        (_jpeg(np.zeros((64, 64, 3), np.uint8))[:300], 415, "damaged or truncated"),
        (BOMB.getvalue(), 413, "megapixels"),
        (b"x" * (3 * 1024 * 1024), 413, "too large"),
    ],
    ids=["zero-bytes", "text-as-jpg", "truncated-jpeg", "decompression-bomb", "oversized"],
)
@pytest.mark.parametrize("url", ["/predict", "/api/predict"])
def test_bad_uploads_get_a_clear_4xx(client, url, payload, status, message):
    before = sorted(p for p in APP_DIR.rglob("*") if "__pycache__" not in p.parts)
    response = _post(client, url, payload)
    text = response.data.decode()
    assert response.status_code == status
    assert message in text and "Traceback" not in text
    if url.startswith("/api"):
        assert response.get_json()["status"] == status
    else:
        assert 'name="image"' in text
    assert sorted(p for p in APP_DIR.rglob("*") if "__pycache__" not in p.parts) == before


def test_missing_and_duplicate_files_are_400(client, face_jpeg):
    assert client.post("/api/predict", data={}, content_type="multipart/form-data").status_code == 400
    two = {"image": [(io.BytesIO(face_jpeg), "a.jpg"), (io.BytesIO(face_jpeg), "b.jpg")]}
    response = client.post("/api/predict", data=two, content_type="multipart/form-data")
    assert response.status_code == 400 and "exactly one" in response.get_json()["error"]
    assert client.get("/api/nothing").status_code == 404
    assert client.get("/predict").status_code == 405
