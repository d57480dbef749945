"""Reading the spreadsheets offices send: find the table, map its columns, read the values.

No models here (the bottom layer): `importers` turns what this module reads into validated rows.

An office's list is rarely our template. Above the header there is a title merged across the
columns (`XX高新区2023年民生实事项目计划表`), a subtitle (`填报单位：… 单位：万元`) and blank rows;
the header may take two rows (`计划投资` over `（万元）`, `时间` over `计划开工` / `计划完工`);
below the data come a total (`合计`) and notes (`备注：…`, `填表人：…`); a workbook may hold a
second sheet of explanations (`说明`). This module

- reads every sheet of an XLSX (merged cells filled with their value) or a CSV;
- finds the header row(s) as the rows whose cells best match the known wordings of each field
  (`FIELD_SYNONYMS`), picks the sheet whose header matches best, and lists the other plausible
  sheets so the editor can choose;
- maps the source columns to fields (`detect_mapping`), which the editor may change;
- reads the data rows below, leaving out blank, total, note and heading rows (each reported);
- reads numbers and units as people write them (`read_amount`, `read_percent`).
"""

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext

MAX_SHEET_ROWS = 5000
# Formatting applied to whole rows makes a sheet thousands of columns "wide"; no list has more.
MAX_SHEET_COLUMNS = 60
HEADER_SEARCH_ROWS = 20

# The wordings of each column, best first. The first is the template's own header. A wording
# may appear under two fields (建设内容 is the title when there is no 项目名称, else the summary).
FIELD_SYNONYMS = {
    "items": {
        "number": ["项目编号", "编号", "序号", "项目序号", "number", "no", "no.", "id"],
        "title": [
            "项目名称",
            "名称",
            "建设内容",
            "实事项目",
            "民生实事项目",
            "项目",
            "title",
            "name",
        ],
        "category": ["类别", "项目类别", "类型", "分类", "领域", "项目类型", "category", "type"],
        "department": [
            "责任单位",
            "牵头单位",
            "实施单位",
            "责任部门",
            "牵头部门",
            "主办单位",
            "承办单位",
            "建设单位",
            "department",
            "responsibleunit",
        ],
        "district": [
            "片区/街道",
            "所在街道",
            "街道",
            "镇街",
            "片区",
            "区域",
            "所在区域",
            "所在镇街",
            "所属街道",
            "district",
            "street",
            "area",
        ],
        "address": ["地址", "建设地点", "项目地址", "地点", "项目地点", "address", "location"],
        "longitude": ["经度", "longitude", "lng", "lon"],
        "latitude": ["纬度", "latitude", "lat"],
        "budget": [
            "计划投资",
            "投资",
            "总投资",
            "计划总投资",
            "投资额",
            "总投资额",
            "预算",
            "预算金额",
            "budget",
            "investment",
        ],
        "planned_start": [
            "计划开工日期",
            "计划开工",
            "开工时间",
            "开工日期",
            "计划开工时间",
            "开始时间",
            "plannedstart",
            "start",
        ],
        "planned_completion": [
            "计划完成日期",
            "计划完工",
            "计划完成",
            "完成时间",
            "竣工时间",
            "完工时间",
            "完工日期",
            "计划完工时间",
            "计划完成时间",
            "计划竣工",
            "plannedcompletion",
            "completion",
            "end",
        ],
        "summary": [
            "项目简介",
            "简介",
            "主要内容",
            "建设规模及内容",
            "建设内容及规模",
            "项目内容",
            "建设规模",
            "建设内容",
            "summary",
            "description",
        ],
    },
    "progress": {
        "number": ["项目编号", "编号", "序号", "项目序号", "number", "no", "no."],
        "date": ["填报日期", "日期", "报送日期", "截至日期", "统计日期", "date"],
        "progress": [
            "形象进度",
            "进度",
            "完成进度",
            "工程进度",
            "进度百分比",
            "完成比例",
            "progress",
        ],
        "invested": [
            "累计完成投资",
            "完成投资",
            "已完成投资",
            "累计投资",
            "累计完成",
            "invested",
        ],
        "text": ["进展情况", "进展", "工作进展", "进度情况", "完成情况", "text", "progresstext"],
        "delay_reason": ["滞后原因", "延期原因", "原因", "存在问题", "delayreason"],
        "revised_completion": [
            "调整后完成日期",
            "调整后完成时间",
            "预计完成时间",
            "预计完成日期",
            "revisedcompletion",
        ],
    },
}
MONEY_FIELDS = {"budget", "invested"}
PERCENT_FIELDS = {"progress"}
# Month-only dates ("2023年3月"): a start is the month's first day, an end its last.
MONTH_END_FIELDS = {"planned_completion", "revised_completion", "date"}

