"""Scoring a model on labelled face crops exactly as users get it: through the Predictor and its defaults."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fer.data import load_dataset
from fer.metrics import classification_report
from fer.predictor import Predictor


def evaluate(
    predictor: Predictor,
    data: str | Path,
    usage: str | None = None,
    tta: bool | None = None,
    strict: bool = False,
) -> dict:
    """Metrics for a folder or CSV split; the images are treated as face crops, as FER-2013's are."""
    dataset = load_dataset(data, usage=usage, strict=strict)
    probabilities = predictor.predict_faces(dataset.images, tta=tta)
    report = classification_report(dataset.labels, np.argmax(probabilities, axis=1))
    report["tta"] = predictor.config.tta if tta is None else tta
    return report
