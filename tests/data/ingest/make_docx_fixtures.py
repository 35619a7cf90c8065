#!/usr/bin/env python3
"""Writes the DOCX fixtures for tests/ingest (演示数据) with Python's zipfile:
a normal report with heading styles, odd archives, and hostile ones."""
import io
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
</Types>"""

RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""

# Chinese Word names heading styles "heading 1" with numeric ids; some
# templates use an outline level on a custom style instead.
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {W}>
<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/></w:style>
<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="a"/></w:style>
<w:style w:type="paragraph" w:styleId="a3"><w:name w:val="Title"/><w:basedOn w:val="a"/></w:style>
<w:style w:type="paragraph" w:styleId="Custom"><w:name w:val="演示小标题"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
</w:styles>"""


def para(text, style=None, runs=None):
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    if runs is None:
        runs = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
    return f"<w:p>{ppr}{runs}</w:p>"


def document(paras):
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document {W} {MC}><w:body>{"".join(paras)}<w:sectPr/></w:body></w:document>')


REPORT = [
    para("演示县人民政府工作报告", "a3"),
    para("——2024年1月10日在演示县第十八届人民代表大会第三次会议上"),
    para("各位代表：", runs='<w:r><w:t>各位</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>代表：</w:t></w:r>'),
    para("工作回顾", "1"),
    para("过去一年，全县经济运行稳中有进。（演示数据）"),
    para("产业发展", "2"),
    para("新建标准化厂房12万平方米。", runs=(
        '<w:r><w:t>新建标准化厂房</w:t></w:r>'
        '<w:del><w:r><w:delText>删除的文字</w:delText></w:r></w:del>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:t>12万平方米。</w:t></w:r>'
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:t></w:t></mc:Choice>'
        '<mc:Fallback><w:t>备用内容重复</w:t></mc:Fallback></mc:AlternateContent></w:r>')),
    para("（一）民生保障持续加强"),
    para("演示小标题", "Custom"),
    para("两行文字", runs='<w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t></w:r>'),
    '<w:tbl><w:tr><w:tc>' + para("表格单元一") + '</w:tc><w:tc>' + para("表格单元二") + '</w:tc></w:tr></w:tbl>',
    para("二、2024年主要目标"),
    para("全县地区生产总值增长6%左右。"),
]


def write_zip(name, entries, compression=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for entry_name, data in entries:
            info = zipfile.ZipInfo(entry_name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = compression
            z.writestr(info, data)
    data = buf.getvalue()
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
    return data


normal = write_zip("report.docx", [
    ("[Content_Types].xml", CONTENT_TYPES),
    ("_rels/.rels", RELS),
    ("word/document.xml", document(REPORT)),
    ("word/styles.xml", STYLES),
])

# Odd archive: backslash separators and upper case, a GBK-named entry
# without the UTF-8 flag, no [Content_Types].xml, no styles.
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr(zipfile.ZipInfo("WORD\\Document.xml", date_time=(2024, 1, 1, 0, 0, 0)),
               document([para("演示区统计公报"), para("一、综合"), para("全区经济平稳。（演示数据）")]))
    gbk_name = zipfile.ZipInfo("附件.txt", date_time=(2024, 1, 1, 0, 0, 0))
    z.writestr(gbk_name, "演示附件")
raw = bytearray(buf.getvalue())
# Rewrite the UTF-8 entry name as GBK bytes and clear the UTF-8 flag (bit 11)
# in both headers, as old Chinese zip tools do. Same length: 附件 is 6 bytes in
# UTF-8 and 4 in GBK, so pad the GBK name with "__".
utf8_name = "附件.txt".encode("utf-8")
gbk = "附件".encode("gbk") + b"__.txt"
assert len(gbk) == len(utf8_name)
raw = raw.replace(utf8_name, gbk)
for sig, flag_off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
    pos = raw.find(sig)
    while pos >= 0:
        flags = int.from_bytes(raw[pos + flag_off:pos + flag_off + 2], "little") & ~0x800
        raw[pos + flag_off:pos + flag_off + 2] = flags.to_bytes(2, "little")
        pos = raw.find(sig, pos + 4)
# The CRCs cover content, not names, so the archive stays valid.
with open(os.path.join(HERE, "odd_names.docx"), "wb") as f:
    f.write(bytes(raw))

# Truncated: the first half of a valid file.
with open(os.path.join(HERE, "truncated.docx.bin"), "wb") as f:
    f.write(normal[: len(normal) // 2])

# Zip bomb: 64 MiB of spaces inside document.xml compress ~1000:1.
bomb_xml = document([para("演示")]).replace("<w:sectPr/>", " " * (64 << 20) + "<w:sectPr/>")
write_zip("bomb.docx.bin", [("[Content_Types].xml", CONTENT_TYPES), ("word/document.xml", bomb_xml)])

# Billion laughs: entity expansion in document.xml.
laughs = '<?xml version="1.0"?>\n<!DOCTYPE w:document [\n<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">\n'
for i in range(1, 10):
    prev = chr(ord("a") + i - 1)
    laughs += f'<!ENTITY {chr(ord("a") + i)} "{("&" + prev + ";") * 10}">\n'
laughs += f']>\n<w:document {W}><w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>'
write_zip("entities.docx.bin", [("[Content_Types].xml", CONTENT_TYPES), ("word/document.xml", laughs)])

# A zip that is not a DOCX.
write_zip("not_docx.docx.bin", [("readme.txt", "演示")])
