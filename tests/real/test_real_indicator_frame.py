"""The 一级/二级 frame of real targets: every 二级 name a real filing prints is found in the
vocabulary (``seeds/indicator_taxonomy.csv``), printed in full or without its closing 指标.

Hand-read: 广州市政务服务和数据管理局 2026年项目支出绩效目标表（含转移支付项目）, page 1. Each
project's 绩效指标 is one prose cell: "…2-效益指标；22-社会效益；构建城市运行监测指标体系；…",
"3-满意度指标；31-服务对象满意度；线下培训效果评价；…", "2-效益指标；21-经济效益；智能体拓展用户
规模（大模型平台运营）；…". Before the lookup accepted 社会效益 for 社会效益指标, these rows took the
二级 of the indicator printed before them (数量指标, 经济成本指标 …)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration

GZ = "real-filings/cities-2026/005_广州__政务服务和数据管理局_广州市政务服务和数据管理局2026年项目支出绩效目标表（含转移支付项目）.pdf.pdf"

# page 1: (project, 三级指标 as the warehouse normalises it, 一级, 二级), both horizons (实施周期, 年度)
PAGE_1 = [
    ("广州市政务服务和数据管理局数字政府运营中心穗智管运营服务项目", "构建城市运行监测指标体系", "效益指标", "社会效益指标"),
    ("广州市政务服务和数据管理局数字政府运营中心穗智管运营服务项目", "线下培训效果评价", "满意度指标", "服务对象满意度指标"),
    ("广州市政务服务和数据管理局数字政府运营中心穗智管运营服务项目", "会议活动保障次数", "产出指标", "数量指标"),
    ("广州12345政务服务便民热线平台运营项目", "话务接通率", "效益指标", "社会效益指标"),
    ("广州12345政务服务便民热线平台运营项目", "人工成本控制率", "成本指标", "经济成本指标"),
    ("电子政务工作项目", "智能体拓展用户规模(大模型平台运营)", "效益指标", "经济效益指标"),
]


@pytest.mark.parametrize(("project", "level3", "level1", "level2"), PAGE_1)
def test_a_second_level_printed_without_zhibiao_is_its_frame(real_wh, project, level3, level1, level2):
    rows = real_wh.execute(
        """select t.horizon, i.level1, i.level2, t.source_page
           from marts.fact_target as t
           join marts.dim_indicator as i using (indicator_id)
           join marts.dim_project as p using (project_id)
           where t.source_file = ? and p.project_name = ? and i.level3 = ?
           order by t.horizon""",
        [GZ, project, level3],
    ).fetchall()
    assert rows == [("annual", level1, level2, 1), ("midterm", level1, level2, 1)]


def test_every_printed_second_level_is_in_the_vocabulary(real_wh):
    # the real filings only: sample 001 prints a garbled 二级 (双重目标) on purpose, which takes
    # the 二级 of the row above (tests/unit/test_parser_approval_form.py)
    unknown = real_wh.execute(
        """select level2_published, count(*), min(source_file)
           from intermediate.int_targets__canonicalised
           where level2_published is not null and level2_direct is null
             and source_file not like 'samples/%'
           group by level2_published order by 2 desc"""
    ).fetchall()
    assert unknown == []
    # the names printed without 指标 are there (not a vacuous pass)
    short = real_wh.execute(
        """select count(*) from intermediate.int_targets__canonicalised
           where level2_published in ('社会效益', '经济效益', '服务对象满意度', '经济成本')"""
    ).fetchone()[0]
    assert short > 300
