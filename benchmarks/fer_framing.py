"""How FER-2013 frames a face, measured with our detector: the crop margin the predictor should add.

    python benchmarks/fer_framing.py [../shared/data/fer2013/val] [N]

Each 48x48 face is upscaled 4x, set in a grey surround and run through the detector; the image side divided
by the detected box side tells how much context FER-2013 keeps around what the detector calls a face.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np

from fer.config import PredictorConfig
from fer.data import load_dataset
from fer.detection import DETECTORS, FaceDetector

UPSCALE = 4


def main() -> None:
    default = Path(__file__).resolve().parents[2] / "shared/data/fer2013/val"
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    faces = load_dataset(folder).images[:limit]
    detector = FaceDetector(DETECTORS[PredictorConfig().detector])
    ratios, centres = [], []
    for face in faces:
        big = cv2.resize(face, None, fx=UPSCALE, fy=UPSCALE, interpolation=cv2.INTER_CUBIC)
        side = big.shape[0]
        # Set in a plain grey surround, as a face sits in a photo: detectors expect context around a face.
        photo = cv2.copyMakeBorder(big, side, side, side, side, cv2.BORDER_CONSTANT, value=128)
        found = detector.detect(cv2.cvtColor(photo, cv2.COLOR_GRAY2RGB))
        if not found:
            continue
        (x, y, w, h), _ = max(found, key=lambda item: item[0][2])
        x, y = x - side, y - side
        ratios.append(side / ((w + h) / 2))
        centres.append(((x + w / 2) / side - 0.5, (y + h / 2) / side - 0.5))
    ratios, centres = np.array(ratios), np.array(centres)
    margin = (np.median(ratios) - 1) / 2
    print(
        f"detected {len(ratios)}/{len(faces)} faces; image side / box side: median {np.median(ratios):.3f} "
        f"(IQR {np.percentile(ratios, 25):.3f}-{np.percentile(ratios, 75):.3f}); box centre offset "
        f"x {np.median(centres[:, 0]):+.3f}, y {np.median(centres[:, 1]):+.3f} of the side; "
        f"margin per side to add to a detector box: {margin:.3f}"
    )


if __name__ == "__main__":
    main()
