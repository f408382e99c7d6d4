"""dbt opens a build's file through a hard link of a constant name (medwh.build.DbtChild), so
that its partial parsing survives from build to build. On a file system without hard links the
build still runs, on the file itself."""

from __future__ import annotations

import errno
import os

import duckdb

from tests.conftest import FILINGS


def test_a_build_runs_where_hard_links_cannot_be_made(tmp_path, monkeypatch):
    import medwh.build as build

    calls = []

    def no_links(src, dst, *args, **kwargs):
        calls.append(dst)
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(build.os, "link", no_links)
    warehouse = tmp_path / "wh.duckdb"
    result = build.build_warehouse(FILINGS, warehouse, quiet=True, target_path=tmp_path / "target")
    assert calls and result.load.loaded == 5
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("select count(*) from marts.fact_budget_line").fetchone()[0] > 100
    finally:
        con.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["target", "wh.duckdb"]  # nothing left beside it
