import csv
import json

import cv2
import numpy as np
import pytest
from PIL import Image

from fer.classes import CLASS_NAMES
from fer.cli import PREDICT_COLUMNS, main
from fer.video import BoxTracker


@pytest.fixture
def photos(tmp_path):
    skimage_data = pytest.importorskip("skimage.data")
    folder = tmp_path / "photos"
    (folder / "sub").mkdir(parents=True)
    Image.fromarray(skimage_data.astronaut()).save(folder / "astronaut.jpg")
    Image.new("RGB", (64, 64), (200, 200, 200)).save(folder / "sub" / "blank.png")
    (folder / "sub" / "notes.jpg").write_text("not an image")
    return folder


def test_predict_json_schema(photos, tiny_model_path, capsys):
    assert (
        main(
            [
                "predict",
                str(photos / "astronaut.jpg"),
                str(photos / "sub" / "blank.png"),
                "--json",
                "--model",
                str(tiny_model_path),
            ]
        )
        == 0
    )
    records = json.loads(capsys.readouterr().out)
    assert [r["file"] for r in records] == [str(photos / "astronaut.jpg"), str(photos / "sub" / "blank.png")]
    face = records[0]["faces"][0]
    assert set(face) >= {"box", "score", "emotion", "probabilities"} and len(face["box"]) == 4
    assert list(face["probabilities"]) == list(CLASS_NAMES)
    assert sum(face["probabilities"].values()) == pytest.approx(1, abs=1e-4)
    assert records[1]["faces"] == [] and "No face" in records[1]["message"]


def test_predict_folder_csv_and_annotations(photos, tiny_model_path, tmp_path, capsys):
    out = tmp_path / "faces.csv"
    assert (
        main(
            [
                "predict",
                str(photos),
                "--csv",
                str(out),
                "--annotate",
                str(tmp_path / "ann"),
                "--model",
                str(tiny_model_path),
            ]
        )
        == 0
    )
    rows = list(csv.reader(out.open()))
    assert rows[0] == PREDICT_COLUMNS
    by_file = {row[0]: row for row in rows[1:]}
    assert by_file[str(photos / "astronaut.jpg")][7] in CLASS_NAMES
    assert by_file[str(photos / "sub" / "blank.png")][7] == ""  # no face: one row, empty emotion
    assert str(photos / "sub" / "notes.jpg") not in by_file
    assert "skipped" in capsys.readouterr().err
    assert (tmp_path / "ann" / "astronaut_annotated.jpg").exists()


def test_whole_image_flag(photos, tiny_model_path, capsys):
    main(["predict", str(photos / "sub" / "blank.png"), "--whole-image", "--json", "--model", str(tiny_model_path)])
    assert len(json.loads(capsys.readouterr().out)[0]["faces"]) == 1


def test_video_csv_and_timeline(tmp_path, tiny_model_path):
    skimage_data = pytest.importorskip("skimage.data")
    frame = cv2.cvtColor(skimage_data.astronaut(), cv2.COLOR_RGB2BGR)
    video = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 10, (512, 512))
    for shift in range(12):
        writer.write(np.roll(frame, shift * 2, axis=1))
    writer.release()
    out = tmp_path / "clip.csv"
    assert main(["video", str(video), "--csv", str(out), "--every", "3", "--model", str(tiny_model_path)]) == 0
    rows = list(csv.DictReader(out.open()))
    assert [int(r["frame"]) for r in rows] == [0, 3, 6, 9]
    assert {r["face_id"] for r in rows} == {"1"}  # the same person keeps one id
    assert float(rows[1]["time"]) == pytest.approx(0.3)
    assert (tmp_path / "clip.html").stat().st_size > 1000


def test_video_that_is_not_a_video(tmp_path, tiny_model_path, capsys):
    bad = tmp_path / "bad.mp4"
    bad.write_text("nope")
    assert main(["video", str(bad), "--csv", str(tmp_path / "x.csv"), "--model", str(tiny_model_path)]) == 2
    assert "error:" in capsys.readouterr().err


def test_tracker_keeps_ids_and_opens_new_ones():
    tracker = BoxTracker()
    assert tracker.assign([(0, 0, 10, 10), (100, 0, 10, 10)]) == [1, 2]
    assert tracker.assign([(101, 1, 10, 10), (1, 0, 10, 10)]) == [2, 1]
    assert tracker.assign([(300, 300, 10, 10)]) == [3]
