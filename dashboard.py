"""The Gradio dashboard: `python dashboard.py [--model FILE] [--host H] [--port P] [--share]`.

Every tab wraps the `fer` library; no model or image logic lives here.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

# Gradio reads its upload folder from the environment: give the dashboard its own, cleaned by delete_cache.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no calls home: the dashboard must work offline
UPLOAD_DIR = Path(os.environ.setdefault("GRADIO_TEMP_DIR", str(Path(tempfile.gettempdir()) / "fer-dashboard-uploads")))

import gradio as gr  # noqa: E402

from fer.classes import CLASS_NAMES  # noqa: E402
from fer.config import ASSETS, DashboardConfig  # noqa: E402
from fer.errors import InvalidImageError  # noqa: E402
from fer.evaluation import evaluate  # noqa: E402
from fer.images import enlarge  # noqa: E402
from fer.plots import (  # noqa: E402
    CURVE_METRICS,
    class_distribution_figure,
    confusion_matrix_figure,
    history_figure,
    probability_figure,
    read_history,
    timeline_figure,
)
from fer.predictor import DEFAULT_MODEL, Predictor  # noqa: E402
from fer.results import PredictionResult  # noqa: E402
from fer.video import analyse_video  # noqa: E402

CONFIG = DashboardConfig()
EXAMPLES = sorted(str(p) for p in (ASSETS / "examples").glob("*.jpg"))
ZOOM = 192


def _face_table(result: PredictionResult) -> pd.DataFrame:
    rows = [
        {
            "face": i,
            "box (x, y, w, h)": str(tuple(f.box)),
            "emotion": f.emotion + (" (uncertain)" if f.uncertain else ""),
            **{name: round(float(p), 3) for name, p in zip(CLASS_NAMES, f.probabilities)},
        }
        for i, f in enumerate(result.faces, start=1)
    ]
    return pd.DataFrame(rows, columns=["face", "box (x, y, w, h)", "emotion", *CLASS_NAMES])


def face_views(result: PredictionResult | None, choice: str | None):
    """Crop, 48x48 input, attention overlay, verdict and chart for the selected face."""
    if result is None or not result.faces:
        return None, None, None, "", None
    index = int(choice.split()[-1]) - 1 if choice else 0
    face = result.faces[min(index, len(result.faces) - 1)]
    verdict = f"## {face.emotion.capitalize()} — {face.confidence:.0%}"
    if face.uncertain:
        verdict += "\n\n*Uncertain: no emotion stands out for this face.*"
    chart = probability_figure(dict(zip(CLASS_NAMES, face.probabilities.tolist())))
    return face.crop, enlarge(face.model_input, ZOOM), face.attention_overlay, verdict, chart


def make_predict(predictor: Predictor):
    def predict(image, min_score, whole_image, tta):
        """Run the full pipeline on one upload; bad input becomes a message, never an exception.

        The event runs with preprocess=False, so a non-image reaches the predictor's own checks (and its clear
        message) as the uploaded file's path instead of failing inside Gradio's image decoding.
        """
        image_path = image.get("path") if isinstance(image, dict) else image
        empty = (None, gr.update(choices=[], value=None), None, None, None, None, "", None, None)
        if image_path is None:
            return "Upload an image, take a webcam photo or paste one.", *empty
        try:
            result = predictor.predict(image_path, whole_image=whole_image, explain=True, tta=tta, min_score=min_score)
        except InvalidImageError as error:
            return f"**Cannot use this file:** {error}", *empty
        choices = [f"Face {i}" for i in range(1, len(result.faces) + 1)]
        selector = gr.update(choices=choices, value=choices[0] if choices else None)
        return (
            result.message,
            result,
            selector,
            result.stages["annotated"],
            *face_views(result, None),
            _face_table(result),
        )

    return predict


def make_live(predictor: Predictor):
    def live(frame, history):
        """Annotated webcam frame and the last seconds of the first face's probabilities."""
        if frame is None:
            return None, None, history
        result = predictor.predict(frame, explain=True, tta=False)
        now = time.monotonic()
        history = [h for h in (history or []) if now - h["t"] <= CONFIG.live_window_seconds]
        if result.faces:
            history.append({"t": now, **dict(zip(CLASS_NAMES, result.faces[0].probabilities.tolist()))})
        chart = None
        if history:
            frame_rows = pd.DataFrame(history)
            frame_rows["time"] = frame_rows["t"] - now
            frame_rows["face_id"] = 1
            chart = timeline_figure(frame_rows)
            chart.update_layout(title=f"Last {CONFIG.live_window_seconds:.0f} s", xaxis_title="seconds ago")
        return result.stages["annotated"], chart, history

    return live


