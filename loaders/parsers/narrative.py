"""Prose: the 情况说明 amounts and the department-level goal texts.

* Amounts stated in a budget's 情况说明 (explanatory notes), e.g.
  ``其中基本支出434.1万元，包括人员经费389.5万元和日常公用经费24.7万元`` →
  one ``NarrativeAmount`` per amount with the topic the clause gives it
  (基本支出, 人员经费, 日常公用经费). The reconciliation checks each against
  the table figure it describes.
* Goal sections (总体绩效目标, 分项绩效目标, 年度总体目标, 部门职能职责概述) →
  ``FilingText`` records, kept as published.

Layout-independent: it reads text lines outside tables (and, for goals, a
labelled Word-table cell). Pure, no I/O.
"""

from __future__ import annotations

import re
from typing import Optional, Sequence

from loaders.parsers.common import clean_label, collapse_ws
from loaders.records import FilingText, NarrativeAmount, ParsedFiling
from loaders.wordtable import Row, TextLine, read_blocks

NAME = "narrative"

_NOTES_TITLE_RE = re.compile(r"^(?P<entity>.+?)(?:19|20)\d\d年(?:度)?(?:部门|单位)?预算(?:信息)?公开情况说明")
_AMOUNT_RE = re.compile(
    r"(?P<topic>[^0-9，；。;,：:\s]*?)(?:为|约为|约|共计安排|安排|达到|达)?\s*"
    r"(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>万元|亿元|元)"
)
# clauses end at punctuation; a bracket opens a clause only when it says 其中 (（境） stays in the topic)
_CLAUSE_SPLIT_RE = re.compile(r"[，；。;,：:]|[（(](?=其中)|[)）](?=[，；。;,]|$)")
_TOPIC_PREFIX_RE = re.compile(
    r"^(?:[（(]|(?:19|20)?\d{0,2}年度?|其中|包括|主要为|主要是|主要用于|和|及|以及|共计|合计|全年|我部门|我单位|本部门|本单位)+"
)
_TOPIC_SUFFIX_RE = re.compile(r"(?:为|约|共计安排|安排|达到|达|是)+$")

_GOAL_KINDS = (
    ("总体绩效目标", "overall_goal"),
    ("年度总体目标", "overall_goal"),
    ("分项绩效目标", "sub_goals"),
    ("工作保障措施", "safeguards"),
    ("部门职能职责概述", "duties"),
)
_SECTION_HEADING_RE = re.compile(
    r"^\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|\d+、.{0,40}绩效目标表)"
)
_FIELD_CODE_RE = re.compile(r"\s+TC\s+.*$")


def matches(lines: Sequence[str]) -> bool:
    text = "\n".join(lines[:20000])
    return "情况说明" in text or any(label in text for label, _ in _GOAL_KINDS)


def parse(lines: Sequence[str]) -> ParsedFiling:
    out = ParsedFiling(layouts=[NAME])
    blocks = read_blocks(lines)
    _read_notes(blocks, out)
    _read_goal_sections(blocks, out)
    _read_goal_cells(blocks, out)
    return out


# ------------------------------------------------------------------ 情况说明 amounts
def _read_notes(blocks, out: ParsedFiling) -> None:
    entity: Optional[str] = None
    for block in blocks:
        if isinstance(block, Row):
            continue
        value = block.value
        m = _NOTES_TITLE_RE.match(clean_label(value))
        if m:
            entity = m.group("entity")
            continue
        if entity is None:
            continue
        if clean_label(value).startswith("五、预算绩效信息") or clean_label(value).startswith("第二部分"):
            entity = None
            continue
        for amount in _amounts_in(value):
            topic, published, unit, clause = amount
            out.narrative_amounts.append(
                NarrativeAmount(
                    source_line=block.line,
                    entity_name=entity,
                    entity_code=None,
                    topic=topic,
                    published_amount=published,
                    published_unit=unit,
                    sentence=clause,
                )
            )


def _amounts_in(text: str) -> list[tuple[str, str, str, str]]:
    """Every ``topic amount 万元`` in a prose line, with the clause it stands in."""
    found = []
    for clause in _CLAUSE_SPLIT_RE.split(text):
        clause = clause.strip()
        for m in _AMOUNT_RE.finditer(clause):
            topic = _TOPIC_SUFFIX_RE.sub("", _TOPIC_PREFIX_RE.sub("", m.group("topic")))
            if not topic:
                continue
            found.append((topic, m.group("amount"), m.group("unit"), clause))
    return found


# ------------------------------------------------------------------ goal texts
def _goal_kind(text: str) -> Optional[str]:
    if "目标" not in text and "职责" not in text and "措施" not in text:
        return None  # cheap test first: every goal label has one of these
    compact = clean_label(_FIELD_CODE_RE.sub("", text))
    compact = re.sub(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d)", "", compact)
    for label, kind in _GOAL_KINDS:
        if compact.rstrip("：:") == label:
            return kind
    return None


def _read_goal_sections(blocks, out: ParsedFiling) -> None:
    """A heading line naming a goal section, then its prose up to the next heading."""
    i = 0
    while i < len(blocks):
        block = blocks[i]
        kind = _goal_kind(block.value) if isinstance(block, TextLine) else None
        if kind is None:
            i += 1
            continue
        start = block.line
        body: list[str] = []
        j = i + 1
        while j < len(blocks):
            nxt = blocks[j]
            if isinstance(nxt, Row) or _SECTION_HEADING_RE.match(nxt.value) or _goal_kind(nxt.value):
                break
            if not (_goal_kind(nxt.value) or clean_label(nxt.value).rstrip("：:") in {l for l, _ in _GOAL_KINDS}):
                body.append(nxt.value)
            j += 1
        # a label line such as 总体绩效目标： directly under the heading is not content
        body = [b for b in body if clean_label(b).rstrip("：:") not in {l for l, _ in _GOAL_KINDS}]
        if body:
            out.filing_texts.append(FilingText(source_line=start, entity_name="", entity_code=None, kind=kind, text="\n".join(body)))
        i = j


def _read_goal_cells(blocks, out: ParsedFiling) -> None:
    """Word-table forms: a row whose first cell is the label and second cell the text (004)."""
    for block in blocks:
        if not isinstance(block, Row) or len(block) < 2:
            continue
        kind = _goal_kind(block.values[0])
        if kind and block.values[1]:
            out.filing_texts.append(
                FilingText(source_line=block.line, entity_name="", entity_code=None, kind=kind, text=block.cells[1].value)
            )
