"""Decoding a filing's bytes into lines, the same way whatever the encoding.

Pure functions, no I/O. The contract: UTF-8 (with or without BOM), GBK and
GB18030, LF or CRLF (or lone CR) line ends are all read the same way, and two
files whose decoded, normalised text is equal are the same filing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

__all__ = ["DecodedText", "DecodeError", "decode_filing", "content_sha256"]


class DecodeError(ValueError):
    """The bytes are not text in any encoding the loaders accept."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # utf-8, utf-8-sig, gb18030 (GBK is a subset of GB18030); "+damaged" if bytes were replaced
    lines: tuple[str, ...]
    damaged: int = 0  # bytes that could not be decoded (replaced by U+FFFD)

    @property
    def content_sha256(self) -> str:
        """sha256 of the normalised text: equal for the same filing in any encoding."""
        return content_sha256(self.text)


def content_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data[:65536]:
        return True
    sample = data[:65536]
    # Control bytes other than tab, LF, CR, FF and ESC are rare in text exports.
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return control > max(8, len(sample) // 200)


def decode_filing(data: bytes) -> DecodedText:
    """Decode a filing and normalise it: no BOM, LF line ends (text otherwise untouched).

    UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK). A file that
    is one of them except for a few damaged bytes (at most 1 in 1,000 characters) is
    read with U+FFFD in their place and its encoding reported as ``…+damaged``;
    ``DecodedText.damaged`` counts them. Raises DecodeError for empty input, binary
    data and bytes that are neither.
    """
    if not data.strip():
        raise DecodeError("empty file")
    if _looks_binary(data):
        raise DecodeError("binary content (NUL or control bytes), not a text export")
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    encoding = "utf-8-sig" if bom else "utf-8"
    damaged = 0
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        # a UTF-8 file with a few damaged bytes stays UTF-8 (read as GB18030 it would be mojibake)
        text, encoding, damaged = _few_replacements(body, "utf-8", bom)
        if text is None:
            try:
                text = data.decode("gb18030")
                encoding = "gb18030"
            except UnicodeDecodeError:
                text, encoding, damaged = _few_replacements(data, "gb18030", bom)
        if text is None:
            raise DecodeError(
                f"not UTF-8 and not GBK/GB18030 (first bad byte at offset {utf8_error.start})"
            ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    return DecodedText(text=text, encoding=encoding, lines=tuple(text.split("\n")), damaged=damaged)


def _few_replacements(body: bytes, name: str, bom: bool):
    """Decode with U+FFFD replacements if they are few (≤ 1 in 1,000 characters, at least 3)."""
    text = body.decode(name, errors="replace")
    bad = text.count("\ufffd")
    if bad > max(3, len(text) // 1000):
        return None, None, 0
    label = ("utf-8-sig" if bom and name == "utf-8" else name) + "+damaged"
    return text, label, bad
