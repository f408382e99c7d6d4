"""`medwh inspect FILE` for any single file, and a folder that yields no fact publishes nothing."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys

import pytest

from tests.conftest import FILINGS, REAL_FILINGS
from tests.unit.test_reader_office import make_xlsx
from tests.unit.test_reader_pdf import Sheet

pytestmark = pytest.mark.integration


def _medwh(*args: str):
    return subprocess.run([sys.executable, "-m", "medwh.cli", *args], capture_output=True, text=True, timeout=300)


def test_inspect_a_text_export():
    out = _medwh("inspect", str(FILINGS / "002_6529f0b8e0e0d604.txt"), "--tables-only", "--rows", "2")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0].endswith("read as text, 48 tables, 183 text blocks")
    assert "table 1 line 3 37×5 [income_expenditure_summary, 8 facts] 部门预算收支总表" in out.stdout
    assert out.stdout.rstrip().endswith("verdict: loaded")


def _sign_in_sheet() -> bytes:
    """A workbook with a table that is no budget statement (a meeting's sign-in sheet)."""
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "签到表"
    ws.append(["会议签到表"])
    for row in (["序号", "姓名", "单位", "电话"], [1, "张三", "办公室", "12345678"], [2, "李四", "财务科", "87654321"]):
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_inspect_a_workbook(tmp_path):
    path = tmp_path / "预算公开.xlsx"
    path.write_bytes(make_xlsx())
    out = _medwh("inspect", str(path))
    assert out.returncode == 0, out.stderr
    assert "read as xlsx" in out.stdout and "sheet '3.15部门收支总表'" in out.stdout
    assert "| 1 | 一、一般公共预算拨款收入 | 7,723.25 | 一、一般公共服务支出 |" in out.stdout
    # the 部门预算收支总表 sheet is recognised by its title and header, its code 450 split off the name
    assert "[income_expenditure_summary, " in out.stdout
    assert "recognised: department_budget; department 新乐市医疗保障局, year 2021" in out.stdout
    assert out.stdout.rstrip().endswith("verdict: loaded")


def test_inspect_an_unrecognised_workbook(tmp_path):
    path = tmp_path / "签到.xlsx"
    path.write_bytes(_sign_in_sheet())
    out = _medwh("inspect", str(path))
    assert out.returncode == 0, out.stderr
    assert "table 1 sheet '签到表' 3×4 [not recognised] 会议签到表" in out.stdout
    assert out.stdout.rstrip().endswith("verdict: unrecognised (read, but no table recognised)")


def test_inspect_a_broken_file_says_why(tmp_path):
    locked = Sheet(encrypt="pw")
    locked.text(50, 50, "部门预算收支总表")
    path = tmp_path / "locked.pdf"
    path.write_bytes(locked.pdf())
    out = _medwh("inspect", str(path))
    assert out.returncode == 0, out.stderr
    assert "error: encrypted_pdf" in out.stdout
    assert out.stdout.rstrip().endswith("verdict: failed — the file could not be read (see the error above)")


def test_inspect_a_real_pdf():
    path = REAL_FILINGS / "jiangsu-2019" / "江苏省人大常委会办公厅2019年部门预算公开表.pdf"
    if not path.exists():
        pytest.skip(f"{path} is absent: the real originals live in ../shared beside the checkout")
    out = _medwh("inspect", str(path), "--tables-only", "--rows", "3")
    assert out.returncode == 0, out.stderr
    # 公开表五 财政拨款支出预算表（功能科目）, page 5 (read from the rendered page)
    assert "table 5 p.5 " in out.stdout and "财政拨款支出预算表（功能科目）" in out.stdout
    assert "| 合计 |  | 18,330.37" in out.stdout


def test_inspect_a_missing_file_is_one_line():
    out = _medwh("inspect", "/nonexistent/file.pdf")
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "is not a file" in out.stderr


def test_a_folder_without_any_fact_publishes_nothing(tmp_path):
    from medwh.build import BuildError, build_warehouse

    out = tmp_path / "wh.duckdb"
    build_warehouse(FILINGS, out, quiet=True, target_path=tmp_path / "target")
    before = hashlib.sha256(out.read_bytes()).hexdigest()
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    (nothing / "签到.xlsx").write_bytes(_sign_in_sheet())  # read, not recognised
    (nothing / "notes.txt").write_text("会议纪要\n", encoding="utf-8")  # not a filing
    with pytest.raises(BuildError) as err:
        build_warehouse(nothing, out, quiet=True, target_path=tmp_path / "target2")
    message = str(err.value)
    assert "no file of" in message and "nothing was published" in message
    assert "签到.xlsx: unrecognised" in message and "notes.txt: failed" in message
    assert hashlib.sha256(out.read_bytes()).hexdigest() == before
    cli = _medwh("build", "--filings", str(nothing), "--warehouse", str(out), "--quiet")
    assert cli.returncode == 2 and "nothing was published" in cli.stderr
    assert hashlib.sha256(out.read_bytes()).hexdigest() == before
    shutil.rmtree(nothing)
