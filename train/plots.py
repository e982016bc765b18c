"""Render training curves, class distribution and confusion matrix as PNGs (matplotlib) for the README.

`python -m train.plots --history runs/x/history.csv [--counts class_counts.json | --data PATH]
 [--eval eval.json] --out assets/plots`
The dashboard draws the same data with the Plotly figures in fer.plots.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from fer.classes import CLASS_NAMES  # noqa: E402
from fer.data import load_dataset  # noqa: E402
from fer.plots import AVERAGE_METRIC, CURVE_METRICS, has_weight_average, read_history  # noqa: E402


def save_curves(history_path: Path, out: Path) -> list[Path]:
    history = read_history(history_path)
    written = []
    for metric in CURVE_METRICS:
        fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
        ax.plot(history["epoch"], history[metric], label="train")
        if f"val_{metric}" in history:
            ax.plot(history["epoch"], history[f"val_{metric}"], "--", label="validation (PublicTest)")
        if metric == "accuracy" and has_weight_average(history):
            ax.plot(history["epoch"], history[AVERAGE_METRIC], ".:", label="validation, weight average")
        ax.set(title=metric.capitalize(), xlabel="epoch", ylabel=metric)
        ax.grid(alpha=0.3)
        ax.legend()
        written.append(_save(fig, out / f"{metric}.png"))
    return written


def save_class_distribution(counts: dict[str, int], out: Path) -> Path:
    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    values = [counts.get(name, 0) for name in CLASS_NAMES]
    bars = ax.bar(CLASS_NAMES, values, color="#4c72b0")
    ax.bar_label(bars)
    ax.set(title="FER-2013 training images per class", ylabel="images")
    return _save(fig, out / "class_distribution.png")


def save_confusion_matrix(matrix: list[list[int]], out: Path, title: str) -> Path:
    values = np.asarray(matrix, dtype=float)
    normalised = values / np.maximum(values.sum(axis=1, keepdims=True), 1)
    fig, ax = plt.subplots(figsize=(6.5, 5.5), dpi=100)
    ax.imshow(normalised, cmap="Blues", vmin=0, vmax=1)
    for (i, j), count in np.ndenumerate(values):
        ax.text(
            j,
            i,
            f"{int(count)}\n{normalised[i, j]:.0%}",
            ha="center",
            va="center",
            fontsize=8,
            color="white" if normalised[i, j] > 0.5 else "black",
        )
    ax.set(
        xticks=range(len(CLASS_NAMES)), yticks=range(len(CLASS_NAMES)), xlabel="predicted", ylabel="true", title=title
    )
    ax.set_xticklabels(CLASS_NAMES, rotation=45, ha="right")
    ax.set_yticklabels(CLASS_NAMES)
    return _save(fig, out / "confusion_matrix.png")


def _save(fig, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--history", type=Path, help="a history.csv written by train.train")
    parser.add_argument("--counts", type=Path, help="class_counts.json")
    parser.add_argument("--data", help="a data set to count classes from instead of --counts")
    parser.add_argument("--eval", type=Path, help="a train.evaluate JSON (or eval_publictest.json) for the matrix")
    parser.add_argument("--out", type=Path, default=Path("plots"))
    args = parser.parse_args(argv)
    written = save_curves(args.history, args.out) if args.history else []
    if args.counts or args.data:
        counts = json.loads(args.counts.read_text()) if args.counts else load_dataset(args.data).class_counts()
        written.append(save_class_distribution(counts, args.out))
    if args.eval:
        report = json.loads(args.eval.read_text())
        report = report.get("tta", report)
        written.append(
            save_confusion_matrix(
                report["confusion_matrix"], args.out, f"Confusion matrix, accuracy {report['accuracy']:.1%}"
            )
        )
    if not written:
        parser.error("nothing to plot: give --history, --counts/--data or --eval")
    for path in written:
        print(path)


if __name__ == "__main__":
    main()
