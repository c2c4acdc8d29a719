"""Old minutes as lines of text: .docx (tables kept), text-based .pdf, .txt or pasted text.

Every reader returns the same thing, a list of `Line`s, so the parser knows nothing of
file formats. A line keeps what the layout said about it: the ACTION column beside it
(`margin`), the cells of a table row, bold (an unnumbered heading), a bullet.
"""

import html
import io
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


class UnreadableDocument(ValueError):
    """The file is not a document the importer can read; the message says why."""


@dataclass
class Line:
    text: str
    margin: str = ""  # what the ACTION column says beside this line
    cells: list[str] = field(default_factory=list)  # a table row that is not an ACTION column
    bold: bool = False
    bullet: bool = False


_ACTION_HEADER = re.compile(r"^\s*(actions?( by)?|owner|lead|who)\s*$", re.IGNORECASE)
_NUMBER = re.compile(r"^\s*(item\s+)?\d{1,2}(\.\d{1,2})?[.)]?\s*$", re.IGNORECASE)


def read_document(name: str, data: bytes) -> list[Line]:
    """The lines of an uploaded file, chosen by its extension."""
    suffix = Path(name or "").suffix.lower()
    if suffix == ".docx":
        return read_docx(data)
    if suffix == ".pdf":
        return read_pdf(data)
    if suffix in {".txt", ".text", ""}:
        return read_text(data.decode("utf-8-sig", errors="replace"))
    raise UnreadableDocument(f"“{name}” is not a .docx, .pdf or .txt file.")


def source_text(lines: list[Line]) -> str:
    """The document as plain text, for the review screen's left-hand side."""
    out = []
    for line in lines:
        text = " | ".join(line.cells) if line.cells else line.text
        if line.bullet:
            text = "• " + text
        if line.margin:
            text = f"{text}    [ACTION: {line.margin}]"
        out.append(text)
    return "\n".join(out)


# --- plain text -----------------------------------------------------------------------

_TAG = re.compile(r"<[^>]+>")


def _html_paragraphs(cell: str) -> list[tuple[str, bool]]:
    """(text, is_bullet) pieces of a cell that may carry <p>, <ul> and • bullets."""
    text = re.sub(r"</?p[^>]*>", "\n\n", cell, flags=re.IGNORECASE)
    text = re.sub(r"<ul[^>]*>", "\n\n\u2022 ", text, flags=re.IGNORECASE)
    text = re.sub(r"</?(ol|ul|li)[^>]*>", "\n\n", text, flags=re.IGNORECASE)
    text = text.replace("\u2022", "\n\u2022 ")
    text = html.unescape(_TAG.sub("", text))
    pieces = []
    for raw in re.split(r"\n", text):
        raw = raw.strip()
        if not raw or raw == "\u2022":
            continue
        bullet = raw.startswith("\u2022")
        pieces.append((raw.lstrip("\u2022 ").strip(), bullet))
    return pieces


def read_text(text: str) -> list[Line]:
    """Lines of a text file. Tab-separated rows whose last cell is short are an ACTION column."""
    lines: list[Line] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if re.fullmatch(r"[\s\-–|=_]*", raw):
            lines.append(Line(""))
            continue
        if "\t" in raw:
            cells = [c.strip() for c in raw.split("\t")]
            if len(cells) >= 3:
                _add_margin_row(lines, cells[:-1], cells[-1])
                continue
            if len(cells) == 2 and not cells[0]:
                _add_margin_row(lines, cells[1:], "")
                continue
            if len(cells) >= 2 and "|" not in raw:
                lines.append(Line(" | ".join(cells), cells=cells))
                continue
            raw = " ".join(cells)
        if raw.count("|") >= 2:
            cells = [c.strip() for c in raw.strip().strip("|").split("|")]
            lines.append(Line(" | ".join(cells), cells=cells))
            continue
        stripped = raw.strip()
        bullet = bool(re.match(r"^[\u2022\-*·–]\s+", stripped))
        if bullet:
            stripped = re.sub(r"^[\u2022\-*·–]\s+", "", stripped)
        bold = stripped.startswith("**") and stripped.endswith("**") and len(stripped) > 4
        if bold:
            stripped = stripped.strip("*").strip()
        lines.append(Line(stripped, bullet=bullet, bold=bold))
    return lines


def _add_margin_row(lines: list[Line], cells: list[str], margin: str) -> None:
    """One row of a minute with an ACTION column: number, text (maybe HTML), owner."""
    number = ""
    body = [c for c in cells if c]
    if body and _NUMBER.match(body[0]) and len(body) > 1:
        number = body.pop(0).strip()
    pieces: list[tuple[str, bool]] = []
    for cell in body:
        pieces.extend(_html_paragraphs(cell))
    margin = " ".join(t for t, _ in _html_paragraphs(margin)) if margin else ""
    if not pieces:
        if margin:
            lines.append(Line("", margin=margin))
        return
    first = True
    for text, bullet in pieces:
        if number and first:
            text = f"{number} {text}"
        # A page break inside a cell: the text carries on in lower case in the next row.
        if first and not number and text[:1].islower() and lines:
            previous = next((ln for ln in reversed(lines) if ln.text), None)
            if previous is not None and not previous.margin:
                previous.text += " " + text
                first = False
                continue
        lines.append(Line(text, bullet=bullet))
        first = False
    if margin:
        lines[-1].margin = margin


# --- Word ----------------------------------------------------------------------------


