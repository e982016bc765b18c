import dataclasses
import json

import keras
import numpy as np
import pandas as pd
import pytest
import tensorflow as tf

from fer.config import ASSETS, PRESETS, AugmentConfig, TrainConfig, fast_preset
from fer.model import build_model, load_shipped_model
from fer.training import compile_model, make_dataset, restore_checkpoint
from fer.weight_averaging import recompute_batchnorm
from train import train

from .conftest import write_folder

TINY = ["--set", "model.filters=[4,8,8,8]", "--set", "model.dense_units=8", "--batch-size", "8"]


def _train(data, out, *extra):
    train.main(["--data", str(data), "--out", str(out), "--preset", "fast", *TINY, *extra])


def test_smoke_run_writes_history_checkpoint_and_resumes(tmp_path):
    data = write_folder(tmp_path / "data", 6)
    out = tmp_path / "run"
    _train(data, out, "--epochs", "2")
    history = pd.read_csv(out / "history.csv")
    assert len(history) == 2
    for column in [
        "loss",
        "accuracy",
        "precision",
        "recall",
        "val_loss",
        "val_accuracy",
        "val_precision",
        "val_recall",
        "learning_rate",
        "epoch_seconds",
    ]:
        assert column in history.columns
    assert (history["epoch_seconds"] > 0).all()
    config = json.loads((out / "train_config.json").read_text())
    assert config["config"]["epochs"] == 2 and config["config"]["model"]["filters"] == [4, 8, 8, 8]
    assert (out / "last.keras").exists() and (out / "model.keras").exists()

    # Resuming continues from the checkpoint's epoch, appending to the history; --epochs lengthens the run
    # and the change is recorded.
    train.main(["--data", str(data), "--out", str(out), "--resume", "--epochs", "3"])
    history = pd.read_csv(out / "history.csv")
    assert history["epoch"].tolist() == [0, 1, 2]
    config = json.loads((out / "train_config.json").read_text())
    assert config["config"]["epochs"] == 3 and config["schedule_changes"] == [{"after_epoch": 2, "epochs": 3}]


def test_restored_checkpoint_keeps_weights_and_step_under_a_new_schedule(tmp_path):
    config = dataclasses.replace(
        fast_preset(), model=dataclasses.replace(fast_preset().model, filters=(4, 8, 8, 8), dense_units=8), epochs=4
    )
    model = build_model(config.model)
    compile_model(model, config, steps_per_epoch=10)
    model.optimizer.build(model.trainable_variables)
    model.optimizer.iterations.assign(25)
    model.save(tmp_path / "last.keras")

    longer = restore_checkpoint(tmp_path / "last.keras", dataclasses.replace(config, epochs=8), steps_per_epoch=10)
    assert int(longer.optimizer.iterations) == 25
    assert all(np.array_equal(a, b) for a, b in zip(longer.get_weights(), model.get_weights()))
    # Halfway through the cosine becomes a quarter of the way: a higher learning rate.
    assert float(longer.optimizer.learning_rate) > float(model.optimizer.learning_rate)


def test_csv_data_uses_its_usage_splits(tmp_path):
    rows = [f"{i % 7},{' '.join(['100'] * 2304)},{'PublicTest' if i % 5 == 0 else 'Training'}" for i in range(40)]
    data = tmp_path / "fer2013.csv"
    data.write_text("emotion,pixels,Usage\n" + "\n".join(rows) + "\n")
    _train(data, tmp_path / "run", "--epochs", "1")
    config = json.loads((tmp_path / "run" / "train_config.json").read_text())
    assert (config["train_size"], config["val_size"]) == (32, 8)


def test_seed_preset_is_the_original_recipe(tmp_path):
    config = train.build_config(train.parse_args(["--data", "x", "--out", "y", "--preset", "seed"]))
    assert (config.optimizer, config.learning_rate, config.batch_size, config.epochs) == ("adam", 5e-5, 32, 80)
    assert config.early_stopping_patience == 20 and config.class_weights
    assert config.model.filters == (64, 128, 256, 512)


def test_unknown_override_is_refused():
    with pytest.raises(SystemExit, match="unknown key"):
        train.build_config(train.parse_args(["--data", "x", "--out", "y", "--set", "model.nonsense=1"]))


