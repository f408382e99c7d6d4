"""Unit tests for loaders.target_values (绩效目标 指标值 text → comparator, value, unit, date).

``target_value_cases.csv`` holds every distinct 指标值 string of the five sample
filings (with its indicator and, for 003, the 度量单位 unit hint), each with a
hand-reviewed expected parse. An empty cell means None.
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.target_values import TargetValue, parse_target_value

CASES = Path(__file__).with_name("target_value_cases.csv")
COLUMNS = [
    "text", "indicator", "unit_hint", "comparator", "value", "unit",
    "value_base", "base_unit", "target_date", "is_quantitative",
]


def _cases() -> list[dict[str, str]]:
    with CASES.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def _opt(cell: str):
    return cell if cell != "" else None


def _dec(cell: str):
    return Decimal(cell) if cell != "" else None


def _expected(case: dict[str, str]) -> TargetValue:
    assert case["is_quantitative"] in ("True", "False")
    return TargetValue(
        comparator=_opt(case["comparator"]),
        value=_dec(case["value"]),
        unit=_opt(case["unit"]),
        value_base=_dec(case["value_base"]),
        base_unit=_opt(case["base_unit"]),
        target_date=date.fromisoformat(case["target_date"]) if case["target_date"] else None,
        is_quantitative=case["is_quantitative"] == "True",
        issue=None,
    )


CASE_ROWS = _cases()


def test_case_table_is_complete_and_distinct():
    keys = [(c["text"], c["indicator"], c["unit_hint"]) for c in CASE_ROWS]
    assert len(keys) == len(set(keys))
    assert len(CASE_ROWS) >= 150
    # the filings' own spellings that the rules were written for are all there
    texts = {c["text"] for c in CASE_ROWS}
    for text in ("《=2500万", "2021年10月前", "一年二次, 5月和11月份。", "≥80比率", "15000元/人、年", "18万"):
        assert text in texts


@pytest.mark.parametrize(
    "case", CASE_ROWS, ids=[f"{i + 2}:{c['text'][:24]}" for i, c in enumerate(CASE_ROWS)]
)
def test_case_table(case):
    got = parse_target_value(_opt(case["text"]), _opt(case["indicator"]), _opt(case["unit_hint"]))
    want = _expected(case)
    # field by field, so a failure names the field; Decimals compare as Decimals
    assert got.comparator == want.comparator
    assert got.value == want.value and type(got.value) is type(want.value)
    assert got.unit == want.unit
    assert got.value_base == want.value_base and type(got.value_base) is type(want.value_base)
    assert got.base_unit == want.base_unit
    assert got.target_date == want.target_date
    assert got.is_quantitative is want.is_quantitative
    if want.is_quantitative:
        assert got.issue is None


# --------------------------------------------------------------- never raises


def _check_invariants(tv: TargetValue) -> None:
    assert isinstance(tv, TargetValue)
    assert tv.issue is None or (tv.issue.startswith("unparsed: ") and "internal error" not in tv.issue)
    if tv.is_quantitative:
        assert tv.comparator in (">=", ">", "<=", "<", "=")
        assert (tv.value is not None) != (tv.target_date is not None)
        assert tv.issue is None
    else:
        assert (tv.comparator, tv.value, tv.unit, tv.value_base, tv.base_unit, tv.target_date) == (None,) * 6
    if tv.value is not None:
        assert isinstance(tv.value, Decimal) and tv.value.is_finite()
    if tv.value_base is not None:
        assert isinstance(tv.value_base, Decimal) and tv.value_base.is_finite()
    if tv.base_unit is not None:
        assert tv.value_base is not None and tv.unit is not None


@settings(max_examples=500)
@given(st.text())
def test_never_raises_on_arbitrary_text(text):
    _check_invariants(parse_target_value(text))


@settings(max_examples=300)
@given(st.text(), st.one_of(st.none(), st.text()), st.one_of(st.none(), st.text()))
def test_never_raises_with_indicator_and_hint(text, indicator, unit_hint):
    _check_invariants(parse_target_value(text, indicator, unit_hint))


# text built from the characters the rules look at, to reach every branch
_RELEVANT = list("0123456789０１９.,，．%％万亿千元人次户家个年月日号前后内以上下≥≧≤≦《=<>＞＜-~至和、;；"
                 "一二两三十百零不低高少超过于达到控制在全度底末每第工作天小时/（）() 率型")


@settings(max_examples=1000)
@given(
    st.text(alphabet=st.sampled_from(_RELEVANT), max_size=30),
    st.sampled_from([None, "", "项目总成本", "参保率（%）", "参保人数", "群众满意度", "标准（万元）"]),
    st.sampled_from([None, "", "%", "万元", "人次", "年", "定量", "万"]),
)
def test_never_raises_on_target_like_text(text, indicator, unit_hint):
    _check_invariants(parse_target_value(text, indicator, unit_hint))


def test_non_string_input_does_not_raise():
    assert parse_target_value(95).value == Decimal(95)  # type: ignore[arg-type]
    _check_invariants(parse_target_value(object()))  # type: ignore[arg-type]


# ----------------------------------------------------------------- round trip

SYMBOLS = [("≥", ">="), (">", ">"), ("≤", "<="), ("<", "<"), ("", "=")]
UNITS = {  # unit → (base unit, power of ten)
    "%": ("%", 0), "人": ("人", 0), "人次": ("人次", 0), "万人": ("人", 4), "万人次": ("人次", 4),
    "元": ("元", 0), "万元": ("元", 4), "次": ("次", 0), "家": ("家", 0), "个": ("个", 0),
}
_FULL_WIDTH = str.maketrans("0123456789.%><", "０１２３４５６７８９．％＞＜")


@settings(max_examples=500)
@given(
    symbol=st.sampled_from(SYMBOLS),
    number=st.decimals(
        min_value=Decimal("0.01"), max_value=Decimal("999999999.99"), places=2,
        allow_nan=False, allow_infinity=False,
    ),
    unit=st.sampled_from(sorted(UNITS)),
    trim=st.booleans(),
    full_width=st.booleans(),
)
def test_round_trip(symbol, number, unit, trim, full_width):
    written = f"{number.normalize():f}" if trim else f"{number:f}"
    text = f"{symbol[0]}{written}{unit}"
    if full_width:
        text = text.translate(_FULL_WIDTH)
    got = parse_target_value(text)
    base_unit, power = UNITS[unit]
    assert got.comparator == symbol[1]
    assert got.value == number
    assert got.unit == unit
    assert got.value_base == number * 10**power
    assert got.base_unit == base_unit
    assert got.target_date is None and got.is_quantitative and got.issue is None


# -------------------------------------------------------------- focused rules


def _q(comparator, value, unit, value_base, base_unit):
    return (comparator, None if value is None else Decimal(value), unit,
            None if value_base is None else Decimal(value_base), base_unit)


def _fields(tv: TargetValue):
    return (tv.comparator, tv.value, tv.unit, tv.value_base, tv.base_unit)


@pytest.mark.parametrize(
    "indicator",
    ["项目总成本", "办公费用", "工作经费", "补助资金", "宣传支出", "预算执行", "奖励金额", "缴费标准（元）", "补助标准(万元)"],
)
def test_bare_wan_means_wan_yuan_on_money_indicators(indicator):
    got = parse_target_value("《=2500万", indicator)
    assert _fields(got) == _q("<=", "2500", "万元", "25000000", "元")


def test_bare_wan_elsewhere():
    # no money indicator, no hint: the scale alone is the unit, base unit unknown
    assert _fields(parse_target_value("18万")) == _q("=", "18", "万", "180000", None)
    assert _fields(parse_target_value("18万", "群众满意度")) == _q("=", "18", "万", "180000", None)
    # a count hint gives the count unit
    assert _fields(parse_target_value("18万", unit_hint="人次")) == _q("=", "18", "万人次", "180000", "人次")
    # an explicit unit in the text wins over the indicator
    assert _fields(parse_target_value("18万人", "项目总成本")) == _q("=", "18", "万人", "180000", "人")


def test_implied_units_and_their_order():
    assert _fields(parse_target_value("≥85", "参保率（%）")) == _q(">=", "85", "%", "85", "%")
    assert _fields(parse_target_value("3997.5", None, "万元")) == _q("=", "3997.5", "万元", "39975000", "元")
    # the hint column wins over a unit in the indicator name
    assert _fields(parse_target_value("12", "参保率（%）", "人")) == _q("=", "12", "人", "12", "人")
    # a hint that is not a unit is ignored
    assert _fields(parse_target_value("90", "参保率（%）", "定量")) == _q("=", "90", "%", "90", "%")
    # a count suffix of the indicator name
    assert _fields(parse_target_value("24", "卫生院个数")) == _q("=", "24", "个", "24", "个")
    assert _fields(parse_target_value("300", "医疗救助人次数")) == _q("=", "300", "人次", "300", "人次")
    # nothing to go on: a number without a unit is still a value
    assert _fields(parse_target_value("≥90", "群众满意度")) == _q(">=", "90", None, None, None)
    assert _fields(parse_target_value("≥80比率")) == _q(">=", "80", None, None, None)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2022年12月31日前", date(2022, 12, 31)),
        ("2022年12月31日", date(2022, 12, 31)),
        ("2022-12-31前", date(2022, 12, 31)),
        ("2021年10月前", date(2021, 9, 30)),  # before October: end of September
        ("2021年11月前", date(2021, 10, 31)),
        ("2021年3月前", date(2021, 2, 28)),
        ("2024年3月之前", date(2024, 2, 29)),
        ("2022年1月前", date(2021, 12, 31)),
        ("2021年10月", date(2021, 10, 31)),
        ("2021年10月底", date(2021, 10, 31)),
        ("2021年5-7月", date(2021, 7, 31)),
        ("2021年5月至7月", date(2021, 7, 31)),
        ("2021年5月和11月份。", date(2021, 11, 30)),
        ("2022年全年", date(2022, 12, 31)),
        ("2022年底前完成", date(2022, 12, 31)),
        ("２０２２年１２月３１日前", date(2022, 12, 31)),
    ],
)
def test_deadlines(text, expected):
    got = parse_target_value(text, "任务完成时间", "年")
    assert (got.comparator, got.target_date, got.is_quantitative, got.issue) == ("<=", expected, True, None)
    assert (got.value, got.unit, got.value_base, got.base_unit) == (None, None, None, None)


@pytest.mark.parametrize(
    "text,issue_part",
    [
        ("2022年2月30日前", "invalid date"),
        ("2021年13月", "invalid date"),
        ("一年二次, 5月和11月份。", "date without a year"),
        ("12月31日前", "date without a year"),
        ("94%-98%", "range"),
        ("每年2次", "frequency"),
        ("2型", "without a recognised unit"),
        ("-5%", "without a recognised unit"),
    ],
)
def test_digits_that_cannot_be_interpreted_are_issues(text, issue_part):
    got = parse_target_value(text)
    assert not got.is_quantitative and got.comparator is None and got.value is None
    assert got.issue is not None and got.issue.startswith("unparsed: ") and issue_part in got.issue


def test_durations_are_numbers_with_units():
    assert _fields(parse_target_value("1年")) == _q("=", "1", "年", "1", "年")
    assert _fields(parse_target_value("30个工作日内")) == _q("<=", "30", "工作日", "30", "工作日")
    assert _fields(parse_target_value("3个月以内")) == _q("<=", "3", "月", "3", "月")
    assert _fields(parse_target_value("15日内")) == _q("<=", "15", "日", "15", "日")


@pytest.mark.parametrize(
    "text,indicator,expected",
    [
        ("满意率95%以上、零核实投诉", None, _q(">=", "95", "%", "95", "%")),
        ("全市职工医保参保人数>38万人; 居民医保参保人数>508万人", None, _q(">", "38", "万人", "380000", "人")),
        ("人均年支出<4.63万元。", None, _q("<", "4.63", "万元", "46300", "元")),
        ("《=858.5万（预算数）", "项目总成本", _q("<=", "858.5", "万元", "8585000", "元")),
        ("15000元/人、年", None, _q("=", "15000", "元/人", "15000", "元/人")),
        ("1.2万元/人", None, _q("=", "1.2", "万元/人", "12000", "元/人")),
        ("离休干部医疗费个人自付率<5%", None, _q("<", "5", "%", "5", "%")),
        ("2020全年50万元。", None, _q("=", "50", "万元", "500000", "元")),
        ("门诊：符合规定费用补助90%； 住院：符合规定费用按费用和年龄分段累加计算，补助94%-98%。", None,
         _q("=", "90", "%", "90", "%")),
        ("一年二次，医疗保障局发文批复10个工作日内", None, _q("<=", "10", "工作日", "10", "工作日")),
        ("达到95%以上", None, _q(">=", "95", "%", "95", "%")),
        ("控制在30万元以内", None, _q("<=", "30", "万元", "300000", "元")),
        ("不少于两次", None, _q(">=", "2", "次", "2", "次")),
        ("不超过1.5亿元", None, _q("<=", "1.5", "亿元", "150000000", "元")),
        ("高于2,858.5元", None, _q(">", "2858.5", "元", "2858.5", "元")),
        ("低于3%", None, _q("<", "3", "%", "3", "%")),
        ("95百分比", None, _q("=", "95", "%", "95", "%")),
    ],
)
def test_first_measurable_clause(text, indicator, expected):
    got = parse_target_value(text, indicator)
    assert _fields(got) == expected and got.is_quantitative and got.issue is None


def test_chinese_numerals():
    assert _fields(parse_target_value("二次")) == _q("=", "2", "次", "2", "次")
    assert _fields(parse_target_value("两次")) == _q("=", "2", "次", "2", "次")
    assert _fields(parse_target_value("三万人")) == _q("=", "3", "万人", "30000", "人")
    for text in ("一年二次", "一年一次，每年下半年", "一次性拨付", "一站式结算", "做好一至六级残疾军人医疗保障工作"):
        got = parse_target_value(text)
        assert not got.is_quantitative and got.issue is None, text


@pytest.mark.parametrize(
    "text",
    [
        "有所提高", "节约", "及时", "常态化", "不低于上年", "不超过当年预算", "达标", "正常", "有效保障",
        "予以保障", "按政策发放", "重点对象全覆盖", "程度较高", "严格执行国家药品目情况", "是",
        "及时拨付到位", "有效改善", "积极作用", "次月支付定点医疗机构费用",
        "做好2020-2021年度离休干部医疗保障工作。",
        "结清2020年度定点医疗机构离休干部医药费，并部分支付2021年离休医药费，待审计后结清。",
        "", "   ", None,
    ],
)
def test_qualitative_values(text):
    assert parse_target_value(text, "任意指标", "年") == TargetValue(None, None, None, None, None, None, False, None)


def test_value_base_has_no_exponent():
    got = parse_target_value("4.6万人次")
    assert got.value_base == Decimal(46000) and str(got.value_base) == "46000"
    assert str(parse_target_value("1.23456万元").value_base) == "12345.6"
