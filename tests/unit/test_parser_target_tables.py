"""target_tables: 绩效目标表 read from hand-built table-model documents (real shapes)."""

from loaders.document import Cell, Document, Table, TextBlock
from loaders.parsers import target_tables as tt


def C(row, col, text, rs=1, cs=1, page=1):
    return Cell(row=row, col=col, text=text, rowspan=rs, colspan=cs, page=page, source_row=row + 1)


def _doc(*blocks):
    return Document(kind="pdf", blocks=list(blocks), pages=3)


def test_form_table_central_department():
    """国家信访局 shape: 项目名称 / 项目资金 rows, 年度总体目标, merged 一级/二级 cells."""
    cells = [
        C(0, 0, "项目名称", cs=2), C(0, 2, "信访业务培训", cs=3),
        C(1, 0, "项目资金（万元）", rs=2, cs=2), C(1, 2, "年度资金总额："), C(1, 3, "118.01", cs=2),
        C(2, 2, "其中：财政拨款"), C(2, 3, "118.01", cs=2),
        C(3, 0, "年度总体目标", cs=2), C(3, 2, "分级分类抓好培训", cs=3),
        C(4, 0, "绩效指标", rs=4), C(4, 1, "一级指标"), C(4, 2, "二级指标"), C(4, 3, "三级指标"), C(4, 4, "指标值"),
        C(5, 1, "产出指标", rs=3), C(5, 2, "数量指标", rs=2), C(5, 3, "培训班次"), C(5, 4, "≥3次"),
        C(6, 3, "培训人数"), C(6, 4, "≥290人"),
        C(7, 2, "质量指标"), C(7, 3, "培训合格率"), C(7, 4, "≥98%"),
    ]
    t = Table(index=1, cells=cells, n_rows=8, n_cols=5, title="信访业务培训绩效目标表")
    doc = _doc(TextBlock("信访业务培训绩效目标表", page=1), t)
    assert tt.matches(doc)
    out = tt.parse(doc)
    assert out.doc_kinds == ["project_targets"]
    [p] = out.projects
    assert (p.project_name, p.goal_annual) == ("信访业务培训", "分级分类抓好培训")
    assert [(b.statement, b.measure, b.published_amount, b.published_unit, b.source_cell) for b in out.budget_lines] == [
        ("project_budget", "total", "118.01", "万元", "p.1 表1 r2 c4"),
        ("project_budget", "fiscal_appropriation", "118.01", "万元", "p.1 表1 r3 c4"),
    ]
    assert [(t.horizon, t.level1_published, t.level2_published, t.level3, t.target_text, t.source_line,
             t.source_page, t.source_cell) for t in out.targets] == [
        ("annual", "产出指标", "数量指标", "培训班次", "≥3次", 6, 1, "p.1 表1 r6 c5"),
        ("annual", "产出指标", "数量指标", "培训人数", "≥290人", 7, 1, "p.1 表1 r7 c5"),
        ("annual", "产出指标", "质量指标", "培训合格率", "≥98%", 8, 1, "p.1 表1 r8 c5"),
    ]
    assert all(t.project_key == p.project_key for t in out.targets)


def _bj_header(page):
    return [
        C(0, 0, "项目名称", rs=2, page=page), C(0, 1, "项目总额", rs=2, page=page), C(0, 2, "其中：", cs=2, page=page),
        C(0, 4, "绩效目标", rs=2, page=page), C(0, 5, "一级指标", rs=2, page=page), C(0, 6, "二级指标", rs=2, page=page),
        C(0, 7, "三级指标", rs=2, page=page), C(0, 8, "绩效指标性质", rs=2, page=page),
        C(0, 9, "本年绩效指标值", rs=2, page=page), C(0, 10, "绩效度量单位", rs=2, page=page),
        C(1, 2, "财政资金", page=page), C(1, 3, "其他资金", page=page),
    ]


