#!/usr/bin/env python3
"""Write the PDF seeds of fuzz/corpus/pdf: small PDFs written here, object by
object (valid ones, and ones broken in the ways real files are: no xref,
a truncated file, a lying page count, no header), so the seed corpus holds
nothing of uncertain licence.  The odd PDFs of ../shared/data/pdf/odd are
read by scripts/fuzz.sh as extra seeds when present, not copied (their
SOURCES.md entry: third parties' bug attachments inside an Apache-2.0
repository, no licence of their own recorded).

    python3 fuzz/make_pdf_seeds.py fuzz/corpus/pdf
"""
import os
import sys
import zlib


def pdf(objs, xref=True, header=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"):
    out = bytearray(header)
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
        for o in offs:
            out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objs) + 1, len(objs))
    out += b"startxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


def stream(data, deflate=False):
    if deflate:
        data = zlib.compress(data)
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + \
            b"\nendstream"
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def text_pages(texts, count=None, deflate=False):
    n = len(texts)
    kids = b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(n))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count if count else n)]
    font = 3 + 2 * n
    for i, t in enumerate(texts):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                    b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * i, font))
        objs.append(stream(b"BT /F1 12 Tf 72 720 Td (" + t + b") Tj ET", deflate))
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objs.append(b"<< /Title (kgas fuzz seed) /Author (kgas) >>")
    return objs


def main(out):
    os.makedirs(out, exist_ok=True)
    hello = pdf(text_pages([b"Dr. Maria Keller works at the University of Lisbon."]))
    seeds = {
        "hello.pdf": hello,
        "two-pages-deflate.pdf": pdf(text_pages([b"Alan Turing, Bletchley Park.",
                                                  b"Grace Hopper wrote a compiler."],
                                                 deflate=True)),
        "no-xref.pdf": pdf(text_pages([b"No xref table here."]), xref=False),
        "truncated.pdf": hello[:len(hello) // 2],
        "lying-count.pdf": pdf(text_pages([b"One page, says 999999."], count=999999)),
        "no-header.pdf": pdf(text_pages([b"No header."]), header=b""),
        "empty-page.pdf": pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
                               b"<< >>"]),
        "garbage.pdf": b"%PDF-1.7\n\x00\x01\x02 not a pdf at all \xff\xfe\n%%EOF\n",
    }
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "fuzz/corpus/pdf")