def test_resume_without_checkpoint_is_refused(tmp_path):
    with pytest.raises(SystemExit, match="no checkpoint"):
        train.main(["--data", str(tmp_path), "--out", str(tmp_path / "run"), "--resume"])


def test_dataset_order_follows_the_seed():
    # A resumed run seeds with seed + epoch, so it must not replay the batches of the epochs it just trained.
    # (Augmentation is off here: random ops inside a parallel map are not reproducible batch for batch.)
    images = np.repeat(np.arange(64, dtype=np.uint8)[:, None, None], 48, axis=1).repeat(48, axis=2)
    config = dataclasses.replace(fast_preset(), batch_size=16, augment=AugmentConfig())

    def first_batch(seed):
        x, _ = next(iter(make_dataset(images, np.arange(64) % 7, config, training=True, seed=seed)))
        return x.numpy()[:, 0, 0, 0]

    np.testing.assert_array_equal(first_batch(1), first_batch(1))
    assert not np.array_equal(first_batch(1), first_batch(3))


def test_wide_preset_is_the_fast_recipe_with_wider_blocks_more_epochs_and_weight_averaging():
    fast, wide = fast_preset(), PRESETS["wide"]()
    assert wide.model.filters == (48, 96, 192, 384) and wide.epochs == 62 and wide.swa_epochs == 20
    assert dataclasses.replace(wide, model=fast.model, epochs=fast.epochs, swa_epochs=0) == fast


def test_bundled_model_recipe_is_the_wide_preset():
    recorded = json.loads((ASSETS / "train_config.json").read_text())["config"]
    assert TrainConfig.from_dict(recorded) == PRESETS["wide"]()


def test_weight_averaging_runs_after_the_schedule_and_ships_the_average(tmp_path):
    data = write_folder(tmp_path / "data", 6)
    out = tmp_path / "run"
    _train(data, out, "--epochs", "2", "--swa-epochs", "2", "--set", "swa_learning_rate=0.003")
    history = pd.read_csv(out / "history.csv")
    assert history["epoch"].tolist() == [0, 1, 2, 3]
    assert history["swa_val_accuracy"][:2].isna().all() and history["swa_val_accuracy"][2:].between(0, 1).all()
    np.testing.assert_allclose(history["learning_rate"][2:], 0.003)
    with np.load(out / "swa_average.npz") as saved:
        assert int(saved["count"]) == 2 and int(saved["last_epoch"]) == 3
        first_kernel = saved["w0"]
    shipped, _ = load_shipped_model(out / "model.keras")
    np.testing.assert_allclose(shipped.get_weights()[0], first_kernel)


def test_weight_averaging_can_extend_a_finished_run(tmp_path):
    data = write_folder(tmp_path / "data", 6)
    out = tmp_path / "run"
    _train(data, out, "--epochs", "2")
    train.main(["--data", str(data), "--out", str(out), "--resume", "--swa-epochs", "1"])
    history = pd.read_csv(out / "history.csv")
    assert history["epoch"].tolist() == [0, 1, 2]
    assert history["val_accuracy"].between(0, 1).all() and history["loss"].gt(0).all()
    assert history["swa_val_accuracy"][:2].isna().all() and 0 <= history["swa_val_accuracy"][2] <= 1
    config = json.loads((out / "train_config.json").read_text())
    assert config["schedule_changes"] == [{"after_epoch": 2, "swa_epochs": 1}]

    # A second resume continues the running mean rather than restarting it.
    train.main(["--data", str(data), "--out", str(out), "--resume", "--swa-epochs", "2"])
    with np.load(out / "swa_average.npz") as saved:
        assert int(saved["count"]) == 2


def test_batchnorm_statistics_are_recomputed_as_the_plain_mean_over_the_data():
    model = keras.Sequential([keras.Input((2,)), keras.layers.BatchNormalization()])
    batches = [np.full((4, 2), value, "float32") for value in (1.0, 2.0, 6.0)]
    dataset = tf.data.Dataset.from_tensor_slices((np.concatenate(batches), np.zeros(12))).batch(4)
    recompute_batchnorm(model, dataset)
    norm = model.layers[0]
    np.testing.assert_allclose(norm.moving_mean.numpy(), [3.0, 3.0], rtol=1e-6)
    np.testing.assert_allclose(norm.moving_variance.numpy(), [0.0, 0.0], atol=1e-6)
    assert norm.momentum == 0.99
