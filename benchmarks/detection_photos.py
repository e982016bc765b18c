"""Face-detector recall and speed on a folder of real photos that each show at least one face.

    python benchmarks/detection_photos.py [../shared/data/photos]

Recall here is per photo (a photo counts when at least one face is found), since the photos are unlabeled.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import cv2

from fer.config import PredictorConfig
from fer.detection import FaceDetector
from fer.images import load_rgb

CASCADES = ["haarcascade_frontalface_default.xml", "haarcascade_frontalface_alt2.xml"]


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared/data/photos")
    photos = sorted(folder.glob("*.jpg"))
    if not photos:
        raise SystemExit(f"no photos in {folder}")
    images = {p.name: load_rgb(p) for p in photos}
    threshold = PredictorConfig().min_detector_score
    print(f"boxes kept at detector score >= {threshold} (the predictor's default)")
    for cascade in CASCADES:
        detector = FaceDetector()
        detector.cascade = cv2.CascadeClassifier(cv2.data.haarcascades + cascade)
        counts, times = {}, []
        for name, rgb in images.items():
            start = time.perf_counter()
            counts[name] = sum(1 for _, score in detector.detect(rgb) if score >= threshold)
            times.append((time.perf_counter() - start) * 1000)
        found = sum(1 for c in counts.values() if c)
        missed = [n for n, c in counts.items() if not c]
        print(
            f"{cascade}: photos with a face {found}/{len(photos)} ({found / len(photos):.0%}), "
            f"faces {sum(counts.values())}, median {statistics.median(times):.0f} ms/photo "
            f"(max side {detector.max_side}px); group selfie: {counts.get('selfie-many-people.jpg')} faces, "
            f"couple: {counts.get('couple.jpg')}; missed: {', '.join(missed) or 'none'}"
        )


if __name__ == "__main__":
    main()
