"""Performance-target values (绩效目标表 指标值): free text → comparator, number, unit, date.

The 指标值 of a performance target is written by hand: ``≥95%``, ``4.6万人次``,
``《=2500万``, ``2022年12月31日前``, ``满意率95%以上、零核实投诉``, ``有所提高``.
:func:`parse_target_value` turns one such text into a :class:`TargetValue`.
Pure functions, no I/O; the parser never raises.

Rules
=====

Normalisation
    The text is NFKC-normalised (full-width digits, letters and punctuation
    become ASCII: ``９５％`` → ``95%``, ``＞＝`` → ``>=``, ``，`` → ``,``).
    ``≧ ⩾ >= =>`` read as ``≥``; ``≦ ⩽ <= =< 《=`` as ``≤`` (``《=`` is a real
    typo in the filings for ``<=``; ``》=`` is read as ``≥`` by symmetry).

Tokens, and which one counts
    The text is scanned left to right for tokens: dates, years, frequencies,
    ranges and quantities (comparator + number + unit). The FIRST date or
    quantity is the value; everything after it is ignored (compound values:
    ``满意率95%以上、零核实投诉`` → ``>=`` 95 ``%``; ``…>38万人; …>508万人`` →
    ``>`` 38 ``万人``; ``门诊：…补助90%； 住院：…补助94%-98%。`` → ``=`` 90 ``%``).
    Tokens that are not a single value (years, frequencies, ranges, dates
    without a year) are skipped and the scan goes on.

Comparators
    Before the number: ``≥`` ``不低于`` ``不少于`` ``不小于`` ``大于等于`` ``至少``
    ``达到`` → ``>=``; ``>`` ``超过`` ``高于`` ``大于`` ``多于`` → ``>``; ``≤``
    ``不超过`` ``不高于`` ``不多于`` ``不大于`` ``小于等于`` ``最多`` ``控制在`` →
    ``<=``; ``<`` ``低于`` ``少于`` ``小于`` ``不足`` → ``<``; ``=`` → ``=``.
    After the number and unit: ``以上`` ``及以上`` ``之上`` → ``>=``; ``以下``
    ``及以下`` ``以内`` ``之内`` ``内`` → ``<=`` (``95%以上`` → ``>=`` 95;
    ``30个工作日内`` → ``<=`` 30 ``工作日``; ``控制在…以内`` → ``<=``). When both
    stand, the one before the number wins. A bare value is ``=``. A comparison
    with no number (``不低于上年``, ``不超过当年预算``) is qualitative.

Numbers
    Decimals, thousands separators (``2,858.5``) and Chinese numerals (read with
    cn2an: ``二次`` → 2 ``次``, ``两次`` → 2 ``次``). A Chinese numeral counts only
    when a unit follows it and no other Chinese character follows the unit,
    so words such as ``一次性``, ``一站式``, ``一至六级`` are not numbers. A number
    right after ``第`` (an ordinal), after another digit, a ``.`` or a ``-`` is
    not the start of a value (``-5%`` is not read as 5%). A number with no unit
    and no comparator that runs straight into a word (``2型糖尿病``) is not a
    value either.

Units
    ``value`` is the number as written and ``unit`` the unit as written,
    normalised (``％``/``百分比`` → ``%``; ``个工作日`` → ``工作日``, ``个月`` →
    ``月``, ``个小时`` → ``小时``, ``个季度`` → ``季度``). A scale 千/万/百万/千万/亿
    stays in the unit (``4.6万人次``, ``2.7万人``, ``20万元``) and ``value_base`` is
    the value in the base unit: money is always in ``元`` (``万元`` ×10⁴, ``亿元``
    ×10⁸, ``千元`` ×10³); a scaled count is in its count unit (``万人`` → ``人``,
    ``万人次`` → ``人次``, ×10⁴); every other unit is its own base. A per-unit
    money amount keeps its compound unit (``15000元/人、年`` → 15000 ``元/人``, base
    ``元/人``; ``1.2万元/人`` → base 12000 ``元/人``). ``N月`` is a calendar month
    and ``N日`` a calendar day, not durations (``N个月``, ``N天``, ``N工作日`` are;
    ``N日内`` is a duration of ``日``). A number followed by a word that is not a
    known unit keeps ``unit`` None: ``≥80比率`` → ``>=`` 80, unit None
    (比率 names the kind of quantity, not its scale: 80 could be a percent or a
    typo, so the parser does not guess ``%``).

Implied units (the value has no unit)
    In order: the ``unit_hint`` (a published 度量单位 column such as ``%``,
    ``万元``, ``人次``, ``年``; a hint that is not a unit, e.g. ``定量``, is ignored);
    a unit in brackets in the indicator name (``参保率（%）``, ``缴费标准（元）``);
    a count suffix ending the indicator name (``…人数`` → ``人``, ``…人次数`` →
    ``人次``, ``…次数`` → ``次``, ``…个数`` → ``个``, ``…家数`` → ``家``, ``…户数`` →
    ``户``). ``≥85`` on ``参保率（%）`` → 85 ``%``; ``3997.5`` with hint ``万元`` →
    3997.5 ``万元`` = 39975000 ``元``; ``24`` on ``…卫生院个数`` → 24 ``个``.
    A bare scale (``18万``, ``《=2500万``) takes the implied count or money unit
    (``18万`` with hint ``人次`` → 18 ``万人次`` = 180000 ``人次``); failing that, an
    indicator that names money (成本 费用 经费 资金 支出 预算 金额, or a
    ``（元）``/``（万元）`` unit) makes it money (``《=2500万`` on ``项目总成本`` →
    ``<=`` 2500 ``万元`` = 25000000 ``元``); failing that the unit is the scale
    alone (``万``), ``value_base`` is the scaled number and ``base_unit`` None.
    With no unit at all, ``unit``, ``value_base`` and ``base_unit`` are None and
    the value is still quantitative (``≥90`` on ``群众满意度``).

Years are context, not values
    ``2020年度``, ``2021年``, ``2020-2021年度`` are skipped: a text whose only
    digits are such years is qualitative (``结清2020年度…``). A whole-year period
    directly followed by a quantity qualifies that quantity: ``2020全年50万元`` →
    ``=`` 50 ``万元``. A bare year is not a deadline (no month, 全年, 年底 …).

Deadlines (time targets)
    A date target has comparator ``<=``, ``target_date`` set, ``value``/``unit``
    None, and ``is_quantitative`` True (it is measurable: done by that date).

    * ``2022年12月31日前`` / ``2022年12月31日`` / ``2022-12-31`` → 2022-12-31:
      "by that day", the day itself included.
    * ``2021年10月前`` → 2021-09-30. "Before October" is read literally: the
      deadline is the last day of the month BEFORE the one named (``2021年11月前``
      → 2021-10-31; ``2022年1月前`` → 2021-12-31). A day named with 前 is
      inclusive (Chinese usage for 日前 deadlines) but a month named with 前 is
      the month not yet begun.
    * ``2021年10月`` / ``10月底`` / ``10月末`` / ``10月内`` → 2021-10-31, the end
      of the month named.
    * ``2021年5-7月`` → 2021-07-31, the end of the range; a list of months
      (``2021年5月和11月份``) likewise ends at its last month (2021-11-30).
    * ``2022年全年`` / ``2022年底`` / ``2022年末`` / ``2022年内`` → 2022-12-31.

    A month or day with no year (``5月和11月份``) cannot be dated: it is not a
    value (issue ``unparsed: date without a year``). An impossible date
    (``2022年2月30日``) gives issue ``unparsed: invalid date``.

Frequencies and ranges
    A frequency (``一年二次``, ``每年2次``, ``每月一次``) is not a single value and is
    skipped (``一年二次，…10个工作日内`` → ``<=`` 10 ``工作日``); ``二次`` alone is
    ``=`` 2 ``次``; an explicit rate unit is a unit (``2次/年`` → 2 ``次/年``). A
    numeric range (``94%-98%``, ``5至10人``) is not a single value either.

Qualitative values and issues
    Text with no value — ``有所提高``, ``节约``, ``及时``, ``常态化``, ``达标``,
    ``正常``, ``是``, ``程度较高``, ``不低于上年``, ``重点对象全覆盖`` … — gives all
    fields None, ``is_quantitative`` False and ``issue`` None: qualitative targets
    are not errors (the caller keeps the text). Empty or None text gives the
    same. Only when the text has Arabic digits that none of the rules above
    explains (a range, a frequency with digits, a date without a year, a number
    glued to a word) is ``issue`` set, to ``'unparsed: <reason>'``. Digits that
    are years are explained. The parser never raises: an unexpected internal
    error is also reported as an issue.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Context, Decimal
from typing import Callable, Optional

import cn2an

__all__ = ["TargetValue", "parse_target_value"]


@dataclass(frozen=True)
class TargetValue:
    """One parsed 指标值. See the module docstring for the rules."""

    comparator: Optional[str]  # '>=', '>', '<=', '<', '='; None when not quantitative
    value: Optional[Decimal]  # the number as written (4.6 in '4.6万人次')
    unit: Optional[str]  # unit as written, normalised ('万人次', '%', '万元', '元/人' …)
    value_base: Optional[Decimal]  # value in base_unit (4.6万人次 → 46000)
    base_unit: Optional[str]  # '人次', '%', '元', … ; money is always '元'
    target_date: Optional[date]  # deadline of a time target
    is_quantitative: bool  # a comparator and a value (or a deadline) were parsed
    issue: Optional[str]  # 'unparsed: …' when digits could not be interpreted


_EMPTY = TargetValue(None, None, None, None, None, None, False, None)

# --------------------------------------------------------------------------- units

_SCALE_EXP = {"": 0, "千": 3, "万": 4, "百万": 6, "千万": 7, "亿": 8}
_MONEY = ("元",)
_COUNTS = (
    "人次", "人", "次", "户", "家", "个", "所", "辆", "套", "起", "台", "件", "项",
    "篇", "场", "期", "份", "批", "种", "张", "本", "册", "床", "名", "例", "笔",
    "条", "处", "座", "间", "部", "架", "支", "类", "轮", "岁", "宗",
)
# unit as written → unit as reported
_OTHER_UNITS = {
    "%": "%", "百分比": "%", "百分点": "百分点", "个百分点": "百分点", "‰": "‰",
    "个工作日": "工作日", "工作日": "工作日", "个小时": "小时", "小时": "小时",
    "分钟": "分钟", "天": "天", "年": "年", "周": "周", "个星期": "星期", "星期": "星期",
    "个月": "月", "个季度": "季度", "季度": "季度",
}
_PER_UNITS = _COUNTS + ("年", "月", "天", "日", "周", "季度", "工作日")


def _alt(words) -> str:
    """Regex alternation, longest first (so '人次' wins over '人')."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_SCALABLE_RE = _alt(_MONEY + _COUNTS)
