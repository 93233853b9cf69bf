"""Benchmark of ``loyalty-audit collect`` on loopback: the load of the tests, timed.

    .venv/bin/python bench/collect.py [--runs 5] [--connections 200]

Each run scaffolds a fresh project (``loyalty-audit init``), starts the real server in a
process of its own (``python -m audit collect PROJECT --port 0 --rate 0``), and sends it
200 submissions from 50 respondents (4 versions each, the demo's answers, about 3 KB each)
all at once from one asyncio client (httpx) over ``--connections`` connections. Every
submission is checked by the CLI's loader, written with fsync and renamed into place; a
respondent's earlier versions go to ``answers/.history/``. Reported, as the median over the
runs: the run time (first request sent to last reply), throughput (submissions a second)
and the 50th and 95th percentile of a submission's latency (request sent to reply read).
Every run must end with 200 acknowledged submissions and the files the tests expect.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_collect import RESPONDENTS, VERSIONS, collecting, load_bodies  # noqa: E402


async def timed_load(url: str, token: str, bodies: list[tuple[str, bytes]],
                     connections: int) -> tuple[float, list[float]]:
    """Send every body at once; the run time and each submission's latency, in seconds."""
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=120) as client:
        async def send(respondent: str, body: bytes) -> None:
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                       "X-Respondent-Id": respondent}
            began = time.perf_counter()
            reply = await client.post("/responses", content=body, headers=headers)
            latencies.append(time.perf_counter() - began)
            assert reply.status_code == 201, reply.text

        began = time.perf_counter()
        await asyncio.gather(*(send(r, b) for r, b in bodies))
        return time.perf_counter() - began, latencies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def one_run(connections: int) -> dict[str, float]:
    bodies = load_bodies()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "bench"
        subprocess.run([sys.executable, "-m", "audit", "init", str(project), "--client", "Bench"], check=True,
                       capture_output=True)
        with collecting(project, "--rate", "0") as server:
            run_time, latencies = asyncio.run(timed_load(server.url, server.token, bodies, connections))
            server.stop()
        answers = project / "answers"
        assert len(list(answers.glob("web-*.json"))) == RESPONDENTS
        assert len(list((answers / ".history").iterdir())) == RESPONDENTS * (VERSIONS - 1)
    return {"run": run_time, "throughput": len(bodies) / run_time, "p50": percentile(latencies, 0.50),
            "p95": percentile(latencies, 0.95)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--connections", type=int, default=RESPONDENTS * VERSIONS)
    args = parser.parse_args()
    runs = []
    for n in range(args.runs):
        result = one_run(args.connections)
        runs.append(result)
        print(f"run {n + 1}: {result['run']:.2f} s, {result['throughput']:.0f} submissions/s, "
              f"p50 {result['p50'] * 1000:.0f} ms, p95 {result['p95'] * 1000:.0f} ms", flush=True)
    median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    print(f"\n{RESPONDENTS * VERSIONS} submissions from {RESPONDENTS} respondents, {args.connections} connections, "
          f"median of {args.runs} runs on {os.cpu_count()} CPUs, Python {platform.python_version()}:")
    print(f"run time {median['run']:.2f} s, {median['throughput']:.0f} submissions/s, "
          f"latency p50 {median['p50'] * 1000:.0f} ms, p95 {median['p95'] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
