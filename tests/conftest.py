"""Shared pytest fixtures: the bundled sample filings."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FILINGS = ROOT / "data" / "filings"


def filing_lines(prefix: str) -> tuple[str, ...]:
    """Decoded lines of the bundled filing whose name starts with ``prefix`` (e.g. '002')."""
    from loaders.text import decode_filing

    path = next(FILINGS.glob(f"{prefix}_*.txt"))
    return decode_filing(path.read_bytes()).lines


@pytest.fixture(scope="session")
def filings_dir() -> Path:
    return FILINGS


# The bundled filings by name, and helpers the parser tests share.
F000 = "000_0d865fbb591555cd.txt"
F001 = "001_5e2b26b8bb821a85.txt"
F002 = "002_6529f0b8e0e0d604.txt"
F003 = "003_2696e539d39fb95d.txt"
F004 = "004_ff68eaab89af36f2.txt"
ALL_FILINGS = (F000, F001, F002, F003, F004)


def snippet_lines(snippet: str) -> list[str]:
    """A snippet written with visible tabs (→) as the filing's lines."""
    return snippet.replace("→", "\t").split("\n")


def named_filing_lines(name: str) -> tuple[str, ...]:
    """Decoded lines of the bundled filing ``name``."""
    from loaders.text import decode_filing

    return decode_filing((FILINGS / name).read_bytes()).lines


# The real originals (PDF, HTML) beside the checkout: ../shared/real-filings and ../shared/real-corpus.
SHARED = ROOT.parent / "shared"
REAL_FILINGS = SHARED / "real-filings"
REAL_CORPUS = SHARED / "real-corpus"


def require_shared(*folders: Path) -> None:
    """Skip, saying why, when the real originals are not beside the checkout."""
    for folder in folders or (REAL_FILINGS, REAL_CORPUS):
        if not folder.is_dir():
            pytest.skip(f"{folder} is absent: the real originals live in ../shared beside the checkout (never copied into it)")