def _ind(row, l1, l2, l3, cmp_, val, unit, page):
    return [C(row, 5, l1, page=page), C(row, 6, l2, page=page), C(row, 7, l3, page=page), C(row, 8, cmp_, page=page),
            C(row, 9, val, page=page), C(row, 10, unit, page=page)]


def test_list_table_projects_across_page_break():
    """北京 预算12表: one table per page, project cell merged over its rows; a project cut by the
    page break has its name on the NEXT page's fragment (blank fragment at the bottom of page 1)."""
    p1 = _bj_header(1) + [
        C(2, 0, "11000022T000000444016-医疗保障公众评价", rs=2), C(2, 1, "76.436338", rs=2), C(2, 2, "76.436338", rs=2),
        C(2, 3, "", rs=2), C(2, 4, "以提升服务质量为核心", rs=2),
        *_ind(2, "产出指标", "数量指标", "宣传评估报告", "＝", "1", "份", 1),
        *_ind(3, "产出指标", "数量指标", "深度访谈数量：区级经办人员", "≥", "32", "人", 1),
        C(4, 0, "", rs=1), C(4, 1, ""), C(4, 2, ""), C(4, 3, ""), C(4, 4, "鼓励举报"),
        *_ind(4, "成本指标", "经济成本指标", "奖励金预算", "≤", "20", "万元", 1),
    ]
    p2 = _bj_header(2) + [
        C(2, 0, "11000022T000000444095-执法运行综合保障经费", rs=2, page=2), C(2, 1, "20.000000", rs=2, page=2),
        C(2, 2, "20.000000", rs=2, page=2), C(2, 3, "", rs=2, page=2), C(2, 4, "违法违规行为", rs=2, page=2),
        *_ind(2, "效益指标", "社会效益指标", "工作成效可持续影响时间", "≥", "1", "年", 2),
        *_ind(3, "满意度指标", "服务对象满意度指标", "举报人满意度", "定性", "较满意", "", 2),
    ]
    t1 = Table(index=1, cells=p1, n_rows=5, n_cols=11, title="预算12表 项目支出绩效目标表",
               caption_blocks=[TextBlock("预算12表 项目支出绩效目标表", page=1), TextBlock("金额单位：万元", page=1)])
    t2 = Table(index=2, cells=p2, n_rows=4, n_cols=11, title="预算12表 项目支出绩效目标表",
               caption_blocks=[TextBlock("预算12表 项目支出绩效目标表", page=2), TextBlock("金额单位：万元", page=2)])
    out = tt.parse(_doc(t1, t2))
    assert [(p.project_code, p.project_name, p.goal_annual, p.source_page) for p in out.projects] == [
        ("11000022T000000444016", "医疗保障公众评价", "以提升服务质量为核心", 1),
        ("11000022T000000444095", "执法运行综合保障经费", "鼓励举报违法违规行为", 2),
    ]
    k1, k2 = out.projects[0].project_key, out.projects[1].project_key
    assert [(t.project_key, t.level3, t.target_text, t.unit_published, t.value_type_published, t.source_cell)
            for t in out.targets] == [
        (k1, "宣传评估报告", "1", "份", None, "p.1 表1 r3 c10"),
        (k1, "深度访谈数量：区级经办人员", "32", "人", None, "p.1 表1 r4 c10"),
        (k2, "奖励金预算", "20", "万元", None, "p.1 表1 r5 c10"),
        (k2, "工作成效可持续影响时间", "1", "年", None, "p.2 表2 r3 c10"),
        (k2, "举报人满意度", "较满意", None, "定性", "p.2 表2 r4 c10"),
    ]
    assert [(b.project_key, b.measure, b.published_amount) for b in out.budget_lines] == [
        (k1, "total", "76.436338"), (k1, "fiscal_appropriation", "76.436338"),
        (k2, "total", "20.000000"), (k2, "fiscal_appropriation", "20.000000"),
    ]


