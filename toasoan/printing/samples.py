"""Page PDFs generated on this machine: the demo's back issues and the bench's real-size pages.

Drawn with fpdf2 in Noto Serif (Debian's fonts-noto-core), so every Vietnamese mark is a real
glyph and `pdftotext` reads the words back; each page carries a photo at print resolution.
"""

import io
from datetime import date
from pathlib import Path

from PIL import Image, ImageDraw

from toasoan.core.text import WEEKDAYS

FONT_DIR = Path("/usr/share/fonts/truetype/noto")
MASTHEAD = "BÁO QUẢNG NAM"


def _font_files() -> dict[str, Path]:
    files = {"": FONT_DIR / "NotoSerif-Regular.ttf", "B": FONT_DIR / "NotoSerif-Bold.ttf"}
    missing = [str(f) for f in files.values() if not f.exists()]
    if missing:
        raise RuntimeError(f"Fonts missing ({', '.join(missing)}): apt-get install fonts-noto-core")
    return files


def photo_jpeg(width: int, height: int, seed: int) -> bytes:
    """A generated landscape (sky, hills, sun) as a JPEG of the given size."""
    image = Image.new("RGB", (width, height), (120 + seed * 7 % 80, 160, 210))
    draw = ImageDraw.Draw(image)
    for band in range(6):
        top = height // 2 + band * height // 14
        shade = (40 + band * 18, 110 + (seed * 13 + band * 9) % 90, 60 + band * 10)
        draw.polygon(
            [
                (0, height),
                (0, top),
                (width // 3, top - height // 10),
                (width, top + 20),
                (width, height),
            ],
            fill=shade,
        )
    r = height // 9
    draw.ellipse(
        [width * 2 // 3, height // 8, width * 2 // 3 + r, height // 8 + r], fill=(250, 220, 120)
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def page_pdf(
    *,
    issue_date: date,
    issue_number: int,
    page_number: int,
    section: str,
    stories: list[tuple[str, str]],
    width_mm: int = 330,
    height_mm: int = 480,
    photo_px: tuple[int, int] = (2400, 1100),
    photo: bytes | None = None,
) -> bytes:
    """One page: masthead or folio, then each story (title, text) in four columns, a photo."""
    from fpdf import FPDF

    pdf = FPDF(unit="mm", format=(width_mm, height_mm))
    pdf.set_auto_page_break(False)
    for style, path in _font_files().items():
        pdf.add_font("NotoSerif", style, str(path))
    pdf.set_margins(15, 15, 15)
    pdf.add_page()
    when = f"{WEEKDAYS[issue_date.weekday()]}, {issue_date:%d/%m/%Y}"
    if page_number == 1:
        pdf.set_font("NotoSerif", "B", 54)
        pdf.cell(0, 24, MASTHEAD, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("NotoSerif", "", 11)
        pdf.cell(0, 7, f"Số {issue_number} · {when}", align="C", new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.set_font("NotoSerif", "", 10)
        pdf.cell(0, 7, f"{page_number} · {section.upper()} · {when}", new_x="LMARGIN", new_y="NEXT")
    pdf.line(15, pdf.get_y() + 1, width_mm - 15, pdf.get_y() + 1)
    pdf.set_y(pdf.get_y() + 5)
    photo_w = width_mm - 30
    for i, (title, text) in enumerate(stories):
        if pdf.get_y() > height_mm - 60:
            break
        pdf.set_font("NotoSerif", "B", 30 if i == 0 else 20)
        pdf.multi_cell(0, 12 if i == 0 else 9, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(pdf.get_y() + 2)
        if i == 0:
            photo_h = photo_w * photo_px[1] / photo_px[0]
            seed = issue_number * 31 + page_number
            picture = photo or photo_jpeg(*photo_px, seed)
            pdf.image(io.BytesIO(picture), x=15, y=pdf.get_y(), w=photo_w)
            pdf.set_y(pdf.get_y() + photo_h + 4)
        pdf.set_font("NotoSerif", "", 10)
        with pdf.text_columns(
            ncols=4, gutter=5, text_align="J", line_height=1.25, balance=True
        ) as columns:
            for paragraph in text.split("\n\n"):
                columns.write(paragraph + "\n")
        pdf.set_y(pdf.get_y() + 6)
    return bytes(pdf.output())


def encrypted_pdf() -> bytes:
    """A one-page PDF that needs a password to open (for the refusal tests)."""
    from fpdf import FPDF

    pdf = FPDF(unit="mm", format=(210, 297))
    pdf.add_page()
    pdf.add_font("NotoSerif", "", str(_font_files()[""]))
    pdf.set_font("NotoSerif", "", 14)
    pdf.cell(0, 10, "Trang có mật khẩu")
    pdf.set_encryption(owner_password="chu-so-huu", user_password="nguoi-doc")
    return bytes(pdf.output())
