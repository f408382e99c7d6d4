"""``medwh build --engine dask``: read the filings on a Dask cluster.

One task per document runs ``loaders.parts.read_to_store`` on a worker: the same
``read_filing`` and ``stage`` as the local build, the rows written as one Parquet part into
the shared store (a folder every worker and the build see under the same path, or an fsspec
URL). A task returns only a small ``PartResult``; this process collects them by task key,
puts them back in the folder's order and hands them to ``loaders.load.load_folder``, which
stores them as it stores what its local process pool reads (same duplicate rule, same
verdicts, same rows). The build stays the only writer of the DuckDB file; dbt runs as always.

A worker that dies has its documents run again on the others (Dask reschedules the tasks of
a lost worker; a retried task writes the same part name again). A document whose workers
died ``distributed.scheduler.allowed-failures`` times (default 3) stops the build with one
line naming it. Dask is imported only here, and only for ``--engine dask``.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Iterator, Optional

from medwh.build import BuildError

__all__ = ["DaskEngine", "default_store", "INSTALL_HINT"]

INSTALL_HINT = "pip install -e '.[dask]'"


def _seconds(name: str, default: float) -> float:
    """How long to wait for the scheduler (MEDWH_DASK_CONNECT_TIMEOUT, 10 s) or a first worker
    (MEDWH_DASK_WORKER_WAIT, 60 s)."""
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default

PREFETCH = 16  # parts read back ahead of the one being stored (bounded: they are held in memory)


def default_store(warehouse: Path) -> str:
    """``<warehouse>.parts/`` beside the warehouse (a build's own files all start with its name)."""
    return f"{warehouse}.parts"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else "") or type(exc).__name__


def _is_url(store: str) -> bool:
    return "://" in store