def test_long_table_repeats_project_per_page_and_overall():
    """长沙: one table over several pages; the project cell is repeated on each page; 合计 and the
    unit's own row are not projects but total lines (the department's, the unit's); 部门整体 table
    → overall targets, money and goal text."""
    cells = [
        C(0, 0, "单位编码", rs=2), C(0, 1, "单位（项目）名称", rs=2), C(0, 2, "资金总额", rs=2), C(0, 3, "绩效目标", rs=2),
        C(0, 4, "绩效指标", cs=4),
        C(1, 4, "一级指标"), C(1, 5, "二级指标"), C(1, 6, "三级指标"), C(1, 7, "指标值"),
        C(2, 0, "合计"), C(2, 1, ""), C(2, 2, "417.41"), C(2, 3, ""), C(2, 4, ""), C(2, 5, ""), C(2, 6, ""), C(2, 7, ""),
        C(3, 0, "126001"), C(3, 1, "长沙市信访局"), C(3, 2, "417.41"), C(3, 3, ""), C(3, 4, ""), C(3, 5, ""), C(3, 6, ""), C(3, 7, ""),
        C(4, 0, "126001", rs=2), C(4, 1, "信访业务工作专项", rs=2), C(4, 2, "138.11", rs=2), C(4, 3, "做好接待", rs=2),
        C(4, 4, "成本指标", rs=2), C(4, 5, "经济成本指标", rs=2), C(4, 6, "总成本"), C(4, 7, "138.11"),
        C(5, 6, "人员成本"), C(5, 7, "10"),
        # page 2 of the same table: the project cell printed again
        Cell(6, 0, "126001", page=2, source_row=3), Cell(6, 1, "信访业务工作专项", page=2, source_row=3),
        Cell(6, 2, "138.11", page=2, source_row=3), Cell(6, 3, "做好接待", page=2, source_row=3),
        Cell(6, 4, "满意度指标", page=2, source_row=3), Cell(6, 5, "服务对象满意度指标", page=2, source_row=3),
        Cell(6, 6, "群众满意度", page=2, source_row=3), Cell(6, 7, "90", page=2, source_row=3),
    ]
    t = Table(index=1, cells=cells, n_rows=7, n_cols=8, title="部门名称：长沙市信访局 单位：万元",
              caption_blocks=[TextBlock("2026年项目支出绩效目标表", page=1), TextBlock("部门名称：长沙市信访局 单位：万元", page=1)])
    o_cells = [
        C(0, 0, "单位编码", rs=2, page=3), C(0, 1, "单位名称", rs=2, page=3), C(0, 2, "资金总额", rs=2, page=3),
        C(0, 3, "整体绩效目标", rs=2, page=3), C(0, 4, "部门整体支出年度绩效目标", cs=4, page=3),
        C(1, 4, "一级指标", page=3), C(1, 5, "二级指标", page=3), C(1, 6, "三级指标", page=3), C(1, 7, "指标值", page=3),
        C(2, 0, "126001", rs=2, page=3), C(2, 1, "长沙市信访局", rs=2, page=3), C(2, 2, "1,935.36", rs=2, page=3),
        C(2, 3, "推动信访法治化", rs=2, page=3), C(2, 4, "产出指标", rs=2, page=3), C(2, 5, "时效指标", rs=2, page=3),
        C(2, 6, "信访事项按期答复率", page=3), C(2, 7, "≥95%", page=3),
        C(3, 6, "信访事项及时受理率", page=3), C(3, 7, "≥95%", page=3),
    ]
    o = Table(index=2, cells=o_cells, n_rows=4, n_cols=8, title="部门名称：长沙市信访局 单位：万元",
              caption_blocks=[TextBlock("2026年部门整体支出绩效目标表", page=3), TextBlock("部门名称：长沙市信访局 单位：万元", page=3)])
    out = tt.parse(_doc(t, o))
    assert out.doc_kinds == ["project_targets", "overall_targets"]
    assert out.department_name == "长沙市信访局" and out.fiscal_year == 2026
    [p] = out.projects
    assert (p.project_name, p.project_code, p.goal_annual) == ("信访业务工作专项", None, "做好接待")
    assert [(t.project_key, t.level1_published, t.level3, t.target_text, t.source_page) for t in out.targets] == [
        (p.project_key, "成本指标", "总成本", "138.11", 1),
        (p.project_key, "成本指标", "人员成本", "10", 1),
        (p.project_key, "满意度指标", "群众满意度", "90", 2),
        (None, "产出指标", "信访事项按期答复率", "≥95%", 3),
        (None, "产出指标", "信访事项及时受理率", "≥95%", 3),
    ]
    assert [(b.statement, b.entity_name, b.entity_code, b.project_key, b.measure, b.published_amount, b.is_total_line)
            for b in out.budget_lines] == [
        ("project_budget", "长沙市信访局", None, None, "total", "417.41", True),  # 合计: the department
        ("project_budget", "长沙市信访局", "126001", None, "total", "417.41", True),  # the unit's row
        ("project_budget", "长沙市信访局", "126001", p.project_key, "total", "138.11", True),
        ("overall_budget", "长沙市信访局", "126001", None, "total", "1,935.36", True),
    ]
    assert [(f.kind, f.text) for f in out.filing_texts] == [("overall_goal", "推动信访法治化")]


