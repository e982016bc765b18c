"""Seconds from `python dashboard.py` to a page that answers, on the bundled model (target: under 10 s).

python benchmarks/dashboard_startup.py [--runs 3] [--model FILE]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def startup_seconds(port: int, model: str | None) -> float:
    command = [sys.executable, "dashboard.py", "--port", str(port)] + (["--model", model] if model else [])
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - start < 120:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                return time.perf_counter() - start
            except OSError:
                if process.poll() is not None:
                    raise SystemExit("the dashboard exited during start-up") from None
                time.sleep(0.1)
        raise SystemExit("the dashboard did not answer within 120 s")
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=7870)
    parser.add_argument("--model")
    args = parser.parse_args()
    times = [startup_seconds(args.port, args.model) for _ in range(args.runs)]
    print(
        f"dashboard start-up: median {statistics.median(times):.1f} s over {args.runs} runs "
        f"({', '.join(f'{t:.1f}' for t in times)})"
    )


if __name__ == "__main__":
    main()