class DaskEngine:
    """A connection to a Dask scheduler and the build's folder in the store.

    ``connect`` (a class method) raises ``BuildError`` with one line for anything that keeps
    the build from using the cluster; calling the engine (``load_folder(engine=…)``) yields
    the documents' ``PartResult`` in the order of the paths given; ``close`` removes the
    build's folder from the store and closes the connection.
    """

    def __init__(self, client, address: str, store: str, run_folder: str, fs, say, own_store: bool):
        self.client = client
        self.address = address
        self.store = store
        self.run_folder = run_folder
        self.fs = fs
        self.say = say
        self.own_store = own_store  # the default <warehouse>.parts: removed when empty
        self.run = run_folder.rstrip("/").rsplit("/", 1)[-1]
        self.lost_workers: list[str] = []

    # ------------------------------------------------------------------ connecting
    @classmethod
    def connect(
        cls,
        filings: Path,
        warehouse: Path,
        address: Optional[str] = None,
        scheduler_file: Optional[str] = None,
        store: Optional[str] = None,
        say: Callable = print,
    ) -> "DaskEngine":
        try:
            import dask
            import distributed
        except ImportError as exc:
            raise BuildError(
                f"--engine dask needs Dask, which is not installed ({_first_line(exc)}): install the extra with "
                f"{INSTALL_HINT} (or leave out --engine for the local build)"
            ) from None
        _quiet_dask_logs()
        if address is None and scheduler_file is None:
            address = os.environ.get("DASK_SCHEDULER_ADDRESS") or dask.config.get("scheduler-address", None)
        if address is None and scheduler_file is None:
            raise BuildError(
                "--engine dask needs a scheduler: pass --address tcp://host:8786 or --scheduler-file FILE, "
                "or set DASK_SCHEDULER_ADDRESS (start one with `dask scheduler`)"
            )
        if scheduler_file is not None:
            where = f"scheduler file {scheduler_file}"
            try:
                address = json.loads(Path(scheduler_file).read_text(encoding="utf-8"))["address"]
            except FileNotFoundError:
                raise BuildError(
                    f"scheduler file {scheduler_file} does not exist: start the scheduler with "
                    f"`dask scheduler --scheduler-file {scheduler_file}`, or pass --address tcp://host:8786"
                ) from None
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise BuildError(f"cannot read the scheduler file {scheduler_file}: {_first_line(exc)}") from None
            kwargs = {"scheduler_file": scheduler_file}
        else:
            where = str(address)
            kwargs = {"address": address}
        try:
            client = distributed.Client(timeout=_seconds("MEDWH_DASK_CONNECT_TIMEOUT", 10), set_as_default=False, **kwargs)
        except Exception as exc:  # noqa: BLE001 - refused, timed out, a bad address: one line
            raise BuildError(
                f"cannot reach the Dask scheduler at {address} ({where}): {_first_line(exc)}; start it with "
                "`dask scheduler`, or pass its address with --address tcp://host:8786; nothing was changed"
            ) from None
        try:
            return cls._prepare(client, str(address), filings, warehouse, store, say)
        except BaseException:
            _close_client(client)
            raise

    @classmethod
    def _prepare(cls, client, address, filings, warehouse, store, say) -> "DaskEngine":
        from loaders.load import parser_version
        from loaders.parts import RUN_MARKER, open_store

        wait = _seconds("MEDWH_DASK_WORKER_WAIT", 60)
        try:
            client.wait_for_workers(1, timeout=wait)
        except Exception:  # noqa: BLE001 - dask's TimeoutError
            raise BuildError(
                f"no Dask worker is connected to the scheduler at {address} (waited {wait:.0f} s): start "
                f"workers with `dask worker {address} --nthreads 1` where the filings are readable; nothing was changed"
            ) from None
        own_store = store is None
        if store is None:
            store = default_store(warehouse)
        elif not _is_url(store):
            store = os.path.abspath(store)
        try:
            fs, root = open_store(store)
        except Exception as exc:  # noqa: BLE001 - unknown protocol, missing fsspec backend (s3fs …)
            raise BuildError(f"cannot open the store {store}: {_first_line(exc)}") from None
        root = root.rstrip("/") or "/"
        if own_store:
            _remove_stale_runs(fs, root, say)  # under the build lock: no other build of this warehouse runs
        run_folder = f"{root}/run-{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(4)}"
        try:
            fs.makedirs(run_folder, exist_ok=True)
            fs.pipe(f"{run_folder}/{RUN_MARKER}", f"medwh build of {warehouse} from {filings}\n".encode())
        except Exception as exc:  # noqa: BLE001
            raise BuildError(f"cannot write to the store {store}: {_first_line(exc)}; pass another --store") from None
        engine = cls(client, address, store, run_folder, fs, say, own_store)
        try:
            engine._check_workers(filings, parser_version())
        except BaseException:
            engine._remove_run_folder()
            raise
        return engine

    def _check_workers(self, filings: Path, version: str) -> None:
        from loaders.parts import worker_check

        try:
            seen = self.client.run(worker_check, str(filings), self.store, self.run_folder)
        except Exception as exc:  # noqa: BLE001 - typically: the worker cannot import the loader
            raise BuildError(
                f"a Dask worker of {self.address} cannot run the loader ({type(exc).__name__}: {_first_line(exc)}): "
                f"install this project in the environment that runs `dask worker` ({INSTALL_HINT}); nothing was changed"
            ) from None
        for addr, info in sorted(seen.items()):
            if info["parser_version"] != version:
                raise BuildError(
                    f"Dask worker {addr} ({info['where']}) runs other loader code (version {info['parser_version']}, "
                    f"this build {version}): install the same checkout on every worker; nothing was changed"
                )
            if not info["filings_visible"]:
                raise BuildError(
                    f"Dask worker {addr} ({info['where']}) cannot read the filings folder {filings}: every worker must "
                    "see the filings under the same path as the build (a shared folder); nothing was changed"
                )
            if not info["store_visible"]:
                raise BuildError(
                    f"Dask worker {addr} ({info['where']}) cannot see the store {self.store}: it must be shared by every "
                    "worker and the build (a shared folder or an fsspec URL, --store); nothing was changed"
                )
        workers = self.client.scheduler_info().get("workers", {})
        threads = sum(w.get("nthreads", 1) for w in workers.values())
        self.say(f"reading on the Dask cluster at {self.address}: {len(workers)} workers, {threads} threads; parts in {self.store}")
        many = sorted(a for a, w in workers.items() if w.get("nthreads", 1) > 1)
        if many:
            self.say(
                f"  note: {len(many)} worker(s) have more than one thread; a worker process reads one document at a "
                "time (PDFium is not thread-safe): start workers with --nworkers <cores> --nthreads 1 to use every core"
            )

    # ------------------------------------------------------------------ reading
    def __call__(self, paths: list[Path], root: Path, cached: frozenset, progress=None) -> Iterator:
        """The documents' ``PartResult`` in the order of ``paths`` (``load_folder``'s engine)."""
        import distributed

        from loaders.parts import cached_set, read_to_store

        client = self.client
        started = time.perf_counter()
        total = len(paths)
        keys = [f"medwh-read-{self.run}-{i}" for i in range(total)]
        index = {k: i for i, k in enumerate(keys)}
        pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="medwh-part-reader")
        futures: list = []
        finished = False
        try:
            client.subscribe_topic("all", self._cluster_event)  # "worker … left the cluster" as it happens
            # the cached set is a task of its own, not scattered data: a worker that dies with it loses nothing
            hashes = client.submit(cached_set, sorted(cached), key=f"medwh-cached-{self.run}", pure=False) if cached else frozenset()
            futures = client.map(
                read_to_store, [str(p) for p in paths], key=keys, root=str(root), store=self.store,
                run_folder=self.run_folder, cached=hashes, pure=False,
            )
            ready: dict[int, object] = {}
            reading: dict[int, object] = {}  # index → the read-back of its part (prefetched)
            next_i = arrived = nbytes = npages = 0

            def prefetch() -> None:
                for i in range(next_i, min(total, next_i + PREFETCH)):
                    r = ready.get(i)
                    if r is not None and i not in reading and r.part is not None:
                        reading[i] = pool.submit(r.read_back)

            for fut, result in distributed.as_completed(futures, with_results=True, raise_errors=False, loop=client.loop):
                i = index[fut.key]
                if fut.status != "finished":
                    raise self._task_failure(paths[i], root, fut, result)
                futures[i] = None  # the result is here: the scheduler may forget the task
                self._check_version(result)
                ready[i] = result
                arrived += 1
                nbytes += result.bytes
                npages += result.pages or 0
                if progress:
                    progress(arrived, total, nbytes, time.perf_counter() - started, npages)
                prefetch()
                while next_i in ready:
                    r = ready.pop(next_i)
                    got = reading.pop(next_i, None)
                    if got is not None:
                        r.prefetched = got  # stored from the read-back that was prefetched
                    next_i += 1
                    prefetch()
                    yield r
                    r.remove()  # stored: its part is no longer needed
            finished = True
        except BuildError:
            raise
        except Exception as exc:  # noqa: BLE001 - the scheduler went away, a comm error: one line
            raise BuildError(
                f"lost the Dask scheduler at {self.address} while reading ({type(exc).__name__}: {_first_line(exc)}); "
                "the previous warehouse is left as it was"
            ) from None
        finally:
            try:
                client.unsubscribe_topic("all")
            except Exception:  # noqa: BLE001
                pass
            if not finished:
                pending = [f for f in futures if f is not None]
                if pending:
                    try:
                        client.cancel(pending, force=True)
                    except Exception:  # noqa: BLE001 - the scheduler may be gone already
                        pass
            pool.shutdown(wait=finished, cancel_futures=True)  # stopped: never wait on a read of the store

    def _cluster_event(self, event) -> None:
        _, msg = event
        if not isinstance(msg, dict):
            return
        action = msg.get("action")
        if action == "remove-worker":
            ours = [k for k in msg.get("processing-tasks", ()) if str(k).startswith(f"medwh-read-{self.run}-")]
            lost = [k for k in msg.get("lost-computed-tasks", ()) if str(k).startswith(f"medwh-read-{self.run}-")]
            self.lost_workers.append(str(msg.get("worker")))
            n = len(set(ours) | set(lost))
            again = f"; the {n} document(s) it was given are read again on the other workers" if n else ""
            self.say(f"  worker {msg.get('worker')} left the cluster{again}")
        elif action == "add-worker":
            self.say(f"  worker {msg.get('worker')} joined the cluster")

    def _check_version(self, result) -> None:
        from loaders.load import parser_version

        if result.parser_version != parser_version():
            raise BuildError(
                f"{result.source_file} was read by a worker ({result.worker}) running other loader code (version "
                f"{result.parser_version}, this build {parser_version()}): install the same checkout on every worker; "
                "the previous warehouse is left as it was"
            )

    def _task_failure(self, path: Path, root: Path, fut, result) -> BuildError:
        from distributed import KilledWorker

        from loaders.parts import FilingsNotVisible, StoreNotVisible

        rel = path.relative_to(root).as_posix()
        exc = result[1] if isinstance(result, tuple) and len(result) == 3 else result
        if fut.status == "error" and isinstance(exc, KilledWorker):
            deaths = exc.allowed_failures + 1
            return BuildError(
                f"{rel}: the Dask workers reading it died {deaths} time{'s' if deaths != 1 else ''}, more than "
                f"distributed.scheduler.allowed-failures ({exc.allowed_failures}) allows: the file may exhaust a "
                f"worker's memory; see the workers' logs or run `medwh inspect {path}`; the previous warehouse is left as it was"
            )
        if fut.status == "error" and isinstance(exc, (FilingsNotVisible, StoreNotVisible)):
            return BuildError(f"{exc}; the previous warehouse is left as it was")
        if fut.status == "error":
            return BuildError(
                f"reading {rel} on the cluster failed ({type(exc).__name__}: {_first_line(exc)}); "
                "the previous warehouse is left as it was"
            )
        return BuildError(
            f"reading {rel} on the cluster was {fut.status} (the scheduler at {self.address} went away?); "
            "the previous warehouse is left as it was"
        )

    # ------------------------------------------------------------------ closing
    def _remove_run_folder(self) -> None:
        try:
            self.fs.rm(self.run_folder, recursive=True)
        except Exception:  # noqa: BLE001 - best effort
            pass
        if self.own_store:
            try:
                parent = self.run_folder.rsplit("/", 1)[0]
                if not self.fs.ls(parent):
                    self.fs.rmdir(parent)
            except Exception:  # noqa: BLE001
                pass

    def close(self) -> None:
        self._remove_run_folder()
        _close_client(self.client)


