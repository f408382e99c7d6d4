"""Project lists and coded tables whose reading or checking changed, figures hand-read from the
rendered pages (page beside each): 长沙市公安局's 项目支出绩效目标表 goes on under a new header
(p.34), 长春市信访局's prints 单位名称 beside 项目名称 (p.16), 烟台's 基本支出 table prints one
government code beside two department codes, and its 收支总体情况表 an income line under
本年收入合计."""

from __future__ import annotations

from decimal import Decimal

import pytest

pytestmark = pytest.mark.integration

GAJ = "real-corpus/015_长沙/2026年长沙市公安局2025年部门预算.pdf"
CC = "real-corpus/040_长春/2026年长春市信访局部门预算.pdf"
YT = "real-filings/cities-2026/025_烟台__退役军人事务局_2026年部门预算.html"

# 2025年项目支出绩效目标表 (万元): the page where each project's row starts
GAJ_PROJECTS = [
    (23, "大型警保卫及基础设施安全保护工作经费", "428.69"),
    (25, "大院运行和维修经费", "2,791.51"),
    (28, "电信诈骗防范拦截系统建设运维及专网租赁运行经费", "242.25"),
    (30, "基本建设及局系统综合专项工作业务经费", "12,919.92"),
    (32, "警务辅助人员经费（含市府机关大院30名）", "15,470.00"),
    (33, "警务通通讯租赁费", "212.51"),
    (35, "民辅警意外险及健康警队运转经费", "795.00"),
    (37, "民警急难险重及群众举报奖励经费", "305.50"),
    (39, "民警训练经费", "163.46"),
    (40, "派驻纪检监察组办公经费", "3.00"),
    (42, "人口服务管理及身份证制作经费", "440.43"),
    (45, "日常办案和大要案经费", "1,169.99"),
    (46, "天网工程租赁和服务费", "1,900.00"),
    (48, "装备、服装及其他设备购置费", "2,210.60"),
]


def _wan(printed: str) -> Decimal:
    return (Decimal(printed.replace(",", "")) * 10000).quantize(Decimal("0.01"))


def _projects(wh, source_file):
    return wh.execute(
        """select p.entity_code, p.project_name, l.amount_yuan
           from raw.projects as p
           inner join intermediate.int_budget_lines__keyed as l
             on l.filing_id = p.filing_id and l.statement = 'project_budget' and l.measure = 'total'
             and l.source_page = p.source_page and l.source_line = p.source_line
           where p.source_file = ? order by p.source_page, p.source_line""",
        [source_file],
    ).fetchall()


def test_changsha_police_projects_all_belong_to_unit_106001(real_wh):
    # p.23 合计 40,233.95 and 106001 长沙市公安局 40,233.95; p.34 starts a new header, no 合计 and
    # no unit row, 单位名称：长沙市公安局 above it: its projects are still 106001's
    assert _projects(real_wh, GAJ) == [("106001", name, _wan(amount)) for _, name, amount in GAJ_PROJECTS]
    units = real_wh.execute(
        "select distinct entity_code from raw.projects where source_file = ?", [GAJ]).fetchall()
    assert units == [("106001",)]


def test_changsha_police_project_gap_is_the_documented_source_error(real_wh):
    listed = sum(_wan(a) for _, _, a in GAJ_PROJECTS)
    assert listed == _wan("39,052.86")
    got = sorted(real_wh.execute(
        """select scope, expected_yuan, actual_yuan, status, known_source_error from audit.reconciliation
           where source_file = ? and check_name = 'projects_sum_to_project_expenditure'""",
        [GAJ],
    ).fetchall())
    total = _wan("40,233.95")  # p.23 合计 and unit row, p.51 项目支出
    assert got == [
        ("overall_budget / 项目支出 = sum of 14 projects", total, listed, "fail", True),
        ("project_budget / 资金总额 = sum of 14 projects", total, listed, "fail", True),
        ("project_budget / 资金总额 = sum of 14 projects", total, listed, "fail", True),
    ]


def test_changchun_unit_name_column_is_not_a_project(real_wh):
    # 预算表11 p.16: 105001长春市信访局 merged over four 项目名称 rows
    assert _projects(real_wh, CC) == [
        ("105001", "2026年信访专项经费", _wan("30.00")),
        ("105001", "2026年信访接待中心运行费", _wan("116.00")),
        ("105001", "2026年驻京经费", _wan("312.00")),
        ("105001", "信访局临聘人员经费", _wan("16.56")),
    ]
    failed = real_wh.execute(
        """select scope from audit.reconciliation where source_file = ?
           and check_name = 'cost_targets_within_budget' and status = 'fail'""", [CC]).fetchall()
    assert failed == []


def test_yantai_code_beside_two_department_codes_is_checked_as_their_sum(real_wh):
    # 公开表6 一般公共预算基本支出情况表, printed p.16: 301 工资福利支出 | 505 对事业单位经常性补助
    # 8,133.18 (人员支出); printed p.17: 302 商品和服务支出 | 505 对事业单位经常性补助 319.03 (日常公用
    # 支出); the 50501 rows (p.16) and 50502 rows (pp.17-18) add up to 8,133.18 and 319.03
    got = sorted(real_wh.execute(
        """select scope, expected_yuan, actual_yuan, status from audit.reconciliation
           where source_file = ? and check_name = 'subject_children_sum' and scope like 'basic_expenditure / 505 /%'""",
        [YT],
    ).fetchall())
    assert got == [
        ("basic_expenditure / 505 / personnel", _wan("8,133.18"), _wan("8,133.18"), "pass"),
        ("basic_expenditure / 505 / public_funds", _wan("319.03"), _wan("319.03"), "pass"),
        ("basic_expenditure / 505 / total", _wan("8,452.21"), _wan("8,452.21"), "pass"),
    ]


