import logging

import numpy as np
import pytest
from PIL import Image

from fer.classes import CLASS_NAMES
from fer.data import class_counts, class_weights, load_dataset
from fer.errors import InvalidImageError

from .conftest import write_folder


def _row(code, value=10, count=2304, usage="Training"):
    return f"{code},{' '.join([str(value)] * count)},{usage}\n"


@pytest.fixture
def fer_csv(tmp_path):
    path = tmp_path / "fer2013.csv"
    path.write_text(
        "emotion,pixels,Usage\n"
        + _row(6, 1)
        + _row(4, 2)
        + _row(0, 3, usage="PublicTest")
        + _row(3, 4, count=2000)
        + _row(9, 5)
        + _row(5, 6, usage="PrivateTest")
    )
    return path


def test_csv_codes_become_canonical_labels(fer_csv, caplog):
    data = load_dataset(fer_csv)
    assert [CLASS_NAMES[i] for i in data.labels] == ["neutral", "sad", "angry", "surprise"]
    assert data.images.shape == (4, 48, 48) and data.images.dtype == np.uint8
    assert data.images[0].max() == 1 and data.images[1].max() == 2


def test_csv_bad_rows_are_named_and_counted(fer_csv, caplog):
    with caplog.at_level(logging.WARNING):
        data = load_dataset(fer_csv)
    text = caplog.text
    assert "row 5" in text and "2000" in text  # the short row, by CSV line number
    assert "row 6: unknown emotion code 9" in text
    assert "skipped 2 bad item(s)" in text
    assert len(data.skipped) == 2


def test_csv_strict_stops_at_first_bad_row(fer_csv):
    with pytest.raises(InvalidImageError, match="row 5"):
        load_dataset(fer_csv, strict=True)


def test_csv_usage_selects_a_split(fer_csv):
    assert [CLASS_NAMES[i] for i in load_dataset(fer_csv, usage="PublicTest").labels] == ["angry"]
    assert len(load_dataset(fer_csv, usage="PrivateTest")) == 1
    with pytest.raises(InvalidImageError, match="no rows"):
        load_dataset(fer_csv, usage="Nonsense")


def test_csv_without_usage_column_is_one_split(tmp_path):
    path = tmp_path / "faces.csv"
    path.write_text("emotion,pixels\n" + _row(6).rsplit(",", 1)[0] + "\n")
    assert CLASS_NAMES[load_dataset(path).labels[0]] == "neutral"
    with pytest.raises(InvalidImageError, match="no Usage column"):
        load_dataset(path, usage="PublicTest")


def test_folder_with_mixed_sizes_modes_and_aliases(tmp_path, caplog):
    (tmp_path / "Happiness").mkdir()
    Image.new("RGB", (100, 80), (200, 10, 10)).save(tmp_path / "Happiness" / "rgb.jpg")
    Image.new("RGBA", (48, 48), (0, 0, 0, 255)).save(tmp_path / "Happiness" / "rgba.png")
    (tmp_path / "sadness").mkdir()
    Image.fromarray(np.full((60, 60), 40000, dtype=np.uint16)).save(tmp_path / "sadness" / "deep.png")
    Image.new("P", (30, 30)).save(tmp_path / "sadness" / "palette.png")
    (tmp_path / "contempt").mkdir()
    Image.new("L", (48, 48)).save(tmp_path / "contempt" / "x.png")
    (tmp_path / "sadness" / "broken.jpg").write_bytes(b"not a jpeg")
    with caplog.at_level(logging.WARNING):
        data = load_dataset(tmp_path)
    assert data.images.shape == (4, 48, 48)
    assert data.class_counts() == {**dict.fromkeys(CLASS_NAMES, 0), "happy": 2, "sad": 2}
    deep = data.images[data.labels == CLASS_NAMES.index("sad")].max()
    assert 150 < deep < 160  # 40000/65535 of full scale, not clipped to 255
    assert "contempt" in caplog.text and "broken.jpg" in caplog.text


def test_folder_strict_names_the_bad_file(tmp_path):
    write_folder(tmp_path, 1)
    (tmp_path / "fear" / "broken.jpg").write_bytes(b"")
    with pytest.raises(InvalidImageError, match="broken.jpg"):
        load_dataset(tmp_path, strict=True)


def test_second_load_comes_from_cache_and_changes_invalidate_it(tmp_path):
    root = write_folder(tmp_path / "data", 2)
    cache = tmp_path / "cache"
    first = load_dataset(root, cache_dir=cache)
    assert len(list(cache.glob("*.npz"))) == 1
    again = load_dataset(root, cache_dir=cache)
    np.testing.assert_array_equal(first.images, again.images)
    Image.new("L", (48, 48)).save(root / "angry" / "new.png")
    assert len(load_dataset(root, cache_dir=cache)) == len(first) + 1
    assert len(list(cache.glob("*.npz"))) == 2


def test_class_weights_are_balanced_inverse_frequency():
    labels = np.array([0] * 6 + [3] * 2 + [6] * 4)
    weights = class_weights(labels)
    assert weights == pytest.approx({0: 12 / (7 * 6), 3: 12 / (7 * 2), 6: 12 / (7 * 4)})
    assert class_counts(labels).tolist() == [6, 0, 0, 2, 0, 0, 4]
