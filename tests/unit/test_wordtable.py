from loaders.wordtable import Row, TextLine, merge_split_rows, read_blocks

# 004 lines 219-224: a stray blank line splits the 全民参保率 row
SPLIT = ["\t", "\t效益指标", "\t社会效益指标", "", "\t全民参保率", "\t≧95%", ""]
# 004 lines 8-10: a cell continues on a line without a tab
CONTINUED = ["\t年度预算申请", "（万元）", "\t资金总额：  834.02万元", ""]


def test_cells_rows_and_text_lines():
    blocks = read_blocks(["部门预算收支总表", "\t450新乐市医疗保障局", "\t单位：万元", "", "注：空表列示。"])
    assert isinstance(blocks[0], TextLine) and blocks[0].line == 1
    assert isinstance(blocks[1], Row) and blocks[1].values == ["450新乐市医疗保障局", "单位：万元"]
    assert blocks[1].line == 2 and blocks[1].end_line == 3
    assert isinstance(blocks[2], TextLine) and blocks[2].line == 5


def test_continuation_lines_join_the_cell():
    (row,) = read_blocks(CONTINUED)
    assert row.cells[0].text == "年度预算申请\n（万元）"
    assert (row.cells[0].line, row.cells[0].end_line) == (1, 2)
    assert row.cells[1].line == 3


def test_split_row_is_rejoined_to_the_table_width():
    rows = [b for b in read_blocks(SPLIT) if isinstance(b, Row)]
    assert [len(r) for r in rows] == [3, 2]
    (merged,) = list(merge_split_rows(rows, 5))
    assert merged.values == ["", "效益指标", "社会效益指标", "全民参保率", "≧95%"]
    assert merged.line == 1 and merged.cells[-1].line == 6


def test_short_rows_that_do_not_add_up_are_left_alone():
    rows = [Row(()), *[b for b in read_blocks(["\ta", "\tb", "", "\tc", "\td", "\te", "\tf", ""]) if isinstance(b, Row)]]
    out = list(merge_split_rows(rows[1:], 3))
    assert [r.values for r in out] == [["a", "b"], ["c", "d", "e", "f"]]
