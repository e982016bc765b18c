"""Face-detector recall and speed on a folder of real photos that each show at least one face.

    python benchmarks/detection_photos.py [../shared/data/photos]

Recall here is per photo (a photo counts when at least one face is found), since the photos are unlabeled.
OpenCV's Haar cascade, the detector the project used before BlazeFace, is measured alongside as a baseline.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from fer.config import PredictorConfig
from fer.detection import DETECTORS, FaceDetector
from fer.images import load_rgb

HAAR_MIN_SCORE = 4.0


def haar_counter() -> Callable[[np.ndarray], int]:
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")

    def count(rgb: np.ndarray) -> int:
        gray = cv2.equalizeHist(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY))
        scale = min(1.0, 1024 / max(gray.shape))
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
        _, _, weights = cascade.detectMultiScale3(gray, 1.1, 5, minSize=(20, 20), outputRejectLevels=True)
        return int(np.sum(np.asarray(weights) >= HAAR_MIN_SCORE))

    return count


def report(name: str, count: Callable[[np.ndarray], int], images: dict[str, np.ndarray]) -> None:
    counts, times = {}, []
    for photo, rgb in images.items():
        start = time.perf_counter()
        counts[photo] = count(rgb)
        times.append((time.perf_counter() - start) * 1000)
    found = sum(1 for c in counts.values() if c)
    missed = [n for n, c in counts.items() if not c]
    print(
        f"{name}: photos with a face {found}/{len(images)} ({found / len(images):.0%}), "
        f"faces {sum(counts.values())}, median {statistics.median(times):.1f} ms/photo; "
        f"group selfie: {counts.get('selfie-many-people.jpg')} faces, couple: {counts.get('couple.jpg')}; "
        f"missed: {', '.join(missed) or 'none'}"
    )


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared/data/photos")
    photos = sorted(folder.glob("*.jpg"))
    if not photos:
        raise SystemExit(f"no photos in {folder}")
    images = {p.name: load_rgb(p) for p in photos}
    threshold = PredictorConfig().min_detector_score
    for name, model in DETECTORS.items():
        detector = FaceDetector(model)
        report(f"BlazeFace {name}, score >= {threshold}", lambda rgb, d=detector: len(d.detect(rgb, threshold)), images)
    report(f"Haar frontalface_default, score >= {HAAR_MIN_SCORE}, up to 1024 px", haar_counter(), images)


if __name__ == "__main__":
    main()
