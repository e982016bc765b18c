"""Turning whatever a user hands us (a path, bytes, a PIL image, an array) into clean pixel arrays."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from fer.config import IMAGE_SIZE, MAX_PIXELS
from fer.errors import ImageTooLargeError, InvalidImageError

ALLOWED_FORMATS = {"JPEG", "MPO", "PNG", "GIF", "BMP", "TIFF", "WEBP"}
ImageSource = str | Path | bytes | Image.Image | np.ndarray


def _open(source: ImageSource) -> Image.Image:
    if isinstance(source, Image.Image):
        return source
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            if isinstance(source, (bytes, bytearray)):
                if not source:
                    raise InvalidImageError("The file is empty (0 bytes).")
                return Image.open(io.BytesIO(source))
            return Image.open(source)
    except Image.DecompressionBombError as error:
        raise ImageTooLargeError(f"The image has too many pixels to decode safely ({error}).") from error
    except FileNotFoundError as error:
        raise InvalidImageError(f"No such file: {source}") from error
    except IsADirectoryError as error:
        raise InvalidImageError(f"{source} is a folder, not an image.") from error
    except UnidentifiedImageError as error:
        raise InvalidImageError("Not a readable image (supported: JPEG, PNG, GIF, BMP, TIFF, WebP).") from error
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise InvalidImageError(f"The image is damaged or truncated and cannot be decoded ({error}).") from error


def _to_rgb(image: Image.Image) -> np.ndarray:
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        # Pillow clips 16-bit values when converting to 8-bit; rescale the real range instead.
        values = np.asarray(image, dtype=np.float64)
        top = 65535.0 if values.max(initial=0) > 255 else 255.0
        gray = np.clip(values / top * 255.0, 0, 255).astype(np.uint8)
        return np.repeat(gray[..., None], 3, axis=2)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return np.asarray(Image.alpha_composite(background, rgba).convert("RGB"))
    return np.asarray(image.convert("RGB"))


def load_rgb(source: ImageSource, max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """Decode to an upright HxWx3 uint8 array, honouring EXIF orientation and refusing bombs and junk."""
    if isinstance(source, np.ndarray):
        return _array_to_rgb(source)
    image = _open(source)
    if image.format is not None and image.format not in ALLOWED_FORMATS:
        raise InvalidImageError(f"{image.format} images are not supported; use JPEG, PNG, GIF, BMP, TIFF or WebP.")
    width, height = image.size
    if width * height > max_pixels:
        raise ImageTooLargeError(
            f"The image is {width}x{height} ({width * height / 1e6:.0f} megapixels); the limit is "
            f"{max_pixels / 1e6:.0f} megapixels. Downscale it and try again."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            image.seek(0)
            image.load()
            image = ImageOps.exif_transpose(image)
            rgb = _to_rgb(image)
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as error:
        raise InvalidImageError(f"The image is damaged or truncated and cannot be decoded ({error}).") from error
    if rgb.ndim != 3 or min(rgb.shape[:2]) < 1:
        raise InvalidImageError("The image has no pixels.")
    return np.ascontiguousarray(rgb)


def _array_to_rgb(array: np.ndarray) -> np.ndarray:
    if array.ndim == 2:
        array = array[..., None]
    if array.ndim != 3 or array.shape[2] not in (1, 3, 4) or min(array.shape[:2]) < 1:
        raise InvalidImageError(f"Expected an HxW, HxWx1, HxWx3 or HxWx4 array, got shape {array.shape}.")
    if array.dtype != np.uint8:
        top = 65535.0 if array.max(initial=0) > 255 else (1.0 if array.max(initial=0) <= 1.0 else 255.0)
        array = np.clip(array.astype(np.float64) / top * 255.0, 0, 255).astype(np.uint8)
    if array.shape[2] == 1:
        array = np.repeat(array, 3, axis=2)
    return np.ascontiguousarray(array[..., :3])


def to_gray48(rgb: np.ndarray) -> np.ndarray:
    """The model's view of a face crop: 48x48 grayscale uint8, resized with area averaging like FER-2013."""
    gray = np.asarray(Image.fromarray(rgb).convert("L"))
    if gray.shape != (IMAGE_SIZE, IMAGE_SIZE):
        gray = np.asarray(
            Image.fromarray(gray).resize(
                (IMAGE_SIZE, IMAGE_SIZE),
                Image.Resampling.BOX if min(gray.shape) >= IMAGE_SIZE else Image.Resampling.BICUBIC,
            )
        )
    return gray


def enlarge(image: np.ndarray, size: int = 192) -> np.ndarray:
    """Nearest-neighbour enlargement for display, so a 48x48 input shows its real pixels."""
    return np.asarray(Image.fromarray(image).resize((size, size), Image.Resampling.NEAREST))
