"""Robust ingestion: a folder of real-world files — duplicates, other encodings, cut-off
and damaged copies, empty, binary and non-filing files, dead links — builds, loads every
good filing once, and says what it skipped and why. Every bad input is generated here."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from medwh.build import BuildError, build_warehouse
from medwh.cli import main as cli
from tests.conftest import FILINGS

pytestmark = pytest.mark.integration


def _facts(warehouse: Path, where: str = "true") -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return sorted(con.execute(
            f"""select budget_line_id, source_file, source_line, statement, measure, amount_yuan
                from marts.fact_budget_line where {where}"""
        ).fetchall())
    finally:
        con.close()


def _query(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def messy(tmp_path_factory) -> Path:
    # the originals at the top (they sort before bad/: the first copy by path is the one loaded)
    folder = tmp_path_factory.mktemp("messy") / "filings"
    shutil.copytree(FILINGS, folder)
    bad = folder / "bad"
    bad.mkdir()
    text_002 = (FILINGS / "002_6529f0b8e0e0d604.txt").read_text(encoding="utf-8")
    text_000 = (FILINGS / "000_0d865fbb591555cd.txt").read_text(encoding="utf-8")
    text_004 = (FILINGS / "004_ff68eaab89af36f2.txt").read_text(encoding="utf-8")
    # the same filings saved again: GBK, GB18030 with CRLF, UTF-8 with BOM and CRLF, another name
    (bad / "copy_002_gbk.txt").write_bytes(text_002.encode("gbk"))
    (bad / "copy_002_gb18030_crlf.txt").write_bytes(text_002.replace("\n", "\r\n").encode("gb18030"))
    (bad / "copy_000_bom_crlf.txt").write_bytes(b"\xef\xbb\xbf" + text_000.replace("\n", "\r\n").encode("utf-8"))
    # a download cut off inside a table row of 004 (the 全民参保率 row, cell 全民参保率)
    cut_at = text_004.index("\t全民参保率") + len("\t全民参保率")
    (bad / "cut_004.txt").write_text(text_004[:cut_at], encoding="utf-8")
    # nothing, noise, a spreadsheet, a text that is no filing, a link to nowhere
    (bad / "empty.txt").write_bytes(b"")
    (bad / "random.bin").write_bytes(random.Random(7).randbytes(4096))
    (bad / "table.xlsx").write_bytes(b"PK\x03\x04" + bytes(200))
    (bad / "notes.txt").write_text("会议纪要\n今天讨论了预算公开工作。\n", encoding="utf-8")
    os.symlink(bad / "does-not-exist.txt", bad / "dead_link.txt")
    # tables without a year anywhere: read, but not placeable
    import re

    text_003 = (FILINGS / "003_2696e539d39fb95d.txt").read_text(encoding="utf-8")
    (bad / "no_year.txt").write_text(re.sub(r"20\d\d年", "", text_003), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def messy_build(messy, tmp_path_factory):
    out = tmp_path_factory.mktemp("messy_wh")
    return build_warehouse(messy, out / "wh.duckdb", quiet=True, target_path=out / "target")


def test_every_file_is_listed_with_its_status(messy_build):
    got = dict(_query(messy_build.warehouse, "select source_file, status from marts.dim_filing"))
    assert {f: s for f, s in got.items() if not f.startswith("bad/")} == {
        p.name: "loaded" for p in FILINGS.glob("*.txt")
    }
    assert got["bad/copy_002_gbk.txt"] == "duplicate"
    assert got["bad/copy_002_gb18030_crlf.txt"] == "duplicate"
    assert got["bad/copy_000_bom_crlf.txt"] == "duplicate"
    assert got["bad/cut_004.txt"] == "loaded"
    for name in ("empty.txt", "random.bin", "table.xlsx", "notes.txt", "dead_link.txt", "no_year.txt"):
        assert got[f"bad/{name}"] == "failed", name


def test_every_bad_file_has_its_reason(messy_build):
    issues = _query(
        messy_build.warehouse,
        "select source_file, severity, code, message from audit.parse_issues where source_file like 'bad/%'",
    )
    by_file = {}
    for f, sev, code, msg in issues:
        by_file.setdefault(f, []).append((sev, code, msg))
    assert ("error", "empty") in {(s, c) for s, c, _ in by_file["bad/empty.txt"]}
    assert {c for _, c, _ in by_file["bad/random.bin"]} & {"not_text"}
    assert {c for _, c, _ in by_file["bad/table.xlsx"]} & {"not_text"}
    assert {c for _, c, _ in by_file["bad/notes.txt"]} == {"not_a_filing"}
    assert {c for _, c, _ in by_file["bad/dead_link.txt"]} == {"unreadable"}
    assert ("error", "not_placeable") in {(s, c) for s, c, _ in by_file["bad/no_year.txt"]}
    dup = [m for _, c, m in by_file["bad/copy_002_gbk.txt"] if c == "duplicate"]
    assert dup and "002_6529f0b8e0e0d604.txt" in dup[0]
    cut = [(s, m) for s, c, m in by_file["bad/cut_004.txt"] if c == "truncated"]
    assert cut and cut[0][0] == "error" and "lines 223-223" in cut[0][1]  # where the table breaks off
    # a copy that claims the same department, year and statement is named with the original
    overlap = [m for _, c, m in by_file["bad/cut_004.txt"] if c == "overlapping_filings"]
    assert overlap and "004_ff68eaab89af36f2.txt" in overlap[0]


def test_the_summary_lists_skipped_files(messy_build):
    skipped = {f: status for f, status, _ in messy_build.load.skipped}
    assert skipped["bad/copy_002_gbk.txt"] == "duplicate"
    assert skipped["bad/notes.txt"] == "failed"
    assert messy_build.load.loaded == 6 and messy_build.load.duplicates == 3 and messy_build.load.failed == 6


def test_encodings_are_recorded(messy_build):
    got = dict(_query(messy_build.warehouse, "select source_file, encoding from marts.dim_filing"))
    assert got["bad/copy_002_gbk.txt"] == "gb18030"
    assert got["bad/copy_000_bom_crlf.txt"] == "utf-8-sig"
    assert got["002_6529f0b8e0e0d604.txt"] == "utf-8"


def test_marts_hold_the_good_filings_and_the_complete_part_of_the_cut_one(messy_build, built):
    assert _facts(messy_build.warehouse, "source_file not like 'bad/%'") == _facts(built.warehouse)
    # duplicates add no facts
    assert _facts(messy_build.warehouse, "source_file like 'bad/copy_%'") == []
    # the cut copy: the amounts before the cut, no row from the cut-off row on
    cut = _query(messy_build.warehouse, "select count(*), max(source_line) from marts.fact_target where source_file = 'bad/cut_004.txt'")
    full = _query(built.warehouse, "select count(*) from marts.fact_target where source_file like '004_%'")
    # the cut-off 全民参保率 row (219) and the three rows after it (226, 232, 238) are not in the copy
    assert cut[0][0] == full[0][0] - 4 and cut[0][1] < 219
    assert len(_facts(messy_build.warehouse, "source_file = 'bad/cut_004.txt'")) == 4


def test_rebuilding_gives_identical_marts_and_reuses_unchanged_files(messy, messy_build, tmp_path):
    target = tmp_path / "wh.duckdb"
    shutil.copy(messy_build.warehouse, target)
    before = target.read_bytes()
    same = build_warehouse(messy, target, quiet=True, target_path=tmp_path / "target")
    assert same.up_to_date and target.read_bytes() == before  # nothing changed: nothing rebuilt
    # a change that is no filing's (a failed file renamed): rebuilt, but no filing parsed again
    (messy / "bad" / "notes.txt").rename(messy / "bad" / "notes_renamed.txt")
    try:
        again = build_warehouse(messy, target, quiet=True, target_path=tmp_path / "target")
    finally:
        (messy / "bad" / "notes_renamed.txt").rename(messy / "bad" / "notes.txt")
    assert not again.up_to_date and again.load.reused == 6
    assert _facts(again.warehouse) == _facts(messy_build.warehouse)
    assert _query(again.warehouse, "select * from marts.fact_target order by target_id") == _query(
        messy_build.warehouse, "select * from marts.fact_target order by target_id"
    )


def test_a_changed_file_replaces_its_own_facts_and_a_removed_one_is_gone(built, tmp_path):
    folder = tmp_path / "filings"
    shutil.copytree(FILINGS, folder)
    target = tmp_path / "wh.duckdb"
    first = build_warehouse(folder, target, quiet=True, target_path=tmp_path / "target")
    path_003 = next(folder.glob("003_*.txt"))
    text = path_003.read_text(encoding="utf-8")
    path_003.write_text(text.replace("\t打击欺诈骗保工作经费\t30\t", "\t打击欺诈骗保工作经费\t35\t"), encoding="utf-8")
    next(folder.glob("001_*.txt")).unlink()
    second = build_warehouse(folder, target, quiet=True, target_path=tmp_path / "target")
    assert second.load.reused == 3 and second.load.loaded == 4
    before = {r for r in _facts(first.warehouse) if not r[1].startswith(("001", "003"))}
    after = set(_facts(second.warehouse))
    assert before <= after
    assert not [r for r in after if r[1].startswith("001")]
    changed = _query(second.warehouse, "select amount_yuan from marts.fact_budget_line f join marts.dim_project p using (project_id) where p.project_name = '打击欺诈骗保工作经费'")
    assert [str(a) for (a,) in changed] == ["350000.00"]


READER = textwrap.dedent(
    """
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    print(con.execute("select count(*) from marts.dim_filing").fetchone()[0], flush=True)
    sys.stdin.readline()  # hold the file open until told
    print(con.execute("select count(*) from marts.dim_filing").fetchone()[0], flush=True)
    """
)


def test_a_reader_holding_the_file_does_not_block_a_rebuild(built, tmp_path):
    target = tmp_path / "wh.duckdb"
    shutil.copy(built.warehouse, target)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(target)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert reader.stdout.readline().strip() == "5"
        folder = tmp_path / "filings"
        folder.mkdir()
        for p in sorted(FILINGS.glob("*.txt"))[:2]:
            shutil.copy(p, folder / p.name)
        rebuilt = build_warehouse(folder, target, quiet=True, target_path=tmp_path / "target")
        assert _query(rebuilt.warehouse, "select count(*) from marts.dim_filing") == [(2,)]
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "5"  # the reader still sees the old data
    finally:
        reader.kill()
        reader.wait()


# ------------------------------------------------------------------ one-line CLI errors
def _cli_error(capsys, *argv) -> str:
    code = cli(list(argv))
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert err and err[-1].startswith("medwh: error: ")
    return err[-1]


def test_cli_error_missing_folder(capsys, tmp_path):
    msg = _cli_error(capsys, "build", "--filings", str(tmp_path / "nope"), "--warehouse", str(tmp_path / "w.duckdb"))
    assert "does not exist" in msg and "--filings" in msg  # the CLI's own option, not the Makefile's


def test_cli_error_empty_folder(capsys, tmp_path):
    (tmp_path / "empty").mkdir()
    msg = _cli_error(capsys, "build", "--filings", str(tmp_path / "empty"), "--warehouse", str(tmp_path / "w.duckdb"))
    assert "has no files" in msg


def test_cli_error_unwritable_warehouse(capsys, tmp_path):
    msg = _cli_error(capsys, "build", "--filings", str(FILINGS), "--warehouse", str(tmp_path / "no" / "dir" / "w.duckdb"))
    assert "cannot write" in msg and "WAREHOUSE" in msg


def _duckdb_block_checksum(buf: bytes) -> int:
    """DuckDB's block checksum (src/common/checksum.cpp) over whole 8-byte words."""
    import struct

    result = 5381
    for (word,) in struct.iter_unpack("<Q", buf[: len(buf) // 8 * 8]):
        result ^= (word * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    return result


def test_cli_error_newer_duckdb_format(capsys, tmp_path, built):
    newer = tmp_path / "newer.duckdb"
    data = bytearray(built.warehouse.read_bytes())
    # main header block (4096 bytes): checksum, magic "DUCK", storage version number, …
    assert data[8:12] == b"DUCK"
    assert int.from_bytes(data[:8], "little") == _duckdb_block_checksum(bytes(data[8:4096]))
    data[12:20] = (999).to_bytes(8, "little")  # a storage version from the future
    data[:8] = _duckdb_block_checksum(bytes(data[8:4096])).to_bytes(8, "little")
    newer.write_bytes(bytes(data))
    msg = _cli_error(capsys, "query", "select 1", "--warehouse", str(newer))
    assert "newer DuckDB" in msg or "newer version" in msg


def test_cli_error_names_the_failing_dbt_test(capsys, tmp_path):
    folder = tmp_path / "filings"
    shutil.copytree(FILINGS, folder)
    path = next(folder.glob("003_*.txt"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\t打击欺诈骗保工作经费\t30\t", "\t打击欺诈骗保工作经费\t35\t"), encoding="utf-8")
    msg = _cli_error(capsys, "build", "--quiet", "--strict", "--filings", str(folder), "--warehouse", str(tmp_path / "w.duckdb"))
    assert "reconciliation_failures_explained" in msg and "left as it was" in msg
    assert not (tmp_path / "w.duckdb").exists()
