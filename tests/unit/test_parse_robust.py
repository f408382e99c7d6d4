"""Layout detection and parsing never raise, whatever the text; cut-off rows never load."""

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.parse import _unfinished_row, parse_lines
from loaders.parsers import all_parsers
from tests.conftest import filing_lines

# text built from what the parsers look at: tabs, blank lines, digits, table words
ALPHABET = st.sampled_from(
    list("\t\n\n\n 0123456789.,%") + list(string.ascii_letters[:6])
    + ["单位：万元", "合计", "预算数", "一级指标", "二级指标", "三级指标", "指标值", "项目编码", "450", "450001",
       "部门预算支出总表", "栏次", "科目编码", "三公", "万元", "≥", "绩效目标表", "单位代码", "情况说明", "中期资金总额"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ALPHABET, max_size=300).map("".join))
def test_parse_never_raises_on_table_like_text(text):
    result = parse_lines(tuple(text.split("\n")))
    assert not [i for i in result.issues if i.code == "parser_failed"], result.issues


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=2000))
def test_detection_never_raises_on_arbitrary_text(text):
    lines = tuple(text.split("\n"))
    for parser in all_parsers():
        parser.matches(lines)
    parse_lines(lines)


def test_samples_are_not_cut_off():
    for prefix in ("000", "001", "002", "003", "004"):
        assert _unfinished_row(filing_lines(prefix)) is None, prefix


def test_a_word_row_without_its_closing_blank_line_is_cut():
    lines = filing_lines("002")
    at = lines.index("\t2101202", lines.index("部门预算支出总表"))
    cut = lines[: at + 3]  # …序号, code, name, total — the row's other cells are missing
    assert _unfinished_row(cut) == (at, at + 3)
    result = parse_lines(cut)
    (issue,) = [i for i in result.issues if i.code == "truncated"]
    assert issue.severity == "error" and issue.source_line == at
    assert all(b.source_line < at for b in result.budget_lines)


def test_a_tab_row_shorter_than_the_one_above_is_cut():
    lines = filing_lines("003")
    last = lines[-1]
    cut = lines[:-1] + (last[: last.index("6.36") + 2],)  # ends "…\t6." with no line end
    assert _unfinished_row(cut) == (len(cut), len(cut))
    assert _unfinished_row(lines[:-1] + (last[: last.rindex("\t")],)) == (len(cut), len(cut))
