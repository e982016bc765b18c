"""The Keras training loop pieces: input pipelines, optimizer, callbacks for history and resumable checkpoints."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from fer.augment import augment_batch
from fer.classes import NUM_CLASSES
from fer.config import TrainConfig
from fer.model import build_model, save_for_shipping

LAST_CHECKPOINT = "last.keras"
BEST_MODEL = "best.keras"
FINAL_MODEL = "model.keras"
STATE_FILE = "state.json"
HISTORY_FILE = "history.csv"
CONFIG_FILE = "train_config.json"


def make_dataset(
    images: np.ndarray, labels: np.ndarray, config: TrainConfig, training: bool, seed: int | None = None
) -> tf.data.Dataset:
    """uint8 faces in, float batches out; augmentation runs batched inside the tf.data graph."""
    x = images[..., None]
    y = keras.utils.to_categorical(labels, NUM_CLASSES).astype("float32")
    dataset = tf.data.Dataset.from_tensor_slices((x, y))
    if training:
        dataset = dataset.shuffle(len(x), seed=config.seed if seed is None else seed, reshuffle_each_iteration=True)
    dataset = dataset.batch(config.batch_size, drop_remainder=training and len(x) >= config.batch_size)
    dataset = dataset.map(lambda a, b: (tf.cast(a, tf.float32), b), num_parallel_calls=tf.data.AUTOTUNE)
    if training:
        dataset = dataset.map(lambda a, b: (augment_batch(a, config.augment), b), num_parallel_calls=tf.data.AUTOTUNE)
    return dataset.prefetch(tf.data.AUTOTUNE)


@keras.saving.register_keras_serializable(package="fer")
class ThenConstant(keras.optimizers.schedules.LearningRateSchedule):
    """`schedule` for the first `boundary` steps, then `value`: the weight-averaging phase continues the step count
    of the main schedule, so one optimizer (and one checkpoint format) covers the whole run."""

    def __init__(self, schedule, boundary: int, value: float):
        self.schedule, self.boundary, self.value = schedule, boundary, value

    def __call__(self, step):
        before = self.schedule(step) if callable(self.schedule) else self.schedule
        return keras.ops.where(step < self.boundary, before, self.value)

    def get_config(self):
        schedule = self.schedule
        if isinstance(schedule, keras.optimizers.schedules.LearningRateSchedule):
            schedule = keras.optimizers.schedules.serialize(schedule)
        return {"schedule": schedule, "boundary": self.boundary, "value": self.value}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config["schedule"], dict):
            config["schedule"] = keras.optimizers.schedules.deserialize(config["schedule"])
        return cls(**config)


def make_optimizer(config: TrainConfig, steps_per_epoch: int) -> keras.optimizers.Optimizer:
    learning_rate = config.learning_rate
    if config.schedule == "cosine":
        warmup = config.warmup_epochs * steps_per_epoch
        learning_rate = keras.optimizers.schedules.CosineDecay(
            initial_learning_rate=config.learning_rate / 10,
            warmup_target=config.learning_rate,
            warmup_steps=warmup,
            decay_steps=max(1, config.epochs * steps_per_epoch - warmup),
        )
    elif config.schedule != "constant":
        raise ValueError(f"unknown schedule {config.schedule!r}: use constant or cosine")
    if config.swa_epochs:
        learning_rate = ThenConstant(learning_rate, config.epochs * steps_per_epoch, config.swa_learning_rate)
    decay = config.weight_decay or None
    if config.optimizer == "adam":
        return keras.optimizers.Adam(learning_rate, weight_decay=decay)
    if config.optimizer == "adamw":
        return keras.optimizers.AdamW(learning_rate, weight_decay=config.weight_decay)
    if config.optimizer == "sgd":
        return keras.optimizers.SGD(learning_rate, momentum=config.momentum, nesterov=True, weight_decay=decay)
    raise ValueError(f"unknown optimizer {config.optimizer!r}: use adam, adamw or sgd")


def compile_model(model: keras.Model, config: TrainConfig, steps_per_epoch: int) -> None:
    model.compile(
        optimizer=make_optimizer(config, steps_per_epoch),
        loss=keras.losses.CategoricalCrossentropy(label_smoothing=config.label_smoothing),
        metrics=["accuracy", keras.metrics.Precision(name="precision"), keras.metrics.Recall(name="recall")],
    )


class EpochExtras(keras.callbacks.Callback):
    """Adds the learning rate and the epoch's wall time to the logs, so the history CSV records them."""

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        logs["learning_rate"] = float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate))
        logs["epoch_seconds"] = round(time.perf_counter() - self._start, 2)


class ResumableCheckpoint(keras.callbacks.Callback):
    """Each epoch: the full model with optimizer state (to resume) and, when val accuracy improves, a shipping copy.

    Files are written to a temporary name and renamed, so Ctrl-C never leaves a half-written checkpoint.
    """

    def __init__(self, out_dir: Path, config: TrainConfig, best_val_accuracy: float = -1.0):
        super().__init__()
        self.out_dir, self.config, self.best = out_dir, config, best_val_accuracy

    def on_epoch_end(self, epoch, logs=None):
        score = logs.get("val_accuracy", logs.get("accuracy", 0.0))
        if score > self.best:
            self.best = score
            save_for_shipping(self.model, self.config.model, self.out_dir / BEST_MODEL)
        tmp = self.out_dir / f"{LAST_CHECKPOINT}.tmp.keras"
        self.model.save(tmp)
        os.replace(tmp, self.out_dir / LAST_CHECKPOINT)
        state = {"epoch": epoch + 1, "best_val_accuracy": self.best}
        (self.out_dir / STATE_FILE).write_text(json.dumps(state))


def restore_checkpoint(path: Path, config: TrainConfig, steps_per_epoch: int) -> keras.Model:
    """The checkpoint's weights and optimizer state under the schedule `config` describes.

    Rebuilding the optimizer (rather than loading it) lets a resumed run change its length: the cosine
    schedule is stretched or shortened and continues from the saved step.
    """
    saved = keras.saving.load_model(path)
    model = build_model(config.model)
    compile_model(model, config, steps_per_epoch)
    model.set_weights(saved.get_weights())
    model.optimizer.build(model.trainable_variables)
    for target, source in zip(model.optimizer.variables, saved.optimizer.variables, strict=True):
        target.assign(source)
    return model


def read_state(out_dir: Path) -> dict:
    path = out_dir / STATE_FILE
    return json.loads(path.read_text()) if path.exists() else {"epoch": 0, "best_val_accuracy": -1.0}
