"""Finding 4 (names): every file a build leaves beside the warehouse, even when killed, is
ignored by git, recognised as stale by the next build, and never read as a filing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from loaders.load import is_warehouse_artifact
from medwh.build import _stale_files, build_files

ROOT = Path(__file__).resolve().parents[2]


def _names(warehouse: Path) -> list[str]:
    files = build_files(warehouse, pid=4242)
    return [
        files["tmp"].name, files["tmp"].name + ".wal", files["spill"].name + "/", files["target"].name + "/",
        warehouse.name + ".lock", warehouse.name + ".wal", warehouse.name + ".wal.stale-20260101T000000",
    ]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_build_files_are_git_ignored():
    names = _names(ROOT / "warehouse.duckdb")
    proc = subprocess.run(["git", "check-ignore", "--no-index", *names], cwd=ROOT, capture_output=True, text=True)
    assert sorted(proc.stdout.split()) == sorted(names)


def test_stale_build_files_are_found_and_never_filings(tmp_path):
    warehouse = tmp_path / "wh.duckdb"
    files = build_files(warehouse, pid=4242)
    for p in (files["tmp"], Path(f"{files['tmp']}.wal")):
        p.write_text("x")
    files["spill"].mkdir()
    files["target"].mkdir()
    (tmp_path / "wh.duckdb.k3j2l1.building").write_text("x")  # the name older builds used
    (tmp_path / "wh.duckdb.lock").write_text("")
    (tmp_path / "other.duckdb.4242.building").write_text("x")  # another warehouse's: not ours
    stale = [p.name for p in _stale_files(warehouse)]
    assert stale == sorted([files["tmp"].name, files["tmp"].name + ".wal", files["spill"].name, files["target"].name,
                            "wh.duckdb.k3j2l1.building"])
    for p in tmp_path.iterdir():
        assert is_warehouse_artifact(p, warehouse) == p.name.startswith("wh.duckdb")
