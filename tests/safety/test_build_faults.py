"""Findings 2-5: one build at a time, a foreign writer or stale WAL, killed builds, disk
full and read-only folders. In every case the previous warehouse stays byte-identical and
the build ends with one line saying why."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from medwh.build import BuildError, build_warehouse
from medwh.cli import main as cli
from tests.conftest import FILINGS

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _debris(folder: Path, name: str = "wh.duckdb") -> list[str]:
    """Anything beside the warehouse but the warehouse and its lock file."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(name) and p.name not in (name, name + ".lock"))


def _medwh(*args, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [PY, "-m", "medwh.cli", *map(str, args)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw
    )


def _three_filings(tmp_path: Path) -> Path:
    folder = tmp_path / "filings"
    folder.mkdir()
    for p in sorted(FILINGS.glob("*.txt"))[1:4]:
        shutil.copy(p, folder / p.name)
    return folder


def _wait_for(predicate, seconds: float = 60, step: float = 0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        got = predicate()
        if got:
            return got
        time.sleep(step)
    raise AssertionError("timed out")


def _descendants(pid: int) -> set[int]:
    out, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = (task / "children").read_text().split()
            except OSError:
                continue
            for k in map(int, kids):
                if k not in out:
                    out.add(k)
                    todo.append(k)
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


# ------------------------------------------------------------------ 2. one build at a time
def test_two_builds_of_one_warehouse_take_turns(small_build, tmp_path):
    target = tmp_path / "wh.duckdb"
    shutil.copy(small_build.warehouse, target)
    folder = _three_filings(tmp_path)
    first = _medwh("build", "--filings", folder, "--warehouse", target, "--workers", "1")
    lock = Path(f"{target}.lock")
    _wait_for(lambda: lock.exists() and lock.read_text().strip() == str(first.pid))
    second = _medwh("build", "--filings", folder, "--warehouse", target, "--no-wait")
    _, err = second.communicate(timeout=60)
    assert second.returncode == 2
    assert "another build of" in err and f"pid {first.pid}" in err and "--no-wait" in err
    third = _medwh("build", "--filings", folder, "--warehouse", target)  # --wait is the default
    _, err1 = first.communicate(timeout=180)
    assert first.returncode == 0, err1
    _, err3 = third.communicate(timeout=180)
    assert third.returncode == 0, err3
    assert "waiting for it to finish" in err3
    assert "up to date" in err3  # it built after the first, from the same folder: nothing left to do
    assert _debris(tmp_path) == []  # each build's own dbt target folder and temp files are gone
    con = duckdb.connect(str(target), read_only=True)
    assert con.execute("select count(*) from marts.dim_filing").fetchone()[0] == 3
    con.close()


# ------------------------------------------------------------------ 3. a foreign writer, a stale WAL
HOLDER = (
    "import sys, duckdb; con = duckdb.connect(sys.argv[1]); "
    "con.execute('create table main.notebook as select 42 as answer'); print('ready', flush=True); sys.stdin.readline()"
)


def test_a_process_writing_the_warehouse_stops_the_build_and_a_stale_wal_is_kept_aside(small_build, tmp_path, capsys):
    target = tmp_path / "wh.duckdb"
    shutil.copy(small_build.warehouse, target)
    folder = _three_filings(tmp_path)
    holder = subprocess.Popen([PY, "-c", HOLDER, str(target)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        before = _sha(target)
        code = cli(["build", "--quiet", "--filings", str(folder), "--warehouse", str(target)])
        err = capsys.readouterr().err.strip().splitlines()
        assert code == 2 and len(err) == 1
        assert "open for writing" in err[0] and f"process {holder.pid}" in err[0]
        assert _sha(target) == before and Path(f"{target}.wal").exists()
        # the holder is killed: its write-ahead log stays behind, no process holds the file
        holder.kill()
        holder.wait()
    finally:
        holder.kill()
        holder.wait()
    assert Path(f"{target}.wal").exists()
    code = cli(["build", "--quiet", "--filings", str(folder), "--warehouse", str(target)])
    out, err = capsys.readouterr()
    assert code == 0, err
    stale = [p.name for p in tmp_path.iterdir() if p.name.startswith("wh.duckdb.wal.stale-")]
    assert len(stale) == 1 and stale[0] in err and "moved aside" in err
    assert not Path(f"{target}.wal").exists()
    con = duckdb.connect(str(target), read_only=True)
    assert con.execute("select count(*) from marts.dim_filing").fetchone()[0] == 3
    con.close()


def test_a_summary_failure_after_publishing_is_one_warning_line(small_build, small_filings, tmp_path, capsys, monkeypatch):
    target = tmp_path / "wh.duckdb"
    shutil.copy(small_build.warehouse, target)
    import medwh.summary

    def broken(con, result):
        raise duckdb.IOException("IO Error: could not read block")
        yield  # pragma: no cover

    monkeypatch.setattr(medwh.summary, "summary_lines", broken)
    code = cli(["build", "--quiet", "--filings", str(small_filings), "--warehouse", str(target)])
    err = capsys.readouterr().err
    assert code == 0 and "Traceback" not in err
    assert "built and published" in err and "could not read block" in err


# ------------------------------------------------------------------ 4. killed builds
@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run([PY, "-m", "benchmarks.corpus", "--n", "200", "--out", str(out)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return out / "filings"


@pytest.mark.parametrize(
    "sig, moment",
    [(signal.SIGKILL, "load"), (signal.SIGTERM, "load"), (signal.SIGKILL, "dbt"), (signal.SIGTERM, "dbt")],
    ids=["kill-during-load", "term-during-load", "kill-during-dbt", "term-during-dbt"],
)
def test_a_killed_build_leaves_the_old_warehouse_and_no_orphans(sig, moment, small_build, corpus, tmp_path):
    target = tmp_path / "wh.duckdb"
    shutil.copy(small_build.warehouse, target)
    before = _sha(target)
    build = subprocess.Popen(
        [PY, "-m", "medwh.cli", "build", "--filings", str(corpus), "--warehouse", str(target), "--workers", "2"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    marker = "read 20/200" if moment == "load" else "running dbt build"
    lines = []
    for line in build.stderr:
        lines.append(line)
        if marker in line:
            break
    assert any(marker in ln for ln in lines), "".join(lines)
    if moment == "dbt":
        time.sleep(2.0)  # dbt is parsing or running models
    children = _descendants(build.pid)
    assert children, "the build has worker or dbt processes"
    os.kill(build.pid, sig)
    rest = build.stderr.read()
    build.wait(timeout=60)
    assert build.returncode != 0
    if sig == signal.SIGTERM:
        assert "stopped by SIGTERM" in rest and "Traceback" not in rest
        assert _debris(tmp_path) == []  # cleaned up on the way out
    assert _sha(target) == before  # the old warehouse, byte-identical
    _wait_for(lambda: not any(_alive(c) for c in children), seconds=15)  # no orphaned worker or dbt
    # the next build removes whatever a SIGKILL left and succeeds
    after = build_warehouse(_three_filings(tmp_path), target, quiet=True)
    assert after.load.loaded == 3
    assert _debris(tmp_path) == []


# ------------------------------------------------------------------ 5. disk full, read-only folder
def _mount_tmpfs(where: Path, size: str) -> None:
    where.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({proc.stderr.decode().strip()}): needs root and mount rights")


def test_disk_full_is_one_line_and_the_old_warehouse_survives(small_build, small_filings, tmp_path, capsys):
    disk = tmp_path / "disk"
    size = small_build.warehouse.stat().st_size
    _mount_tmpfs(disk, f"{size + 1_500_000}")  # the old file fits, a new one beside it does not
    try:
        target = disk / "wh.duckdb"
        shutil.copy(small_build.warehouse, target)
        before = _sha(target)
        code = cli(["build", "--quiet", "--filings", str(_three_filings(tmp_path)), "--warehouse", str(target)])
        err = capsys.readouterr().err.strip().splitlines()
        assert code == 2 and err and err[-1].startswith("medwh: error: ")
        assert "disk full" in err[-1] and "left as it was" in err[-1]
        assert "Traceback" not in "\n".join(err)
        assert _sha(target) == before
        assert _debris(disk) == []
    finally:
        subprocess.run(["umount", "-l", str(disk)])


def test_a_read_only_target_folder_is_one_line(small_build, small_filings, tmp_path, capsys):
    disk = tmp_path / "ro"
    _mount_tmpfs(disk, "64m")
    try:
        target = disk / "wh.duckdb"
        shutil.copy(small_build.warehouse, target)
        before = _sha(target)
        proc = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True)
        if proc.returncode != 0:
            pytest.skip(f"cannot remount read-only: {proc.stderr.decode().strip()}")
        code = cli(["build", "--quiet", "--filings", str(_three_filings(tmp_path)), "--warehouse", str(target)])
        err = capsys.readouterr().err.strip().splitlines()
        assert code == 2 and len(err) == 1
        assert "read-only file system" in err[0] and str(disk) in err[0] and "WAREHOUSE" in err[0]
        assert _sha(target) == before
    finally:
        subprocess.run(["umount", "-l", str(disk)])


def test_enospc_and_duckdb_io_errors_become_one_line(small_filings, tmp_path, monkeypatch):
    import medwh.build

    def full(*a, **kw):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "wh.duckdb.1.building"))

    monkeypatch.setattr(medwh.build, "load_folder", full)
    with pytest.raises(BuildError, match=r"disk full.*wh\.duckdb\.1\.building.*left as it was"):
        build_warehouse(small_filings, tmp_path / "wh.duckdb", quiet=True)

    def denied(*a, **kw):
        raise duckdb.IOException('IO Error: Cannot open file "/x/wh.duckdb": Permission denied')

    monkeypatch.setattr(medwh.build, "load_folder", denied)
    with pytest.raises(BuildError, match=r"permission denied.*Permission denied"):
        build_warehouse(small_filings, tmp_path / "wh.duckdb", quiet=True)
    assert _debris(tmp_path) == [] and not (tmp_path / "wh.duckdb").exists()