# 'N日' is a calendar day unless a 'within' word follows ('30日内').
_CORE_RE = _alt(_MONEY + _COUNTS + tuple(_OTHER_UNITS)) + r"|日(?=以内|之内|内)"
_SCALE_RE = _alt(k for k in _SCALE_EXP if k)


def _unit_part(tag: str = "") -> str:
    """Scale + optional scalable unit, or a plain unit; then an optional '/per' unit.

    ``tag`` suffixes the group names, for a pattern holding two units.
    """
    return (
        rf"(?:(?P<scale{tag}>{_SCALE_RE})\s*(?P<score{tag}>{_SCALABLE_RE})?|(?P<core{tag}>{_CORE_RE}))"
        rf"(?:\s*/\s*(?P<per{tag}>{_alt(_PER_UNITS)}))?"
    )


_UNIT_PART = _unit_part()


@dataclass(frozen=True)
class _Unit:
    scale: str  # '' or a key of _SCALE_EXP
    core: Optional[str]  # '元', '人次', '%', … ; None for a bare scale
    per: Optional[str] = None

    @property
    def text(self) -> str:
        return self.scale + (self.core or "") + (f"/{self.per}" if self.per else "")

    @property
    def base(self) -> Optional[str]:
        if self.core is None:
            return None
        return self.core + (f"/{self.per}" if self.per else "")