def test_packed_indicator_column_gives_annual_and_midterm():
    """广州 项目支出绩效目标表: every indicator packed into one 绩效指标 cell."""
    cells = [
        C(0, 0, "项目名称（资金使用单位）"), C(0, 1, "总计"), C(0, 2, "财政拨款"), C(0, 3, "绩效目标"), C(0, 4, "绩效指标"),
        C(1, 0, "政务信息化项目管理经费"), C(1, 1, "365.50"), C(1, 2, "365.50"), C(1, 3, "完成立项"),
        C(1, 4, "1、1-产出指标；11-数量指标；立项终验审核数量值；实施周期指标值:≥400个；年度指标值:≥400个。"
                "2、2-效益指标；22-社会效益指标；发布项目管理文件；实施周期指标值:2份；年度指标值:2份。"),
    ]
    t = Table(index=1, cells=cells, n_rows=2, n_cols=5, title="部门名称：广州市政务服务和数据管理局",
              caption_blocks=[TextBlock("项目支出绩效目标表（含转移支付项目）", page=1), TextBlock("单位：万元", page=1)])
    out = tt.parse(_doc(t))
    [p] = out.projects
    assert p.project_name == "政务信息化项目管理经费"
    assert [(t.horizon, t.level1_published, t.level2_published, t.level3, t.target_text) for t in out.targets] == [
        ("annual", "产出指标", "数量指标", "立项终验审核数量值", "≥400个"),
        ("midterm", "产出指标", "数量指标", "立项终验审核数量值", "≥400个"),
        ("annual", "效益指标", "社会效益指标", "发布项目管理文件", "2份"),
        ("midterm", "效益指标", "社会效益指标", "发布项目管理文件", "2份"),
    ]


