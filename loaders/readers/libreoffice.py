"""Convert a file with LibreOffice headless (.doc / .wps → .docx, and the like).

``soffice --headless --convert-to <to> --outdir <tmp>`` in a temporary directory
with its own user profile (``-env:UserInstallation``), so conversions never touch
a user's profile and can run side by side. The directory is always removed; a
conversion that runs longer than the timeout is killed (its whole process group).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Optional

__all__ = ["convert", "soffice_path", "ConversionError", "LibreOfficeMissing", "TIMEOUT_S"]

TIMEOUT_S = 120


class ConversionError(RuntimeError):
    """LibreOffice ran but produced no output (or timed out)."""


class LibreOfficeMissing(ConversionError):
    """No ``soffice`` on PATH."""


def soffice_path() -> Optional[str]:
    """The soffice (or libreoffice) executable on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, suffix: str, to: str = "docx", timeout: float = TIMEOUT_S) -> bytes:
    """The bytes of ``data`` (a file with extension ``suffix``) converted to ``to``.

    ``to`` is what ``--convert-to`` takes: an extension (``docx``, ``xls``) or
    ``ext:Filter Name``. Raises :class:`LibreOfficeMissing` without soffice and
    :class:`ConversionError` when the conversion fails or times out.
    """
    exe = soffice_path()
    if exe is None:
        raise LibreOfficeMissing("soffice is not on PATH")
    suffix = suffix if suffix.startswith(".") else "." + suffix
    out_ext = to.split(":", 1)[0]
    tmp = tempfile.mkdtemp(prefix="medwh-lo-")
    try:
        src = Path(tmp) / f"input{suffix}"
        src.write_bytes(data)
        outdir = Path(tmp) / "out"
        outdir.mkdir()
        profile = Path(tmp) / "profile"
        cmd = [
            exe,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            str(src),
        ]
        env = dict(os.environ, HOME=tmp)  # nothing written to the caller's home
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env, start_new_session=True
        )
        try:
            _out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise ConversionError(f"LibreOffice did not finish within {timeout:.0f} s") from None
        result = outdir / f"input.{out_ext}"
        if not result.exists():
            detail = err.decode("utf-8", "replace").strip()[-300:]
            raise ConversionError(
                f"LibreOffice produced no .{out_ext} (exit {proc.returncode}){': ' + detail if detail else ''}"
            )
        return result.read_bytes()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.communicate(timeout=10)
    except Exception:  # noqa: BLE001
        pass
