"""One predictor for every front end: load the model once, find faces, classify them, optionally explain."""

from __future__ import annotations

from pathlib import Path

import cv2
import keras
import numpy as np
import tensorflow as tf

from fer.augment import zoom_batch
from fer.classes import CLASS_NAMES
from fer.config import ASSETS, IMAGE_SIZE, PredictorConfig
from fer.detection import DETECTORS, FaceDetector
from fer.errors import InvalidImageError
from fer.images import ImageSource, load_rgb, to_gray48
from fer.model import ATTENTION_LAYER, load_shipped_model
from fer.results import FaceResult, PredictionResult

DEFAULT_MODEL = ASSETS / "model.keras"


class Predictor:
    """Holds the model and detector; safe to share between requests (inference only, no state)."""

    def __init__(self, model_path: str | Path | None = None, config: PredictorConfig | None = None):
        self.config = config or PredictorConfig()
        self.model_path = Path(model_path or DEFAULT_MODEL)
        if not self.model_path.exists():
            raise FileNotFoundError(
                f"No model at {self.model_path}: train one with `python -m train.train` "
                "or pass the path of a .keras file."
            )
        self.model, self.metadata = load_shipped_model(self.model_path)
        explainer = keras.Model(self.model.input, [self.model.output, self.model.get_layer(ATTENTION_LAYER).output])
        spec = [tf.TensorSpec([None, IMAGE_SIZE, IMAGE_SIZE, 1], tf.float32)]
        self._forward = tf.function(lambda x: self.model(x, training=False), input_signature=spec, autograph=False)
        self._explain = tf.function(lambda x: explainer(x, training=False), input_signature=spec, autograph=False)
        self.detector = FaceDetector(DETECTORS[self.config.detector])

    def predict_faces(self, faces: np.ndarray, tta: bool | None = None) -> np.ndarray:
        """Probabilities (N x 7) for 48x48 grayscale faces given as (48,48), (N,48,48) or (N,48,48,1), 0-255."""
        batch = np.asarray(faces, dtype=np.float32)
        if batch.ndim == 2:
            batch = batch[None]
        if batch.ndim == 4 and batch.shape[-1] == 1:
            batch = batch[..., 0]
        if batch.ndim != 3 or batch.shape[1:] != (IMAGE_SIZE, IMAGE_SIZE):
            raise InvalidImageError(f"Expected 48x48 faces, got an array of shape {np.shape(faces)}.")
        tta = self.config.tta if tta is None else tta
        outputs = []
        for start in range(0, len(batch), self.config.batch_size):
            chunk = tf.constant(batch[start : start + self.config.batch_size, ..., None])
            views = self._tta_views(chunk) if tta else [chunk]
            probabilities = self._forward(tf.concat(views, axis=0)).numpy()
            outputs.append(probabilities.reshape(len(views), len(chunk), -1).mean(axis=0))
        return np.concatenate(outputs) if outputs else np.zeros((0, len(CLASS_NAMES)), np.float32)

    def _tta_views(self, faces: tf.Tensor) -> list[tf.Tensor]:
        mirrored = tf.reverse(faces, axis=[2])
        views = [faces, mirrored]
        for scale in self.config.tta_zooms:
            views += [zoom_batch(faces, scale), zoom_batch(mirrored, scale)]
        return views

    def predict(
        self,
        image: ImageSource,
        whole_image: bool = False,
        explain: bool = False,
        tta: bool | None = None,
        min_score: float | None = None,
    ) -> PredictionResult:
        """Every face in a photo, left to right. Never raises for "no face": the message says so instead."""
        rgb = load_rgb(image, self.config.max_pixels)
        height, width = rgb.shape[:2]
        if whole_image:
            found = [((0, 0, width, height), 1.0)]
        else:
            threshold = self.config.min_detector_score if min_score is None else min_score
            found = self.detector.detect(rgb, threshold)
        found.sort(key=lambda item: item[0][0])
        crops = [rgb if whole_image else square_crop(rgb, box, self.config.face_margin) for box, _ in found]
        inputs = np.stack([to_gray48(crop) for crop in crops]) if crops else np.zeros((0, IMAGE_SIZE, IMAGE_SIZE))
        probabilities = self.predict_faces(inputs, tta)
        faces = [
            FaceResult(
                box=box,
                score=score,
                model_input=inputs[i].astype(np.uint8),
                probabilities=probabilities[i],
                uncertain=bool(probabilities[i].max() < self.config.uncertain_below),
            )
            for i, (box, score) in enumerate(found)
        ]
        result = PredictionResult(faces, _message(len(faces)))
        if explain:
            self._add_explanations(result, rgb, crops)
        return result

    def _add_explanations(self, result: PredictionResult, rgb: np.ndarray, crops: list[np.ndarray]) -> None:
        result.stages["original"] = rgb
        result.stages["annotated"] = annotate(rgb, result.faces)
        if not result.faces:
            return
        inputs = np.stack([face.model_input for face in result.faces]).astype(np.float32)[..., None]
        _, attention = self._explain(tf.constant(inputs))
        for face, crop, attention_map in zip(result.faces, crops, attention.numpy()):
            face.crop = crop
            face.attention_overlay = attention_overlay(face.model_input, attention_map[..., 0])