def test_yantai_income_under_the_years_total_is_not_a_mismatch(real_wh):
    # 公开表1 printed p.6: 本年收入合计 32,471.49, then 上级补助收入 3,403.00 under it; 本年支出合计
    # 35,874.49; 收入总计 = 支出总计 = 35,874.49
    got = real_wh.execute(
        """select scope, expected_yuan, actual_yuan, status from audit.reconciliation
           where source_file = ? and check_name = 'income_equals_expenditure'
             and scope like 'income_expenditure_summary /%'""",
        [YT],
    ).fetchall()
    assert got == [("income_expenditure_summary / 收入总计 = 支出总计", _wan("35,874.49"), _wan("35,874.49"), "pass")]


# Lists of projects with their amount and 绩效目标 text, no indicators (重点项目绩效目标 in the 说明,
# 杭州's 项目支出绩效表): each row a project of the unit it names or heads, its goal kept as published
SZ_GWS = "real-corpus/003_深圳/2026年深圳市建筑工务署部门预算.pdf"
HZ_JT = "real-corpus/008_杭州/2026年杭州市交通运输局部门预算.pdf"
GZ_GH = "real-corpus/005_广州/2026年广州市规划和自然资源局部门预算.pdf"


def _goal_list(wh, source_file, page):
    return wh.execute(
        """select p.entity_name, p.project_name, l.amount_yuan, p.goal_annual is not null
           from raw.projects as p
           inner join intermediate.int_budget_lines__keyed as l
             on l.filing_id = p.filing_id and l.statement = 'project_budget' and l.measure = 'total'
             and l.source_page = p.source_page and l.source_line = p.source_line
           where p.source_file = ? and p.source_page = ? order by p.source_line""",
        [source_file, page],
    ).fetchall()


def test_shenzhen_key_projects_with_their_goals(real_wh):
    # p.12 (printed 9): 二级预算单位名称 | 一级项目名称 | 预算数（万元） | 绩效目标
    assert _goal_list(real_wh, SZ_GWS, 12) == [
        ("市建筑工务署本级", "工程管理", _wan("6,832.94"), True),
        ("市建筑工务署本级", "工程监督", _wan("1,188.72"), True),
        ("市建筑工务署文体和水务工程管理中心", "工程管理", _wan("1,421.35"), True),
        ("市建筑工务署工程管理中心", "工程管理", _wan("1,117.49"), True),
        ("市建筑工务署工程设计管理中心", "工程管理", _wan("697.69"), True),
    ]


def test_hangzhou_project_performance_table(real_wh):
    # 表11：2026年市级部门项目支出绩效表, p.39 (printed 38): 单位名称 | 项目名称 | 金额 | 绩效目标
    assert _goal_list(real_wh, HZ_JT, 39) == [
        ("杭州市交通运输局", "日常保障运行", _wan("64.90"), True),
        ("杭州市交通运输局", "综合交通规划及发展研究", _wan("360.00"), True),
        ("杭州市交通运输局", "综合交通行业管理", _wan("1,188.11"), True),
        ("杭州市交通运输局", "行业内相关政府补偿", _wan("504,000.00"), True),
        ("杭州市道路运输管理服务中心", "小客车总量调控工作", _wan("1,079.14"), True),
        ("杭州市道路运输管理服务中心", "综合交通运输管理及服务", _wan("14,600.56"), True),
        ("杭州市道路运输管理服务中心", "日常保障运行", _wan("696.43"), True),
        ("杭州市道路运输管理服务中心", "道路运输及相关行业管理服务", _wan("2,331.44"), True),
    ]


def test_guangzhou_key_projects_under_their_units_add_up(real_wh):
    # 重点项目预算绩效目标情况, 项目 | 预算数（单位：万元） | 绩效目标, pp.73-80 (printed 71-78): 合计
    # 946,398.08, then each unit's row (no goal) above its projects. p.77 (printed 75):
    # 广州市耕地保护和国土空间生态修复中心 207.11 / 耕地保护和国土空间生态修复经费 207.11,
    # 广州市土地开发中心 916,996.40 / 前期投入补偿 100,000.00 / 土地储备出让和管理经费 1,991.41
    assert _goal_list(real_wh, GZ_GH, 77)[1:] == [
        ("广州市耕地保护和国土空间生态修复中心", "耕地保护和国土空间生态修复经费", _wan("207.11"), True),
        ("广州市土地开发中心", "前期投入补偿", _wan("100,000.00"), True),
        ("广州市土地开发中心", "土地储备出让和管理经费", _wan("1,991.41"), True),
    ]
    checks = real_wh.execute(
        """select expected_yuan, status from audit.reconciliation
           where source_file = ? and check_name = 'projects_sum_to_project_expenditure' and source_page = 73""",
        [GZ_GH],
    ).fetchall()
    # the 合计 (p.73) against every project of the list, the unit row 广州市规划和自然资源局 against its own
    assert sorted(checks) == sorted([(_wan("946,398.08"), "pass"), (_wan("15,757.16"), "pass")])
