"""Load and soak test of the dashboard's predict endpoint through gradio_client, on loopback.

    python benchmarks/dashboard_load.py [--requests 200] [--concurrency 4] [--model FILE]

Starts `python dashboard.py`, sends example photos (faces and no face) and a bad file, then prints
requests/s, p50/p95/p99 latency, failures, and the server's memory (RSS) at the start and the end.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import latency_summary, rss_mb, wait_until_up
from gradio_client import Client, handle_file

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "assets" / "examples").glob("*.jpg"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--port", type=int, default=7871)
    parser.add_argument("--model")
    args = parser.parse_args()
    bad = Path(tempfile.mkdtemp()) / "bad.jpg"
    bad.write_bytes(b"not an image at all")
    files = [*EXAMPLES, bad]
    command = [sys.executable, "dashboard.py", "--port", str(args.port)]
    command += ["--model", args.model] if args.model else []
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{args.port}/"
    try:
        wait_until_up(url, server)
        client = Client(url, verbose=False)
        client.predict(handle_file(str(EXAMPLES[0])), 4.0, False, True, api_name="/predict")
        start_rss = rss_mb(server.pid)

        def one(path: Path) -> tuple[bool, float]:
            started = time.perf_counter()
            try:
                outputs = client.predict(handle_file(str(path)), 4.0, False, True, api_name="/predict")
                ok = bool(outputs[0])
            except Exception:  # noqa: BLE001 - any client-side failure counts as a failed request
                ok = False
            return ok, time.perf_counter() - started

        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
            results = list(pool.map(one, [files[i % len(files)] for i in range(args.requests)], timeout=900))
        elapsed = time.perf_counter() - started
        end_rss = rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    failures = sum(1 for ok, _ in results if not ok)
    print(
        f"{len(results)} dashboard predictions, concurrency {args.concurrency}: {len(results) / elapsed:.1f}/s; "
        f"latency {latency_summary([s for _, s in results])}; failed requests {failures}; "
        f"RSS {start_rss} -> {end_rss} MB"
    )


if __name__ == "__main__":
    main()
