import numpy as np
import pytest

from fer.detection import DETECTORS, FULL_RANGE, FaceDetector, anchor_centres, weighted_nms

skimage_data = pytest.importorskip("skimage.data")


@pytest.fixture(scope="module", params=sorted(DETECTORS))
def detector(request):
    return FaceDetector(DETECTORS[request.param])


def test_anchor_grid_matches_the_model_outputs(detector):
    outputs = detector._interpreter.get_output_details()
    assert {len(anchor_centres(detector.model))} == {int(d["shape"][1]) for d in outputs}


def test_finds_the_astronaut_and_maps_boxes_back_through_letterbox_and_scaling(detector):
    photo = skimage_data.astronaut()
    [(box, score)] = detector.detect(photo)
    assert score > 0.8
    x, y, w, h = box
    assert 150 < x + w / 2 < 300 and 50 < y + h / 2 < 200 and 60 < w < 160

    # The same photo in a wider canvas, 128 px from the left: the box moves with it (within 15% of the
    # face, as the wider canvas reaches the model at a lower resolution).
    canvas = np.zeros((512, 640, 3), np.uint8)
    canvas[:, 128:] = photo
    [(moved, _)] = detector.detect(canvas)
    assert np.allclose(moved, (x + 128, y, w, h), atol=0.15 * w)

    # Four times larger: four times the box.
    big = np.kron(photo, np.ones((4, 4, 1), np.uint8))
    [(scaled, _)] = detector.detect(big)
    assert np.allclose(scaled, np.array(box) * 4, atol=0.06 * 4 * w)


def test_threshold_drops_weak_boxes_and_blank_images_have_none(detector):
    assert detector.detect(np.full((300, 400, 3), 127, np.uint8)) == []
    assert detector.detect(skimage_data.astronaut(), min_score=0.9999) == []


def test_weighted_nms_blends_overlapping_boxes_and_keeps_separate_ones():
    corners = np.array([[0, 0, 10, 10], [1, 0, 11, 10], [50, 50, 60, 60]], np.float64)
    kept = weighted_nms(corners, np.array([0.9, 0.3, 0.8]), threshold=0.3)
    assert [score for _, score in kept] == [0.9, 0.8]
    np.testing.assert_allclose(kept[0][0], [0.25, 0, 10.25, 10])
    np.testing.assert_allclose(kept[1][0], [50, 50, 60, 60])


def test_missing_model_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="Face detector model missing"):
        FaceDetector(FULL_RANGE, model_dir=tmp_path)
