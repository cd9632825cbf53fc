"""Builds a small METI End User List PDF in the real layout: the bundled demo sample, test variants, benchmark lists.

The layout follows the published list: one ruled table over several pages, two-line
headings (Japanese, then English), the country in Japanese then English, and a row
that a page break cuts continues on the next page with an empty No. cell. The two
entries are real End User List entries: Iran's Aerospace Industries Organization
(missiles) and the Pakistan Atomic Energy Commission (nuclear).

    python -m spiders.meti.sample_pdf pipeline/demo_data/meti_end_user/end_user_list.pdf

reportlab (a dev dependency) is imported only when a PDF is built, so crawling never needs it.
"""

from __future__ import annotations

import sys
from pathlib import Path

FONT = "HeiseiKakuGo-W5"  # a standard Japanese CID font: no file to ship, text stays extractable
HEADER = [
    "No.",
    "国名・地域名\nCountry or Region",
    "企業名・組織名\nCompany or Organization",
    "別名\nAlso Known As",
    "懸念区分\nType of WMD",
    "通常兵器\nConventional\nWeapons",
]
WIDTHS = [40, 110, 260, 200, 70, 80]
# Each page is a list of rows; a row is one string per column ("\n" breaks a line in the cell).
PAGES = [
    [
        HEADER,
        ["1", "イラン\nIran", "Aerospace Industries Organization (AIO)", "", "M", ""],
        ["2", "パキスタン\nPakistan", "Pakistan Atomic Energy", "", "N", ""],
    ],
    [
        ["", "", "Commission (PAEC)", "", "", ""],
    ],
]
LINE = 13
PAD = 4


def build(path: Path, pages: list[list[list[str]]] = PAGES) -> Path:
    """Write the PDF to `path` and return it (pass `pages` to lay out a variant of the table)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    width, height = landscape(A4)
    pdf = canvas.Canvas(str(path), pagesize=(width, height))
    pdf.setTitle("End User List")
    for rows in pages:
        _draw_table(pdf, rows, left=40, top=height - 60)
        pdf.showPage()
    pdf.save()
    return path


def _draw_table(pdf, rows: list[list[str]], left: float, top: float) -> None:
    pdf.setFont(FONT, 9)
    y = top
    widths = WIDTHS + [80] * (len(rows[0]) - len(WIDTHS))  # a variant may add columns
    right = left + sum(widths)
    pdf.line(left, y, right, y)
    for row in rows:
        lines = max(len(cell.split("\n")) for cell in row)
        row_height = lines * LINE + 2 * PAD
        x = left
        for cell, cell_width in zip(row, widths):
            for number, text in enumerate(cell.split("\n")):
                pdf.drawString(x + PAD, y - PAD - (number + 1) * LINE + 3, text)
            x += cell_width
        bottom = y - row_height
        pdf.line(left, bottom, right, bottom)
        x = left
        for cell_width in [0, *widths]:
            x += cell_width
            pdf.line(x, y, x, bottom)
        y = bottom


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.parent.mkdir(parents=True, exist_ok=True)
    print(build(target))
