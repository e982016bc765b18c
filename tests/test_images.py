import io

import numpy as np
import pytest
from PIL import Image

from fer.errors import InvalidImageError
from fer.images import load_rgb, to_gray48


def _encode(image: Image.Image, fmt: str, **kwargs) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "image, fmt",
    [
        (Image.new("RGB", (40, 30), (10, 200, 30)), "JPEG"),
        (Image.new("RGBA", (40, 30), (10, 200, 30, 128)), "PNG"),
        (Image.new("L", (40, 30), 90), "PNG"),
        (Image.new("LA", (40, 30), (90, 255)), "PNG"),
        (Image.new("P", (40, 30), 3), "GIF"),
        (Image.new("CMYK", (40, 30), (0, 100, 200, 0)), "JPEG"),
        (Image.fromarray(np.full((30, 40), 50000, np.uint16)), "PNG"),
        (Image.new("1", (40, 30), 1), "BMP"),
        (Image.new("RGB", (40, 30), (1, 2, 3)), "WEBP"),
        (Image.new("RGB", (40, 30), (1, 2, 3)), "TIFF"),
    ],
    ids=lambda v: getattr(v, "mode", v),
)
def test_every_accepted_mode_decodes_to_rgb(image, fmt):
    rgb = load_rgb(_encode(image, fmt))
    assert rgb.shape == (30, 40, 3) and rgb.dtype == np.uint8
    assert to_gray48(rgb).shape == (48, 48)


def test_sixteen_bit_is_rescaled_not_clipped():
    rgb = load_rgb(_encode(Image.fromarray(np.full((4, 4), 32768, np.uint16)), "PNG"))
    assert 126 <= rgb[0, 0, 0] <= 129


def test_exif_orientation_is_applied():
    upright = np.zeros((20, 40, 3), np.uint8)
    upright[:, :10] = 255  # bright band on the left
    stored = Image.fromarray(upright).transpose(Image.Transpose.ROTATE_90)  # as a phone stores it
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display"
    rgb = load_rgb(_encode(stored, "JPEG", exif=exif, quality=95))
    assert rgb.shape == (20, 40, 3)
    assert rgb[:, :10].mean() > 200 and rgb[:, 20:].mean() < 50


@pytest.mark.parametrize(
    "payload, message",
    [
        (b"", "empty"),
        (b"<html><body>hello</body></html>", "Not a readable image"),
        (_encode(Image.new("RGB", (64, 64)), "JPEG")[:200], "damaged or truncated"),
        (_encode(Image.new("RGB", (64, 64)), "PNG")[:60], "damaged or truncated"),
    ],
    ids=["empty", "html", "truncated-jpeg", "truncated-png"],
)
def test_bad_bytes_raise_the_project_error(payload, message):
    with pytest.raises(InvalidImageError, match=message):
        load_rgb(payload)


def test_pixel_limit_stops_decompression_bombs_before_decoding():
    bomb = _encode(Image.new("L", (10000, 8000)), "PNG")  # 80 MP in a few hundred KB
    assert len(bomb) < 500_000
    with pytest.raises(InvalidImageError, match="megapixels"):
        load_rgb(bomb)
    assert load_rgb(bomb, max_pixels=100_000_000).shape == (8000, 10000, 3)


def test_arrays_are_accepted_in_common_layouts():
    assert load_rgb(np.zeros((5, 6), np.uint8)).shape == (5, 6, 3)
    assert load_rgb(np.ones((5, 6, 4), np.float32)).max() == 255
    with pytest.raises(InvalidImageError, match="shape"):
        load_rgb(np.zeros((5, 6, 7)))


def test_huge_declared_size_is_refused_at_open():
    bomb = _encode(Image.new("1", (20000, 10000)), "PNG")  # 200 MP: Pillow itself refuses to open it
    with pytest.raises(InvalidImageError, match="pixels"):
        load_rgb(bomb)
