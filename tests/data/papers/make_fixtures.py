#!/usr/bin/env python3
"""Write the small PDFs the paper-reader tests use (tests/unit/test_paper_pdf.c).

    python3 tests/data/papers/make_fixtures.py [OUTDIR]   (default: this folder)

No PDF library is needed: the files are written by hand with the standard
Type 1 fonts (Times, Helvetica: every PDF reader has their metrics), one
text object per line, so the layout is exactly what this script says:

  twocol.pdf      3 pages: a title, authors with superscript marks,
                  affiliations, e-mails, an abstract and keywords across the
                  page; then two columns with numbered headings, a word
                  hyphenated at a line end, a paragraph that runs on from
                  the left column into the right one with a footnote and a
                  figure caption between, a display equation, citations
                  ("[1]", "[2, 3]", "[4-6]"), an acronym definition, a
                  running header and page numbers on every page; page 3 holds
                  a numbered bibliography in two columns, one entry broken
                  across them.  The metadata title is junk ("Microsoft Word -
                  draft.doc"), which must not be taken.
  authoryear.pdf  1 page, one column: author-year text citations and a
                  bibliography with hanging indents (no labels).
  ieee.pdf        1 page, two columns: an IEEE-style bibliography ("[1] A.
                  Author and B. Author, “Title,” in Proc. ..., 2001, pp. 1-10.").

The output is deterministic (no dates, no ids): running the script again gives
the same bytes.
"""
import os
import sys

W, H = 612, 792
FONTS = {"R": "Times-Roman", "B": "Times-Bold", "I": "Times-Italic", "H": "Helvetica",
         "S": "Symbol"}


def esc(s):
    b = s.encode("cp1252")
    out = bytearray()
    for c in b:
        if c in b"()\\":
            out += b"\\" + bytes([c])
        else:
            out.append(c)
    return bytes(out)


class Page:
    def __init__(self):
        self.ops = []

    def line(self, x, y, runs):
        """runs: [(text, font, size, rise)]; y from the top of the page."""
        ops = [b"BT", b"%.2f %.2f Td" % (x, H - y)]
        for text, font, size, rise in runs:
            ops.append(b"/%s %.1f Tf %.1f Ts (" % (font.encode(), size, rise) + esc(text) + b") Tj")
        ops.append(b"ET")
        self.ops.append(b" ".join(ops))

    def text(self, x, y, s, font="R", size=10):
        self.line(x, y, [(s, font, size, 0)])

    def lines(self, x, y, lines, font="R", size=10, lead=12, indent=0):
        for i, s in enumerate(lines):
            self.text(x + (indent if i == 0 else 0), y + i * lead, s, font, size)
        return y + len(lines) * lead


def wrap(text, width):
    words, lines, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = (cur + " " + w) if cur else w
    if cur:
        lines.append(cur)
    return lines