def read_docx(data: bytes) -> list[Line]:
    """Paragraphs and tables of a .docx in document order; a table with an Action column
    becomes minute lines with that column as their margin."""
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as error:  # pragma: no cover - pinned in requirements/base.txt
        raise UnreadableDocument("python-docx is not installed.") from error
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:
        raise UnreadableDocument("This .docx file could not be opened.") from error
    lines: list[Line] = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(_docx_line(Paragraph(element, document)))
        elif tag == "tbl":
            _docx_table(Table(element, document), lines)
    return lines


def _docx_line(paragraph) -> Line:
    text = paragraph.text.strip()
    runs = [r for r in paragraph.runs if r.text.strip()]
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    bold = bool(runs) and all(r.bold for r in runs) or style.lower().startswith("heading")
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    bullet = "list" in style.lower() or numbered
    return Line(text, bold=bold, bullet=bullet)


def _cell_lines(cell) -> list[Line]:
    return [_docx_line(p) for p in cell.paragraphs if p.text.strip()]


def _docx_table(table, lines: list[Line]) -> None:
    rows = [list(row.cells) for row in table.rows]
    if not rows:
        return
    header = [c.text.strip() for c in rows[0]]
    action_col = len(header) - 1 if header and _ACTION_HEADER.match(header[-1]) else None
    # An ACTION column beside minutes (two or three columns), not an actions table.
    is_minutes = action_col is not None and len(header) <= 3
    if not is_minutes:
        for row in rows:
            cells = [c.text.strip() for c in row]
            if any(cells):
                lines.append(Line(" | ".join(cells), cells=cells))
        return
    for row in rows[1:]:
        cells = row
        margin = cells[-1].text.strip()
        number = ""
        body = cells[:-1]
        if len(body) == 2:
            number = body[0].text.strip()
            body = body[1:]
        content = []
        for cell in body:
            content.extend(_cell_lines(cell))
        if number and content:
            content[0].text = f"{number} {content[0].text}"
        elif number:
            content = [Line(number)]
        if not content and margin:
            content = [Line("")]
        if content and margin:
            content[-1].margin = margin
        lines.extend(content)
        lines.append(Line(""))


# --- PDF -----------------------------------------------------------------------------


def read_pdf(data: bytes) -> list[Line]:
    """Text of a text-based PDF through poppler's `pdftotext -layout`; a right-hand column
    under an "Action" heading becomes the margin of the line it sits on."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "minutes.pdf"
        path.write_bytes(data)
        try:
            result = subprocess.run(
                ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
                capture_output=True,
                timeout=60,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise UnreadableDocument("The PDF could not be read.") from error
    if result.returncode != 0:
        raise UnreadableDocument("The PDF could not be read: is it a PDF?")
    text = result.stdout.decode("utf-8", errors="replace")
    if not text.strip():
        raise UnreadableDocument("The PDF has no text layer (a scan?): paste its text instead.")
    return _layout_lines(text)


_GAP = re.compile(r"\s{3,}")


def _layout_lines(text: str) -> list[Line]:
    raw_lines = [ln.rstrip() for ln in text.replace("\f", "\n").split("\n")]
    margin_at = None
    for raw in raw_lines:
        match = re.search(r"\s{3,}(ACTION|Action)\s*$", raw)
        if match:
            margin_at = match.start(1)
            break
    lines: list[Line] = []
    paragraph: Line | None = None
    pending = ""
    for position, raw in enumerate(raw_lines):
        if not raw.strip():
            paragraph = None
            lines.append(Line(""))
            continue
        margin = ""
        main = raw
        if margin_at is not None and len(raw) > margin_at - 4:
            cut = None
            for gap in _GAP.finditer(raw):
                if gap.end() >= margin_at - 8:
                    cut = gap
                    break
            if cut is not None:
                main, margin = raw[: cut.start()], raw[cut.end() :].strip()
            elif raw[: margin_at - 8].strip() == "":
                main, margin = "", raw.strip()
        cells = [c.strip() for c in _GAP.split(main.strip()) if c.strip()]
        stripped = " ".join(cells) if len(cells) <= 1 else main.strip()
        if main.strip() and len(cells) >= 3:
            lines.append(Line(" | ".join(cells), cells=cells))
            paragraph = None
            continue
        if len(cells) == 2 and _NUMBER.match(cells[0]):
            stripped = f"{cells[0]} {cells[1]}"
        bullet = bool(re.match(r"^[\u2022\-*·●]\s*", stripped))
        if bullet:
            stripped = re.sub(r"^[\u2022\-*·●]\s*", "", stripped)
        if margin and margin.upper() == "ACTION" and not stripped:
            continue
        starts_new = (
            paragraph is None
            or bullet
            or _NUMBER.match(stripped.split(" ")[0] + " ")
            or re.match(r"^\(\d+\)", stripped)
        )
        if not stripped and margin:
            following = next((r for r in raw_lines[position + 1 :] if r.strip()), "")
            if _NUMBER.match(following.strip().split(" ")[0] + " "):
                # The Action cell's text sits a little above its row's first line.
                pending = (pending + " " + margin).strip()
                continue
            target = paragraph or (lines[-1] if lines else None)
            if target is not None:
                target.margin = (target.margin + " " + margin).strip()
                continue
        if margin_at is not None and stripped.lower() in (
            "minute",
            "minutes",
            "item",
            "no",
            "notes",
        ):
            continue
        if pending:
            margin, pending = (pending + " " + margin).strip(), ""
            starts_new = True
        if starts_new:
            paragraph = Line(stripped, bullet=bullet, margin=margin)
            lines.append(paragraph)
        else:
            paragraph.text += " " + stripped
            if margin:
                paragraph.margin = (paragraph.margin + " " + margin).strip()
    return lines
