"""The bad-input corpus: hostile and odd uploads, generated here (nothing downloaded), with their expected outcome."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np
from PIL import Image


@dataclass(frozen=True)
class Case:
    name: str
    payload: bytes
    filename: str = "upload.jpg"
    faces: int | None = None  # expected faces for a result; None means "a clear error"
    status: int = 200  # the web apps' status


def _save(image: Image.Image, fmt: str, **kwargs) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


@cache
def _astronaut() -> np.ndarray:
    from skimage import data

    return data.astronaut()


def _grid_of_faces(rows: int = 3, cols: int = 4) -> np.ndarray:
    tile = cv2.resize(_astronaut()[30:250, 140:330], (160, 185))
    return np.concatenate([np.concatenate([tile] * cols, axis=1)] * rows, axis=0)


def _exif_rotated_face() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored rotated; viewers turn it 90 degrees clockwise
    return _save(Image.fromarray(_astronaut()).transpose(Image.Transpose.ROTATE_90), "JPEG", exif=exif)


def _animated_gif() -> bytes:
    frames = [Image.new("P", (64, 64), colour) for colour in (10, 120, 240)]
    return _save(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)


def _multipage_tiff() -> bytes:
    pages = [Image.fromarray(_astronaut()), Image.new("RGB", (32, 32))]
    return _save(pages[0], "TIFF", save_all=True, append_images=pages[1:])


def _large_photo() -> bytes:
    gradient = np.linspace(0, 255, 8000, dtype=np.uint8)[None, :, None].repeat(6000, 0).repeat(3, 2)
    return _save(Image.fromarray(gradient), "JPEG", quality=70)


@cache
def corpus() -> tuple[Case, ...]:
    jpeg = _save(Image.fromarray(_astronaut()), "JPEG")
    png = _save(Image.fromarray(_astronaut()), "PNG")
    return (
        Case("zero-bytes", b"", status=400),
        Case("text-as-jpg", b"hello, this is a text file\n" * 20, status=415),
        Case("html-as-jpg", b"<!doctype html><html><body><script>alert(1)</script></body></html>", status=415),
        Case("svg-as-jpg", b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>', status=415),
        Case("truncated-jpeg", jpeg[: len(jpeg) // 3], status=415),
        Case("truncated-png", png[: len(png) // 3], status=415),
        Case("jpeg-header-garbage-body", jpeg[:20] + bytes(range(256)) * 40, status=415),
        Case("decompression-bomb-30000x30000", _save(Image.new("1", (30000, 30000)), "PNG"), status=413),
        Case("1x1", _save(Image.new("RGB", (1, 1)), "PNG"), faces=0),
        Case("2x2", _save(Image.new("RGB", (2, 2)), "PNG"), faces=0),
        Case("8000x6000-photo", _large_photo(), faces=0),
        Case("16-bit-gray-png", _save(Image.fromarray(np.full((40, 40), 40000, np.uint16)), "PNG"), faces=0),
        Case("cmyk-jpeg", _save(Image.fromarray(_astronaut()).convert("CMYK"), "JPEG"), faces=1),
        Case("rgba-png", _save(Image.fromarray(_astronaut()).convert("RGBA"), "PNG"), faces=1),
        Case("palette-png", _save(Image.fromarray(_astronaut()).convert("P"), "PNG"), faces=1),
        Case("animated-gif", _animated_gif(), filename="anim.gif", faces=0),
        Case("multipage-tiff", _multipage_tiff(), filename="pages.tif", faces=1),
        Case("webp", _save(Image.fromarray(_astronaut()), "WEBP"), filename="face.webp", faces=1),
        Case("exif-rotated-phone-jpeg", _exif_rotated_face(), faces=1),
        Case("no-face", _save(Image.fromarray(np.full((300, 400, 3), 128, np.uint8)), "JPEG"), faces=0),
        Case("12-faces", _save(Image.fromarray(_grid_of_faces()), "JPEG", quality=95), faces=12),
        Case("filename-dot-dot", jpeg, filename="../../../../etc/passwd.jpg", faces=1),
        Case("filename-nul", jpeg, filename="face\0.jpg", faces=1),
        Case("filename-300-chars", jpeg, filename="f" * 296 + ".jpg", faces=1),
    )