def write_pdf(path, pages, title):
    objs = []

    def add(b):
        objs.append(b)
        return len(objs)

    catalog = add(None)
    pages_id = add(None)
    font_ids = {k: add(b"<< /Type /Font /Subtype /Type1 /BaseFont /%s%s >>" % (
        v.encode(), b"" if v == "Symbol" else b" /Encoding /WinAnsiEncoding")) for k, v in FONTS.items()}
    fonts = b" ".join(b"/%s %d 0 R" % (k.encode(), i) for k, i in font_ids.items())
    kids = []
    for p in pages:
        stream = b"\n".join(p.ops)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] "
                        b"/Resources << /Font << %s >> >> /Contents %d 0 R >>"
                        % (pages_id, W, H, fonts, content)))
    objs[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objs[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    info = add(b"<< /Title (" + esc(title) + b") /Producer (kgas make_fixtures.py) >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, catalog, info, xref)
    with open(path, "wb") as f:
        f.write(out)


LEFT, RIGHT, COLW = 54, 318, 48  # column x positions and width in characters


def furniture(p, number):
    if number > 1:
        p.text(54, 40, "J. Fixture Stud. 12 (2026) 101-103", "I", 8)
        p.text(450, 40, "Zhang, Ortega and Mendes", "I", 8)
    p.text(300, 760, str(number), "R", 9)


def twocol(path):
    p1, p2, p3 = Page(), Page(), Page()
    furniture(p1, 1)
    p1.text(110, 80, "Layout Fixtures for a Careful Reader", "B", 18)
    p1.text(150, 102, "of Two-Column Scientific Papers", "B", 18)
    p1.line(190, 132, [("Alice Zhang", "R", 12, 0), ("1", "R", 7, 5), (", Bob Ortega", "R", 12, 0),
                       ("2", "R", 7, 5), (" and Carla Mendes", "R", 12, 0), ("1", "R", 7, 5)])
    p1.line(140, 152, [("1", "R", 6, 4), ("Department of Physics, University of Testland, Testville, Testonia",
                                            "R", 9, 0)])
    p1.line(170, 164, [("2", "R", 6, 4), ("Institute of Fixtures, Sample City, Examplia", "R", 9, 0)])
    p1.text(190, 176, "alice.zhang@testland.edu, bob.ortega@fixtures.org", "R", 9)
    p1.text(54, 204, "Abstract", "B", 11)
    y = p1.lines(54, 220, wrap(
        "We describe a set of small documents made to test how a reader of papers "
        "recovers the structure of a page: the title, the authors and their affiliations, "
        "the order of two columns, the words broken at the end of a line, the notes, captions "
        "and formulas that are not prose, and a bibliography whose entries are linked to the "
        "sentences that cite them.", 100), "R", 10)
    p1.line(54, y + 6, [("Keywords: ", "B", 10, 0),
                        ("layout analysis, reading order, bibliographies", "R", 10, 0)])
    # left column
    p1.text(LEFT, 300, "1 Introduction", "B", 11)
    y = p1.lines(LEFT, 318, [
        "Reading a paper is more than reading its words. The",
        "Portable Document Format (PDF) keeps where each",
        "glyph stands, not which sentence it belongs to, so",
        "the knowl-",
        "edge of the page has to be rebuilt [1]. Earlier work",
        "did this with learned models [2, 3] and with rules",
        "over the boxes of the characters [4-6].",
    ], "R", 10, 12, indent=12)
    y = p1.lines(LEFT, y + 2, [
        "A paragraph may run from the bottom of the left",
        "column into the top of the right one, and the",
        "sentence that is cut there must come out whole in",
    ], "R", 10, 12, indent=12)
    p1.text(LEFT, 640, "\u00b9 This note stands at the foot of the left column.", "R", 7)
    # right column
    p1.lines(RIGHT, 300, [
        "the text, with the note and the figure caption",
        "that stand between its halves put after it.",
    ], "R", 10, 12)
    p1.text(RIGHT, 340, "Figure 1: A caption is not prose and is kept apart.", "R", 9)
    p1.lines(RIGHT, 366, [
        "The energy of a body at rest is given by the",
        "relation below, which a reader must not take for",
        "a sentence of the text:",
    ], "R", 10, 12, indent=12)
    p1.line(RIGHT + 80, 410, [("E", "I", 11, 0), (" = ", "R", 11, 0), ("mc", "I", 11, 0),
                              ("2", "R", 7, 5), (" + ", "R", 11, 0), ("a", "S", 11, 0)])  # Symbol "a": alpha
    p1.text(540, 410, "(1)", "R", 10)
    p1.lines(RIGHT, 432, wrap(
        "Section 2 describes the data and Section 3 the results; the bibliography "
        "closes the paper as it should.", COLW), "R", 10, 12, indent=12)

    furniture(p2, 2)
    p2.text(LEFT, 70, "2 Methods", "B", 11)
    p2.text(LEFT, 88, "2.1 Data", "B", 10)
    p2.lines(LEFT, 104, wrap(
        "The documents were written by a short script that places every line itself, "
        "so the expected answer is known exactly. Each page carries a running header "
        "and a page number, which are furniture and must be left out of the text. "
        "The method follows a classic account of reading order [5].", COLW), "R", 10, 12,
        indent=12)
    p2.text(RIGHT, 70, "3 Results", "B", 11)
    p2.lines(RIGHT, 88, wrap(
        "Every part of the page was found where it was put, as the tests of this "
        "repository check line by line; nothing was guessed.", COLW), "R", 10, 12, indent=12)

    furniture(p3, 3)
    p3.text(LEFT, 70, "References", "B", 11)
    refs_l = [
        ["[1] A. Author, B. Writer, Reading pages by layout,", "J. Doc. Anal. 3 (2001) 1-10."],
        ["[2] C. Learner, Header extraction with conditional", "random fields, in: Proc. JCDL, 2003, pp. 37-48."],
        ["[3] D. Parser, E. Tagger, Citation parsing at scale,", "Scientometrics 90 (2012) 1-20."],
        ["[4] F. Cutter, Recursive XY cuts, Pattern Recognit.",
         "27 (1994) 1275-1290, doi:10.1016/0031-3203(94)"],
    ]
    y = 88
    for r in refs_l:
        y = p3.lines(LEFT, y, r, "R", 9, 11) + 3
    # entry 4 continues at the top of the right column
    y = p3.lines(RIGHT, 88, ["90007-D."], "R", 9, 11) + 3
    for r in [["[5] G. Order, H. Reader, Reading order detection,", "arXiv:1203.4567, 2012."],
              ["[6] I. Final, The last entry, Technical report, Univ.", "of Testland, 2020."]]:
        y = p3.lines(RIGHT, y, r, "R", 9, 11) + 3
    write_pdf(path, [p1, p2, p3], "Microsoft Word - draft.doc")


def authoryear(path):
    p = Page()
    p.text(140, 80, "A Note on Citations by Author and Year", "B", 16)
    p.text(250, 104, "Dana Whitfield", "R", 12)
    p.text(215, 118, "University of Samplefield, Testonia", "R", 9)
    p.text(54, 150, "1 Introduction", "B", 11)
    y = p.lines(54, 168, [
        "Layout analysis is old (Nagy and Seth, 1984; Okun et al., 1999), and so is the",
        "parsing of references, as Councill et al. (2008) showed with a learned model. Later",
        "systems (Lopez, 2009) joined the two; see also Tkaczyk et al. (2015a) and",
        "Tkaczyk et al. (2015b) for the trade-offs.",
    ], "R", 10, 12, indent=12)
    p.text(54, y + 12, "References", "B", 11)
    y += 30
    refs = [
        ["Councill IG, Giles CL, Kan MY (2008). \u201cParsCit: An Open-source CRF Reference String",
         "Parsing Package.\u201d In Proceedings of LREC 2008, pp. 661\u2013667."],
        ["Lopez P (2009). \u201cGROBID: Combining Automatic Bibliographic Data Recognition and Term",
         "Extraction for Scholarship Publications.\u201d In Research and Advanced Technology for",
         "Digital Libraries, pp. 473\u2013474. Springer."],
        ["Nagy G, Seth S (1984). \u201cHierarchical Representation of Optically Scanned Documents.\u201d",
         "In Proceedings of the 7th International Conference on Pattern Recognition, pp. 347\u2013349."],
        ["Okun O, Pietik\u00e4inen M, Sauvola J (1999). \u201cDocument Skew Estimation Without Angle",
         "Range Restriction.\u201d International Journal on Document Analysis and Recognition, 2(2),",
         "132\u2013144."],
        ["Tkaczyk D, Szostek P, Fedoryszak M, Dendek PJ, Bolikowski L (2015a). \u201cCERMINE:",
         "Automatic Extraction of Structured Metadata from Scientific Literature.\u201d International",
         "Journal on Document Analysis and Recognition, 18(4), 317\u2013335."],
        ["Tkaczyk D, Tarnawski B, Bolikowski L (2015b). \u201cStructured Affiliations Extraction from",
         "Scientific Literature.\u201d D-Lib Magazine, 21(11/12)."],
    ]
    for r in refs:
        for i, s in enumerate(r):
            p.text(54 + (14 if i else 0), y, s, "R", 9)
            y += 11
        y += 2
    write_pdf(path, [p], "A Note on Citations by Author and Year")


def ieee(path):
    p = Page()
    p.text(120, 80, "Routing Fixtures for Sensor Networks", "B", 18)
    p.text(150, 106, "Erin Okafor", "R", 11)
    p.text(360, 106, "Farid Haddad", "R", 11)
    p.text(120, 120, "Dept. of Networks, Testland Institute", "R", 9)
    p.text(330, 120, "School of Computing, Examplia University", "R", 9)
    p.text(150, 132, "erin.okafor@testland.org", "R", 9)
    p.text(355, 132, "haddad@examplia.edu", "R", 9)
    p.text(LEFT, 160, "I. INTRODUCTION", "R", 10)
    p.lines(LEFT, 176, wrap(
        "Routing in mobile sensor networks has been studied widely [1], [2], and zone based "
        "schemes reduce the control traffic [3]. Geographic methods [4]-[6] need positions.",
        COLW), "R", 10, 12, indent=10)
    p.text(RIGHT, 160, "REFERENCES", "R", 10)
    refs = [
        ["[1] P. Levis and A. Tavakoli, \u201cOverview of existing", "routing protocols for low power networks,\u201d",
         "IETF draft, 2008."],
        ["[2] K. Akkaya and M. Younis, \u201cA survey on routing", "protocols for wireless sensor networks,\u201d Ad Hoc",
         "Networks, vol. 3, no. 3, pp. 325-349, 2005."],
        ["[3] B. Karp and H. T. Kung, \u201cGPSR: greedy perimeter", "stateless routing for wireless networks,\u201d in",
         "Proc. MobiCom, 2000, pp. 243-254."],
        ["[4] F. Ye, A. Chen, S. Lu, and L. Zhang, \u201cA scalable", "solution to minimum cost forwarding,\u201d in Proc.",
         "ICCCN, 2001, pp. 304-309."],
        ["[5] Y. Yu, R. Govindan, and D. Estrin, \u201cGeographical", "and energy aware routing,\u201d UCLA, Tech. Rep.",
         "TR-01-0023, 2001."],
        ["[6] D. Niculescu and B. Nath, \u201cAd hoc positioning", "system (APS),\u201d in Proc. GLOBECOM, 2001,",
         "vol. 5, pp. 2926-2931, doi:10.1109/GLOCOM.2001.965964."],
    ]
    y = 176
    for r in refs:
        for i, s in enumerate(r):
            p.text(RIGHT + (12 if i else 0), y, s, "R", 8)
            y += 10
        y += 2
    write_pdf(path, [p], "")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    twocol(os.path.join(out, "twocol.pdf"))
    authoryear(os.path.join(out, "authoryear.pdf"))
    ieee(os.path.join(out, "ieee.pdf"))


if __name__ == "__main__":
    main()
