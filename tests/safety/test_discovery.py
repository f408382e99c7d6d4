"""Finding 6: folders that cannot be read are reported, and a warehouse kept inside its own
filings folder never reads itself (nor its WAL, lock, temp or spill files) as a filing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

import loaders.load as load
from loaders.load import discover, discover_files


def _deny(monkeypatch, denied: Path) -> None:
    real = os.scandir

    def scandir(path="."):
        if not isinstance(path, int) and Path(path) == denied:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(load.os, "scandir", scandir)


def test_an_unreadable_folder_is_reported_not_skipped(tmp_path, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("x")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "y.txt").write_text("y")
    (tmp_path / "z.txt").write_text("z")
    _deny(monkeypatch, tmp_path / "locked")
    paths, problems = discover(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == ["a/x.txt", "z.txt"]
    assert len(problems) == 1 and problems[0][0] == "locked/" and "Permission denied" in problems[0][1]
    assert discover_files(tmp_path) == paths  # the old call still works


def test_the_warehouse_and_its_files_are_never_filings(tmp_path):
    (tmp_path / "f.txt").write_text("f")
    for name in ("wh.duckdb", "wh.duckdb.wal", "wh.duckdb.lock", "wh.duckdb.123.building", "wh.duckdb.123.building.wal",
                 "wh.duckdb.wal.stale-20260101T000000", "wh.duckdb.tmp"):
        (tmp_path / name).write_text("x")
    for name in ("wh.duckdb.123.spill", "wh.duckdb.123.dbt"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "inner.txt").write_text("x")
    names = [p.name for p in discover(tmp_path, exclude=tmp_path / "wh.duckdb")[0]]
    assert names == ["f.txt"]
    assert "wh.duckdb" in [p.name for p in discover(tmp_path)[0]]  # without exclude: listed


@pytest.mark.integration
def test_a_warehouse_inside_its_filings_folder(small_filings, tmp_path, monkeypatch):
    from medwh.build import build_warehouse

    folder = tmp_path / "filings"
    shutil.copytree(small_filings, folder)
    (folder / "locked").mkdir()
    shutil.copy(next(small_filings.glob("*.txt")), folder / "locked" / "copy.txt")
    _deny(monkeypatch, folder / "locked")
    target = folder / "wh.duckdb"
    (folder / "wh.duckdb.wal.stale-20260101T000000").write_text("an old log kept aside")
    first = build_warehouse(folder, target, quiet=True, target_path=tmp_path / "target")
    con = duckdb.connect(str(target), read_only=True)
    try:
        files = dict(con.execute("select source_file, status from marts.dim_filing").fetchall())
        issues = con.execute(
            "select source_file, severity, code, message from audit.parse_issues where code = 'unreadable_folder'"
        ).fetchall()
    finally:
        con.close()
    assert not [f for f in files if f.startswith("wh.duckdb")], files
    assert files["locked/"] == "failed"
    assert len(issues) == 1 and issues[0][:3] == ("locked/", "error", "unreadable_folder")
    assert ("locked/", "failed") in {(f, s) for f, s, _ in first.load.skipped}
    before = target.read_bytes()
    again = build_warehouse(folder, target, quiet=True, target_path=tmp_path / "target")
    assert again.up_to_date and target.read_bytes() == before  # its own lock and files changed nothing
