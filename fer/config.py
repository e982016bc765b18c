"""Every tunable setting lives here: the model's shape, the preprocessing and the training recipes."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

IMAGE_SIZE = 48
# Enough for a 48 MP phone photo; larger images are refused before decoding (decompression bombs).
MAX_PIXELS = 60_000_000
ASSETS = Path(__file__).resolve().parent.parent / "assets"


@dataclass(frozen=True)
class Preprocessing:
    """How a face becomes model input; stored inside every saved model so inference matches training."""

    image_size: int = IMAGE_SIZE
    color_mode: str = "grayscale"
    # The model rescales internally, so callers feed raw 0-255 pixel values.
    input_range: tuple[float, float] = (0.0, 255.0)


@dataclass
class ModelConfig:
    """Shape of the attention CNN; the defaults are the original project's (the `seed` preset)."""

    filters: tuple[int, ...] = (64, 128, 256, 512)
    convs_per_block: int = 2
    attention_after_block: int = 2
    residual: bool = False
    conv_dropout: float = 0.25
    dense_units: int = 512
    # The seed normalises the dense layer; measured here, that slows early training several-fold.
    dense_batchnorm: bool = True
    dense_dropout: float = 0.5
    l2: float = 5e-5


@dataclass
class AugmentConfig:
    """Cheap, batched augmentation; all ranges are fractions of the image size unless named in degrees."""

    flip: bool = False
    shift: float = 0.0
    rotation_degrees: float = 0.0
    zoom: float = 0.0
    erasing_probability: float = 0.0


@dataclass
class TrainConfig:
    """A full training run: model shape, recipe and augmentation."""

    model: ModelConfig = field(default_factory=ModelConfig)
    augment: AugmentConfig = field(default_factory=AugmentConfig)
    optimizer: str = "adam"
    learning_rate: float = 5e-5
    weight_decay: float = 0.0
    momentum: float = 0.9
    schedule: str = "constant"
    warmup_epochs: int = 0
    epochs: int = 80
    # Stochastic weight averaging (fer.weight_averaging): after `epochs`, this many more at the constant
    # `swa_learning_rate`, averaging the weights at each epoch end; the average is the saved model.
    swa_epochs: int = 0
    swa_learning_rate: float = 0.01
    batch_size: int = 32
    label_smoothing: float = 0.0
    class_weights: bool = True
    early_stopping_patience: int | None = 20
    mixed_precision: bool = False
    seed: int = 1

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainConfig:
        data = dict(data)
        model = ModelConfig(**{**data.pop("model", {})})
        model.filters = tuple(model.filters)
        augment = AugmentConfig(**data.pop("augment", {}))
        return cls(model=model, augment=augment, **data)


def seed_preset() -> TrainConfig:
    """The original project's recipe: Adam 5e-5, batch 32, 80 epochs, early stopping, class weights."""
    return TrainConfig()


def fast_preset() -> TrainConfig:
    """The project's recipe for a 2-core CPU; see assets/MODEL_CARD.md for how it was chosen."""
    return TrainConfig(
        model=ModelConfig(
            filters=(32, 64, 128, 256),
            residual=False,
            conv_dropout=0.1,
            dense_units=256,
            dense_batchnorm=False,
            dense_dropout=0.4,
            l2=1e-4,
        ),
        augment=AugmentConfig(flip=True, shift=0.1, rotation_degrees=10.0, zoom=0.1, erasing_probability=0.3),
        optimizer="sgd",
        learning_rate=0.05,
        weight_decay=0.0,
        schedule="cosine",
        warmup_epochs=2,
        epochs=50,
        batch_size=128,
        label_smoothing=0.1,
        class_weights=False,
        early_stopping_patience=None,
        mixed_precision=False,
    )


def wide_preset() -> TrainConfig:
    """The bundled model's recipe: the fast recipe with 1.5x the filters, 62 epochs, then 20 of weight averaging
    (about 5 hours here, so it spans sessions with --resume)."""
    config = fast_preset()
    config.model.filters = (48, 96, 192, 384)
    config.epochs = 62
    config.swa_epochs = 20
    config.swa_learning_rate = 0.01
    return config


PRESETS = {"seed": seed_preset, "fast": fast_preset, "wide": wide_preset}


@dataclass
class PredictorConfig:
    """Inference settings shared by the CLI and both UIs."""

    # Test-time augmentation: average the face, its mirror image and both zoomed by each factor here
    # (bundled model on PublicTest: the mirror alone gained 0.81 points, mirror and zooms 0.9/1.1 gained 1.79;
    # MODEL_CARD.md).
    tta: bool = True
    tta_zooms: tuple[float, ...] = (0.9, 1.1)
    uncertain_below: float = 0.4
    max_pixels: int = MAX_PIXELS
    # BlazeFace variant (fer.detection.DETECTORS): "full_range" finds small faces in group photos,
    # "short_range" is faster and meant for faces filling much of the frame (webcams, selfies).
    detector: str = "full_range"
    # BlazeFace score (0-1) below which a box is dropped: at 0.5 each of 64 real photos still has a face
    # (benchmarks/detection_photos.py).
    min_detector_score: float = 0.5
    # FER-2013 crops are ~1.11x BlazeFace's box (benchmarks/fer_framing.py): add 5.5% per side.
    face_margin: float = 0.055
    batch_size: int = 256


@dataclass(frozen=True)
class DashboardConfig:
    """Settings of the Gradio dashboard's server."""

    concurrency_limit: int = 2
    queue_size: int = 32
    # Uploaded faces are deleted from Gradio's cache within 10 minutes: (check every, older than) seconds.
    delete_cache: tuple[int, int] = (300, 600)
    max_file_size: str = "20mb"
    live_window_seconds: float = 10.0
    live_stream_every: float = 0.5
