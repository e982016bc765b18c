"""Checks against the real FER-2013 folders when they sit beside the checkout; skipped elsewhere."""

import pytest

from fer.data import load_dataset

from .conftest import SHARED

VAL = SHARED / "fer2013" / "val"


@pytest.mark.skipif(not VAL.is_dir(), reason="FER-2013 PublicTest folder not present")
def test_publictest_folder_counts():
    data = load_dataset(VAL)
    assert len(data) == 3589 and not data.skipped
    assert data.class_counts() == {
        "angry": 467,
        "disgust": 56,
        "fear": 496,
        "happy": 895,
        "neutral": 607,
        "sad": 653,
        "surprise": 415,
    }
