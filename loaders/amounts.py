"""Published amounts: text as printed → exact decimal, and the yuan conversion.

Filings print amounts as ``7723.25``, ``2,858.5``, ``834.02万元``, ``90100.00``;
the unit comes from the table (``单位：万元``, ``（万元）``, ``单位：元``) or from the
text itself. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = ["parse_amount", "split_amount_unit", "to_yuan", "UNIT_FACTORS", "find_declared_unit"]

UNIT_FACTORS = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}

_AMOUNT_RE = re.compile(
    r"""^\s*
    (?P<sign>[-－−])?\s*
    (?P<num>\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)
    \s*(?P<unit>[千万亿]?元)?\s*$""",
    re.VERBOSE,
)


def split_amount_unit(text: str | None) -> tuple[Decimal, str | None] | None:
    """``'2,858.5'`` → ``(Decimal('2858.5'), None)``; ``'834.02万元'`` → ``(…, '万元')``.

    Returns None when the text is blank or not a plain amount.
    """
    if text is None:
        return None
    m = _AMOUNT_RE.match(text.replace("\u3000", " "))
    if not m:
        return None
    digits = m.group("num").replace(",", "").replace("，", "")
    try:
        value = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the regex only admits decimals
        return None
    if m.group("sign"):
        value = -value
    return value, m.group("unit")


def parse_amount(text: str | None) -> Decimal | None:
    parsed = split_amount_unit(text)
    return None if parsed is None else parsed[0]


def to_yuan(value: Decimal, unit: str) -> Decimal:
    """Convert to yuan, rounded half-up to the fen (DECIMAL(20,2))."""
    try:
        factor = UNIT_FACTORS[unit]
    except KeyError:
        raise ValueError(f"unknown money unit {unit!r}") from None
    return (value * factor).quantize(Decimal("0.01"))


_DECLARED_UNIT_RE = re.compile(r"(?:单位|金额单位)\s*[:：]\s*([千万亿]?元)|[（(]\s*([千万亿]?元)\s*[)）]")


def find_declared_unit(text: str) -> str | None:
    """The money unit a header declares: ``单位：万元`` / ``（万元）`` / ``单位:元``."""
    m = _DECLARED_UNIT_RE.search(text)
    if not m:
        return None
    return m.group(1) or m.group(2)
