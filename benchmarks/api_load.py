"""Load and soak test of the production server's JSON API on loopback.

    python benchmarks/api_load.py [--workers 2] [--requests 1000] [--concurrency 8] [--model FILE]

Starts `gunicorn 'flask_app:create_app()'` on 127.0.0.1, sends a mix of the bundled example photos (faces and
no face) and bad files, then prints requests/s, p50/p95/p99 latency, responses by status, worker restarts and
each worker's memory (RSS) at the start and the end. Requests are bounded in number and time.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from common import latency_summary, rss_mb, wait_until_up

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "assets" / "examples").glob("*.jpg"))
BAD = [b"not an image", b"\xff\xd8\xff\xe0" + b"\0" * 64]
TIME_LIMIT = 600


def multipart(payload: bytes, name: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="{name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + payload
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def send(url: str, payload: bytes, name: str) -> tuple[int, float]:
    body, content_type = multipart(payload, name)
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.perf_counter() - start


def worker_rss(master: int) -> dict[int, int]:
    """RSS in MB of each gunicorn worker (the master's children)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {int(pid): rss_mb(int(pid)) for pid in children}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--model", help="a .keras model (default: the bundled one)")
    args = parser.parse_args()
    factory = f"flask_app:create_app({{'MODEL_PATH': {args.model!r}}})" if args.model else "flask_app:create_app()"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--timeout",
            "120",
            factory,
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{args.port}"
        wait_until_up(f"{base}/api/health", server)
        for _ in range(args.workers * 2):  # let every worker load its model and warm up
            send(f"{base}/api/predict", EXAMPLES[0].read_bytes(), "warm.jpg")
        start_rss = worker_rss(server.pid)
        inputs = [(p.read_bytes(), p.name) for p in EXAMPLES] + [(b, "bad.jpg") for b in BAD]
        jobs = [inputs[i % len(inputs)] for i in range(args.requests)]
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
            futures = [pool.submit(send, f"{base}/api/predict", *job) for job in jobs]
            results = [f.result(timeout=TIME_LIMIT) for f in futures]
        elapsed = time.perf_counter() - started
        end_rss = worker_rss(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    statuses = collections.Counter(status for status, _ in results)
    print(
        f"{len(results)} requests, concurrency {args.concurrency}, {args.workers} gunicorn workers: "
        f"{len(results) / elapsed:.1f} requests/s; latency {latency_summary([s for _, s in results])}"
    )
    server_errors = sum(count for status, count in statuses.items() if status >= 500)
    print(f"responses by status: {dict(sorted(statuses.items()))}; 5xx: {server_errors}")
    restarts = "none" if set(start_rss) == set(end_rss) else "yes"
    memory = ", ".join(f"{pid}: {start_rss[pid]} -> {end_rss.get(pid, 'gone')}" for pid in start_rss)
    print(f"worker restarts: {restarts}; worker RSS MB start -> end: {memory}")


if __name__ == "__main__":
    main()
