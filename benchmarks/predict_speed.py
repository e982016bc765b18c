"""Predictor speed on this machine: photo latency (detection + classification) and batched faces/s.

python benchmarks/predict_speed.py [--model assets/model.keras]
"""

from __future__ import annotations

import argparse
import statistics
import time

import cv2
import numpy as np
from skimage import data

from fer.predictor import DEFAULT_MODEL, Predictor


def timed(function, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args()
    start = time.perf_counter()
    predictor = Predictor(args.model)
    print(f"model load: {time.perf_counter() - start:.2f} s")

    portrait = cv2.resize(data.astronaut(), (480, 480), interpolation=cv2.INTER_AREA)
    photo = cv2.copyMakeBorder(portrait, 0, 0, 80, 80, cv2.BORDER_REPLICATE)  # 640x480 with one face
    assert len(predictor.predict(photo).faces) == 1
    for tta in (False, True):
        latency = timed(lambda tta=tta: predictor.predict(photo, tta=tta), 30)
        print(f"640x480 photo, one face, tta={tta}: median {statistics.median(latency) * 1000:.1f} ms")
    detect = timed(lambda: predictor.detector.detect(photo), 30)
    print(f"  of which detection: median {statistics.median(detect) * 1000:.1f} ms")

    faces = np.random.default_rng(0).integers(0, 255, (2048, 48, 48)).astype(np.uint8)
    for tta in (False, True):
        predictor.predict_faces(faces[:256], tta=tta)
        seconds = min(timed(lambda tta=tta: predictor.predict_faces(faces, tta=tta), 3))
        print(f"batched 48x48 faces, tta={tta}: {len(faces) / seconds:.0f} faces/s")


if __name__ == "__main__":
    main()
