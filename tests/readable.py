"""What a reader of a downloaded file could see, as text: for tests that look for traces of
records in reports and exports of every format."""

import io
import zipfile

import openpyxl
import pypdf


def readable_text(content: bytes) -> str:
    """The text of PDF pages, every cell of every sheet of a workbook, every file of a ZIP
    archive (read the same way), or the body itself."""
    if content.startswith(b"%PDF"):
        pages = pypdf.PdfReader(io.BytesIO(content)).pages
        return "\n".join(page.extract_text() for page in pages)
    if content.startswith(b"PK"):
        archive = zipfile.ZipFile(io.BytesIO(content))
        if "xl/workbook.xml" in archive.namelist():
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
            return "\n".join(
                str(cell)
                for sheet in book.worksheets
                for row in sheet.iter_rows(values_only=True)
                for cell in row
                if cell is not None
            )
        return "\n".join(readable_text(archive.read(name)) for name in archive.namelist())
    return content.decode("utf-8", errors="replace")
