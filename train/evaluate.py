"""Score a model the way users get it (through the Predictor): `python -m train.evaluate --data PATH`."""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from fer.errors import InvalidImageError
from fer.evaluation import evaluate
from fer.metrics import format_report
from fer.predictor import DEFAULT_MODEL, Predictor


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", required=True, help="fer2013.csv or a folder of class folders (face crops)")
    parser.add_argument("--usage", help="with a CSV that has a Usage column: the split to score, e.g. PrivateTest")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument(
        "--tta",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="mirror and zoom test-time augmentation (default: the predictor's default)",
    )
    parser.add_argument("--json", type=Path, help="write the metrics here as JSON")
    parser.add_argument("--strict", action="store_true", help="stop at the first bad image or CSV row")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(format="%(levelname)s: %(message)s")
    args = parse_args(argv)
    try:
        report = evaluate(Predictor(args.model), args.data, args.usage, args.tta, args.strict)
    except (InvalidImageError, FileNotFoundError, ValueError) as error:
        raise SystemExit(f"error: {error}") from None
    print(format_report(report))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps({"model": str(args.model), "data": str(args.data), "usage": args.usage, **report}, indent=2)
        )


if __name__ == "__main__":
    main()
