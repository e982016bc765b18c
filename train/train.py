"""Train the FER model: `python -m train.train --data PATH [--val PATH] --out DIR --preset seed|fast`."""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import shutil
import sys
from pathlib import Path

import keras
import numpy as np
import pandas as pd

from fer.config import PRESETS, TrainConfig
from fer.data import FaceDataset, class_weights, load_dataset
from fer.errors import InvalidImageError
from fer.model import build_model, save_for_shipping
from fer.plots import AVERAGE_METRIC
from fer.training import (
    BEST_MODEL,
    CONFIG_FILE,
    FINAL_MODEL,
    HISTORY_FILE,
    LAST_CHECKPOINT,
    EpochExtras,
    ResumableCheckpoint,
    compile_model,
    make_dataset,
    read_state,
    restore_checkpoint,
)
from fer.weight_averaging import WeightAverage

HOLDOUT_FRACTION = 0.1


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", required=True, help="fer2013.csv or a folder of class folders")
    parser.add_argument(
        "--val", help="validation CSV or folder (default: the CSV's PublicTest rows, or a 10%% hold-out of a folder)"
    )
    parser.add_argument("--out", required=True, type=Path, help="run folder: config, history, checkpoints, model")
    parser.add_argument("--preset", choices=sorted(PRESETS), default="fast")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--swa-epochs", type=int, help="epochs of weight averaging after the schedule (0: none)")
    parser.add_argument("--batch-size", type=int)
    parser.add_argument("--learning-rate", type=float)
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override any config value, e.g. --set model.filters=[32,64,128,256] "
        "--set augment.flip=true (repeatable; values are JSON)",
    )
    parser.add_argument("--resume", action="store_true", help="continue the run in --out from its last checkpoint")
    parser.add_argument("--strict", action="store_true", help="stop at the first bad image or CSV row")
    parser.add_argument("--cache-dir", help="where decoded arrays are cached (default ~/.cache/fer)")
    return parser.parse_args(argv)


def build_config(args: argparse.Namespace) -> TrainConfig:
    data = PRESETS[args.preset]().to_dict()
    named = {
        "seed": args.seed,
        "epochs": args.epochs,
        "swa_epochs": args.swa_epochs,
        "batch_size": args.batch_size,
        "learning_rate": args.learning_rate,
    }
    data.update({key: value for key, value in named.items() if value is not None})
    for item in args.set:
        key, _, raw = item.partition("=")
        target, *path = data, *key.split(".")
        for part in path[:-1]:
            target = target.get(part)
            if not isinstance(target, dict):
                raise SystemExit(f"--set {item}: unknown section in {key!r}")
        if path[-1] not in target:
            raise SystemExit(f"--set {item}: unknown key {key!r}")
        try:
            target[path[-1]] = json.loads(raw)
        except json.JSONDecodeError:
            target[path[-1]] = raw
    return TrainConfig.from_dict(data)


def _is_csv_with_usage(path: Path) -> bool:
    if path.is_dir():
        return False
    with open(path, encoding="utf-8", errors="replace") as handle:
        return "Usage" in handle.readline()


def load_splits(args: argparse.Namespace, seed: int) -> tuple[FaceDataset, FaceDataset]:
    data = Path(args.data)
    csv_splits = _is_csv_with_usage(data)
    train = load_dataset(data, usage="Training" if csv_splits else None, strict=args.strict, cache_dir=args.cache_dir)
    if args.val:
        val_path = Path(args.val)
        val = load_dataset(
            val_path,
            usage="PublicTest" if _is_csv_with_usage(val_path) else None,
            strict=args.strict,
            cache_dir=args.cache_dir,
        )
    elif csv_splits:
        val = load_dataset(data, usage="PublicTest", strict=args.strict, cache_dir=args.cache_dir)
    else:
        order = np.random.default_rng(seed).permutation(len(train))
        cut = max(1, int(len(train) * HOLDOUT_FRACTION))
        val = FaceDataset(train.images[order[:cut]], train.labels[order[:cut]], [])
        train = FaceDataset(train.images[order[cut:]], train.labels[order[cut:]], train.skipped)
        print(f"No --val given: holding out {cut} training images for validation.")
    return train, val


def _add_history_column(path: Path, name: str) -> None:
    """Keras' CSVLogger appends rows without re-reading the header: a run that gains a metric on resume
    (weight averaging added to a finished run) needs the column in the file first, in the logger's sorted order."""
    history = pd.read_csv(path)
    if name not in history:
        history[name] = np.nan
        history[["epoch", *sorted(set(history.columns) - {"epoch"})]].to_csv(path, index=False)