def square_crop(rgb: np.ndarray, box: tuple[int, int, int, int], margin: float) -> np.ndarray:
    """A square around the box, grown by `margin` per side to match FER-2013's framing.

    Parts outside the photo are filled by repeating its edge, so a face at the border keeps its shape.
    """
    x, y, w, h = box
    side = round(max(w, h) * (1 + 2 * margin))
    left, top = round(x + w / 2 - side / 2), round(y + h / 2 - side / 2)
    height, width = rgb.shape[:2]
    pads = (max(0, -top), max(0, top + side - height), max(0, -left), max(0, left + side - width))
    region = rgb[max(0, top) : min(height, top + side), max(0, left) : min(width, left + side)]
    return cv2.copyMakeBorder(region, *pads, cv2.BORDER_REPLICATE) if any(pads) else region


def _message(count: int) -> str:
    if count == 0:
        return "No face found. If the image is already a cropped face, classify it as a whole image."
    return f"{count} face{'s' if count > 1 else ''} found."


def attention_overlay(face: np.ndarray, attention: np.ndarray, size: int = 192) -> np.ndarray:
    """The attention map, stretched to its own range, as a heat map over the 48x48 input (RGB, size x size)."""
    span = float(attention.max() - attention.min())
    normalised = (attention - attention.min()) / span if span > 1e-6 else np.zeros_like(attention)
    heat = cv2.resize((normalised * 255).astype(np.uint8), (size, size), interpolation=cv2.INTER_CUBIC)
    heat = cv2.cvtColor(cv2.applyColorMap(heat, cv2.COLORMAP_JET), cv2.COLOR_BGR2RGB)
    base = cv2.cvtColor(cv2.resize(face, (size, size), interpolation=cv2.INTER_CUBIC), cv2.COLOR_GRAY2RGB)
    return cv2.addWeighted(base, 0.55, heat, 0.45, 0)


def annotate(rgb: np.ndarray, faces: list[FaceResult]) -> np.ndarray:
    """The photo with a numbered, labelled box per face, line widths scaled to the photo."""
    canvas = rgb.copy()
    thickness = max(2, round(max(rgb.shape[:2]) / 400))
    for number, face in enumerate(faces, start=1):
        x, y, w, h = face.box
        label = f"{number}: {face.emotion} {face.confidence:.0%}" + (" ?" if face.uncertain else "")
        cv2.rectangle(canvas, (x, y), (x + w, y + h), (0, 200, 0), thickness)
        scale = thickness / 3
        (tw, th), _ = cv2.getTextSize(label, cv2.FONT_HERSHEY_SIMPLEX, scale, thickness)
        top = max(0, y - th - 2 * thickness)
        cv2.rectangle(canvas, (x, top), (x + tw + 2 * thickness, top + th + 2 * thickness), (0, 200, 0), -1)
        cv2.putText(
            canvas,
            label,
            (x + thickness, top + th + thickness),
            cv2.FONT_HERSHEY_SIMPLEX,
            scale,
            (255, 255, 255),
            thickness,
            cv2.LINE_AA,
        )
    return canvas
