"""Plotly figures shared by the dashboard and the plotting CLI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from fer.classes import CLASS_NAMES

CURVE_METRICS = ("accuracy", "loss", "precision", "recall")
# The history column fer.weight_averaging writes: the weight average's validation accuracy per epoch.
AVERAGE_METRIC = "swa_val_accuracy"


def read_history(path) -> pd.DataFrame:
    """A Keras CSVLogger history, with 1-based epochs for display."""
    history = pd.read_csv(path)
    missing = [m for m in CURVE_METRICS if m not in history.columns]
    if "epoch" not in history.columns or missing:
        raise ValueError(f"{path} is not a training history: it lacks {['epoch', *missing]}")
    history["epoch"] = history["epoch"] + 1
    return history


def has_weight_average(history: pd.DataFrame) -> bool:
    return history.get(AVERAGE_METRIC, pd.Series(dtype=float)).notna().any()


def history_figure(runs: dict[str, pd.DataFrame], metric: str) -> go.Figure:
    """Train (solid) and validation (dashed) curves of one metric, for one or more runs; accuracy also shows the
    weight average's validation accuracy when the run averaged weights."""
    figure = go.Figure()
    for name, history in runs.items():
        prefix = f"{name} " if len(runs) > 1 else ""
        figure.add_scatter(x=history["epoch"], y=history[metric], mode="lines", name=f"{prefix}train")
        if f"val_{metric}" in history:
            figure.add_scatter(
                x=history["epoch"],
                y=history[f"val_{metric}"],
                mode="lines",
                name=f"{prefix}validation",
                line={"dash": "dash"},
            )
        if metric == "accuracy" and has_weight_average(history):
            figure.add_scatter(
                x=history["epoch"],
                y=history[AVERAGE_METRIC],
                mode="lines+markers",
                name=f"{prefix}validation, weight average",
                line={"dash": "dot"},
            )
    figure.update_layout(
        title=metric.capitalize(), xaxis_title="epoch", yaxis_title=metric, margin={"l": 40, "r": 10, "t": 40, "b": 40}
    )
    return figure


def class_distribution_figure(counts: dict[str, int]) -> go.Figure:
    names = list(CLASS_NAMES)
    figure = go.Figure(go.Bar(x=names, y=[counts.get(n, 0) for n in names], text=[counts.get(n, 0) for n in names]))
    figure.update_layout(
        title="FER-2013 training images per class", yaxis_title="images", margin={"l": 40, "r": 10, "t": 40, "b": 40}
    )
    return figure


def confusion_matrix_figure(matrix: list[list[int]], normalise: bool = False) -> go.Figure:
    """Rows are true classes; normalised rows show recall per class, which counts hide for rare classes."""
    values = np.asarray(matrix, dtype=float)
    if normalise:
        values = values / np.maximum(values.sum(axis=1, keepdims=True), 1)
    text = [[f"{v:.2f}" if normalise else f"{int(v)}" for v in row] for row in values]
    figure = go.Figure(
        go.Heatmap(
            z=values, x=list(CLASS_NAMES), y=list(CLASS_NAMES), text=text, texttemplate="%{text}", colorscale="Blues"
        )
    )
    figure.update_layout(
        title="Confusion matrix" + (" (row-normalised)" if normalise else " (counts)"),
        xaxis_title="predicted",
        yaxis_title="true",
        yaxis_autorange="reversed",
    )
    return figure


def probability_figure(probabilities: dict[str, float]) -> go.Figure:
    """Horizontal bars, most likely emotion on top and highlighted."""
    ordered = sorted(probabilities.items(), key=lambda item: item[1])
    colours = ["#d62728" if i == len(ordered) - 1 else "#7f7f7f" for i in range(len(ordered))]
    figure = go.Figure(
        go.Bar(
            x=[p for _, p in ordered],
            y=[n for n, _ in ordered],
            orientation="h",
            marker_color=colours,
            text=[f"{p:.1%}" for _, p in ordered],
        )
    )
    figure.update_layout(
        xaxis={"range": [0, 1], "tickformat": ".0%"}, margin={"l": 70, "r": 10, "t": 10, "b": 30}, height=280
    )
    return figure


def timeline_figure(frames: pd.DataFrame) -> go.Figure:
    """Probability of each emotion over time, one line per emotion and face id."""
    figure = go.Figure()
    for face_id, track in frames.groupby("face_id"):
        for name in CLASS_NAMES:
            figure.add_scatter(
                x=track["time"], y=track[name], mode="lines", name=f"face {face_id}: {name}", legendgroup=str(face_id)
            )
    figure.update_layout(
        title="Emotions over time", xaxis_title="seconds", yaxis_title="probability", yaxis_range=[0, 1]
    )
    return figure
