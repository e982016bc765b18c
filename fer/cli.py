"""`python -m fer predict IMAGE|FOLDER ...` and `python -m fer video FILE`: the predictor from a terminal."""

from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import cv2
from tqdm import tqdm

from fer.classes import CLASS_NAMES
from fer.data import IMAGE_SUFFIXES
from fer.errors import InvalidImageError
from fer.predictor import DEFAULT_MODEL, Predictor

PREDICT_COLUMNS = ["file", "face", "x", "y", "w", "h", "score", "emotion", *CLASS_NAMES]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m fer", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    predict = commands.add_parser("predict", help="classify every face in images or folders")
    predict.add_argument("paths", nargs="+", type=Path, help="image files or folders (walked recursively)")
    predict.add_argument("--json", action="store_true", help="print a JSON list, one object per image")
    predict.add_argument("--csv", type=Path, help="write one row per face to this CSV")
    predict.add_argument("--annotate", type=Path, metavar="OUT_DIR", help="save images with labelled boxes here")
    predict.add_argument("--whole-image", action="store_true", help="treat each image as one cropped face")
    video = commands.add_parser("video", help="emotions over time in a video")
    video.add_argument("path", type=Path)
    video.add_argument("--csv", type=Path, required=True, help="per-frame CSV to write")
    video.add_argument("--html", type=Path, help="timeline chart (default: the CSV path with .html)")
    video.add_argument("--every", type=int, default=5, help="classify every Nth frame (default 5)")
    video.add_argument("--smooth", type=float, default=0.5, help="0 = off; weight kept from the previous frame")
    for command in (predict, video):
        command.add_argument("--model", type=Path, default=DEFAULT_MODEL)
        command.add_argument(
            "--tta",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="mirror and zoom test-time augmentation (default: the predictor's default)",
        )
    return parser.parse_args(argv)


def expand(paths: list[Path]) -> Iterator[tuple[Path, str]]:
    """Files as given, and folders walked recursively; the label is FOLDER joined with the path below it."""
    for path in paths:
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()):
                yield file, str(path / file.relative_to(path))
        else:
            yield path, str(path)


def run_predict(args: argparse.Namespace, predictor: Predictor) -> int:
    files = list(expand(args.paths))
    records, failures = [], 0
    show_progress = len(files) > 1 and not args.json and sys.stderr.isatty()
    for path, label in tqdm(files, desc="images", disable=not show_progress, file=sys.stderr):
        try:
            result = predictor.predict(path, whole_image=args.whole_image, tta=args.tta, explain=bool(args.annotate))
        except InvalidImageError as error:
            failures += 1
            print(f"skipped {label}: {error}", file=sys.stderr)
            records.append({"file": label, "faces": [], "message": str(error), "error": True})
            continue
        records.append({"file": label, **result.to_dict()})
        if args.annotate:
            out = args.annotate / (Path(label).stem + "_annotated.jpg")
            out.parent.mkdir(parents=True, exist_ok=True)
            cv2.imwrite(str(out), cv2.cvtColor(result.stages["annotated"], cv2.COLOR_RGB2BGR))
    if args.csv:
        write_predict_csv(args.csv, [r for r in records if not r.get("error")])
    if args.json:
        print(json.dumps(records, indent=2))
    elif not args.csv:
        for record in records:
            print_table(record)
    return 1 if failures == len(files) else 0


def write_predict_csv(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(PREDICT_COLUMNS)
        for record in records:
            if not record["faces"]:
                writer.writerow([record["file"], "", "", "", "", "", "", "", *[""] * len(CLASS_NAMES)])
            for number, face in enumerate(record["faces"], start=1):
                writer.writerow(
                    [
                        record["file"],
                        number,
                        *face["box"],
                        face["score"],
                        face["emotion"],
                        *(face["probabilities"][name] for name in CLASS_NAMES),
                    ]
                )


def print_table(record: dict) -> None:
    print(f"{record['file']}: {record['message']}")
    if record["faces"]:
        print(f"  {'face':<5}{'box (x, y, w, h)':<24}{'emotion':<12}" + "".join(f"{n:>9}" for n in CLASS_NAMES))
    for number, face in enumerate(record["faces"], start=1):
        emotion = face["emotion"] + ("?" if face["uncertain"] else "")
        probabilities = "".join(f"{face['probabilities'][n]:>9.3f}" for n in CLASS_NAMES)
        print(f"  {number:<5}{str(tuple(face['box'])):<24}{emotion:<12}{probabilities}")


def run_video(args: argparse.Namespace, predictor: Predictor) -> int:
    from fer.plots import timeline_figure
    from fer.video import analyse_video

    bar = tqdm(desc="frames", unit="frame", file=sys.stderr, disable=not sys.stderr.isatty())

    def progress(index: int, total: int) -> None:
        bar.total = total or None
        bar.update(index - bar.n)

    if args.every < 1 or not 0 <= args.smooth < 1:
        raise InvalidImageError("--every must be at least 1 and --smooth in [0, 1).")
    frames = analyse_video(predictor, args.path, args.every, args.smooth, progress)
    bar.close()
    args.csv.parent.mkdir(parents=True, exist_ok=True)
    frames.to_csv(args.csv, index=False)
    html = args.html or args.csv.with_suffix(".html")
    timeline_figure(frames).write_html(html, include_plotlyjs=True)
    print(f"{len(frames)} face rows from {frames['frame'].nunique()} frames -> {args.csv}, {html}")
    return 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(format="%(levelname)s: %(message)s")
    args = parse_args(argv)
    try:
        predictor = Predictor(args.model)
        return run_predict(args, predictor) if args.command == "predict" else run_video(args, predictor)
    except (InvalidImageError, FileNotFoundError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