def make_video(predictor: Predictor):
    def video(path, every, progress=gr.Progress()):
        if not path:
            return "Upload a video first.", None, None
        try:
            frames = analyse_video(
                predictor,
                path,
                int(every),
                smooth=0.5,
                progress=lambda i, total: progress(i / max(total, 1), desc="Classifying frames"),
            )
        except InvalidImageError as error:
            return f"**Cannot use this file:** {error}", None, None
        csv_path = Path(tempfile.mkdtemp(dir=UPLOAD_DIR)) / (Path(path).stem + "_emotions.csv")
        frames.to_csv(csv_path, index=False)
        message = f"{frames['frame'].nunique()} sampled frames with faces, {frames['face_id'].nunique()} people."
        return message, timeline_figure(frames), str(csv_path)

    return video


def _load_json(name: str) -> dict | None:
    path = ASSETS / name
    return json.loads(path.read_text()) if path.exists() else None


def training_figures(uploaded_history: str | None):
    runs = {}
    if (ASSETS / "history.csv").exists():
        runs["bundled"] = read_history(ASSETS / "history.csv")
    message = ""
    if uploaded_history:
        try:
            runs["uploaded"] = read_history(uploaded_history)
        except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as error:
            message = f"**Cannot chart that file:** {error}"
    figures = [history_figure(runs, metric) if runs else None for metric in CURVE_METRICS]
    return message, *figures


def _evaluation_table(report: dict) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"class": name, **{k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()}}
            for name, row in report["per_class"].items()
        ]
    )


def _evaluation_summary(report: dict, title: str) -> str:
    return (
        f"**{title}**: accuracy {report['accuracy']:.2%}, macro-F1 {report['macro_f1']:.3f} on "
        f"{report['n']} faces (test-time augmentation {'on' if report['tta'] else 'off'})."
    )


def make_evaluate(predictor: Predictor):
    def run(path, usage, progress=gr.Progress()):
        if not path:
            return "Give the path of a FER-2013 CSV or a folder of class folders.", None, None, None
        progress(0.1, desc="Loading and classifying")
        try:
            report = evaluate(predictor, path.strip(), usage=usage.strip() or None)
        except (InvalidImageError, ValueError, OSError) as error:
            return f"**Cannot evaluate:** {error}", None, None, None
        return (
            _evaluation_summary(report, path),
            confusion_matrix_figure(report["confusion_matrix"]),
            confusion_matrix_figure(report["confusion_matrix"], normalise=True),
            _evaluation_table(report),
        )

    return run


def model_summary(predictor: Predictor) -> str:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        predictor.model.summary(line_length=100)
    return buffer.getvalue()


