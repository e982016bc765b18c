"""Face detection with MediaPipe's BlazeFace models (Apache-2.0, shipped in assets/detector/), run by LiteRT.

BlazeFace is a single-shot detector: one small network pass over the whole photo, letterboxed to the
model's square input, then anchor decoding and weighted non-maximum suppression as MediaPipe does them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from ai_edge_litert.interpreter import Interpreter

from fer.config import ASSETS, PredictorConfig

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class BlazeFaceModel:
    """A BlazeFace variant: its file, its square input side and the anchor grids its outputs follow."""

    file: str
    input_size: int
    # (stride, anchors per cell) for each feature map, in output order.
    grids: tuple[tuple[int, int], ...]


# From MediaPipe's face_detection_{full,short}_range graphs (SsdAnchorsCalculator options).
FULL_RANGE = BlazeFaceModel("face_detection_full_range_sparse.tflite", 192, ((4, 1),))
SHORT_RANGE = BlazeFaceModel("face_detection_short_range.tflite", 128, ((8, 2), (16, 6)))
DETECTORS = {"full_range": FULL_RANGE, "short_range": SHORT_RANGE}
DETECTOR_DIR = ASSETS / "detector"


def anchor_centres(model: BlazeFaceModel) -> np.ndarray:
    """Anchor centres (x, y) in the model's normalised input coordinates; every anchor has size 1."""
    centres = []
    for stride, per_cell in model.grids:
        cells = model.input_size // stride
        grid = (np.arange(cells) + 0.5) / cells
        y, x = np.meshgrid(grid, grid, indexing="ij")
        centres.append(np.repeat(np.stack([x.ravel(), y.ravel()], axis=1), per_cell, axis=0))
    return np.concatenate(centres).astype(np.float32)


def iou(box: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Intersection over union of one (x1, y1, x2, y2) box with many."""
    top_left = np.maximum(box[:2], boxes[:, :2])
    bottom_right = np.minimum(box[2:], boxes[:, 2:])
    inter = np.prod(np.clip(bottom_right - top_left, 0, None), axis=1)
    area = np.prod(box[2:] - box[:2])
    areas = np.prod(boxes[:, 2:] - boxes[:, :2], axis=1)
    return inter / np.maximum(area + areas - inter, 1e-9)


def weighted_nms(corners: np.ndarray, scores: np.ndarray, threshold: float) -> list[tuple[np.ndarray, float]]:
    """MediaPipe's blending suppression: each kept box is the score-weighted mean of the boxes it absorbs.

    Neighbouring anchors fire on the same face; averaging them gives steadier boxes than keeping one.
    """
    order = np.argsort(-scores)
    corners, scores = corners[order], scores[order]
    kept = []
    while len(scores):
        overlapping = iou(corners[0], corners) > threshold
        weights = scores[overlapping]
        kept.append(((corners[overlapping] * weights[:, None]).sum(0) / weights.sum(), float(scores[0])))
        corners, scores = corners[~overlapping], scores[~overlapping]
    return kept


class FaceDetector:
    """Finds faces in an RGB image; returns (x, y, w, h) boxes in the image's own pixels with a score in 0-1."""

    def __init__(
        self,
        model: BlazeFaceModel = FULL_RANGE,
        suppression_iou: float = 0.3,
        model_dir: Path = DETECTOR_DIR,
    ):
        path = model_dir / model.file
        if not path.exists():
            raise FileNotFoundError(f"Face detector model missing: {path} (it ships with the project in assets/).")
        self.model, self.suppression_iou = model, suppression_iou
        self._interpreter = Interpreter(model_path=str(path), num_threads=2)
        self._interpreter.allocate_tensors()
        self._input = self._interpreter.get_input_details()[0]["index"]
        outputs = sorted(self._interpreter.get_output_details(), key=lambda d: d["shape"][-1], reverse=True)
        self._regressors, self._classificators = (d["index"] for d in outputs)
        self._anchors = anchor_centres(model)
        # An interpreter is not safe to run from two threads at once (the dashboard serves requests
        # concurrently); detection is a small share of a request, so a lock costs little.
        self._lock = threading.Lock()

    def detect(self, rgb: np.ndarray, min_score: float = PredictorConfig.min_detector_score) -> list[tuple[Box, float]]:
        height, width = rgb.shape[:2]
        size = self.model.input_size
        scale = size / max(height, width)
        resized = cv2.resize(
            rgb, (max(1, round(width * scale)), max(1, round(height * scale))), interpolation=cv2.INTER_AREA
        )
        # Letterbox: the photo in the top-left corner, the rest padded with the normalised value for black.
        canvas = np.full((1, size, size, 3), -1.0, np.float32)
        canvas[0, : resized.shape[0], : resized.shape[1]] = resized / 127.5 - 1.0
        with self._lock:
            self._interpreter.set_tensor(self._input, canvas)
            self._interpreter.invoke()
            raw = self._interpreter.get_tensor(self._regressors)[0, :, :4] / size
            logits = self._interpreter.get_tensor(self._classificators)[0, :, 0]
        scores = 1.0 / (1.0 + np.exp(-np.clip(logits.astype(np.float64), -100, 100)))
        keep = scores >= min_score
        centres = self._anchors[keep] + raw[keep, :2]
        half = raw[keep, 2:] / 2
        corners = np.concatenate([centres - half, centres + half], axis=1) * (size / scale)
        found = []
        for (x1, y1, x2, y2), score in weighted_nms(corners, scores[keep], self.suppression_iou):
            x1, y1 = max(0.0, x1), max(0.0, y1)
            x2, y2 = min(float(width), x2), min(float(height), y2)
            if x2 - x1 >= 1 and y2 - y1 >= 1:
                found.append(((round(x1), round(y1), round(x2 - x1), round(y2 - y1)), score))
        return found
