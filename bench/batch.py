"""Benchmark of ``loyalty-audit report --batch``: many clients in parallel against one after another.

    .venv/bin/python bench/batch.py [--clients 50] [--jobs 2] [--no-write]

It generates ``--clients`` client folders (seeded: 3 to 6 respondents each, random but
valid answers to the default bank, every department) and reports them:

- one after another: ``run_batch(jobs=1)`` in one fresh process;
- in parallel: ``run_batch(jobs=N)`` in another fresh process (worker processes, spawned);
- one report alone: ``run_batch`` of a single client in a fresh process, for memory.

Speed is the wall time of the two batches. Memory is the peak resident set (VmHWM) of each
process that rendered reports: the one process of the sequential batch, every worker of the
parallel batch, and the single report's process. The table is printed and, unless
``--no-write``, written into bench/README.md under the "Batch" heading.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "vectors"))

from random_answers import random_entry  # noqa: E402

from audit.read.bank import load_bank  # noqa: E402

README = ROOT / "bench" / "README.md"


def make_clients(folder: Path, count: int, seed: int = 50) -> Path:
    """``count`` client folders with 3-6 respondents each; the same folders for the same seed."""
    bank = load_bank(ROOT / "questions")
    rng = random.Random(seed)
    for c in range(count):
        client = folder / f"client-{c:02d}"
        (client / "answers").mkdir(parents=True)
        profile = {pq.id: rng.choice([o.key for o in pq.options]) for pq in bank.profile}
        for r in range(rng.randint(3, 6)):
            entry = random_entry(bank, rng, r)
            entry["profile"] = profile
            entry["respondent"]["department"] = rng.choice([d.key for d in bank.departments])
            data = {"bank": bank.id, "bank_version": bank.version, "organisation": f"Client {c:02d} S.L.",
                    "submitted": f"2026-11-{1 + r:02d}", **entry}
            (client / "answers" / f"{r:02d}.yaml").write_text(
                yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def child(clients: Path, out: Path, jobs: int) -> dict[str, Any]:
    """One batch of the client folders in ``clients``, as ``report --batch`` runs it, in this
    process: its wall time, reports written, pages, and the peak memory of the processes."""
    from audit.read.project import find_projects
    from audit.run.batch import peak_kib, run_batch
    from audit.run.options import Options

    projects = find_projects(clients)
    start = time.perf_counter()
    outcomes = run_batch(projects, Options(), out_dir=out, jobs=jobs)
    wall = time.perf_counter() - start
    return {"wall": wall, "ok": sum(o.ok for o in outcomes), "pages": sum(o.pages for o in outcomes),
            "workers_peak_kib": max(o.peak_kib for o in outcomes), "self_peak_kib": peak_kib()}


def run(clients: Path, out: Path, jobs: int) -> dict[str, Any]:
    """:func:`child` in a fresh process (its memory is the batch's alone)."""
    done = subprocess.run([sys.executable, __file__, "--child", str(clients), str(out), str(jobs)],
                          capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--child", nargs=3, metavar=("CLIENTS", "OUT", "JOBS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child[0]), Path(args.child[1]), int(args.child[2]))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        clients = make_clients(Path(tmp) / "clients", args.clients)
        single = run(clients / "client-00", Path(tmp) / "single", 1)
        seq = run(clients, Path(tmp) / "seq", 1)
        par = run(clients, Path(tmp) / "par", args.jobs)
    assert seq["ok"] == par["ok"] == args.clients, (seq, par)
    speedup = seq["wall"] / par["wall"]
    single_mib = single["self_peak_kib"] / 1024
    par_mib = par["workers_peak_kib"] / 1024
    seq_mib = seq["self_peak_kib"] / 1024
    rows = [
        ("clients (report pages in all; each report has its data pack too)", f"{args.clients} ({par['pages']})", ""),
        ("one after another (1 process)", f"{seq['wall']:.1f} s", ""),
        (f"batch, {args.jobs} jobs", f"{par['wall']:.1f} s", ""),
        ("speed-up, batch / one after another", f"**{speedup:.2f}x**", ">= 1.7x"),
        ("peak memory, one report alone", f"{single_mib:.0f} MiB", ""),
        ("peak memory, largest batch worker / one report", f"**{par_mib / single_mib:.2f}x** ({par_mib:.0f} MiB)",
         "<= 1.3x"),
        ("peak memory, one process doing all / one report", f"{seq_mib / single_mib:.2f}x ({seq_mib:.0f} MiB)", ""),
    ]
    table = "\n".join(["| measure | result | target |", "| --- | --- | --- |"]
                      + [f"| {a} | {b} | {c} |" for a, b, c in rows])
    print(table)
    if not args.no_write:
        text = README.read_text(encoding="utf-8")
        head = "## Batch"
        section = (f"{head}\n\n`.venv/bin/python bench/batch.py --clients {args.clients} --jobs {args.jobs}` "
                   f"on {os.cpu_count()} cores, Python {platform.python_version()}; each batch in a fresh "
                   "process, workers spawned and replaced every few reports:\n\n" + table + "\n")
        if head in text:
            start = text.index(head)
            end = text.find("\n## ", start + len(head))
            text = text[:start] + section + (text[end:] if end != -1 else "")
        else:
            text = text.rstrip("\n") + "\n\n" + section
        README.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
