import json

import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from fer.augment import zoom_batch
from fer.classes import CLASS_NAMES
from fer.errors import InvalidImageError

from .conftest import SHARED


def test_predict_faces_single_and_batch(tiny_predictor):
    faces = np.random.default_rng(0).integers(0, 255, (5, 48, 48)).astype(np.uint8)
    batch = tiny_predictor.predict_faces(faces, tta=False)
    assert batch.shape == (5, 7)
    np.testing.assert_allclose(batch.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(tiny_predictor.predict_faces(faces[0], tta=False)[0], batch[0], rtol=1e-5)


def test_tta_is_the_mean_over_mirror_and_zoom_views(tiny_predictor):
    face = np.random.default_rng(1).integers(0, 255, (48, 48)).astype(np.float32)
    views = [face, face[:, ::-1]]
    for scale in tiny_predictor.config.tta_zooms:
        views += [zoom_batch(tf.constant(view[None, ..., None]), scale)[0, ..., 0].numpy() for view in views[:2]]
    assert len(views) == 2 + 2 * len(tiny_predictor.config.tta_zooms)
    single = tiny_predictor.predict_faces(np.stack(views), tta=False)
    np.testing.assert_allclose(tiny_predictor.predict_faces(face, tta=True)[0], single.mean(axis=0), rtol=1e-5)


def test_zoom_view_scales_about_the_centre():
    square = np.zeros((48, 48), np.float32)
    square[18:30, 18:30] = 255
    batch = tf.constant(square[None, ..., None])
    np.testing.assert_allclose(zoom_batch(batch, 1.0)[0, ..., 0].numpy(), square, atol=1e-3)
    zoomed = zoom_batch(batch, 2.0)[0, ..., 0].numpy()
    assert (zoomed > 127).sum() == pytest.approx(4 * (square > 127).sum(), rel=0.1)
    assert zoomed[23, 23] == 255 and zoomed[10, 10] < 127 < zoomed[13, 13]


def test_wrong_face_shape_is_an_invalid_image(tiny_predictor):
    with pytest.raises(InvalidImageError, match="48x48"):
        tiny_predictor.predict_faces(np.zeros((2, 32, 32)))


def test_whole_image_mode_classifies_a_cropped_face(tiny_predictor):
    result = tiny_predictor.predict(Image.new("L", (48, 48), 128), whole_image=True, explain=True)
    assert len(result.faces) == 1
    face = result.faces[0]
    assert face.box == (0, 0, 48, 48) and face.model_input.shape == (48, 48)
    assert face.emotion in CLASS_NAMES
    assert face.attention_overlay.shape[2] == 3
    assert result.stages["original"].shape == (48, 48, 3)
    payload = json.loads(json.dumps(result.to_dict()))
    assert set(payload["faces"][0]["probabilities"]) == set(CLASS_NAMES)


def test_no_face_is_a_message_not_an_error(tiny_predictor):
    result = tiny_predictor.predict(np.full((120, 160, 3), 200, np.uint8), explain=True)
    assert result.faces == [] and "No face" in result.message
    assert result.stages["annotated"].shape == (120, 160, 3)


def test_detects_the_astronaut(tiny_predictor):
    data = pytest.importorskip("skimage.data")
    result = tiny_predictor.predict(data.astronaut())
    assert len(result.faces) == 1
    x, y, w, h = result.faces[0].box
    assert 150 < x + w / 2 < 300 and 50 < y + h / 2 < 200  # her face, not the flag or the helmet


def test_non_image_bytes_raise_the_project_error(tiny_predictor):
    with pytest.raises(InvalidImageError):
        tiny_predictor.predict(b"<html>not an image</html>")


def test_exif_rotated_photo_gives_the_same_box(tiny_predictor, tmp_path):
    data = pytest.importorskip("skimage.data")
    upright = Image.fromarray(data.astronaut())
    exif = Image.Exif()
    exif[0x0112] = 8  # "rotate 90 CCW to display": stored turned clockwise
    stored = tmp_path / "phone.jpg"
    upright.transpose(Image.Transpose.ROTATE_270).save(stored, exif=exif, quality=95)
    plain = tmp_path / "upright.jpg"
    upright.save(plain, quality=95)
    rotated_box = tiny_predictor.predict(stored).faces[0].box
    upright_box = tiny_predictor.predict(plain).faces[0].box
    assert np.allclose(rotated_box, upright_box, atol=6)


def test_faces_are_sorted_left_to_right_and_cropped_square(tiny_predictor):
    data = pytest.importorskip("skimage.data")
    face = data.astronaut()[40:240, 130:330]
    row = np.concatenate([face, np.full((200, 120, 3), 255, np.uint8), face], axis=1)
    result = tiny_predictor.predict(row, explain=True)
    assert len(result.faces) == 2
    assert result.faces[0].box[0] < result.faces[1].box[0]
    crop = result.faces[0].crop
    assert crop.shape[0] == crop.shape[1]


GROUP = SHARED / "photos"


@pytest.mark.skipif(not GROUP.is_dir(), reason="shared photos not present")
def test_real_group_photos(tiny_predictor):
    assert len(tiny_predictor.predict(GROUP / "couple.jpg").faces) == 2
    # The group selfie has 7 people; BlazeFace finds the 4 whose faces are turned to the camera (see README).
    assert len(tiny_predictor.predict(GROUP / "selfie-many-people.jpg").faces) >= 4
