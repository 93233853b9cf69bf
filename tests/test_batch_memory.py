"""``report --batch --jobs``: as many workers as cores and free memory allow, worked out from
given numbers; MemAvailable read from a meminfo file; a report's estimate from its bank."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.read.bank import load_bank
from audit.read.project import Project
from audit.run.batch import QUESTION_KIB, WORKER_KIB, _largest_bank, available_kib, report_kib, size_jobs

from .conftest import MINI, ROOT

GIB = 1024 * 1024  # KiB


@pytest.mark.parametrize(("requested", "cores", "available", "per_report", "clients", "jobs", "lowered"), [
    # plenty of memory: one per core, no more than the clients
    (None, 4, 16 * GIB, GIB // 4, 10, 4, False),
    (None, 4, 16 * GIB, GIB // 4, 3, 3, False),
    # 2.5 GiB free, 1 GiB a report: 2 workers though there are 8 cores
    (None, 8, int(2.5 * GIB), GIB, 10, 2, False),
    # not even one report fits: still one at a time
    (None, 2, GIB // 2, GIB, 5, 1, False),
    # the system does not say: cores alone
    (None, 2, None, GIB, 5, 2, False),
    # asked for 6, memory holds 3: lowered, with a warning
    (6, 2, 3 * GIB, GIB, 10, 3, True),
    # asked for 6 but only 2 clients, and memory holds 3: nothing to lower
    (6, 2, 3 * GIB, GIB, 2, 2, False),
    # asked for fewer than memory holds: as asked, even beyond the cores
    (3, 2, 8 * GIB, GIB, 10, 3, False),
    # asked for 2 where one does not fit: one, with a warning
    (2, 8, GIB // 2, GIB, 10, 1, True),
])
def test_jobs_are_sized_from_cores_and_free_memory(requested: int | None, cores: int, available: int | None,
                                                   per_report: int, clients: int, jobs: int, lowered: bool) -> None:
    sized, warning = size_jobs(requested, cores, available, per_report, clients)
    assert sized == jobs
    assert (warning is not None) == lowered


def test_the_warning_says_why() -> None:
    _, warning = size_jobs(6, 2, 3 * GIB, GIB, 10)
    assert warning == ("--jobs 6: lowered to 3, as 3.0 GiB of memory is available and one report of this bank "
                       "may take up to 1.0 GiB")
    _, warning = size_jobs(4, 2, 700 * 1024, 300 * 1024, 10)
    assert warning == ("--jobs 4: lowered to 2, as 700 MiB of memory is available and one report of this bank "
                       "may take up to 300 MiB")


def test_a_report_s_memory_grows_with_its_bank() -> None:
    # 80 MiB for the worker, 2.5 MiB a question: the default bank's 75 questions ~ 267 MiB,
    # 1,000 questions ~ 2.5 GiB, as measured (bench/README.md)
    assert (WORKER_KIB, QUESTION_KIB) == (80 * 1024, 2560)
    assert report_kib(75) == 80 * 1024 + 75 * 2560
    assert report_kib(1000) / GIB == pytest.approx(2.52, abs=0.01)


def test_available_memory_is_read_from_meminfo(tmp_path: Path) -> None:
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:        8000000 kB\nMemFree:          500000 kB\nMemAvailable:    3000000 kB\n",
                       encoding="ascii")
    assert available_kib(meminfo) == 3000000
    meminfo.write_text("MemTotal:        8000000 kB\n", encoding="ascii")  # an old kernel
    assert available_kib(meminfo) is None
    assert available_kib(tmp_path / "absent") is None
    if Path("/proc/meminfo").exists():
        here = available_kib()
        assert here is not None and here > 0


def test_the_estimate_takes_the_largest_bank_the_clients_use(tmp_path: Path) -> None:
    default = len(load_bank(ROOT / "questions").questions())
    mini = len(load_bank(MINI).questions())
    assert mini < default
    projects = [Project("a", tmp_path, tmp_path), Project("b", tmp_path, tmp_path, bank=MINI)]
    assert _largest_bank(projects, None) == default
    assert _largest_bank(projects[1:], None) == mini
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "bank.yaml").write_text("id: [\n", encoding="utf-8")
    assert _largest_bank([Project("c", tmp_path, tmp_path, bank=broken)], MINI) == 0
