"""Emotions over time in a video: sample frames, keep each person's id by box overlap, smooth if asked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pandas as pd

from fer.classes import CLASS_NAMES
from fer.detection import iou as corner_iou
from fer.errors import InvalidImageError
from fer.predictor import Predictor

VIDEO_COLUMNS = ["frame", "time", "face_id", "x", "y", "w", "h", "score", "emotion", *CLASS_NAMES]
MATCH_IOU = 0.3


def iou(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """Overlap of two (x, y, w, h) boxes, by the detector's own measure."""
    (ax, ay, aw, ah), (bx, by, bw, bh) = a, b
    return float(corner_iou(np.array([ax, ay, ax + aw, ay + ah]), np.array([[bx, by, bx + bw, by + bh]]))[0])


class BoxTracker:
    """Greedy IoU matching against each track's last box: enough to keep ids steady in ordinary footage."""

    def __init__(self, min_iou: float = MATCH_IOU):
        self.min_iou = min_iou
        self.next_id = 1
        self.last_boxes: dict[int, tuple[int, int, int, int]] = {}

    def assign(self, boxes: list[tuple[int, int, int, int]]) -> list[int]:
        ids: list[int] = []
        free = dict(self.last_boxes)
        for box in boxes:
            best = max(free, key=lambda track: iou(free[track], box), default=None)
            if best is not None and iou(free[best], box) >= self.min_iou:
                ids.append(best)
                del free[best]
            else:
                ids.append(self.next_id)
                self.next_id += 1
            self.last_boxes[ids[-1]] = box
        return ids


def analyse_video(
    predictor: Predictor,
    path: str | Path,
    every: int = 5,
    smooth: float = 0.0,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """One row per face per sampled frame; `smooth` in [0, 1) is the weight kept from the previous estimate."""
    capture = cv2.VideoCapture(str(path))
    if not capture.isOpened():
        raise InvalidImageError(f"{path} is not a video OpenCV can read.")
    fps = capture.get(cv2.CAP_PROP_FPS) or 25.0
    total = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
    tracker, smoothed, rows = BoxTracker(), {}, []
    index = 0
    try:
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            if index % every == 0:
                result = predictor.predict(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
                ids = tracker.assign([face.box for face in result.faces])
                for face_id, face in zip(ids, result.faces):
                    previous = smoothed.get(face_id)
                    probs = face.probabilities
                    if previous is not None:
                        probs = smooth * previous + (1 - smooth) * probs
                    smoothed[face_id] = probs
                    rows.append(
                        [
                            index,
                            round(index / fps, 3),
                            face_id,
                            *face.box,
                            round(face.score, 3),
                            CLASS_NAMES[int(np.argmax(probs))],
                            *np.round(probs, 5),
                        ]
                    )
                if progress:
                    progress(index, total)
            index += 1
    finally:
        capture.release()
    if index == 0:
        raise InvalidImageError(f"{path} has no readable frames.")
    return pd.DataFrame(rows, columns=VIDEO_COLUMNS)
