"""The local process pool of the loader (``loaders.load._iter_results``): results come back in
the order of the paths whatever order the workers finish in, the workers never run more than a
bounded window ahead of the caller (the parent's memory does not grow with the corpus), and
closing the generator early stops the workers."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from loaders.load import _iter_results

WORKERS, CHUNK, PER_WORKER = 2, 4, 2


def _started(root: Path) -> int:
    return len(os.listdir(root / "started"))


def _marking_task(paths: list[Path], root: Path) -> list[tuple[str, int]]:
    """A stand-in for reading: notes that each path was started, takes a little while (randomly
    longer for some, so that chunks finish out of order) and returns its name and the worker's pid."""
    out = []
    for p in paths:
        (root / "started" / p.name).touch()
        time.sleep(random.choice((0.0, 0.0, 0.003, 0.02)))
        out.append((p.name, os.getpid()))
    return out


@pytest.fixture
def root(tmp_path) -> Path:
    (tmp_path / "started").mkdir()
    return tmp_path


def _paths(root: Path, n: int) -> list[Path]:
    return [root / f"f{i:04d}.txt" for i in range(n)]


def test_results_come_in_path_order_and_the_workers_stay_within_the_window(root):
    paths = _paths(root, 240)
    window = WORKERS * PER_WORKER
    got = []
    gen = _iter_results(paths, root, WORKERS, frozenset(), task=_marking_task, chunk_files=CHUNK,
                        in_flight_per_worker=PER_WORKER)
    most_ahead = 0
    for k, (name, _) in enumerate(gen, start=1):
        got.append(name)
        time.sleep(0.004)  # a parent slower than its workers: they must wait for it
        # the caller is in chunk (k-1)//CHUNK; at most `window` chunks after it were submitted
        allowed = ((k - 1) // CHUNK + 1 + window) * CHUNK
        started = _started(root)
        most_ahead = max(most_ahead, started - k)
        assert started <= allowed, f"{started} files started when the caller had taken {k} (window allows {allowed})"
    assert got == [p.name for p in paths]
    assert most_ahead > CHUNK  # the workers did read ahead: the window is used, not one chunk at a time


def test_closing_the_generator_stops_the_workers(root):
    paths = _paths(root, 400)
    gen = _iter_results(paths, root, WORKERS, frozenset(), task=_marking_task, chunk_files=CHUNK,
                        in_flight_per_worker=PER_WORKER)
    pids = {pid for _, (_, pid) in zip(range(20), gen)}
    assert pids and os.getpid() not in pids
    gen.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.05)
    assert not any(_alive(p) for p in pids), "a worker outlived the closed generator"
    assert _started(root) < len(paths)  # the rest of the folder was never read


def test_one_worker_reads_in_this_process_in_order(root):
    paths = _paths(root, 10)
    got = list(_iter_results(paths, root, 1, frozenset(), task=_marking_task))
    assert [name for name, _ in got] == [p.name for p in paths]
    assert {pid for _, pid in got} == {os.getpid()}


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            state = fh.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has exited (its parent reaps it later)