def _unit_from_match(m: re.Match) -> Optional[_Unit]:
    scale = m.group("scale") or ""
    core = m.group("score") or m.group("core")
    if core is not None:
        core = _OTHER_UNITS.get(core, core)
    if not scale and core is None:
        return None
    return _Unit(scale, core, m.group("per"))


_UNIT_FULL = re.compile(rf"\s*{_UNIT_PART}\s*")


def _parse_unit(text: str) -> Optional[_Unit]:
    """A whole string that is a unit ('万元', '%', '人次', '元/人') → _Unit."""
    m = _UNIT_FULL.fullmatch(text)
    if not m:
        return None
    unit = _unit_from_match(m)
    return unit if unit is not None and unit.core is not None else None


# ------------------------------------------------------------------- normalising

_TRANSLATE = str.maketrans(
    {"≧": "≥", "⩾": "≥", "≦": "≤", "⩽": "≤", "—": "-", "–": "-", "−": "-", "―": "-"}
)
_REPLACE = (("《=", "≤"), ("》=", "≥"), (">=", "≥"), ("<=", "≤"), ("=>", "≥"), ("=<", "≤"))


def _normalise(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    for old, new in _REPLACE:
        s = s.replace(old, new)
    return s.strip()


# ------------------------------------------------------------------- comparators

_PREFIXES = {
    "不低于": ">=", "不少于": ">=", "不小于": ">=", "大于等于": ">=", "大于或等于": ">=",
    "至少": ">=", "达到": ">=", "≥": ">=",
    "超过": ">", "高于": ">", "大于": ">", "多于": ">", ">": ">",
    "不超过": "<=", "不高于": "<=", "不多于": "<=", "不大于": "<=", "小于等于": "<=",
    "小于或等于": "<=", "最多": "<=", "控制在": "<=", "≤": "<=",
    "低于": "<", "少于": "<", "小于": "<", "不足": "<", "<": "<",
    "=": "=",
}
_POSTFIXES = {
    "及以上": ">=", "以上": ">=", "之上": ">=",
    "及以下": "<=", "以下": "<=", "以内": "<=", "之内": "<=", "内": "<=",
}
_PRE = rf"(?:(?P<pre>{_alt(_PREFIXES)})\s*)?"
_POST = rf"(?:\s*(?P<post>{_alt(_POSTFIXES)}))?"

# ------------------------------------------------------------------------ tokens

_NUM = r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?"
_CN_NUM = "零〇一二两三四五六七八九十百千万亿"
_START = r"(?<![0-9.\-])"  # a number does not start inside another one
_YEAR = r"(?P<y>(?:19|20)[0-9]{2})"
_SEP = r"\s*(?:[-~至到和及、]|以及)\s*"
_MD = r"[0-9]{1,2}"

_DATE_YMD = re.compile(
    rf"{_START}{_YEAR}\s*(?:年\s*(?P<m>{_MD})\s*月\s*(?P<d>{_MD})\s*[日号]?"
    rf"|(?P<sep>[-./])(?P<m2>{_MD})(?P=sep)(?P<d2>{_MD})(?![0-9]))\s*(?:之前|以前|前)?"
)
_DATE_MONTHS = re.compile(
    rf"{_START}{_YEAR}\s*年\s*(?P<m1>{_MD})\s*(?:月份?)?{_SEP}(?P<m2>{_MD})\s*月份?"
    r"(?P<suffix>之前|以前|前|底|末|内)?"
)
_DATE_MONTH = re.compile(
    rf"{_START}{_YEAR}\s*年\s*(?P<m>{_MD})\s*月份?(?P<suffix>之前|以前|前|底|末|内)?(?![0-9])"
)
_YEAR_PERIOD = re.compile(rf"{_START}{_YEAR}\s*(?:年度?)?\s*(?:全年|年底|年末|年内|底|末)(?:之前|以前|前)?")
_YEAR_RANGE = re.compile(rf"{_START}{_YEAR}\s*[-~至到]\s*(?:19|20)[0-9]{{2}}\s*年度?")
_YEAR_CONTEXT = re.compile(rf"{_START}{_YEAR}\s*年度?")
_NO_YEAR = re.compile(rf"{_START}{_MD}\s*(?:月份?|[日号](?!以内|之内|内))(?![0-9])")
_FREQUENCY = re.compile(
    rf"{_START}(?:每|一|1)\s*个?\s*(?:年|月|季度|季|周|天|日)\s*(?:[0-9]+|[{_CN_NUM}]+)\s*次"
)
_RANGE = re.compile(
    rf"{_START}{_NUM}\s*(?:{_unit_part('_a')})?\s*[-~至到]\s*{_NUM}\s*(?:{_unit_part('_b')})?"
)
_QUANTITY = re.compile(rf"{_PRE}(?<!第){_START}(?P<num>{_NUM})\s*(?:{_UNIT_PART})?{_POST}")
_CN_QUANTITY = re.compile(rf"{_PRE}(?<!第)(?P<cn>[{_CN_NUM}]{{1,12}})(?:{_UNIT_PART}){_POST}")

_MONEY_INDICATOR = re.compile("成本|费用|经费|资金|支出|预算|金额")
_BRACKET_UNIT = re.compile(r"\(([^()]*)\)")
_COUNT_SUFFIX = re.compile(r"(人次|人|次|个|家|户)数$")
_TRAILING_BRACKET = re.compile(r"\s*\([^()]*\)\s*$")


@dataclass(frozen=True)
class _Token:
    kind: str  # 'value' | 'date' | 'year_period' | 'context' | 'bad'
    start: int
    end: int
    result: Optional[TargetValue] = None
    reason: Optional[str] = None


@dataclass(frozen=True)
class _Context:
    implied: Optional[_Unit]  # unit implied by unit_hint or indicator
    money: bool  # a bare 万/亿 means 万元/亿元


def _quote(fragment: str) -> str:
    return fragment if len(fragment) <= 20 else fragment[:19] + "…"


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _date_token(m: re.Match, when: Optional[date]) -> _Token:
    if when is None:
        return _Token("bad", m.start(), m.end(), reason=f"invalid date '{_quote(m.group(0))}'")
    deadline = TargetValue("<=", None, None, None, None, when, True, None)
    return _Token("date", m.start(), m.end(), result=deadline)


def _month_deadline(year: int, month: int, suffix: Optional[str]) -> Optional[date]:
    if not 1 <= month <= 12:
        return None
    if suffix in ("前", "之前", "以前"):  # before the month begins
        return date(year - 1, 12, 31) if month == 1 else _last_day(year, month - 1)
    return _last_day(year, month)


def _scan_ymd(m: re.Match, s: str, ctx: _Context) -> _Token:
    y = int(m.group("y"))
    mo, d = (m.group("m"), m.group("d")) if m.group("m") else (m.group("m2"), m.group("d2"))
    try:
        when = date(y, int(mo), int(d))
    except ValueError:
        when = None
    return _date_token(m, when)


def _scan_months(m: re.Match, s: str, ctx: _Context) -> _Token:
    first, last = int(m.group("m1")), int(m.group("m2"))
    when = None
    if 1 <= first <= last:
        when = _month_deadline(int(m.group("y")), last, m.group("suffix"))
    return _date_token(m, when)


def _scan_month(m: re.Match, s: str, ctx: _Context) -> _Token:
    return _date_token(m, _month_deadline(int(m.group("y")), int(m.group("m")), m.group("suffix")))


def _scan_year_period(m: re.Match, s: str, ctx: _Context) -> _Token:
    deadline = TargetValue("<=", None, None, None, None, date(int(m.group("y")), 12, 31), True, None)
    return _Token("year_period", m.start(), m.end(), result=deadline)


def _scan_context(m: re.Match, s: str, ctx: _Context) -> _Token:
    return _Token("context", m.start(), m.end())


def _scan_no_year(m: re.Match, s: str, ctx: _Context) -> _Token:
    return _Token("bad", m.start(), m.end(), reason=f"date without a year '{_quote(m.group(0))}'")


def _scan_frequency(m: re.Match, s: str, ctx: _Context) -> _Token:
    if re.search("[0-9]", m.group(0)):
        reason = f"frequency '{_quote(m.group(0))}' is not a single value"
        return _Token("bad", m.start(), m.end(), reason=reason)
    return _Token("context", m.start(), m.end())


def _scan_range(m: re.Match, s: str, ctx: _Context) -> _Token:
    reason = f"range '{_quote(m.group(0))}' is not a single value"
    return _Token("bad", m.start(), m.end(), reason=reason)


def _scaled(value: Decimal, exponent: int) -> Decimal:
    """value × 10**exponent, exactly, written without an exponent (46000, not 4.6E+4)."""
    if exponent == 0:
        return value
    context = Context(prec=max(28, len(value.as_tuple().digits) + exponent + 2))
    result = value.scaleb(exponent, context)
    if result.as_tuple().exponent > 0:
        result = result.quantize(Decimal(1), context=context)
    return result


def _value_token(m: re.Match, value: Decimal, scale: str, ctx: _Context) -> _Token:
    unit = _unit_from_match(m)
    if scale:  # a Chinese numeral's own 万/亿 ('三万人')
        unit = _Unit(scale, unit.core if unit else None, unit.per if unit else None)
    if unit is not None and unit.core is None:  # a bare scale: '18万'
        implied = ctx.implied
        if implied is not None and implied.core in _MONEY + _COUNTS:
            unit = _Unit(unit.scale, implied.core, unit.per or implied.per)
        elif ctx.money:
            unit = _Unit(unit.scale, "元", unit.per)
    elif unit is None:
        unit = ctx.implied
    pre, post = m.group("pre"), m.group("post")
    comparator = _PREFIXES[pre] if pre else _POSTFIXES[post] if post else "="
    if unit is None:
        result = TargetValue(comparator, value, None, None, None, None, True, None)
    else:
        base = _scaled(value, _SCALE_EXP[unit.scale])
        result = TargetValue(comparator, value, unit.text, base, unit.base, None, True, None)
    return _Token("value", m.start(), m.end(), result=result)


def _scan_quantity(m: re.Match, s: str, ctx: _Context) -> Optional[_Token]:
    bare = not any(m.group(g) for g in ("pre", "post", "scale", "score", "core"))
    if bare:
        after = s[m.end():m.end() + 1]
        before = s[m.start() - 1:m.start()] if m.start() else ""
        glued_after = bool(after) and unicodedata.category(after).startswith("L")
        if glued_after or (before.isascii() and before.isalpha()):
            return None  # a number glued to a word ('2型'), not a value
    return _value_token(m, Decimal(m.group("num").replace(",", "")), "", ctx)


def _scan_cn_quantity(m: re.Match, s: str, ctx: _Context) -> Optional[_Token]:
    after = s[m.end():m.end() + 1]
    if after and "\u3400" <= after <= "\u9fff":
        return None  # '一次性', '一站式': part of a word
    numeral, scale = m.group("cn"), ""
    if numeral[-1] in "万亿" and not m.group("scale"):
        numeral, scale = numeral[:-1], numeral[-1]  # '三万人': 3 万人
    if not numeral:
        return None
    try:
        number = cn2an.cn2an(numeral, "normal")
        value = Decimal(str(number))
    except Exception:  # cn2an raises ValueError and others on odd numerals
        return None
    return _value_token(m, value, scale, ctx)


_Scanner = Callable[[re.Match, str, _Context], Optional[_Token]]
# Tried in this order at each position; the first that yields a token wins.
_SCANNERS: tuple[tuple[re.Pattern, _Scanner], ...] = (
    (_DATE_YMD, _scan_ymd),
    (_DATE_MONTHS, _scan_months),
    (_DATE_MONTH, _scan_month),
    (_YEAR_PERIOD, _scan_year_period),
    (_YEAR_RANGE, _scan_context),
    (_YEAR_CONTEXT, _scan_context),
    (_NO_YEAR, _scan_no_year),
    (_FREQUENCY, _scan_frequency),
    (_RANGE, _scan_range),
    (_QUANTITY, _scan_quantity),
    (_CN_QUANTITY, _scan_cn_quantity),
)


def _tokens(s: str, ctx: _Context) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(s):
        for pattern, scan in _SCANNERS:
            m = pattern.match(s, pos)
            if m and m.end() > pos:
                token = scan(m, s, ctx)
                if token is not None:
                    tokens.append(token)
                    pos = token.end
                    break
        else:
            pos += 1
    return tokens


def _context(indicator: Optional[str], unit_hint: Optional[str]) -> _Context:
    ind = _normalise(indicator) if indicator else ""
    implied = _parse_unit(_normalise(unit_hint)) if unit_hint else None
    bracket = next((u for u in map(_parse_unit, _BRACKET_UNIT.findall(ind)) if u), None)
    if implied is None:
        implied = bracket
    if implied is None:
        bare = ind
        while _TRAILING_BRACKET.search(bare):
            bare = _TRAILING_BRACKET.sub("", bare)
        suffix = _COUNT_SUFFIX.search(bare)
        implied = _Unit("", suffix.group(1)) if suffix else None
    money = bool(_MONEY_INDICATOR.search(ind)) or (bracket is not None and bracket.core == "元")
    return _Context(implied, money)


def _parse(text: str, indicator: Optional[str], unit_hint: Optional[str]) -> TargetValue:
    s = _normalise(text)
    if not s:
        return _EMPTY
    tokens = _tokens(s, _context(indicator, unit_hint))
    for i, token in enumerate(tokens):
        if token.kind == "year_period":
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if nxt is not None and nxt.kind == "value" and not s[token.end:nxt.start].strip():
                continue  # '2020全年50万元': the period qualifies the amount
            return token.result
        if token.kind in ("value", "date"):
            return token.result
    reasons = [t.reason for t in tokens if t.kind == "bad"]
    if reasons:
        return TargetValue(None, None, None, None, None, None, False, f"unparsed: {reasons[0]}")
    covered = set()
    for t in tokens:
        covered.update(range(t.start, t.end))
    stray = next((m for m in re.finditer("[0-9]+", s) if m.start() not in covered), None)
    if stray is not None:
        reason = f"unparsed: number '{_quote(stray.group(0))}' without a recognised unit"
        return TargetValue(None, None, None, None, None, None, False, reason)
    return _EMPTY


def _as_text(x) -> Optional[str]:
    return x if x is None or isinstance(x, str) else str(x)


def parse_target_value(
    text: Optional[str], indicator: Optional[str] = None, unit_hint: Optional[str] = None
) -> TargetValue:
    """Parse one 指标值 into a :class:`TargetValue`; never raises.

    ``indicator`` is the 三级指标 name and ``unit_hint`` a unit published in a
    separate column; both only supply a unit the text leaves out (see the module
    docstring). Empty text and qualitative text give ``is_quantitative`` False
    and ``issue`` None; digits that cannot be interpreted give an ``issue``.
    """
    try:
        text, indicator, unit_hint = _as_text(text), _as_text(indicator), _as_text(unit_hint)
        if text is None:
            return _EMPTY
        return _parse(text, indicator, unit_hint)
    except Exception as exc:  # the caller records issues; a filing must never stop a load
        issue = f"unparsed: internal error ({type(exc).__name__})"
        return TargetValue(None, None, None, None, None, None, False, issue)
