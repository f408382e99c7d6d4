"""Build a warehouse: load the filings, run ``dbt build``, publish atomically.

The build writes a new DuckDB file next to the target and renames it over the
target only when ``dbt build`` passed, so a failed build leaves the previous
warehouse untouched and a reader never sees a half-built file (a reader that
holds the old file open keeps reading the old data).
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from loaders.load import LoadSummary, load_folder, open_new_warehouse, print_progress

PROJECT_DIR = Path(__file__).resolve().parent.parent  # where dbt_project.yml lives

__all__ = ["BuildError", "BuildResult", "build_warehouse", "run_dbt", "PROJECT_DIR"]


class BuildError(RuntimeError):
    """A build that cannot go on; the message says what and how to fix it."""


@dataclass
class BuildResult:
    warehouse: Path
    load: LoadSummary
    up_to_date: bool = False  # nothing changed since the last build: the file was left as it was
    dbt_seconds: float = 0.0
    lineage_seconds: float = 0.0
    nodes: dict[str, int] = field(default_factory=dict)  # status → count, over models/seeds/tests
    tests: dict[str, int] = field(default_factory=dict)  # test status → count
    failures: list[str] = field(default_factory=list)
    mode: str = "full"  # full | incremental (only the added, changed and removed filings' rows rebuilt)
    mode_reason: str = ""
    project_fingerprint: str = ""


def _check_paths(filings: Path, warehouse: Path) -> None:
    if not filings.exists():
        raise BuildError(f"filings folder {filings} does not exist: pass --filings <folder of filings>")
    if not filings.is_dir():
        raise BuildError(f"{filings} is not a folder: pass --filings <folder of filings>")
    from loaders.load import discover

    try:
        paths = discover(filings, exclude=warehouse)[0]
    except OSError as exc:
        raise BuildError(f"cannot read filings folder {filings}: {_cause(exc)}") from None
    if not paths:
        raise BuildError(f"filings folder {filings} has no files: put filings in it or pass another FILINGS")
    parent = warehouse.parent
    if not parent.exists():
        raise BuildError(f"cannot write {warehouse}: folder {parent} does not exist; create it or pass another WAREHOUSE")
    if not os.access(parent, os.W_OK):
        try:
            read_only = bool(os.statvfs(parent).f_flag & os.ST_RDONLY)
        except OSError:
            read_only = False
        why = "is on a read-only file system" if read_only else "is not writable (permission denied)"
        raise BuildError(
            f"cannot write {warehouse}: folder {parent} {why}; the warehouse is left as it was; pass another WAREHOUSE"
        )
    if warehouse.exists() and warehouse.is_dir():
        raise BuildError(f"cannot write {warehouse}: it is a folder; pass a file path as WAREHOUSE")


def run_dbt(
    args: list[str],
    warehouse: Path,
    vars: Optional[dict] = None,
    quiet: bool = False,
    target_path: Optional[Path] = None,
    workdir: Optional[Path] = None,
    mode: Optional[str] = None,
) -> "DbtRun":
    """Run a dbt command on ``warehouse`` in a child process, from the project root.

    A child process, so that dbt's DuckDB connection is closed when it returns
    (only one process may write the file, and the summary opens it afterwards).

    ``workdir``: a folder of this run's own beside ``warehouse`` (a build's spill folder). dbt
    then runs in it and opens ``warehouse`` through a link named ``warehouse.duckdb`` there, so
    that the profile's path is the same in every build: dbt re-parses the whole project (2.5 s)
    whenever a value the profile reads changes, and a build's file is named after its process.
    DuckDB's write-ahead log and spill files are then in ``workdir`` too.

    ``mode``: ``full`` or ``incremental``, what the build runs (``macros/incremental.sql``).
    """
    return DbtChild(quiet=quiet, workdir=workdir).run(args, warehouse, vars, target_path, mode)


class DbtChild:
    """A dbt process, started ahead of the command it will run.

    Importing dbt takes a second and more; a build starts its dbt process before reading the
    filings, so that the import is done when the command is sent (on its standard input).
    ``close()`` ends a process that was never given a command."""

    _PROGRAM = (
        "import json, os, sys\n"
        "from dbt.cli.main import cli\n"
        "line = sys.stdin.readline()\n"
        "if not line.strip():\n"
        "    sys.exit(0)\n"
        "msg = json.loads(line)\n"
        "os.environ.update(msg['env'])\n"
        "cli.main(args=msg['argv'], prog_name='dbt')\n"
    )

    def __init__(self, quiet: bool = False, workdir: Optional[Path] = None):
        import collections
        import subprocess
        import threading

        from loaders.load import duckdb_threads

        self.quiet, self.workdir = quiet, Path(workdir) if workdir is not None else None
        # dbt-duckdb resolves a relative database path against the current directory: run
        # from the root, or from workdir, where the link is
        cwd = self.workdir if self.workdir is not None else PROJECT_DIR
        env = dict(os.environ, DBT_SEND_ANONYMOUS_USAGE_STATS="false")
        env["MEDWH_DUCKDB_THREADS"] = str(duckdb_threads(_memory_limit()))  # profiles.yml: settings.threads
        env.pop("MEDWH_BUILD_MODE", None)
        if self.workdir is not None:
            env["MEDWH_DUCKDB_PATH"] = DBT_LINK_NAME
        # the child dies with the build (SIGKILL of the build must not leave dbt writing on)
        # dbt's stderr is passed through and its tail kept: a disk-full traceback names the cause
        self.tail: collections.deque = collections.deque(maxlen=400)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", self._PROGRAM], cwd=cwd, env=env, preexec_fn=_die_with_parent,
            stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace",
        )
        self.pumper = threading.Thread(target=self._pump, daemon=True)
        self.pumper.start()

    def _pump(self) -> None:
        try:
            for line in self.proc.stderr:
                self.tail.append(line)
                if self.quiet:  # kept for the error message, not shown
                    continue
                try:
                    sys.stderr.write(line)
                except (OSError, ValueError):
                    pass
        except (OSError, ValueError):  # the build stopped and closed dbt's pipe under us
            pass

    def run(self, args: list[str], warehouse: Path, vars: Optional[dict] = None,
            target_path: Optional[Path] = None, mode: Optional[str] = None) -> "DbtRun":
        """Run one dbt command (``run_dbt``) and wait for it; the process ends with it."""
        import json

        env = {"MEDWH_DUCKDB_PATH": str(Path(warehouse).resolve())}
        if self.workdir is not None:
            link = self.workdir / DBT_LINK_NAME
            _remove(link)
            try:
                # a hard link (the same file, beside it on the same file system): through a symbolic
                # link DuckDB names the catalog after the file linked to, and dbt after the link
                os.link(warehouse, link)
                env = {}  # the process's own MEDWH_DUCKDB_PATH: the link
            except OSError:  # a file system without hard links: the file itself (dbt parses in full)
                pass
        if mode is not None:  # macros/incremental.sql: full | incremental, without asking the file
            env["MEDWH_BUILD_MODE"] = mode
        target = (Path(target_path) if target_path else PROJECT_DIR / "target").resolve()
        argv = ["--quiet"] if self.quiet else []
        argv += list(args) + [
            "--project-dir", str(PROJECT_DIR),
            "--profiles-dir", str(PROJECT_DIR),
            "--target-path", str(target),
            "--log-path", str(target / "logs"),
            # the file log at info, not debug: every query of every node at debug cost an
            # incremental 10,000-filing build 1.3 s of its 15 s in dbt
            "--log-level-file", "info",
        ]
        if vars:
            argv += ["--vars", json.dumps(vars)]
        try:
            self.proc.stdin.write(json.dumps({"argv": argv, "env": env}) + "\n")
            self.proc.stdin.close()
        except (OSError, ValueError):  # the child died before its command (its stderr says why)
            pass
        try:
            self.proc.wait()
        except BaseException:
            self.close()
            raise
        self.pumper.join(timeout=5)
        self.close()
        results = []
        run_results = target / "run_results.json"
        if run_results.exists():
            try:
                results = json.loads(run_results.read_text(encoding="utf-8")).get("results", [])
            except (OSError, ValueError):
                results = []
        return DbtRun(success=self.proc.returncode == 0, returncode=self.proc.returncode, results=results,
                      stderr="".join(self.tail))

    def close(self) -> None:
        """End the process (at once if it is still waiting for its command or running)."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stderr):
            try:
                if stream is not None:
                    stream.close()
            except (OSError, ValueError):
                pass


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except Exception:  # noqa: BLE001
            pass