NOTE_PREFIXES = (
    "合计",
    "总计",
    "小计",
    "共计",
    "备注",
    "注：",
    "注:",
    "说明",
    "填表人",
    "填报人",
    "审核人",
    "审核",
    "制表",
    "填表日期",
    "填报日期：",
    "填报单位",
    "联系人",
    "联系电话",
    "负责人",
    "单位负责人",
    "签字",
    "盖章",
    "total",
    "note",
)
HEADING = re.compile(r"^[一二三四五六七八九十百]+[、.．]|^[（(][一二三四五六七八九十]+[)）]")
UNIT_WORDS = ("亿元", "万元", "元", "%", "％")
AMOUNT = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(亿元|亿|万元|万|元)?$")
PERCENT = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(%)?$")
MONEY_FACTORS = {
    "亿元": Decimal(10000),
    "亿": Decimal(10000),
    "万元": Decimal(1),
    "万": Decimal(1),
    "元": Decimal("0.0001"),
}
CENT = Decimal("0.01")


def column_letter(index):
    """0 → A, 25 → Z, 26 → AA, as spreadsheets name columns."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return str(Decimal(str(value)))
    return str(value).strip()


def normalise_header(text):
    """Header text as compared: full-width folded, no spaces or line breaks, no brackets,
    no units (`计划投资\n（万元）` → `计划投资`), lower case."""
    text = unicodedata.normalize("NFKC", str(text or "")).lower()
    text = re.sub(r"[\s_]+", "", text).replace("*", "").rstrip(":：")
    text = re.sub(r"\(([^()]*)\)|\[([^\[\]]*)\]|【([^【】]*)】", "", text)
    for unit in UNIT_WORDS:
        if text.endswith(unit) and len(text) > len(unit) + 1:
            text = text[: -len(unit)]
    return text.strip("/-_")


def header_unit(text):
    """The money unit a header states ("计划投资（元）" → 元), or ""."""
    text = unicodedata.normalize("NFKC", str(text or "")).replace(" ", "")
    for unit in ("亿元", "万元", "元"):
        if f"({unit})" in text or text.endswith(unit) or f"单位:{unit}" in text:
            return unit
    return ""


# -- reading files ----------------------------------------------------------------------------


@dataclass
class Sheet:
    name: str
    rows: list  # lists of cell texts; row i is the spreadsheet's line i + 1


class FileError(Exception):
    """The file as a whole cannot be read."""


def read_sheets(uploaded):
    """Every sheet of an uploaded XLSX (merged cells filled) or the one table of a CSV."""
    name = (getattr(uploaded, "name", "") or "").lower()
    data = uploaded.read()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        return _xlsx_sheets(data)
    if name.endswith(".csv") or not name:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise FileError(gettext("The CSV file is neither UTF-8 nor GB18030 text."))
        rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
        return [Sheet("CSV", [row[:MAX_SHEET_COLUMNS] for row in rows[:MAX_SHEET_ROWS]])]
    raise FileError(gettext("Upload an .xlsx or .csv file."))


def _xlsx_sheets(data):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:
        raise FileError(gettext("This is not a readable XLSX file.")) from error
    sheets = []
    for worksheet in workbook.worksheets:
        rows = [
            [cell_text(value) for value in row]
            for row in worksheet.iter_rows(
                max_row=min(worksheet.max_row, MAX_SHEET_ROWS),
                max_col=min(worksheet.max_column, MAX_SHEET_COLUMNS),
                values_only=True,
            )
        ]
        for merged in getattr(worksheet, "merged_cells", None) or []:
            top, left = merged.min_row - 1, merged.min_col - 1
            if top >= len(rows):
                continue
            value = rows[top][left] if left < len(rows[top]) else ""
            for r in range(top, min(merged.max_row, len(rows))):
                for c in range(left, merged.max_col):
                    if c < len(rows[r]) and not rows[r][c]:
                        rows[r][c] = value
        width = _used_width(rows)
        while rows and not any(rows[-1]):
            rows.pop()
        sheets.append(Sheet(worksheet.title, [row[:width] for row in rows]))
    workbook.close()
    return sheets


def _used_width(rows):
    """The number of columns up to the last one with a value in any row."""
    width = 0
    for row in rows:
        for index in range(len(row) - 1, width - 1, -1):
            if row[index]:
                width = index + 1
                break
    return width


# -- finding the header and mapping columns ---------------------------------------------------


def _match_scores(text, kind):
    """{field: score} for one header text: an exact wording scores 100 minus its rank, a
    wording contained in the text 50 plus its length."""
    norm = normalise_header(text)
    scores = {}
    if not norm:
        return scores
    for name, words in FIELD_SYNONYMS[kind].items():
        best = 0
        for rank, word in enumerate(words):
            word = normalise_header(word)
            if norm == word:
                best = max(best, 100 - rank)
            elif len(word) >= 2 and word in norm and not word.isascii():
                best = max(best, 50 + len(word))
        if best:
            scores[name] = best
    return scores


def detect_mapping(headers, kind):
    """The field each header fills ("" for none): the best matches first, each field once."""
    candidates = []
    for index, texts in enumerate(headers):
        merged = {}
        for text in texts:
            for name, score in _match_scores(text, kind).items():
                merged[name] = max(merged.get(name, 0), score)
        candidates += [(score, -index, name) for name, score in merged.items()]
    mapping = [""] * len(headers)
    taken = set()
    for _score, negative_index, name in sorted(candidates, reverse=True):
        index = -negative_index
        if mapping[index] or name in taken:
            continue
        mapping[index] = name
        taken.add(name)
    return mapping


def _is_banner(cells):
    """A title or subtitle: at most one distinct text across the row."""
    texts = {cell for cell in cells if cell}
    return len(texts) <= 1


def _header_texts(rows, start, depth):
    width = max((len(rows[r]) for r in range(start, start + depth)), default=0)
    headers = []
    for c in range(width):
        parts = []
        for r in range(start, start + depth):
            text = rows[r][c] if c < len(rows[r]) else ""
            if text and text not in parts:
                parts.append(text)
        # The wordings tried: the two rows joined, then the lower one, then the upper one.
        if len(parts) > 1:
            lower = parts[1]
            joined = (
                parts[0] + lower if lower.lstrip().startswith(("(", "（")) else " / ".join(parts)
            )
            texts = [joined, *reversed(parts)]
        else:
            texts = parts
        headers.append(texts)
    return headers


@dataclass
class Layout:
    """Where the table is in one sheet, and the field of each of its columns."""

    sheet: int
    header_start: int  # index of the first header row
    header_depth: int  # 1 or 2 rows
    headers: list  # per column, the header texts tried
    mapping: list  # per column, a field name or ""
    score: int = 0

    @property
    def data_start(self):
        return self.header_start + self.header_depth

    def labels(self):
        """Per column, the header as the office wrote it, e.g. "计划投资（万元）"."""
        return [texts[0] if texts else "" for texts in self.headers]

    def key(self, kind):
        """A hash of the normalised header row: the same layout next month gets the same."""
        text = "|".join(normalise_header(label) for label in self.labels())
        return hashlib.sha256(f"{kind}:{text}".encode()).hexdigest()[:40]


def find_layout(sheet_rows, kind, sheet_index=0):
    """The best header (one or two rows) in the first rows of a sheet."""
    best = None
    limit = min(len(sheet_rows), HEADER_SEARCH_ROWS)
    for start in range(limit):
        if _is_banner(sheet_rows[start]):
            continue
        for depth in (1, 2):
            if start + depth > len(sheet_rows):
                continue
            if depth == 2 and _is_banner(sheet_rows[start + 1]):
                continue
            headers = _header_texts(sheet_rows, start, depth)
            mapping = detect_mapping(headers, kind)
            score = sum(1 for name in mapping if name)
            if best is None or score > best.score:
                best = Layout(sheet_index, start, depth, headers, mapping, score)
    if best is None:
        best = Layout(sheet_index, 0, 1, [], [], 0)
    return best


def find_layouts(sheets, kind):
    """The best layout of each sheet, best first (ties keep the sheets' order)."""
    layouts = [find_layout(sheet.rows, kind, index) for index, sheet in enumerate(sheets)]
    return sorted(layouts, key=lambda layout: -layout.score)


def plausible(layouts, minimum=3):
    """The sheets that look like the table: those matching at least `minimum` fields."""
    return [layout for layout in layouts if layout.score >= minimum]


# -- data rows --------------------------------------------------------------------------------


@dataclass
class LeftOut:
    line: int
    text: str
    reason: str  # "note", "heading", "header", "blank"


@dataclass
class Table:
    rows: list = field(default_factory=list)  # (line, {field: text})
    left_out: list = field(default_factory=list)


def data_rows(sheet_rows, layout):
    """The rows below the header as {field: text}, without blank, total, note, heading and
    repeated-header rows (those are listed in `left_out`; blank rows are not)."""
    table = Table()
    normalised_labels = {normalise_header(label) for label in layout.labels() if label}
    for index in range(layout.data_start, len(sheet_rows)):
        cells = sheet_rows[index]
        line = index + 1
        texts = [cell for cell in cells if cell]
        if not texts:
            continue
        first = re.sub(r"\s+", "", unicodedata.normalize("NFKC", texts[0])).lower()
        number_cell = next(
            (
                cells[c]
                for c, name in enumerate(layout.mapping)
                if name == "number" and c < len(cells)
            ),
            "",
        )
        if first.startswith(NOTE_PREFIXES) or (
            not number_cell and any(t.replace(" ", "").startswith(("合计", "总计")) for t in texts)
        ):
            table.left_out.append(LeftOut(line, texts[0], "note"))
            continue
        if not number_cell and (_is_banner(cells) or HEADING.match(first)):
            table.left_out.append(LeftOut(line, texts[0], "heading"))
            continue
        if {normalise_header(t) for t in texts} <= normalised_labels:
            table.left_out.append(LeftOut(line, texts[0], "header"))
            continue
        values = {
            name: (cells[c] if c < len(cells) else "")
            for c, name in enumerate(layout.mapping)
            if name
        }
        if any(values.values()):
            table.rows.append((line, values))
    return table


# -- values -----------------------------------------------------------------------------------


def _fold(text):
    """Full-width digits and punctuation folded, spaces dropped, thousands separators removed."""
    text = unicodedata.normalize("NFKC", str(text)).strip()
    text = re.sub(r"\s+", "", text).replace("人民币", "").lstrip("¥￥")
    return re.sub(r"(?<=\d),(?=\d{3}(?:\D|$))", "", text)


def read_amount(text, unit=""):
    """A sum of money in 万元 as written: `3,200`, `3，200`, `５８００万元`, `1,500元`, `0.2亿元`.

    Returns (text for the form, note or None). A value in 元 or 亿元 (written after the figure
    or stated by the column header as `unit`) is converted to 万元 and rounded to the fen's
    hundredth (0.01 万元); the note says so. Text that is not a figure is left for the form to
    reject.
    """
    if not str(text).strip():
        return "", None
    folded = _fold(text)
    match = AMOUNT.match(folded)
    if not match:
        return str(text).strip(), None
    value = Decimal(match.group(1))
    written_unit = match.group(2) or unit or "万元"
    factor = MONEY_FACTORS[written_unit]
    result = value * factor
    rounded = result.quantize(CENT, rounding=ROUND_HALF_UP)
    plain = format(rounded.normalize(), "f") if rounded else "0"
    if factor == 1 and rounded == result:
        return plain, None
    return plain, {"rule": "money", "unit": written_unit, "result": plain}


def read_percent(text):
    """Progress as written: `65`, `65%`, `６５％`, or a fraction `0.65` (→ 65). Rounded to a
    whole percent."""
    if not str(text).strip():
        return "", None
    folded = _fold(text).replace("％", "%")
    match = PERCENT.match(folded)
    if not match:
        return str(text).strip(), None
    try:
        value = Decimal(match.group(1))
    except InvalidOperation:
        return str(text).strip(), None
    note = None
    if not match.group(2) and Decimal(0) < value < Decimal(1):
        value *= 100
        note = {"rule": "fraction"}
    result = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    plain = str(int(result))
    if note is None and result != value:
        note = {"rule": "rounded"}
    if note:
        note["result"] = plain
    return plain, note


def fold_text(text):
    """Digits and punctuation of any other cell folded to half width (经纬度, 序号)."""
    return _fold(text) if text else text
