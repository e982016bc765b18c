"""Property-based fuzzing of decoding and preprocessing: any bytes give an image or InvalidImageError, nothing else.

Bounded for CI; run longer with e.g. `FER_FUZZ_EXAMPLES=20000 python -m pytest tests/test_fuzz_decoding.py`.
"""

from __future__ import annotations

import io
import os

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from fer.errors import InvalidImageError
from fer.images import load_rgb, to_gray48

EXAMPLES = int(os.environ.get("FER_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _seed_file(fmt: str) -> bytes:
    rng = np.random.default_rng(0)
    buffer = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (24, 32, 3), dtype=np.uint8)).save(buffer, fmt)
    return buffer.getvalue()


SEEDS = {fmt: _seed_file(fmt) for fmt in ("JPEG", "PNG", "GIF", "BMP", "WEBP")}


def _decode_or_refuse(payload: bytes) -> None:
    try:
        rgb = load_rgb(payload, max_pixels=4_000_000)
    except InvalidImageError as error:
        assert str(error)
        return
    assert rgb.ndim == 3 and rgb.shape[2] == 3 and rgb.dtype == np.uint8
    assert to_gray48(rgb).shape == (48, 48)


@FUZZ
@given(st.binary(max_size=2048))
def test_random_bytes(payload):
    _decode_or_refuse(payload)


@FUZZ
@given(
    fmt=st.sampled_from(sorted(SEEDS)),
    edits=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=12),
    cut=st.integers(0, 10**6),
)
def test_mutated_valid_files(fmt, edits, cut):
    data = bytearray(SEEDS[fmt])
    for position, value in edits:
        data[position % len(data)] = value
    _decode_or_refuse(bytes(data[: max(1, cut % (len(data) + 1))]))