DBT_LINK_NAME = "warehouse.duckdb"  # run_dbt(workdir=…): the link dbt opens the build's file by


@dataclass
class DbtRun:
    success: bool
    returncode: int
    results: list[dict]
    stderr: str = ""


PROJECT_INPUTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests", "analyses")


def project_fingerprint(strict: bool) -> str:
    """What every filing's rows depend on besides the filing: the loader code, the dbt project, --strict.

    When it differs from the previous build's, that build's rows cannot be reused: the build is full.
    """
    import hashlib

    from loaders.load import parser_version

    h = hashlib.sha256()
    h.update(f"strict={bool(strict)};loader={parser_version()}\n".encode())
    for name in PROJECT_INPUTS:
        root = PROJECT_DIR / name
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for p in paths:
            if p.suffix in (".py", ".pyc"):  # pytest's files beside dbt's tests: dbt never reads them
                continue
            h.update(p.relative_to(PROJECT_DIR).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


@dataclass
class _Files:
    """Every file of the filings folder: its sha256 (None: unreadable), and the folders that could not be read."""

    digests: dict[str, Optional[str]]
    problems: list[tuple[str, str]]


def _file_digests(filings: Path, warehouse: Optional[Path] = None) -> _Files:
    import hashlib

    from loaders.load import discover

    paths, problems = discover(filings, exclude=warehouse)  # never the warehouse's own files
    digests: dict[str, Optional[str]] = {}
    for p in paths:
        rel = p.relative_to(filings).as_posix()
        try:
            with open(p, "rb") as f:
                digests[rel] = (
                    hashlib.file_digest(f, "sha256") if hasattr(hashlib, "file_digest") else hashlib.sha256(f.read())
                ).hexdigest()
        except OSError:
            digests[rel] = None
    return _Files(digests, problems)


def build_fingerprint(
    filings: Path, strict: bool, warehouse: Optional[Path] = None, files: Optional[_Files] = None
) -> str:
    """What a build depends on: every file's path and content, the loader code, the dbt project."""
    import hashlib

    files = files or _file_digests(filings, warehouse)
    h = hashlib.sha256()
    h.update(project_fingerprint(strict).encode() + b"\n")
    for rel, reason in files.problems:
        h.update(b"<unreadable folder>" + rel.encode() + b"\0")
    for rel, digest in files.digests.items():
        h.update(rel.encode() + b"\0" + (digest or "<unreadable>").encode() + b"\0")
    return h.hexdigest()


def _previous_fingerprint(warehouse: Path) -> Optional[str]:
    return _previous_info(warehouse).get("fingerprint")


def _previous_info(warehouse: Path) -> dict:
    """The previous build's audit.build_info row ({} when there is none or it cannot be read)."""
    import duckdb

    if not warehouse.exists():
        return {}
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return {}
    try:
        cur = con.execute("select * from audit.build_info")
        row = cur.fetchone()
        return dict(zip([d[0] for d in cur.description], row)) if row else {}
    except duckdb.Error:
        return {}
    finally:
        con.close()


def _up_to_date_result(warehouse: Path) -> BuildResult:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        counts = dict(con.execute("select status, count(*) from marts.dim_filing group by 1").fetchall())
        nbytes = con.execute("select coalesce(sum(bytes), 0) from marts.dim_filing").fetchone()[0]
        skipped = con.execute(
            """select f.source_file, f.status, coalesce(any_value(i.message), '')
               from marts.dim_filing f left join audit.parse_issues i
                 on i.filing_id = f.filing_id and i.code in ('duplicate', 'empty', 'not_text', 'unreadable', 'not_a_filing')
               where f.status <> 'loaded' group by 1, 2 order by 1"""
        ).fetchall()
    finally:
        con.close()
    load = LoadSummary(
        files=sum(counts.values()),
        loaded=counts.get("loaded", 0),
        duplicates=counts.get("duplicate", 0),
        failed=counts.get("failed", 0),
        reused=counts.get("loaded", 0),
        bytes=int(nbytes),
        skipped=[tuple(r) for r in skipped],
    )
    return BuildResult(warehouse=warehouse, load=load, up_to_date=True)


def _write_build_info(path: Path, fingerprint: str, result: "BuildResult") -> None:
    import duckdb

    con = duckdb.connect(str(path))
    try:
        con.execute(
            """create or replace table audit.build_info as
               select ? as fingerprint, ? as project_fingerprint, current_timestamp as built_at, ? as files,
                      ? as loaded, ? as loader_seconds, ? as dbt_seconds""",
            [fingerprint, result.project_fingerprint, result.load.files, result.load.loaded,
             round(result.load.seconds, 3), round(result.dbt_seconds, 3)],
        )
        con.execute(
            "comment on table audit.build_info is 'The last build: a fingerprint of its inputs "
            "(filings, loader code, dbt project) and of the loader code and dbt project alone (a later build "
            "is incremental only when that one is the same), when it ran and how long it took. One row.'"
        )
    finally:
        con.close()


# --------------------------------------------------------------------------- faults
def _cause(exc: BaseException) -> str:
    """What an OSError / DuckDB I/O error means, in a few words, with the path when known."""
    import errno

    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    code = getattr(exc, "errno", None)
    lowered = str(exc).lower()
    if code == errno.ENOSPC or "no space left" in lowered or "disk full" in lowered:
        what = "disk full (no space left on device)"
    elif code == errno.EDQUOT or "quota" in lowered:
        what = "disk quota exceeded"
    elif code == errno.EROFS or "read-only file system" in lowered:
        what = "read-only file system"
    elif code in (errno.EACCES, errno.EPERM) or "permission denied" in lowered or "operation not permitted" in lowered:
        what = "permission denied"
    elif "out of memory" in lowered:
        what = f"out of memory at MEDWH_MEMORY_LIMIT={_memory_limit()}; raise it (e.g. MEDWH_MEMORY_LIMIT=1GB)"
    else:
        return text
    path = getattr(exc, "filename", None)
    return f"{what}: {path}" if path else f"{what} ({text})"


def _memory_limit() -> str:
    return os.environ.get("MEDWH_MEMORY_LIMIT", "768MB")


def _is_io_fault(exc: BaseException) -> bool:
    import duckdb

    if isinstance(exc, OSError):
        return True
    if isinstance(exc, (duckdb.IOException, duckdb.PermissionException, duckdb.OutOfMemoryException)):
        return True
    return isinstance(exc, duckdb.Error) and any(
        k in str(exc).lower() for k in ("no space left", "permission denied", "read-only file system", "disk quota")
    )


# --------------------------------------------------------------------------- one build at a time
class _BuildLock:
    """``fcntl.flock`` on ``<warehouse>.lock``, held for the whole build.

    The lock is the kernel's: it goes away with the process however it ends (SIGKILL
    included), so a killed build never leaves a lock that blocks the next one. The file
    is removed when the build ends (a killed build's empty file is harmless and reused).
    """

    def __init__(self, warehouse: Path, wait: bool, say):
        self.path = Path(str(warehouse) + ".lock")
        self.wait = wait
        self.say = say
        self.fd: Optional[int] = None

    def __enter__(self):
        import fcntl

        waited = False
        while True:
            try:
                self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError as exc:
                raise BuildError(f"cannot create the build lock {self.path}: {_cause(exc)}") from None
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = self._holder()
                if not self.wait:
                    os.close(self.fd)
                    self.fd = None
                    raise BuildError(
                        f"another build of {str(self.path)[:-5]} is running{holder}; "
                        "wait for it, or build without --no-wait to queue behind it; nothing was changed"
                    ) from None
                if not waited:
                    self.say(f"another build of {str(self.path)[:-5]} is running{holder}; waiting for it to finish")
                    waited = True
                fcntl.flock(self.fd, fcntl.LOCK_EX)
            # the holder removes the lock file when it is done: ours must still be the file at the path
            try:
                same = os.path.samestat(os.fstat(self.fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(self.fd)
            self.fd = None
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, f"{os.getpid()}\n".encode(), 0)
        return self

    def _holder(self) -> str:
        try:
            pid = os.pread(self.fd, 32, 0).decode().strip()
        except OSError:
            return ""
        return f" (pid {pid})" if pid.isdigit() else ""

    def __exit__(self, *exc):
        import fcntl

        if self.fd is not None:
            try:
                os.unlink(self.path)  # while still held: a waiting build sees it gone and retries
            except OSError:
                pass
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
        return False


class _TerminateAsInterrupt:
    """SIGTERM (and SIGHUP) behave like Ctrl-C: the build cleans up and exits non-zero."""

    def __enter__(self):
        import signal
        import threading

        self.previous = {}
        _TerminateAsInterrupt.received = None
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGHUP):
                self.previous[sig] = signal.signal(sig, self._raise)
        return self

    received: Optional[str] = None  # the name of the signal that stopped the build, if one did

    @staticmethod
    def _raise(signum, frame):
        import signal

        _TerminateAsInterrupt.received = signal.Signals(signum).name
        raise KeyboardInterrupt(f"stopped by {_TerminateAsInterrupt.received}")

    def __exit__(self, *exc):
        import signal

        for sig, handler in self.previous.items():
            signal.signal(sig, handler)
        return False


# --------------------------------------------------------------------------- files beside the warehouse
def build_files(warehouse: Path, pid: Optional[int] = None) -> dict[str, Path]:
    """This build's temporary files, all named ``<warehouse name>.<pid>.…`` beside it."""
    base = f"{warehouse.name}.{pid or os.getpid()}"
    return {
        "tmp": warehouse.parent / f"{base}.building",
        "spill": warehouse.parent / f"{base}.spill",
        "target": warehouse.parent / f"{base}.dbt",
    }


# dbt's parsed project, kept between builds whose dbt folder is their own (and goes with them):
# dbt reuses it when nothing it read changed (partial parsing: 0.3 s instead of 2.5 s), and
# parses again otherwise
PARSE_CACHE = PROJECT_DIR / "target" / "medwh-build" / "partial_parse.msgpack"


def _parse_cache(src: Path, dest: Path) -> None:
    """Copy dbt's parsed project from ``src`` to ``dest`` if it is there; a cache: never fails."""
    import shutil

    try:
        if src.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            part = dest.with_name(f"{dest.name}.{os.getpid()}.part")
            shutil.copyfile(src, part)
            os.replace(part, dest)
    except OSError:
        pass


def _remove(path: Path) -> None:
    import shutil

    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists() or path.is_symlink():
            path.unlink()
    except OSError:
        pass


def _stale_files(warehouse: Path) -> list[Path]:
    """Temporary files of builds of this warehouse that are no longer running (call under the lock)."""
    import re

    pattern = re.compile(
        re.escape(warehouse.name) + r"\.(\d+\.(building(\.wal|\.tmp)?|spill|dbt)|[A-Za-z0-9_]{6,}\.building(\.wal)?|tmp)$"
    )
    try:
        return sorted(p for p in warehouse.parent.iterdir() if pattern.match(p.name))
    except OSError:
        return []


def _foreign_writer(warehouse: Path) -> Optional[str]:
    """Whether another process holds ``warehouse`` open for writing (DuckDB's fcntl write lock).

    Returns a description of the holder (with its pid when the kernel says) or None.
    Readers (DuckDB read-only connections take a shared lock) do not count: the old
    file stays theirs after the new one is renamed into place.
    """
    import fcntl
    import struct

    if not warehouse.exists():
        return None
    try:
        fd = os.open(warehouse, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        # F_GETLK: would a shared (read) lock over the whole file be refused, and by whom?
        flock = struct.pack("hhqqi4x", fcntl.F_RDLCK, os.SEEK_SET, 0, 0, 0)
        try:
            got = fcntl.fcntl(fd, fcntl.F_GETLK, flock)
            l_type, _, _, _, l_pid = struct.unpack("hhqqi4x", got)
        except (OSError, struct.error):
            try:
                fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                fcntl.lockf(fd, fcntl.LOCK_UN)
                return None
            except OSError:
                return "another process"
        if l_type == fcntl.F_UNLCK:
            return None
        return f"process {l_pid}" if l_pid > 0 else "another process"
    finally:
        os.close(fd)  # this process holds no DuckDB connection to the file here


def _check_no_foreign_writer(warehouse: Path, say) -> None:
    """Refuse to replace a warehouse someone is writing; move a stale WAL aside, keeping it."""
    holder = _foreign_writer(warehouse)
    if holder:
        raise BuildError(
            f"{warehouse} is open for writing by {holder} (a notebook or DuckDB CLI with a read-write "
            "connection); close that connection (con.close()) or open it read-only, then build again; "
            "the warehouse is left as it was"
        )
    wal = Path(str(warehouse) + ".wal")
    if wal.exists():
        stamp = time.strftime("%Y%m%dT%H%M%S")
        aside = Path(f"{wal}.stale-{stamp}")
        try:
            os.replace(wal, aside)
        except OSError as exc:
            raise BuildError(
                f"{wal} is a write-ahead log no process holds (left by a killed read-write connection) and "
                f"cannot be moved aside: {_cause(exc)}; move or delete it, then build again"
            ) from None
        print(  # even with --quiet: a file was moved
            f"medwh: warning: {wal.name} beside the warehouse was left by a read-write connection that did not close "
            f"(its changes were never checkpointed); moved aside as {aside.name}, kept, not applied",
            file=sys.stderr,
            flush=True,
        )


def build_warehouse(
    filings: Path,
    warehouse: Path,
    strict: bool = False,
    workers: Optional[int] = None,
    quiet: bool = False,
    target_path: Optional[Path] = None,
    full_refresh: bool = False,
    wait: bool = True,
    engine: str = "local",
    address: Optional[str] = None,
    scheduler_file: Optional[str] = None,
    store: Optional[str] = None,
) -> BuildResult:
    """Build ``warehouse`` from ``filings``; one build at a time per warehouse.

    Raises BuildError (one line: what and why) for anything that stops the build; the
    previous warehouse is then left byte-identical. SIGTERM stops the build like Ctrl-C
    (KeyboardInterrupt), after removing its temporary files.

    ``engine``: ``local`` (a process pool of ``workers``) or ``dask``: the filings are read
    on the Dask cluster whose scheduler is at ``address`` (or in ``scheduler_file``, or
    ``DASK_SCHEDULER_ADDRESS``), each document's rows written as Parquet to ``store`` (a
    folder or an fsspec URL every worker sees; default ``<warehouse>.parts/``) and loaded
    from there by this process (``medwh.cluster``). The warehouse is the same either way.
    """
    filings = Path(filings).resolve()
    warehouse = Path(warehouse).resolve()
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    if engine not in ("local", "dask"):
        raise BuildError(f"unknown engine {engine!r}: use local (the default) or dask")
    _check_paths(filings, warehouse)
    cluster = {"address": address, "scheduler_file": scheduler_file, "store": store} if engine == "dask" else None
    try:
        with _TerminateAsInterrupt(), _BuildLock(warehouse, wait, say):
            for stale in _stale_files(warehouse):
                say(f"removing {stale.name}, left by an interrupted build")
                _remove(stale)
            return _build_locked(filings, warehouse, strict, workers, quiet, target_path, full_refresh, say, cluster)
    except BuildError:
        raise
    except Exception as exc:  # noqa: BLE001 - disk full, permissions, I/O: one line, never a traceback
        if _TerminateAsInterrupt.received:
            # the signal arrived inside a DuckDB call, which reports it as "Query interrupted"
            raise KeyboardInterrupt(f"stopped by {_TerminateAsInterrupt.received}") from None
        if _is_io_fault(exc):
            raise BuildError(
                f"build stopped: {_cause(exc)}; the previous warehouse at {warehouse} is left as it was"
            ) from None
        raise


def _build_locked(filings, warehouse, strict, workers, quiet, target_path, full_refresh, say, cluster=None) -> BuildResult:
    _check_no_foreign_writer(warehouse, say)
    found = _file_digests(filings, warehouse)
    fingerprint = build_fingerprint(filings, strict, warehouse, found)
    previous = _previous_info(warehouse)
    if not full_refresh and previous.get("fingerprint") == fingerprint:
        say(f"{warehouse} is up to date: same filings, loader and dbt project as its last build")
        return _up_to_date_result(warehouse)
    project = project_fingerprint(strict)
    files = build_files(warehouse)
    tmp, spill = files["tmp"], files["spill"]
    own_target = target_path is None
    target = files["target"] if own_target else Path(target_path)
    debris = [tmp, Path(f"{tmp}.wal"), Path(f"{tmp}.tmp"), spill] + ([target] if own_target else [])
    engine = None
    dbt_child = None
    plan, why = _plan_incremental(warehouse, found, previous, project, full_refresh, cluster)
    try:
        spill.mkdir(exist_ok=True)
        dbt_child = DbtChild(quiet=quiet, workdir=spill)  # imports dbt while the filings are read
        summary = None
        if plan is not None:
            say(f"incremental build: {plan.describe()}; only their rows are rebuilt")
            try:
                summary = _load_incremental(filings, warehouse, tmp, spill, plan, workers, quiet, say)
            except _NotIncremental as exc:
                plan, why = None, str(exc)
                for p in (tmp, Path(f"{tmp}.wal")):
                    _remove(p)
        if plan is None:
            say(f"full build: {why}")
            if cluster is not None:  # Dask is imported only here
                from medwh.cluster import DaskEngine

                engine = DaskEngine.connect(filings, warehouse, say=say, **cluster)
            say(f"loading filings from {filings}")
            con = open_new_warehouse(tmp, spill=spill)
            try:
                summary = load_folder(
                    filings,
                    con,
                    workers=workers,
                    progress=None if quiet else print_progress,
                    previous=None if full_refresh else warehouse,
                    exclude=warehouse,
                    engine=engine,
                )
            finally:
                con.close()  # one writer at a time: dbt opens the file next
                if engine is not None:  # the parts are loaded: the build's folder in the store goes, and the connection
                    engine.close()
                    engine = None
        say(
            f"loaded {summary.loaded} filings ({summary.reused} unchanged, reused; "
            f"{summary.unrecognised} unrecognised; {summary.duplicates} duplicates; {summary.failed} failed) "
            f"in {summary.seconds:.1f}s; running dbt build"
        )
        if summary.loaded == 0:
            verdicts = "; ".join(f"{f}: {status} ({reason})" for f, status, reason in summary.skipped[:50])
            more = f"; … and {len(summary.skipped) - 50} more" if len(summary.skipped) > 50 else ""
            raise BuildError(
                f"no file of {filings} yielded a fact, so nothing was published "
                f"(the previous warehouse at {warehouse} is left as it was). Each file: {verdicts}{more}. "
                f"Run `medwh inspect <file>` to see the tables a reader found in one file"
            )
        result = BuildResult(warehouse=warehouse, load=summary, project_fingerprint=project)
        result.mode, result.mode_reason = ("incremental", plan.describe()) if plan is not None else ("full", why)
        started = time.perf_counter()
        run_results = target / "run_results.json"
        if run_results.exists():
            run_results.unlink()  # never read a previous run's results
        # an incremental build's file is a copy of the previous warehouse, built from the same project:
        # its seeds are the same and passed their tests (tag reference_seed, dbt_project.yml), and the
        # unit tests (SQL logic, no data) passed on that build
        select = (
            ["--exclude-resource-type", "seed", "--exclude-resource-type", "unit_test", "--exclude", "tag:reference_seed"]
            if plan is not None else []
        )
        if own_target:
            _parse_cache(PARSE_CACHE, target / "partial_parse.msgpack")
        dbt_result = dbt_child.run(
            ["build", *select], tmp, vars={"strict": bool(strict)}, target_path=target,
            mode="incremental" if plan is not None else "full",
        )  # DuckDB spills to <spill>/warehouse.duckdb.tmp, its default beside the (linked) file
        result.dbt_seconds = time.perf_counter() - started
        if own_target and dbt_result.success:
            _parse_cache(target / "partial_parse.msgpack", PARSE_CACHE)
        _collect(dbt_result, result)
        if not dbt_result.success:
            fault = _dbt_fault(dbt_result, target) or _no_space_left(tmp.parent)
            if fault:
                raise BuildError(f"dbt build stopped: {fault}; the previous warehouse at {warehouse} is left as it was")
            if quiet and not result.failures and dbt_result.stderr.strip():
                sys.stderr.write(dbt_result.stderr[-4000:])  # what dbt said, since nothing else explains it
            detail = "; ".join(result.failures[:5]) or f"dbt exited with {dbt_result.returncode}; see its output above"
            raise BuildError(
                f"dbt build failed ({detail}); the previous warehouse at {warehouse} is left as it was"
            )
        lineage_started = time.perf_counter()
        if plan is None:
            # column-level lineage (sqlglot over dbt's compiled SQL) ships inside the file
            from medwh.lineage import publish_lineage

            publish_lineage(tmp, target)
        else:
            # the same project as the previous build: its audit.column_lineage, copied with the file, stands
            _end_incremental(tmp)
        result.lineage_seconds = time.perf_counter() - lineage_started
        _write_build_info(tmp, fingerprint, result)
        if Path(f"{tmp}.wal").exists() or (spill / f"{DBT_LINK_NAME}.wal").exists():
            # every connection is closed: the file is complete on its own
            raise BuildError(f"{tmp} still has a write-ahead log after the build; the previous warehouse is left as it was")
        _check_no_foreign_writer(warehouse, say)  # a notebook may have opened it meanwhile
        os.replace(tmp, warehouse)
        return result
    finally:
        if engine is not None:
            engine.close()
        if dbt_child is not None:
            dbt_child.close()
        for p in debris:
            _remove(p)


# --------------------------------------------------------------------------- incremental builds
INCREMENTAL_MAX_SHARE = 0.25  # above this share of files added, changed or removed, a build is full


class _NotIncremental(Exception):
    """The incremental build cannot go on; the message says why, and the build is full instead."""


@dataclass
class _Plan:
    """An incremental build: the files to read (added or changed) and the previous filings' files to drop."""

    read: set[str]  # files whose rows are (re)loaded: added or changed since the previous build
    drop: set[str]  # the previous warehouse's source_files whose rows go: changed or removed
    files: int

    def describe(self) -> str:
        added = len(self.read - self.drop)
        changed = len(self.read & self.drop)
        removed = len(self.drop - self.read)
        return (f"{added} files added, {changed} changed, {removed} removed of {self.files} "
                "since the last build, with the same loader and dbt project")


def _plan_incremental(warehouse: Path, found: _Files, previous: dict, project: str, full_refresh: bool,
                      cluster) -> tuple[Optional[_Plan], str]:
    """An incremental plan, or None and why the build is full."""
    import duckdb

    if full_refresh:
        return None, "--full-refresh"
    if not previous:
        return None, f"no previous warehouse at {warehouse} (or it has no audit.build_info)"
    if cluster is not None:
        return None, "--engine dask reads every file on the cluster (incremental builds are local)"
    if previous.get("project_fingerprint") != project:
        return None, "the dbt project, the loader code or --strict changed since the last build"
    if found.problems or any(d is None for d in found.digests.values()):
        return None, "some files or folders of the filings folder cannot be read"
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            rows = con.execute("select source_file, sha256 from raw.filings").fetchall()
        finally:
            con.close()
    except duckdb.Error as exc:
        return None, f"the previous warehouse cannot be read ({str(exc).splitlines()[0]})"
    before = {}
    for source_file, sha in rows:
        if source_file.endswith("/"):
            return None, "the previous build had a folder it could not read"
        before[source_file] = sha
    unchanged = {rel for rel, digest in found.digests.items() if before.get(rel) == digest}
    read = set(found.digests) - unchanged
    drop = set(before) - unchanged
    changes = len(read | drop)
    if changes > INCREMENTAL_MAX_SHARE * max(1, len(found.digests)):
        return None, (f"{changes} of {len(found.digests)} files added, changed or removed "
                      f"(more than {INCREMENTAL_MAX_SHARE:.0%})")
    return _Plan(read, drop, len(found.digests)), ""


def _load_incremental(filings: Path, warehouse: Path, tmp: Path, spill: Path, plan: _Plan, workers, quiet, say) -> LoadSummary:
    """The previous warehouse copied to ``tmp``, its raw rows of changed and removed filings replaced by
    the added and changed files' rows, and ``raw.build_changes`` / ``raw.build_departments`` for dbt.

    A file whose content another file of the folder holds too is read with it (which copy is loaded
    and which is a duplicate depends on both): such files join the read set until none is left out.
    """
    import shutil

    import duckdb
    import pyarrow as pa

    from loaders.load import RAW_TABLES

    started = time.perf_counter()
    shutil.copyfile(warehouse, tmp)
    delta_dir, delta_db = spill / "delta-files", spill / "delta.duckdb"
    for _ in range(5):
        _remove(delta_dir)
        _remove(delta_db)
        _remove(Path(f"{delta_db}.wal"))
        delta_dir.mkdir()
        for rel in sorted(plan.read):  # the files to read, under their own relative names
            link = delta_dir / rel
            link.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(filings / rel, link)
        con = open_new_warehouse(delta_db, spill=spill)
        try:
            if plan.read:
                load_folder(delta_dir, con, workers=max(1, min(workers or os.cpu_count() or 1, len(plan.read))),
                            progress=None, previous=warehouse)
            else:
                from loaders.load import create_raw_schema

                create_raw_schema(con)
        finally:
            con.close()
        con = duckdb.connect(str(tmp))
        try:
            con.execute(f"attach '{_sql_str(str(delta_db))}' as delta (read_only)")
            con.register("_drop", pa.table({"source_file": sorted(plan.drop)}))
            # unchanged files sharing a content with a file read or dropped: their verdict may change
            joined = {
                r[0] for r in con.execute(
                    """select f.source_file from raw.filings as f
                       where f.source_file not in (select source_file from _drop)
                         and f.content_sha256 in (
                             select content_sha256 from delta.raw.filings
                             union all
                             select content_sha256 from raw.filings where source_file in (select source_file from _drop))"""
                ).fetchall()
            } - plan.read
            if joined:
                con.close()
                plan.read |= joined
                plan.drop |= joined
                continue
            con.execute(
                """create table raw.build_changes as
                   with old as (select filing_id from raw.filings where source_file in (select source_file from _drop)),
                        new as (select filing_id from delta.raw.filings)
                   select filing_id,
                          case when filing_id in (select filing_id from old) and filing_id in (select filing_id from new)
                               then 'changed' when filing_id in (select filing_id from new) then 'added'
                               else 'removed' end as change
                   from (select filing_id from old union select filing_id from new)"""
            )
            # the departments the changed and removed filings had: other filings of them are redone
            # by the models that read dim_department (macros/incremental.sql, scope `departments`)
            con.execute(
                """create table raw.build_departments as
                   select distinct department_id from intermediate.int_entities__resolved
                   where filing_id in (select filing_id from raw.build_changes)"""
            )
            # dim_department as it was: a department whose row the build leaves as it was (a
            # filing's figures changed, not its department's attributes) has nothing to redo
            con.execute("create table raw.build_dim_department as select * from marts.dim_department")
            for table in RAW_TABLES:
                con.execute(f"delete from raw.{table} where filing_id in (select filing_id from raw.build_changes)")
                con.execute(f"insert into raw.{table} by name select * from delta.raw.{table}")
            summary = _summary_of(con, plan)
        finally:
            try:
                con.close()
            except duckdb.Error:
                pass
        break
    else:
        raise _NotIncremental("too many files share their content with changed files")
    summary.seconds = time.perf_counter() - started
    return summary


def _summary_of(con, plan: _Plan) -> LoadSummary:
    """What the build's raw schema holds, as the loader's summary says it."""
    from loaders.load import RAW_TABLES

    counts = dict(con.execute("select status, count(*) from raw.filings group by 1").fetchall())
    nbytes, pages = con.execute("select coalesce(sum(bytes), 0), coalesce(sum(pages), 0) from raw.filings").fetchone()
    read = con.execute(
        "select count(*) from raw.filings where status in ('loaded', 'unrecognised') and source_file in "
        "(select source_file from delta.raw.filings)"
    ).fetchone()[0]
    skipped = con.execute(
        """select f.source_file, f.status, coalesce(any_value(i.message order by i.message), '')
           from raw.filings f left join raw.parse_issues i
             on i.filing_id = f.filing_id and (i.severity = 'error' or i.code in ('duplicate', 'tables_unrecognised', 'no_tables'))
           where f.status <> 'loaded' group by 1, 2 order by 1"""
    ).fetchall()
    return LoadSummary(
        files=sum(counts.values()),
        loaded=counts.get("loaded", 0),
        unrecognised=counts.get("unrecognised", 0),
        duplicates=counts.get("duplicate", 0),
        failed=counts.get("failed", 0),
        reused=counts.get("loaded", 0) + counts.get("unrecognised", 0) - read,
        bytes=int(nbytes),
        pages=int(pages),
        rows={t: con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in RAW_TABLES},
        skipped=[tuple(r) for r in skipped],
    )


def _end_incremental(tmp: Path) -> None:
    """The build's bookkeeping goes: the published file is what a full build of the folder writes."""
    import duckdb

    con = duckdb.connect(str(tmp))
    try:
        con.execute("drop table if exists raw.build_changes")
        con.execute("drop table if exists raw.build_departments")
        con.execute("drop table if exists raw.build_dim_department")
    finally:
        con.close()


def _sql_str(s: str) -> str:
    return s.replace("'", "''")


def _no_space_left(folder: Path) -> Optional[str]:
    """Disk full, when dbt failed without saying why (it could not even write its log)."""
    try:
        st = os.statvfs(folder)
    except OSError:
        return None
    if st.f_bavail * st.f_frsize < 1_000_000:
        return f"disk full (no space left on device): {folder}"
    return None


def _dbt_fault(dbt_result: "DbtRun", target: Path) -> Optional[str]:
    """A disk-full / permission / memory cause in dbt's results or log, as one phrase."""
    texts = [str(r.get("message") or "") for r in dbt_result.results] + [dbt_result.stderr]
    log = target / "logs" / "dbt.log"
    try:
        if log.exists():
            with open(log, "rb") as f:
                f.seek(max(0, log.stat().st_size - 200_000))
                texts.append(f.read().decode("utf-8", "replace"))
    except OSError:
        pass
    for text in texts:
        lowered = text.lower()
        for key, what in (
            ("no space left on device", "disk full (no space left on device)"),
            ("read-only file system", "read-only file system"),
            ("permission denied", "permission denied"),
            ("out of memory", f"out of memory at MEDWH_MEMORY_LIMIT={_memory_limit()}; raise it (e.g. MEDWH_MEMORY_LIMIT=1GB)"),
        ):
            if key in lowered:
                line = next((ln.strip() for ln in text.splitlines() if key in ln.lower()), "")
                return f"{what}" + (f" ({line[:300]})" if line else "")
    return None


def _collect(dbt_result: "DbtRun", result: BuildResult) -> None:
    for r in dbt_result.results:
        status = str(r.get("status"))
        unique_id = r.get("unique_id", "")
        resource_type = unique_id.split(".", 1)[0]
        name = unique_id.split(".")[-1] if resource_type != "test" else unique_id.split(".")[2]
        result.nodes[status] = result.nodes.get(status, 0) + 1
        if resource_type == "test":
            result.tests[status] = result.tests.get(status, 0) + 1
        if status in ("error", "fail", "runtime error"):
            message = (r.get("message") or "").splitlines()[0:1]
            result.failures.append(f"{resource_type} {name}: {status}" + (f" ({message[0]})" if message else ""))
