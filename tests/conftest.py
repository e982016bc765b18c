"""Small data and models the tests make themselves, so the suite runs without FER-2013."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fer.classes import CLASS_NAMES
from fer.config import ModelConfig

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
TINY_MODEL = ModelConfig(filters=(4, 8, 8, 8), dense_units=8)


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("FER_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def synthetic_faces(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Class-dependent brightness patterns: learnable, so a smoke run can show progress."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % len(CLASS_NAMES)
    images = rng.integers(0, 60, (n, 48, 48)).astype(np.uint8)
    for i, label in enumerate(labels):
        images[i, label * 6 : label * 6 + 6, :] += 150
    return images, labels


def write_folder(root: Path, n_per_class: int = 4, seed: int = 0) -> Path:
    images, labels = synthetic_faces(n_per_class * len(CLASS_NAMES), seed)
    for i, (image, label) in enumerate(zip(images, labels)):
        folder = root / CLASS_NAMES[label]
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(image).save(folder / f"face_{i}.png")
    return root


@pytest.fixture(scope="session")
def tiny_model_path(tmp_path_factory) -> Path:
    from fer.model import build_model, save_for_shipping

    path = tmp_path_factory.mktemp("model") / "tiny.keras"
    save_for_shipping(build_model(TINY_MODEL), TINY_MODEL, path)
    return path


@pytest.fixture(scope="session")
def tiny_predictor(tiny_model_path):
    from fer.predictor import Predictor

    return Predictor(tiny_model_path)


def pytest_terminal_summary(terminalreporter):
    from tests import test_bad_inputs

    if test_bad_inputs.RESULTS:
        terminalreporter.write_line(test_bad_inputs.pytest_report_corpus())