def run(args: argparse.Namespace) -> Path:
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    config_path = out / CONFIG_FILE
    state = read_state(out) if args.resume else {"epoch": 0, "best_val_accuracy": -1.0}
    if args.resume:
        if not (out / LAST_CHECKPOINT).exists():
            raise SystemExit(f"--resume: no checkpoint {out / LAST_CHECKPOINT} to resume from")
        recorded = json.loads(config_path.read_text())
        config = TrainConfig.from_dict(recorded["config"])
        changes = {
            key: value
            for key, value in {"epochs": args.epochs, "swa_epochs": args.swa_epochs}.items()
            if value is not None and value != getattr(config, key)
        }
        if changes:
            config = dataclasses.replace(config, **changes)
            recorded["config"] = config.to_dict()
            recorded.setdefault("schedule_changes", []).append({"after_epoch": state["epoch"], **changes})
            config_path.write_text(json.dumps(recorded, indent=2))
    else:
        config = build_config(args)
    # Shuffling and augmentation draw from seeded generators that restart with the process: offsetting the
    # seed by the epoch keeps a resumed run from replaying the batches of the epochs it just trained on.
    epoch_seed = config.seed + state["epoch"]
    keras.utils.set_random_seed(epoch_seed)
    keras.config.set_dtype_policy("mixed_bfloat16" if config.mixed_precision else "float32")

    train, val = load_splits(args, config.seed)
    weights = class_weights(train.labels) if config.class_weights else None
    print(f"Training on {len(train)} faces {train.class_counts()}, validating on {len(val)}.")
    if not args.resume:
        config_path.write_text(
            json.dumps(
                {
                    "preset": args.preset,
                    "config": config.to_dict(),
                    "data": str(args.data),
                    "val": args.val,
                    "train_size": len(train),
                    "val_size": len(val),
                    "class_counts": train.class_counts(),
                    "class_weights": weights,
                    "keras_version": keras.__version__,
                },
                indent=2,
            )
        )

    train_ds = make_dataset(train.images, train.labels, config, training=True, seed=epoch_seed)
    val_ds = make_dataset(val.images, val.labels, config, training=False)
    steps_per_epoch = max(1, len(train) // config.batch_size)
    if args.resume:
        model = restore_checkpoint(out / LAST_CHECKPOINT, config, steps_per_epoch)
        print(f"Resuming after epoch {state['epoch']} of {config.epochs + config.swa_epochs}.")
    else:
        model = build_model(config.model)
        compile_model(model, config, steps_per_epoch)
        print(f"Model: {model.count_params():,} parameters; config {json.dumps(dataclasses.asdict(config.model))}")

    callbacks = [EpochExtras()]
    averager = None
    if config.swa_epochs:
        averager = WeightAverage(config.epochs, out, config.model, train_ds, val_ds)
        averager.resume(state["epoch"])
        callbacks.append(averager)
        if args.resume:
            _add_history_column(out / HISTORY_FILE, AVERAGE_METRIC)
    callbacks += [
        keras.callbacks.CSVLogger(str(out / HISTORY_FILE), append=args.resume),
        ResumableCheckpoint(out, config, state["best_val_accuracy"]),
    ]
    if config.early_stopping_patience:
        callbacks.append(
            keras.callbacks.EarlyStopping(
                monitor="val_accuracy", patience=config.early_stopping_patience, restore_best_weights=True
            )
        )
    try:
        model.fit(
            train_ds,
            validation_data=val_ds,
            epochs=config.epochs + config.swa_epochs,
            initial_epoch=state["epoch"],
            class_weight=weights,
            callbacks=callbacks,
            verbose=1 if sys.stdout.isatty() else 2,
        )
    except KeyboardInterrupt:
        done = read_state(out)["epoch"]
        raise SystemExit(
            f"\nInterrupted. {out / LAST_CHECKPOINT} holds epoch {done}; "
            f"continue with: python -m train.train --data {args.data} --out {out} --resume"
        ) from None
    final = out / FINAL_MODEL
    if averager is not None:
        save_for_shipping(averager.averaged_model(), config.model, final)
        print(f"Saved {final}: the average of the last {averager.count} epochs' weights.")
    elif (out / BEST_MODEL).exists():
        shutil.copyfile(out / BEST_MODEL, final)
        print(f"Saved {final} (best val accuracy {read_state(out)['best_val_accuracy']:.4f}).")
    else:
        save_for_shipping(model, config.model, final)
        print(f"Saved {final}.")
    return final


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(format="%(levelname)s: %(message)s")
    args = parse_args(argv)
    try:
        run(args)
    except InvalidImageError as error:
        raise SystemExit(f"error: {error}") from None


if __name__ == "__main__":
    main()
