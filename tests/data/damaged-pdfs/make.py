"""Regenerate the damaged-PDF fuzz corpus: `python tests/data/damaged-pdfs/make.py`.

Each file is one way a PDF arrives broken: cut off in a download, bytes zeroed by a bad disk,
a cross-reference table pointing nowhere, a page tree that refers to itself, a stream whose
declared length is absurd, a header with nothing behind it. The loader must skip each with a
warning naming the file (or read what it can) and keep every other document.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

HERE = Path(__file__).parent


def good() -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in ["Samenwerking tussen huisarts en gemeente.", "Tweede pagina over bekostiging."]:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def variants(raw: bytes) -> dict[str, bytes]:
    out = {f"truncated-{i}of6.pdf": raw[: len(raw) * i // 6] for i in range(1, 6)}
    for i, pos in enumerate(range(50, len(raw), max(1, len(raw) // 8))):
        flipped = bytearray(raw)
        flipped[pos : pos + 40] = bytes(40)
        out[f"zeroed-{i}.pdf"] = bytes(flipped)
    start = raw.rindex(b"startxref")
    out["xref-beyond-eof.pdf"] = raw[:start] + b"startxref\n99999999\n%%EOF\n"
    out["xref-negative.pdf"] = raw[:start] + b"startxref\n-5\n%%EOF\n"
    out["no-trailer.pdf"] = raw[: raw.rindex(b"trailer")]
    out["header-only.pdf"] = b"%PDF-1.7\n"
    out["empty.pdf"] = b""
    out["not-a-pdf.pdf"] = b"PK\x03\x04 this is a zip file named .pdf" + bytes(200)
    out["huge-stream-length.pdf"] = raw.replace(b"/Length ", b"/Length 9999999999", 1)
    out["self-parent.pdf"] = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[2 0 R]/Count 1>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return out


if __name__ == "__main__":
    for name, data in variants(good()).items():
        (HERE / name).write_bytes(data)
