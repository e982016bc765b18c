"""The attention CNN, and saving/loading it together with the class order it was trained on."""

from __future__ import annotations

import dataclasses
import json
import os
import zipfile
from pathlib import Path

import keras
from keras import layers, regularizers

from fer.classes import CLASS_NAMES
from fer.config import IMAGE_SIZE, ModelConfig, Preprocessing

ATTENTION_LAYER = "attention_map"
METADATA_ENTRY = "fer_metadata.json"


def _conv_bn(x, filters: int, l2: float, name: str):
    x = layers.Conv2D(
        filters, 3, padding="same", activation="relu", kernel_regularizer=regularizers.l2(l2), name=f"{name}_conv"
    )(x)
    return layers.BatchNormalization(name=f"{name}_bn")(x)


def _conv_block(x, filters: int, config: ModelConfig, index: int, last: bool):
    inputs = x
    for j in range(config.convs_per_block):
        x = _conv_bn(x, filters, config.l2, f"block{index}_{j + 1}")
    if config.residual:
        # A 1x1 projection lets the shortcut change width; it costs little next to the 3x3 convs.
        shortcut = layers.Conv2D(
            filters, 1, kernel_regularizer=regularizers.l2(config.l2), name=f"block{index}_shortcut"
        )(inputs)
        shortcut = layers.BatchNormalization(name=f"block{index}_shortcut_bn")(shortcut)
        x = layers.Add(name=f"block{index}_add")([x, shortcut])
    if not last:
        x = layers.MaxPooling2D(2, name=f"block{index}_pool")(x)
        x = layers.Dropout(config.conv_dropout, name=f"block{index}_dropout")(x)
    return x


def build_model(config: ModelConfig | None = None) -> keras.Model:
    """Conv blocks with a spatial attention map after block `attention_after_block`.

    The map is its own named layer so the UIs can show where the model looked.
    Input is raw 0-255 grayscale; rescaling is inside the model so no caller can forget it.
    """
    config = config or ModelConfig()
    inputs = keras.Input((IMAGE_SIZE, IMAGE_SIZE, 1), name="face")
    x = layers.Rescaling(1.0 / 255, name="rescale")(inputs)
    for i, filters in enumerate(config.filters, start=1):
        x = _conv_block(x, filters, config, i, last=i == len(config.filters))
        if i == config.attention_after_block:
            attention = layers.Conv2D(1, 1, activation="sigmoid", name=ATTENTION_LAYER)(x)
            x = layers.Multiply(name="attention_apply")([x, attention])
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    x = layers.Dropout(config.dense_dropout, name="gap_dropout")(x)
    x = layers.Dense(
        config.dense_units, activation="relu", kernel_regularizer=regularizers.l2(config.l2), name="dense"
    )(x)
    if config.dense_batchnorm:
        x = layers.BatchNormalization(name="dense_bn")(x)
    x = layers.Dropout(config.dense_dropout, name="dense_dropout")(x)
    outputs = layers.Dense(len(CLASS_NAMES), activation="softmax", name="probabilities", dtype="float32")(x)
    return keras.Model(inputs, outputs, name="fer_attention_cnn")


def _metadata(config: ModelConfig) -> dict:
    return {
        "class_names": list(CLASS_NAMES),
        "preprocessing": dataclasses.asdict(Preprocessing()),
        "model_config": dataclasses.asdict(config),
    }


def save_for_shipping(model: keras.Model, config: ModelConfig, path: str | Path) -> None:
    """Save float32 weights without optimizer state, with class names and preprocessing inside the file."""
    path = Path(path)
    policy = keras.config.dtype_policy()
    keras.config.set_dtype_policy("float32")
    try:
        clean = build_model(config)
    finally:
        keras.config.set_dtype_policy(policy)
    clean.set_weights(model.get_weights())
    tmp = path.with_name(path.name + ".tmp.keras")
    clean.save(tmp)
    with zipfile.ZipFile(tmp, "a") as archive:
        archive.writestr(METADATA_ENTRY, json.dumps(_metadata(config), indent=2))
    os.replace(tmp, path)


def read_metadata(path: str | Path) -> dict:
    """The class names and preprocessing a model was saved with; refuses files without them."""
    try:
        with zipfile.ZipFile(path) as archive:
            metadata = json.loads(archive.read(METADATA_ENTRY))
    except (KeyError, zipfile.BadZipFile, FileNotFoundError) as error:
        raise ValueError(f"{path} is not a model saved by fer (no class names inside): {error}") from error
    if tuple(metadata["class_names"]) != CLASS_NAMES:
        raise ValueError(f"{path} was trained with classes {metadata['class_names']}, expected {list(CLASS_NAMES)}")
    return metadata


def load_shipped_model(path: str | Path) -> tuple[keras.Model, dict]:
    """Load a model for inference, with its metadata checked against the canonical class order."""
    metadata = read_metadata(path)
    model = keras.saving.load_model(path, compile=False)
    return model, metadata
