"""Stochastic weight averaging (Izmailov et al., 2018): the mean of the weights the optimizer visits at a
constant learning rate sits nearer the centre of a wide minimum than any one of them, which tends to
generalise better than the last or the best epoch.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from fer.config import ModelConfig
from fer.model import build_model
from fer.plots import AVERAGE_METRIC

AVERAGE_FILE = "swa_average.npz"
# The per-epoch accuracy of the average estimates BatchNorm statistics from this many batches (6,400 faces at
# batch 128), which saves a minute an epoch on two cores; the saved average gets a full pass over the data.
MONITOR_BATCHES = 50


def recompute_batchnorm(model: keras.Model, dataset: tf.data.Dataset) -> None:
    """Averaged weights never ran forward together, so their BatchNorm statistics are re-estimated.

    The momentum is set per batch so the moving statistics end up the plain mean over one pass of the data,
    as in the paper, instead of an exponential average dominated by the last batches.
    """
    norms = [layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization)]
    momenta = [layer.momentum for layer in norms]
    # One shared variable, so the compiled forward pass reads each step's momentum instead of a traced constant.
    momentum = tf.Variable(0.0)
    for layer in norms:
        layer.moving_mean.assign(np.zeros(layer.moving_mean.shape, "float32"))
        layer.moving_variance.assign(np.ones(layer.moving_variance.shape, "float32"))
        layer.momentum = momentum
    forward = tf.function(lambda images: model(images, training=True))
    try:
        for step, (images, _) in enumerate(dataset):
            momentum.assign(step / (step + 1))
            forward(images)
    finally:
        for layer, value in zip(norms, momenta, strict=True):
            layer.momentum = value


class WeightAverage(keras.callbacks.Callback):
    """Averages the weights at the end of every epoch from `start_epoch` on and logs the average's accuracy.

    The running mean is rewritten to `out_dir` each epoch, so an interrupted run resumes it with the model.
    """

    def __init__(
        self,
        start_epoch: int,
        out_dir: Path,
        model_config: ModelConfig,
        train_data: tf.data.Dataset,
        val_data: tf.data.Dataset,
    ):
        super().__init__()
        self.start_epoch, self.path = start_epoch, out_dir / AVERAGE_FILE
        self.model_config, self.train_data, self.val_data = model_config, train_data, val_data
        self.average: list[np.ndarray] | None = None
        self.count = 0

    def resume(self, next_epoch: int) -> None:
        """Reload the running mean of a run that continues at `next_epoch`."""
        if next_epoch <= self.start_epoch:
            return
        if not self.path.exists():
            raise SystemExit(f"--resume: {self.path} is missing, so the weight average cannot continue")
        with np.load(self.path) as saved:
            if int(saved["last_epoch"]) != next_epoch - 1:
                raise SystemExit(
                    f"--resume: {self.path} covers epochs up to {int(saved['last_epoch']) + 1}, "
                    f"the checkpoint {next_epoch}"
                )
            self.count = int(saved["count"])
            self.average = [saved[f"w{i}"] for i in range(len(saved.files) - 2)]

    def on_epoch_end(self, epoch, logs=None):
        if epoch < self.start_epoch:
            logs[AVERAGE_METRIC] = math.nan
            return
        weights = self.model.get_weights()
        self.count += 1
        if self.average is None:
            self.average = weights
        else:
            self.average = [mean + (w - mean) / self.count for mean, w in zip(self.average, weights, strict=True)]
        tmp = self.path.with_name(self.path.name + ".tmp.npz")
        np.savez(tmp, count=self.count, last_epoch=epoch, **{f"w{i}": w for i, w in enumerate(self.average)})
        os.replace(tmp, self.path)
        logs[AVERAGE_METRIC] = self._accuracy(self.averaged_model(self.train_data.take(MONITOR_BATCHES)))

    def averaged_model(self, batchnorm_data: tf.data.Dataset | None = None) -> keras.Model:
        """A fresh model holding the mean weights, with BatchNorm statistics measured for them (by default over
        the whole training set)."""
        model = build_model(self.model_config)
        model.set_weights(self.average)
        recompute_batchnorm(model, self.train_data if batchnorm_data is None else batchnorm_data)
        return model

    def _accuracy(self, model: keras.Model) -> float:
        model.compile(loss="categorical_crossentropy", metrics=["accuracy"])
        return float(model.evaluate(self.val_data, verbose=0, return_dict=True)["accuracy"])