def _close_client(client) -> None:
    try:
        client.close(timeout=5)
    except Exception:  # noqa: BLE001 - the scheduler may be gone
        pass
    finally:
        _quiet_dask_logs(False)


_DASK_LOG_LEVEL: list = []


def _quiet_dask_logs(quiet: bool = True) -> None:
    """The client's own warnings ("Couldn't gather 1 keys, rescheduling" when a worker dies) say
    what the build's lines say already; only Dask's errors pass while the build uses it. Tornado's
    tracebacks of a connection a dying worker closed (``StreamClosedError`` in an IOLoop callback,
    logged as errors by ``tornado.application``) are the same event again: they are not printed."""
    import logging

    handlers = logging.getLogger("distributed").handlers  # Dask's own stderr handler (its loggers set their levels)
    tornado = [logging.getLogger(name) for name in ("tornado", "tornado.application")]
    if quiet:
        if not _DASK_LOG_LEVEL:
            _DASK_LOG_LEVEL.extend((h, h.level) for h in [*handlers, *tornado])
        for h in handlers:
            h.setLevel(logging.ERROR)
        for logger in tornado:
            logger.setLevel(logging.CRITICAL + 1)
    else:
        while _DASK_LOG_LEVEL:
            h, level = _DASK_LOG_LEVEL.pop()
            h.setLevel(level)


def _remove_stale_runs(fs, root: str, say) -> None:
    """Folders of killed builds in this warehouse's own store."""
    try:
        entries = fs.ls(root, detail=False)
    except (FileNotFoundError, OSError):
        return
    for entry in entries:
        name = str(entry).rstrip("/").rsplit("/", 1)[-1]
        if name.startswith("run-"):
            say(f"removing {name} from {root}, left by an interrupted build")
            try:
                fs.rm(entry, recursive=True)
            except Exception:  # noqa: BLE001
                pass
