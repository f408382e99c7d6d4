"""Performance targets end to end: every 绩效指标 of the five filings in marts.fact_target."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

CASES = Path(__file__).resolve().parent.parent / "unit" / "target_value_cases.csv"


def rows(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()


@pytest.mark.parametrize(
    "prefix, expected",
    [("000", 63), ("001", 98), ("002", 157), ("003", 60), ("004", 32)],
)
def test_target_count_per_filing(wh, prefix, expected):
    (n,) = rows(wh, "select count(*) from marts.fact_target where source_file like ?", f"{prefix}_%")[0]
    assert n == expected


def test_000_has_63_targets_over_16_projects_with_three_blank_values(wh):
    got = rows(
        wh,
        """select count(distinct project_id), count(*), count(*) filter (where target_text = '')
           from marts.fact_target where source_file like '000_%'""",
    )[0]
    assert got == (16, 63, 3)


def test_002_targets_per_entity(wh):
    got = dict(rows(
        wh,
        """select d.unit_code || ':' || (t.project_id is null), count(*) from marts.fact_target t
           join marts.dim_department d using (department_id)
           where t.source_file like '002_%' group by 1""",
    ))
    # 12 project tables per entity (6,6,6,6,6,6,6,6,7,6,9,6 rows) and the department's 5 分项 sentences
    assert got == {"450:false": 76, "450001:false": 76, "450:true": 5}


def test_001_two_horizons_per_indicator(wh):
    got = dict(rows(
        wh, "select horizon, count(*) from marts.fact_target where source_file like '001_%' group by 1"
    ))
    assert got == {"annual": 49, "midterm": 49}


def test_003_targets_per_project(wh):
    got = sorted(n for (n,) in rows(
        wh,
        """select count(*) from marts.fact_target where source_file like '003_%' and project_id is not null
           group by project_id""",
    ))
    assert got == sorted([9, 6, 8, 6, 6, 6, 3, 5, 5])


def test_003_publicity_cost_target(wh):
    got = rows(
        wh,
        """select t.target_text, t.comparator, t.target_value_base, t.base_unit, i.level1, i.level2
           from marts.fact_target t join marts.dim_indicator i using (indicator_id)
           where t.source_file like '003_%' and t.level3_published = '宣传支出'""",
    )
    assert got == [("≤20万元", "<=", Decimal("200000.0000"), "元", "成本指标", "经济成本指标")]


@pytest.mark.parametrize(
    "level3, horizon, text, comparator, base, base_unit",
    [
        ("全市职工医保参保人数", "midterm", ">38万人", ">", "380000", "人"),
        ("兑付病人人次", "annual", "4.6万人次", "=", "46000", "人次"),
        ("财政供养人员", "annual", "≦677.56万元", "<=", "6775600", "元"),
    ],
)
def test_spot_values(wh, level3, horizon, text, comparator, base, base_unit):
    got = rows(
        wh,
        """select comparator, target_value_base, base_unit from marts.fact_target
           where level3_published = ? and horizon = ? and target_text = ?""",
        level3, horizon, text,
    )
    assert got and all(r == (comparator, Decimal(base), base_unit) for r in got), got


def test_deadline_targets(wh):
    got = rows(
        wh,
        "select distinct target_date from marts.fact_target where target_text = '2022年12月31日前'",
    )
    assert [str(d) for (d,) in got] == ["2022-12-31"]


def test_indicator_frame_is_canonical(wh):
    got = dict(rows(
        wh,
        """select i.level1, count(*) from marts.fact_target t join marts.dim_indicator i using (indicator_id)
           group by 1""",
    ))
    assert set(got) <= {"产出指标", "效益指标", "满意度指标", "成本指标", None}
    # only the 002 分项 prose sentences have no frame
    assert got.get(None, 0) == 5


@pytest.mark.parametrize(
    "published1, published2, level1, level2",
    [
        ("效果指标", "社会效益指标", "效益指标", "社会效益指标"),  # 000: old name
        (None, "成本指标", "成本指标", "经济成本指标"),  # 004: blank 一级, old-frame 成本指标 as 二级
        ("成本指标", "质量指标", "产出指标", "质量指标"),  # 003: contradicting 一级 follows the 二级
        ("满意度指标", "服务对象满意", "满意度指标", "服务对象满意度指标"),  # 001: variant
    ],
)
def test_old_and_variant_names_map_to_the_current_frame(wh, published1, published2, level1, level2):
    got = rows(
        wh,
        """select distinct i.level1, i.level2 from marts.fact_target t join marts.dim_indicator i using (indicator_id)
           where t.level1_published is not distinct from ? and t.level2_published = ?""",
        published1, published2,
    )
    assert got == [(level1, level2)]


def test_every_published_value_has_a_reviewed_case(wh):
    """The parametrised value-parser cases cover every 指标值 the sample filings publish."""
    with CASES.open(encoding="utf-8") as f:
        reviewed = {r["text"] for r in csv.DictReader(f)}
    published = {t for (t,) in rows(wh, "select distinct target_text from marts.fact_target")}
    assert published - reviewed == set()


def test_measurability_by_level2_is_answerable(wh):
    got = rows(
        wh,
        """select level2, count(*), avg(is_quantitative::int) from marts.fact_target
           join marts.dim_indicator using (indicator_id) group by 1 order by 1""",
    )
    assert len(got) >= 8
    assert all(0 <= share <= 1 for _, _, share in got)


def test_goal_prose_is_kept_on_the_filing(wh):
    got = dict(rows(
        wh,
        "select left(source_file, 3), overall_goal_text is not null from marts.dim_filing",
    ))
    assert got["000"] and got["002"] and got["004"]
