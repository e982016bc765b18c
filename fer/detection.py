"""Face detection with OpenCV's Haar cascade, whose weights ship inside the opencv-python wheel."""

from __future__ import annotations

import threading

import cv2
import numpy as np

CASCADE_FILE = "haarcascade_frontalface_default.xml"


class FaceDetector:
    """Finds faces in an RGB image; returns (x, y, w, h) boxes in the image's own pixels with a score."""

    def __init__(self, max_side: int = 1024, min_face_fraction: float = 0.04):
        self.cascade = cv2.CascadeClassifier(cv2.data.haarcascades + CASCADE_FILE)
        if self.cascade.empty():
            raise RuntimeError(f"OpenCV's {CASCADE_FILE} did not load; reinstall opencv-python-headless 4.x")
        self.max_side = max_side
        self.min_face_fraction = min_face_fraction
        # One cascade object is not safe to run from two threads at once (the dashboard serves requests
        # concurrently); detection is a small share of a request, so a lock costs little.
        self._lock = threading.Lock()

    def detect(self, rgb: np.ndarray) -> list[tuple[tuple[int, int, int, int], float]]:
        height, width = rgb.shape[:2]
        # Large photos are searched at a reduced size: faster, and boxes are mapped back exactly.
        scale = min(1.0, self.max_side / max(height, width))
        gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        if scale < 1.0:
            gray = cv2.resize(gray, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
        gray = cv2.equalizeHist(gray)
        min_side = max(20, round(self.min_face_fraction * min(gray.shape[:2])))
        with self._lock:
            boxes, _, weights = self.cascade.detectMultiScale3(
                gray, scaleFactor=1.1, minNeighbors=5, minSize=(min_side, min_side), outputRejectLevels=True
            )
        found = []
        for (x, y, w, h), weight in zip(np.asarray(boxes).reshape(-1, 4), np.asarray(weights).reshape(-1)):
            box = tuple(int(round(v / scale)) for v in (x, y, w, h))
            found.append((box, float(weight)))
        return found
