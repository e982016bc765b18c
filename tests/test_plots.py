import json

import pandas as pd
import pytest

from fer.plots import (
    class_distribution_figure,
    confusion_matrix_figure,
    history_figure,
    probability_figure,
    read_history,
)
from train import plots


@pytest.fixture
def history_csv(tmp_path):
    path = tmp_path / "history.csv"
    pd.DataFrame(
        {
            "epoch": [0, 1],
            "accuracy": [0.3, 0.5],
            "loss": [1.8, 1.4],
            "precision": [0.4, 0.6],
            "recall": [0.1, 0.3],
            "val_accuracy": [0.35, 0.45],
            "val_loss": [1.7, 1.5],
            "val_precision": [0.4, 0.5],
            "val_recall": [0.2, 0.3],
        }
    ).to_csv(path, index=False)
    return path


def test_history_figure_has_train_and_validation(history_csv):
    figure = history_figure({"run": read_history(history_csv)}, "accuracy")
    assert [trace.name for trace in figure.data] == ["train", "validation"]
    assert list(figure.data[0].x) == [1, 2]


def test_accuracy_figure_shows_the_weight_average_when_the_run_averaged(history_csv):
    history = read_history(history_csv)
    history["swa_val_accuracy"] = [float("nan"), 0.47]
    assert [t.name for t in history_figure({"run": history}, "accuracy").data][-1] == "validation, weight average"
    assert len(history_figure({"run": history}, "loss").data) == 2
    history["swa_val_accuracy"] = float("nan")
    assert len(history_figure({"run": history}, "accuracy").data) == 2


def test_read_history_rejects_other_csvs(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="not a training history"):
        read_history(path)


def test_confusion_and_probability_figures():
    matrix = [[2, 0, 0, 0, 0, 1, 0]] + [[0] * 7] * 6
    normalised = confusion_matrix_figure(matrix, normalise=True)
    assert normalised.data[0].z[0][0] == pytest.approx(2 / 3)
    bars = probability_figure({"happy": 0.7, "sad": 0.2, "angry": 0.1})
    assert list(bars.data[0].y)[-1] == "happy"
    assert class_distribution_figure({"happy": 5}).data[0].y[3] == 5


def test_plots_cli_writes_pngs(tmp_path, history_csv):
    counts = tmp_path / "counts.json"
    counts.write_text(json.dumps({"happy": 5, "sad": 2}))
    evaluation = tmp_path / "eval.json"
    evaluation.write_text(json.dumps({"accuracy": 0.5, "confusion_matrix": [[1] * 7] * 7}))
    plots.main(
        [
            "--history",
            str(history_csv),
            "--counts",
            str(counts),
            "--eval",
            str(evaluation),
            "--out",
            str(tmp_path / "png"),
        ]
    )
    names = sorted(p.name for p in (tmp_path / "png").glob("*.png"))
    assert names == [
        "accuracy.png",
        "class_distribution.png",
        "confusion_matrix.png",
        "loss.png",
        "precision.png",
        "recall.png",
    ]
