"""Cells of the spreadsheets the app writes, CSV and XLSX: typed text is never run as a formula.

A person's name, an organisation, a decision or a purpose is typed by someone; a spreadsheet
that opens `=HYPERLINK("http://evil","x")` as a formula would run it. Every CSV and XLSX
writer passes its cells through `spreadsheet_cell` (tablib datasets through
`spreadsheet_file`), so the rule is written once. It follows OWASP's CSV injection advice:
https://owasp.org/www-community/attacks/CSV_Injection
"""

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator

import tablib
from django.http import StreamingHttpResponse

# Spreadsheets read a cell starting with one of these as a formula (or a DDE call).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A negative amount such as "-1000.00" is a number to a spreadsheet, not a formula.
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def spreadsheet_cell(value):
    """Text that starts with =, +, -, @, tab or carriage return is written as text: behind a
    `'`. Numbers, and text that is only a number, stay as they are."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def spreadsheet_row(values: Iterable) -> list:
    return [spreadsheet_cell(value) for value in values]


def spreadsheet_file(data: tablib.Dataset, fmt: str) -> str | bytes:
    """The dataset as a CSV (str) or XLSX (bytes) file, every cell through the rule above.

    openpyxl, which writes tablib's XLSX, stores any str starting with "=" as a formula, so
    the cells are escaped before tablib sees them, not after.
    """
    safe = tablib.Dataset(
        *(spreadsheet_row(row) for row in data),
        headers=spreadsheet_row(data.headers) if data.headers else None,
        title=data.title,
    )
    return safe.export(fmt)


class _Line:
    """A csv writer's file that hands back the line it was given."""

    def write(self, line: str) -> str:
        return line


def csv_lines(headers: list, rows: Iterable[Iterable], *, bom: bool = False) -> Iterator[bytes]:
    """The CSV a row at a time, UTF-8, every cell through the rule above: the file is never
    held whole, so a 100,000-line export costs the memory of one line."""
    writer = csv.writer(_Line())  # the excel dialect, as tablib writes it
    yield (("\ufeff" if bom else "") + writer.writerow(spreadsheet_row(headers))).encode()
    for row in rows:
        yield writer.writerow(spreadsheet_row(row)).encode()


def csv_response(
    filename: str, headers: list, rows: Iterable[Iterable], *, bom: bool = False
) -> StreamingHttpResponse:
    """A streamed CSV download; `rows` should read the database in chunks (`.iterator()`)."""
    response = StreamingHttpResponse(
        csv_lines(headers, rows, bom=bom), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_file(title: str, headers: list, rows: Iterable[Iterable], *, report=None, every=1000):
    """An XLSX workbook of one sheet, every cell through the rule above, in openpyxl's
    write-only mode: rows are written out as they come, so a 100,000-row sheet never sits
    in memory as cells. `report(done)` is told every `every` rows."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append(spreadsheet_row(headers))
    for done, row in enumerate(rows, start=1):
        sheet.append(spreadsheet_row(row))
        if report and done % every == 0:
            report(done)
    with tempfile.TemporaryFile() as out:  # the zip is written to disk, then read once
        workbook.save(out)
        out.seek(0)
        return out.read()
