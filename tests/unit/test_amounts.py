from decimal import Decimal

import pytest

from loaders.amounts import find_declared_unit, parse_amount, split_amount_unit, to_yuan


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("7723.25", "7723.25", None),  # 002
        ("2,858.5", "2858.5", None),  # 001, thousands separator
        ("834.02万元", "834.02", "万元"),  # 004
        ("106万元", "106", "万元"),
        ("90100.00", "90100.00", None),  # 000, 元
        ("0.00", "0.00", None),  # a published zero is an amount
        (" 5.00 ", "5.00", None),
        ("-3.5", "-3.5", None),
        ("1，234.5", "1234.5", None),
    ],
)
def test_amounts_as_published(text, value, unit):
    assert split_amount_unit(text) == (Decimal(value), unit)


@pytest.mark.parametrize("text", ["", None, "合计", "≥90%", "12月底", "1,23", "5.0.1"])
def test_non_amounts(text):
    assert parse_amount(text) is None


def test_to_yuan_rounds_to_the_fen():
    assert to_yuan(Decimal("5118.27"), "万元") == Decimal("51182700.00")
    assert to_yuan(Decimal("2858.5"), "万元") == Decimal("28585000.00")
    assert to_yuan(Decimal("90100.00"), "元") == Decimal("90100.00")
    with pytest.raises(ValueError):
        to_yuan(Decimal(1), "美元")


@pytest.mark.parametrize(
    "text, unit",
    [("单位：万元", "万元"), ("单位:元", "元"), ("（万元）", "万元"), ("价值（金额单位：万元）", "万元"), ("预算年度：2021", None)],
)
def test_declared_units(text, unit):
    assert find_declared_unit(text) == unit