def test_packed_list_total_and_unit_subtotal_rows_are_total_lines():
    """广州 项目支出绩效目标表: 合计 (the department) and one row per 资金使用单位 (its subtotal) above
    that unit's projects: total lines of no project, the unit's under the unit."""
    packed = "1、1-产出指标；11-数量指标；汇聚数据量；实施周期指标值:≥10亿条；年度指标值:≥10亿条。"
    cells = [
        C(0, 0, "项目名称（资金使用单位）"), C(0, 1, "总计"), C(0, 2, "财政拨款"), C(0, 3, "其他资金"),
        C(0, 4, "绩效目标"), C(0, 5, "绩效指标"),
        C(1, 0, "合计"), C(1, 1, "1,500.00"), C(1, 2, "1,400.00"), C(1, 3, "100.00"), C(1, 4, ""), C(1, 5, ""),
        C(2, 0, "广州市政务服务和数据管理局"), C(2, 1, "1,000.00"), C(2, 2, "1,000.00"), C(2, 3, ""), C(2, 4, ""), C(2, 5, ""),
        C(3, 0, "穗智管运营服务项目"), C(3, 1, "1,000.00"), C(3, 2, "1,000.00"), C(3, 3, ""), C(3, 4, "汇聚数据"), C(3, 5, packed),
        C(4, 0, "广州市数字政府运营中心"), C(4, 1, "500.00"), C(4, 2, "400.00"), C(4, 3, "100.00"), C(4, 4, ""), C(4, 5, ""),
        C(5, 0, "电子政务运维项目"), C(5, 1, "500.00"), C(5, 2, "400.00"), C(5, 3, "100.00"), C(5, 4, "运维"), C(5, 5, packed),
    ]
    t = Table(index=1, cells=cells, n_rows=6, n_cols=6, title=None,
              caption_blocks=[TextBlock("项目支出绩效目标表（含转移支付项目）", page=1),
                              TextBlock("部门名称：广州市政务服务和数据管理局 单位：万元", page=1)])
    out = tt.parse(_doc(t))
    k1, k2 = (p.project_key for p in out.projects)
    assert [(p.entity_name, p.project_name) for p in out.projects] == [
        ("广州市政务服务和数据管理局", "穗智管运营服务项目"), ("广州市数字政府运营中心", "电子政务运维项目")]
    assert [(b.statement, b.entity_name, b.project_key, b.line_item, b.measure, b.published_amount, b.published_unit,
             b.is_total_line, b.source_cell) for b in out.budget_lines] == [
        ("project_budget", "广州市政务服务和数据管理局", None, "总计", "total", "1,500.00", "万元", True, "p.1 表1 r2 c2"),
        ("project_budget", "广州市政务服务和数据管理局", None, "财政拨款", "fiscal_appropriation", "1,400.00", "万元", True, "p.1 表1 r2 c3"),
        ("project_budget", "广州市政务服务和数据管理局", None, "其他资金", "other_funds", "100.00", "万元", True, "p.1 表1 r2 c4"),
        ("project_budget", "广州市政务服务和数据管理局", None, "总计", "total", "1,000.00", "万元", True, "p.1 表1 r3 c2"),
        ("project_budget", "广州市政务服务和数据管理局", None, "财政拨款", "fiscal_appropriation", "1,000.00", "万元", True, "p.1 表1 r3 c3"),
        ("project_budget", "广州市政务服务和数据管理局", k1, "总计", "total", "1,000.00", "万元", True, "p.1 表1 r4 c2"),
        ("project_budget", "广州市政务服务和数据管理局", k1, "财政拨款", "fiscal_appropriation", "1,000.00", "万元", False, "p.1 表1 r4 c3"),
        ("project_budget", "广州市数字政府运营中心", None, "总计", "total", "500.00", "万元", True, "p.1 表1 r5 c2"),
        ("project_budget", "广州市数字政府运营中心", None, "财政拨款", "fiscal_appropriation", "400.00", "万元", True, "p.1 表1 r5 c3"),
        ("project_budget", "广州市数字政府运营中心", None, "其他资金", "other_funds", "100.00", "万元", True, "p.1 表1 r5 c4"),
        ("project_budget", "广州市数字政府运营中心", k2, "总计", "total", "500.00", "万元", True, "p.1 表1 r6 c2"),
        ("project_budget", "广州市数字政府运营中心", k2, "财政拨款", "fiscal_appropriation", "400.00", "万元", False, "p.1 表1 r6 c3"),
        ("project_budget", "广州市数字政府运营中心", k2, "其他资金", "other_funds", "100.00", "万元", False, "p.1 表1 r6 c4"),
    ]


