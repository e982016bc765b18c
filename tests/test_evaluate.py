import json

import numpy as np
import pytest

from fer.metrics import classification_report
from train import evaluate

from .conftest import write_folder


def test_metrics_match_a_hand_computed_confusion_matrix():
    # angry=0, happy=3, sad=5: 3 angry (2 right, 1 called sad), 2 happy (both right), 1 sad called happy.
    y_true = np.array([0, 0, 0, 3, 3, 5])
    y_pred = np.array([0, 0, 5, 3, 3, 3])
    report = classification_report(y_true, y_pred)
    matrix = np.zeros((7, 7), int)
    matrix[0, 0], matrix[0, 5], matrix[3, 3], matrix[5, 3] = 2, 1, 2, 1
    assert report["confusion_matrix"] == matrix.tolist()
    assert report["accuracy"] == pytest.approx(4 / 6)
    assert report["per_class"]["angry"] == pytest.approx({"precision": 1.0, "recall": 2 / 3, "f1": 0.8, "support": 3})
    assert report["per_class"]["happy"]["precision"] == pytest.approx(2 / 3)
    assert report["per_class"]["sad"]["f1"] == 0.0
    # Macro-F1 averages the three classes present, not all seven.
    assert report["macro_f1"] == pytest.approx((0.8 + 0.8 + 0.0) / 3)


def test_evaluate_cli_writes_the_documented_json(tmp_path, tiny_model_path, capsys):
    data = write_folder(tmp_path / "data", 2)
    out = tmp_path / "eval.json"
    evaluate.main(["--data", str(data), "--model", str(tiny_model_path), "--no-tta", "--json", str(out)])
    report = json.loads(out.read_text())
    assert {"accuracy", "macro_f1", "n", "tta", "per_class", "confusion_matrix"} <= report.keys()
    assert report["n"] == 14 and report["tta"] is False
    assert sum(map(sum, report["confusion_matrix"])) == 14
    assert "confusion matrix" in capsys.readouterr().out


def test_evaluate_cli_reports_a_missing_model(tmp_path):
    with pytest.raises(SystemExit, match="No model"):
        evaluate.main(["--data", str(tmp_path), "--model", str(tmp_path / "none.keras")])