def build_app(predictor: Predictor) -> gr.Blocks:
    with gr.Blocks(title="Facial expression recognition", delete_cache=CONFIG.delete_cache) as app:
        gr.Markdown("# Facial expression recognition\nSeven emotions for every face, and how the answer came about.")
        with gr.Tab("Predict"):
            with gr.Row():
                with gr.Column(scale=2):
                    image = gr.Image(type="filepath", sources=["upload", "webcam", "clipboard"], label="Photo")
                    gr.Examples(EXAMPLES, inputs=image, label="Examples")
                with gr.Column(scale=1):
                    min_score = gr.Slider(
                        0.1,
                        0.95,
                        value=predictor.config.min_detector_score,
                        step=0.05,
                        label="Face detector threshold",
                        info="Higher: fewer, surer faces",
                    )
                    whole = gr.Checkbox(label="Treat the whole image as one face (already-cropped faces)")
                    tta = gr.Checkbox(value=predictor.config.tta, label="Test-time augmentation (mirror, zoom)")
                    submit = gr.Button("Predict", variant="primary")
                    message = gr.Markdown(elem_id="predict-message")
                    selector = gr.Dropdown(label="Face", choices=[], interactive=True)
            with gr.Row(equal_height=True):
                annotated = gr.Image(label="1. Original with faces", interactive=False)
                crop = gr.Image(label="2. Detected face", interactive=False)
                model_input = gr.Image(label="3. 48x48 grayscale input", interactive=False)
                attention = gr.Image(label="4. Attention map", interactive=False)
                with gr.Column(min_width=160):
                    verdict = gr.Markdown(label="5. Prediction", elem_id="verdict")
            chart = gr.Plot(label="Probabilities", elem_id="probability-chart")
            table = gr.Dataframe(label="All faces", interactive=False)
            state = gr.State()
            submit.click(
                make_predict(predictor),
                [image, min_score, whole, tta],
                [message, state, selector, annotated, crop, model_input, attention, verdict, chart, table],
                preprocess=False,
            )
            selector.change(face_views, [state, selector], [crop, model_input, attention, verdict, chart])

        with gr.Tab("Live"):
            gr.Markdown("Webcam stream: faces are classified about twice a second (single pass, no augmentation).")
            with gr.Row():
                camera = gr.Image(sources=["webcam"], streaming=True, type="numpy", label="Webcam")
                live_frame = gr.Image(label="Annotated", interactive=False)
            live_chart = gr.Plot(label="Recent probabilities (first face)")
            live_state = gr.State([])
            camera.stream(
                make_live(predictor),
                [camera, live_state],
                [live_frame, live_chart, live_state],
                stream_every=CONFIG.live_stream_every,
                time_limit=300,
                concurrency_limit=1,
            )

        with gr.Tab("Video"):
            with gr.Row():
                video_in = gr.Video(sources=["upload"], label="Short video")
                with gr.Column():
                    every = gr.Slider(1, 30, value=5, step=1, label="Classify every Nth frame")
                    video_button = gr.Button("Analyse", variant="primary")
                    video_message = gr.Markdown()
                    video_csv = gr.File(label="Per-frame CSV")
            video_chart = gr.Plot(label="Emotions over time")
            video_button.click(make_video(predictor), [video_in, every], [video_message, video_chart, video_csv])

        with gr.Tab("Training"):
            counts = _load_json("class_counts.json")
            config = _load_json("train_config.json")
            history_upload = gr.File(
                label="Compare with another run's history.csv", file_types=[".csv"], type="filepath"
            )
            history_message = gr.Markdown()
            with gr.Row():
                curves = [gr.Plot(value=figure) for figure in training_figures(None)[1:3]]
            with gr.Row():
                curves += [gr.Plot(value=figure) for figure in training_figures(None)[3:]]
            history_upload.change(training_figures, history_upload, [history_message, *curves])
            with gr.Row():
                gr.Plot(value=class_distribution_figure(counts) if counts else None, label="Class distribution")
                gr.JSON(value=config, label="Training configuration (assets/train_config.json)")

        with gr.Tab("Evaluation"):
            stored = _load_json("eval_publictest.json")
            if stored:
                gr.Markdown(
                    "Bundled model on FER-2013 PublicTest (the validation split used for model selection):\n\n"
                    + _evaluation_summary(stored["single"], "Single pass")
                    + "\n\n"
                    + _evaluation_summary(stored["tta"], "With test-time augmentation")
                )
                default = stored["tta"] if predictor.config.tta else stored["single"]
                with gr.Row():
                    gr.Plot(value=confusion_matrix_figure(default["confusion_matrix"]))
                    gr.Plot(value=confusion_matrix_figure(default["confusion_matrix"], normalise=True))
                gr.Dataframe(value=_evaluation_table(default), label="Per class", interactive=False)
            gr.Markdown("### Evaluate on your own labelled faces")
            with gr.Row():
                eval_path = gr.Textbox(label="Folder of class folders, or fer2013.csv", scale=3)
                eval_usage = gr.Textbox(label="CSV Usage (optional)", placeholder="PrivateTest", scale=1)
                eval_button = gr.Button("Evaluate", variant="primary", scale=1)
            eval_message = gr.Markdown()
            with gr.Row():
                eval_counts, eval_normalised = gr.Plot(), gr.Plot()
            eval_table = gr.Dataframe(interactive=False)
            eval_button.click(
                make_evaluate(predictor),
                [eval_path, eval_usage],
                [eval_message, eval_counts, eval_normalised, eval_table],
            )

        with gr.Tab("Model"):
            gr.Markdown(
                f"**{predictor.model_path.name}**: {predictor.model.count_params():,} parameters; "
                f"classes {', '.join(CLASS_NAMES)}."
            )
            gr.Code(value=model_summary(predictor), language=None, label="Architecture")
            card = ASSETS / "MODEL_CARD.md"
            gr.Markdown(card.read_text() if card.exists() else "No model card found.")
    return app


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--share", action="store_true", help="ask Gradio for a public link (needs the internet)")
    return parser.parse_args(argv)


def _stop(signum, frame):
    # Gradio closes its server, and so deletes every cached upload, on KeyboardInterrupt: treat SIGTERM alike.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _stop)
    UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    try:
        predictor = Predictor(args.model)
    except (FileNotFoundError, ValueError) as error:
        raise SystemExit(f"error: {error}") from None
    app = build_app(predictor)
    app.queue(default_concurrency_limit=CONFIG.concurrency_limit, max_size=CONFIG.queue_size)
    app.launch(
        server_name=args.host,
        server_port=args.port,
        share=args.share,
        max_file_size=CONFIG.max_file_size,
        prevent_thread_lock=True,
    )
    if args.share and not app.share_url:
        print(
            "The public share link could not be created (it needs the internet); "
            f"the dashboard is still running locally at {app.local_url}",
            file=sys.stderr,
        )
    app.block_thread()


if __name__ == "__main__":
    main()
