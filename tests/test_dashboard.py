import numpy as np
import pytest
from PIL import Image

import dashboard
from fer.classes import CLASS_NAMES


@pytest.fixture(scope="module")
def predict(tiny_predictor):
    return dashboard.make_predict(tiny_predictor)


def test_app_builds(tiny_predictor):
    app = dashboard.build_app(tiny_predictor)
    labels = {getattr(block, "label", None) for block in app.blocks.values()}
    assert {"Photo", "3. 48x48 grayscale input", "4. Attention map", "Probabilities", "Webcam"} <= labels


def test_predict_on_a_face(predict, tmp_path):
    skimage_data = pytest.importorskip("skimage.data")
    path = tmp_path / "face.jpg"
    Image.fromarray(skimage_data.astronaut()).save(path)
    message, result, selector, annotated, crop, model_input, attention, verdict, chart, table = predict(
        str(path), 0.5, False, True
    )
    assert message == "1 face found." and len(result.faces) == 1
    assert selector["choices"] == ["Face 1"]
    assert annotated.shape == (512, 512, 3) and model_input.shape == (dashboard.ZOOM, dashboard.ZOOM)
    assert crop.shape[0] == crop.shape[1] and attention.shape[2] == 3
    assert any(name.capitalize() in verdict for name in CLASS_NAMES)
    assert sorted(chart.data[0].y) == sorted(CLASS_NAMES)
    assert list(table.columns[-7:]) == list(CLASS_NAMES) and len(table) == 1


def test_predict_without_a_face_says_so(predict, tmp_path):
    path = tmp_path / "wall.png"
    Image.fromarray(np.full((200, 300, 3), 180, np.uint8)).save(path)
    message, result, selector, annotated, *views, table = predict(str(path), 0.5, False, True)
    assert "No face found" in message and result.faces == []
    assert annotated.shape == (200, 300, 3) and views[-1] is None and table.empty


def test_predict_on_a_bad_file_gives_a_message(predict, tmp_path):
    path = tmp_path / "notes.jpg"
    path.write_text("this is not an image")
    message, result, *_ = predict(str(path), 0.5, False, True)
    assert message.startswith("**Cannot use this file:**") and result is None
    assert predict(None, 0.5, False, True)[0].startswith("Upload an image")


def test_uploaded_history_that_is_not_a_history(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    message, *_ = dashboard.training_figures(str(path))
    assert "Cannot chart" in message


def test_video_tab_gives_a_timeline_and_csv(tiny_predictor, tmp_path, monkeypatch):
    import cv2

    monkeypatch.setattr(dashboard, "UPLOAD_DIR", tmp_path)
    skimage_data = pytest.importorskip("skimage.data")
    video = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 10, (512, 512))
    for _ in range(6):
        writer.write(cv2.cvtColor(skimage_data.astronaut(), cv2.COLOR_RGB2BGR))
    writer.release()
    message, chart, csv_path = dashboard.make_video(tiny_predictor)(str(video), 2, progress=lambda *a, **k: None)
    assert message.startswith("3 sampled frames") and len(chart.data) == len(CLASS_NAMES)
    assert open(csv_path).readline().startswith("frame,time,face_id")
    bad = tmp_path / "bad.mp4"
    bad.write_text("no")
    assert dashboard.make_video(tiny_predictor)(str(bad), 2, progress=lambda *a, **k: None)[0].startswith("**Cannot")