def test_form_amount_unit_in_its_columns_heading():
    """广州 部门整体预算绩效目标申报表: the unit stands only in the heading over the amounts
    (部门预算支出 | 预算金额（万元） | 收入来源 | 预算金额（万元）), no caption gives it."""
    cells = [
        C(0, 0, "部门名称"), C(0, 1, "广州市政务服务和数据管理局", cs=4),
        C(1, 0, "预算整体情况", rs=4), C(1, 1, "部门预算支出"), C(1, 2, "预算金额（万元）"), C(1, 3, "收入来源"), C(1, 4, "预算金额（万元）"),
        C(2, 1, "基本支出"), C(2, 2, "12,634.14"), C(2, 3, "财政拨款"), C(2, 4, "98,880.78"),
        C(3, 1, "项目支出"), C(3, 2, "86,246.64"), C(3, 3, "其他资金"), C(3, 4, "0.00"),
        C(4, 1, "事业发展性支出"), C(4, 2, "预算金额（万元）"), C(4, 3, "按预算级次划分"), C(4, 4, "预算金额（万元）"),
        C(5, 0, "总体绩效目标"), C(5, 1, "数字政府建设", cs=4),
        C(6, 0, "一级指标"), C(6, 1, "二级指标"), C(6, 2, "三级指标"), C(6, 3, "实施周期指标值"), C(6, 4, "年度指标值"),
        C(7, 0, "产出指标"), C(7, 1, "数量指标"), C(7, 2, "汇聚数据数量"), C(7, 3, "≥10亿条"), C(7, 4, "≥10亿条"),
    ]
    t = Table(index=1, cells=cells, n_rows=8, n_cols=5, title="部门整体预算绩效目标申报表",
              caption_blocks=[TextBlock("部门整体预算绩效目标申报表", page=1)])
    out = tt.parse(_doc(t))
    assert out.doc_kinds == ["overall_targets"]
    assert [(b.statement, b.entity_name, b.measure, b.published_amount, b.published_unit) for b in out.budget_lines] == [
        ("overall_budget", "广州市政务服务和数据管理局", "basic", "12,634.14", "万元"),
        ("overall_budget", "广州市政务服务和数据管理局", "fiscal_appropriation", "98,880.78", "万元"),
        ("overall_budget", "广州市政务服务和数据管理局", "project", "86,246.64", "万元"),
        ("overall_budget", "广州市政务服务和数据管理局", "other_funds", "0.00", "万元"),
    ]
    assert not [i for i in out.issues if i.code == "unit_missing"]


def test_not_a_target_table_and_never_raises():
    t = Table(index=1, cells=[C(0, 0, "科目编码"), C(0, 1, "预算数"), C(1, 0, "201"), C(1, 1, "5")], n_rows=2, n_cols=2)
    assert not tt.matches(_doc(t))
    assert tt.matches(None) is False
    out = tt.parse(_doc(t))
    assert out.targets == [] and out.doc_kinds == []
    assert tt.parse(None).issues


