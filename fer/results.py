"""What a prediction returns: per-face results and optional pipeline-stage images, cheap to turn into JSON."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from fer.classes import CLASS_NAMES


@dataclass
class FaceResult:
    """One face: where it is, what the model saw, and what it said."""

    box: tuple[int, int, int, int]
    score: float
    model_input: np.ndarray
    probabilities: np.ndarray
    uncertain: bool = False
    crop: np.ndarray | None = None
    attention_overlay: np.ndarray | None = None

    @property
    def emotion(self) -> str:
        return CLASS_NAMES[int(np.argmax(self.probabilities))]

    @property
    def confidence(self) -> float:
        return float(np.max(self.probabilities))

    def to_dict(self) -> dict:
        return {
            "box": [int(v) for v in self.box],
            "score": round(float(self.score), 4),
            "emotion": self.emotion,
            "uncertain": self.uncertain,
            "probabilities": {name: round(float(p), 6) for name, p in zip(CLASS_NAMES, self.probabilities)},
        }


@dataclass
class PredictionResult:
    """Every face in one image, left to right; `stages` holds whole-image views when explain=True."""

    faces: list[FaceResult]
    message: str
    stages: dict[str, np.ndarray] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"faces": [face.to_dict() for face in self.faces], "message": self.message}
