"""Small helpers every layout parser shares. Pure functions."""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Optional, Sequence

__all__ = [
    "collapse_ws",
    "split_code_name",
    "find_fiscal_year",
    "find_place_mentions",
    "clean_label",
    "ORG_SUFFIX_RE",
]

_WS_RE = re.compile(r"[\s\u3000]+")


def collapse_ws(text: Optional[str]) -> str:
    """Trim and collapse runs of whitespace (ASCII and full-width) to one space."""
    if text is None:
        return ""
    return _WS_RE.sub(" ", text).strip()


def clean_label(text: Optional[str]) -> str:
    """A row or column label with all whitespace removed (科目  编码 → 科目编码)."""
    if not text:
        return ""
    if text.isprintable() and " " not in text and "\u3000" not in text:
        return text  # nothing to remove (the common case): skip the regex
    return _WS_RE.sub("", text)


# Names of budget entities end in an organisation word.
ORG_SUFFIX_RE = re.compile(r"(局|局本级|本级|中心|处|所|站|院|办公室|委员会|部)$")
_CODE_NAME_RE = re.compile(r"^\s*(\d{3}(?:\d{3})?)\s*([^\d\s].*?)\s*$")


def split_code_name(text: str) -> tuple[Optional[str], str]:
    """``'450001新乐市医疗保障局本级'`` → ``('450001', '新乐市医疗保障局本级')``.

    Text without a leading 3- or 6-digit code comes back as ``(None, text)``.
    """
    m = _CODE_NAME_RE.match(text or "")
    if m:
        return m.group(1), m.group(2)
    return None, collapse_ws(text)


_YEAR_PATTERNS = (
    re.compile(r"预算年度\s*[:：]\s*((?:19|20)\d\d)"),
    re.compile(r"[（(]\s*((?:19|20)\d\d)\s*年度?\s*[)）]"),
    re.compile(r"((?:19|20)\d\d)\s*年\s*(?:度)?\s*(?:部门|单位)?\s*(?:预算|“三公”|\"三公\"|三公)"),
)
_ANY_YEAR_RE = re.compile(r"((?:19|20)\d\d)\s*年")


def find_fiscal_year(lines: Sequence[str], limit: int = 400) -> Optional[int]:
    """The budget year a filing is about.

    In order: ``预算年度：2021``; a year in brackets ``（2021年度）``/``(2021 年度)``;
    ``2020年部门预算…`` / ``2022年“三公”经费预算…``; else the most frequent
    ``20xx年`` among the first ``limit`` lines (ties: the later year).
    """
    head = "\n".join(lines[:limit])
    for pattern in _YEAR_PATTERNS:
        m = pattern.search(head)
        if m:
            return int(m.group(1))
    counts = Counter(int(y) for y in _ANY_YEAR_RE.findall(head))
    if not counts:
        return None
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]


_PLACE_RE = re.compile(
    r"([\u4e00-\u9fa5]{1,7}?(?:省|自治区|市|地区|自治州|盟|县|自治县|区|旗))"
)


def find_place_mentions(lines: Iterable[str], limit: int = 60) -> list[str]:
    """Distinct place names (…省/…市/…县 …) mentioned in the text, most frequent first.

    Used only to break ties when a department's name matches administrative
    divisions of the same name in several provinces.
    """
    counts = Counter(m.group(1) for m in _PLACE_RE.finditer("\n".join(lines)))
    return [name for name, _ in counts.most_common(limit)]
