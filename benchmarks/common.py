"""Pieces shared by the load benchmarks: waiting for a server, reading memory, summarising latencies."""

from __future__ import annotations

import statistics
import subprocess
import time
import urllib.request
from pathlib import Path


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server at {url} did not start") from None
            time.sleep(0.5)


def rss_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return 0


def latency_summary(seconds: list[float]) -> str:
    """p50/p95/p99 in milliseconds."""
    ordered = sorted(s * 1000 for s in seconds)

    def percentile(q: float) -> float:
        return ordered[max(0, int(len(ordered) * q) - 1)]

    return f"p50 {statistics.median(ordered):.0f} ms, p95 {percentile(0.95):.0f} ms, p99 {percentile(0.99):.0f} ms"
