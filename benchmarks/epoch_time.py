"""Estimate a preset's seconds per FER-2013 training epoch from a few timed steps, before committing to a run.

    python benchmarks/epoch_time.py --preset seed [--steps 40] [--set model.filters=[48,96,192,384]]

Uses random data of FER-2013's size with the preset's model, optimizer, batch size and augmentation.
"""

from __future__ import annotations

import argparse
import statistics
import time

import keras
import numpy as np

from fer.model import build_model
from fer.training import compile_model, make_dataset
from train.train import build_config

TRAINING_IMAGES = 28_709


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--preset", default="fast")
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--set", action="append", default=[])
    args = parser.parse_args()
    config = build_config(
        argparse.Namespace(
            preset=args.preset, seed=None, epochs=None, batch_size=None, learning_rate=None, set=args.set
        )
    )
    steps_per_epoch = TRAINING_IMAGES // config.batch_size
    rng = np.random.default_rng(0)
    count = config.batch_size * (args.steps + 5)
    images = rng.integers(0, 255, (count, 48, 48), dtype=np.uint8)
    labels = rng.integers(0, 7, count)
    model = build_model(config.model)
    compile_model(model, config, steps_per_epoch)
    dataset = make_dataset(images, labels, config, training=True)
    stamps = []
    timer = keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: stamps.append(time.perf_counter()))
    model.fit(dataset.take(args.steps + 5), epochs=1, verbose=0, callbacks=[timer])
    per_step = statistics.median(np.diff(stamps[5:]))  # after warm-up (graph tracing)
    epoch = per_step * steps_per_epoch
    print(
        f"{args.preset}: {model.count_params():,} parameters, batch {config.batch_size}: "
        f"{per_step * 1000:.0f} ms/step, ~{epoch:.0f} s per epoch, ~{epoch * config.epochs / 3600:.1f} h "
        f"for {config.epochs} epochs"
    )


if __name__ == "__main__":
    main()