def test_caption_without_code_names_the_entity_read_with_one_before():
    """长沙市公安局 p.23/p.34: the project list goes on in a second table (new header, no 合计, no
    unit row); its caption 单位名称：长沙市公安局 carries no code, the unit row of the first table did
    (106001): the second table's projects belong to that same unit, not to a second entity."""
    def header(page):
        return [
            C(0, 0, "单位编码", rs=2, page=page), C(0, 1, "单位（项目）名称", rs=2, page=page),
            C(0, 2, "资金总额", rs=2, page=page), C(0, 3, "绩效目标", rs=2, page=page), C(0, 4, "绩效指标", cs=4, page=page),
            C(1, 4, "一级指标", page=page), C(1, 5, "二级指标", page=page), C(1, 6, "三级指标", page=page),
            C(1, 7, "指标值", page=page),
        ]

    def project(row, name, amount, page):
        return [C(row, 0, "106001", page=page), C(row, 1, name, page=page), C(row, 2, amount, page=page),
                C(row, 3, "保障运转", page=page), C(row, 4, "成本指标", page=page), C(row, 5, "经济成本指标", page=page),
                C(row, 6, "成本控制率", page=page), C(row, 7, "100", page=page)]

    def captions(page):
        return [TextBlock("2025年项目支出绩效目标表", page=page), TextBlock("单位名称：长沙市公安局 单位：万元", page=page)]

    first = header(1) + [
        C(2, 0, "合计"), C(2, 1, ""), C(2, 2, "1,000.00"), C(2, 3, ""), C(2, 4, ""), C(2, 5, ""), C(2, 6, ""), C(2, 7, ""),
        C(3, 0, "106001"), C(3, 1, "长沙市公安局"), C(3, 2, "1,000.00"), C(3, 3, ""), C(3, 4, ""), C(3, 5, ""),
        C(3, 6, ""), C(3, 7, ""),
    ] + project(4, "大院运行和维修经费", "400.00", 1)
    second = header(2) + project(2, "民警训练经费", "600.00", 2)
    t1 = Table(index=1, cells=first, n_rows=5, n_cols=8, caption_blocks=captions(1))
    t2 = Table(index=2, cells=second, n_rows=3, n_cols=8, caption_blocks=captions(2))
    out = tt.parse(_doc(t1, t2))
    assert [(p.entity_name, p.entity_code, p.project_name) for p in out.projects] == [
        ("长沙市公安局", "106001", "大院运行和维修经费"), ("长沙市公安局", "106001", "民警训练经费")]
    assert [(b.entity_code, b.published_amount) for b in out.budget_lines if b.project_key] == [
        ("106001", "400.00"), ("106001", "600.00")]


def test_unit_name_column_beside_project_name_column():
    """长春 预算表11 p.16: 单位名称 (105001长春市信访局, merged over every project) | 项目名称 | 年度资金总额:
    each 项目名称 cell is a project of that unit, the 单位名称 column names no project."""
    cells = [
        C(0, 0, "单位名称"), C(0, 1, "项目名称"), C(0, 2, "年度资金总额(万元)"), C(0, 3, "年度绩效目标"),
        C(0, 4, "一级指标"), C(0, 5, "二级指标"), C(0, 6, "三级指标"), C(0, 7, "指标值"),
        C(1, 0, "105001长春市信访局", rs=4),
        C(1, 1, "2026年信访专项经费", rs=2), C(1, 2, "30.00", rs=2), C(1, 3, "维护信访秩序", rs=2),
        C(1, 4, "产出指标"), C(1, 5, "数量指标"), C(1, 6, "专家评审"), C(1, 7, ">=2次"),
        C(2, 4, "成本指标"), C(2, 5, "经济成本指标"), C(2, 6, "信访信息系统运维成本"), C(2, 7, "<=17万元"),
        C(3, 1, "2026年驻京经费", rs=2), C(3, 2, "312.00", rs=2), C(3, 3, "支付驻京房租", rs=2),
        C(3, 4, "产出指标"), C(3, 5, "数量指标"), C(3, 6, "驻京工作人员人数"), C(3, 7, "<=18人"),
        C(4, 4, "成本指标"), C(4, 5, "经济成本指标"), C(4, 6, "办公用房租赁成本"), C(4, 7, "<=250万元"),
    ]
    t = Table(index=1, cells=cells, n_rows=5, n_cols=8, title="长春市信访局2026年项目支出绩效目标表预算表（预算表11）",
              caption_blocks=[])
    out = tt.parse(_doc(t))
    assert [(p.entity_name, p.entity_code, p.project_name) for p in out.projects] == [
        ("长春市信访局", "105001", "2026年信访专项经费"), ("长春市信访局", "105001", "2026年驻京经费")]
    k1, k2 = (p.project_key for p in out.projects)
    assert [(b.project_key, b.measure, b.published_amount) for b in out.budget_lines] == [
        (k1, "total", "30.00"), (k2, "total", "312.00")]
    assert [(t.project_key, t.level3, t.target_text) for t in out.targets] == [
        (k1, "专家评审", ">=2次"), (k1, "信访信息系统运维成本", "<=17万元"),
        (k2, "驻京工作人员人数", "<=18人"), (k2, "办公用房租赁成本", "<=250万元")]
