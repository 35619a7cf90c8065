#!/usr/bin/env python3
"""Writes the PDF fixtures for tests/ingest (演示数据). No Debian tool here
creates PDFs, so this writes minimal PDF 1.4 files by hand: a Latin one
(Helvetica), a Chinese one (Type0 font, Identity-H, with a ToUnicode CMap so
text extraction needs no embedded font), one with an /Encrypt dictionary
whose empty user password does not match, and a truncated one."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def pdf(objects, trailer_extra=""):
    """objects: list of bytes bodies for objects 1..n (1 is the catalog)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R {trailer_extra}>>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


def stream(data):
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def document(pages_lines, font_obj, encode):
    """pages_lines: list of pages, each a list of lines. Objects: 1 catalog,
    2 pages, 3 font (+ extras appended by font_obj), then page/content pairs."""
    font_objs = font_obj(3)
    first_page = 3 + len(font_objs)
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(len(pages_lines)))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            f"<< /Type /Pages /Kids [{kids}] /Count {len(pages_lines)} >>".encode()]
    objs += font_objs
    for i, lines in enumerate(pages_lines):
        content = bytearray(b"BT\n/F1 12 Tf\n14 TL\n72 760 Td\n")
        for line in lines:
            content += encode(line) + b" Tj T*\n"
        content += b"ET"
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                    f"/Resources << /Font << /F1 3 0 R >> >> /Contents {first_page + 2 * i + 1} 0 R >>".encode())
        objs.append(stream(bytes(content)))
    return objs


def helvetica(first):
    return [b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]


def latin_encode(line):
    return b"(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1") + b")"


LATIN = [
    [
        "Demo County Government Work Report",
        "",
        "1. Review of the past year",
        "Over the past year the county economy grew steadily and the",
        "regional gross product rose by 5.8 percent (demo data).",
        "New jobs: 3100.",
        "",
        "- 1 -",
    ],
    [
        "2. Targets for the coming year",
        "Growth of about 6 percent, with incomes keeping pace with the",
        "economy (demo data).",
        "- 2 -",
    ],
]


def cid_font(first):
    # 3: Type0 font, 4: CIDFont, 5: descriptor, 6: ToUnicode CMap.
    cmap = (b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            b"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            b"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            b"2 beginbfrange\n<0000> <00FF> <0000>\n<0100> <FFFF> <0100>\nendbfrange\n"
            b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend")
    return [
        b"<< /Type /Font /Subtype /Type0 /BaseFont /DemoSong /Encoding /Identity-H "
        b"/DescendantFonts [4 0 R] /ToUnicode 6 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /DemoSong "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor 5 0 R /DW 1000 /CIDToGIDMap /Identity >>",
        b"<< /Type /FontDescriptor /FontName /DemoSong /Flags 4 /FontBBox [0 -200 1000 900] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
        stream(cmap),
    ]


def cid_encode(line):
    # CIDs are the UTF-16 code units, which the ToUnicode CMap maps to themselves.
    return b"<" + line.encode("utf-16-be").hex().upper().encode() + b">"


CHINESE = [
    [
        "演示县人民政府工作报告",
        "——2024年1月10日在演示县第十八届人民代表大会第三次会议上",
        "一、2023年工作回顾",
        "过去一年，全县经济运行稳中有进，地区生产总值增长",
        "5.8%，一般公共预算收入增长6.2%。",
        "（一）产业发展取得新进展",
        "新建标准化厂房12万平方米（演示数据）。",
    ],
    [
        "二、2024年主要目标",
        "全县地区生产总值增长6%左右，城乡居民人均可支配收入",
        "与经济增长基本同步。",
    ],
]


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


latin = pdf(document(LATIN, helvetica, latin_encode))
write("latin.pdf", latin)
write("chinese.pdf", pdf(document(CHINESE, cid_font, cid_encode)))

# Encrypted: a Standard security handler whose /U does not match the empty
# password, so opening needs a password we do not have.
objs = document(LATIN[:1], helvetica, latin_encode)
objs.append(b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 +
            b"> /P -44 >>")
enc_obj = len(objs)
write("encrypted.pdf.bin", pdf(objs, f"/Encrypt {enc_obj} 0 R /ID [<{'ab' * 16}> <{'ab' * 16}>] "))

write("truncated.pdf.bin", latin[:150])
