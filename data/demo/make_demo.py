#!/usr/bin/python3
"""Writes baogao's demo reports (演示数据) into data/demo/reports/.

Every text here is the project's own writing, composed from the templates
below with deterministic numbers; the reports name real regions (so that
region resolution can be demonstrated) but are not any government's words,
and every one says 演示数据 in its title and first paragraph.

Formats, as the importers must take them: HTML pages with full site chrome
(three site styles, one of them GB2312-encoded), GB18030 plain text, DOCX and
PDF. Usage: /usr/bin/python3 data/demo/make_demo.py [--out DIR]
"""
import argparse
import hashlib
import html
import io
import os
import random
import zipfile

# (code, full name, short name, level, parent names for titles)
REGIONS = [
    ("370000", "山东省", "山东", "province", ""),
    ("371400", "德州市", "德州", "prefecture", "山东省"),
    ("371403", "陵城区", "陵城", "county", "山东省德州市"),
    ("330000", "浙江省", "浙江", "province", ""),
    ("330100", "杭州市", "杭州", "prefecture", "浙江省"),
    ("330106", "西湖区", "西湖", "county", "浙江省杭州市"),
    ("510000", "四川省", "四川", "province", ""),
    ("510100", "成都市", "成都", "prefecture", "四川省"),
    ("510117", "郫都区", "郫都", "county", "四川省成都市"),
    ("410000", "河南省", "河南", "province", ""),
    ("410300", "洛阳市", "洛阳", "prefecture", "河南省"),
    ("410324", "栾川县", "栾川", "county", "河南省洛阳市"),
    ("440000", "广东省", "广东", "province", ""),
    ("440600", "佛山市", "佛山", "prefecture", "广东省"),
    ("440605", "南海区", "南海", "county", "广东省佛山市"),
    ("610000", "陕西省", "陕西", "province", ""),
    ("610300", "宝鸡市", "宝鸡", "prefecture", "陕西省"),
    ("610326", "眉县", "眉县", "county", "陕西省宝鸡市"),
    ("220000", "吉林省", "吉林", "province", ""),
    ("222400", "延边朝鲜族自治州", "延边", "prefecture", "吉林省"),
]

NOTE = "【演示数据】本文由 baogao 项目自行撰写，用于演示和测试，不是任何政府的真实文件。"

REVIEW = [
    "过去一年，{n}坚持稳中求进工作总基调，地区生产总值完成{gdp}亿元，同比增长{g}%；一般公共预算收入完成{rev}亿元，增长{r}%。",
    "产业结构持续优化，规模以上工业增加值增长{i}%，高新技术产业产值占规模以上工业总产值比重提高到{ht}%。",
    "深化放管服改革，推行一网通办和最多跑一次，新增市场主体{firms}户，企业开办时间压缩至{days}个工作日。",
    "全面推行河长制、林长制，PM2.5平均浓度下降到{pm}微克/立方米，空气质量优良天数比例达到{good}%。",
    "民生保障更加有力，城镇新增就业{jobs}万人，城镇调查失业率控制在{u}%以内，居民人均可支配收入增长{inc}%。",
    "在{m}所学校食堂推广明厨亮灶，坚持和发展新时代枫桥经验，化解矛盾纠纷{disp}件。",
    "实施乡村振兴战略，建成高标准农田{farm}万亩，粮食总产量稳定在{grain}万吨以上。",
    "营商环境持续改善，办理建筑许可、获得电力等事项平均用时分别压缩{cut}%和{cut2}%。",
]
TARGETS = [
    "地区生产总值增长{tg}%左右，一般公共预算收入增长{tr}%，城镇新增就业{tj}万人以上。",
    "居民消费价格涨幅{cpi}%左右，居民收入增长与经济增长基本同步，单位地区生产总值能耗下降{en}%。",
]
TASKS = [
    "着力扩大有效投资，全年实施重点项目{proj}个，完成投资{inv}亿元。",
    "着力推动高质量发展，培育专精特新企业{sp}家，数字经济核心产业增加值增长{dg}%。",
    "着力保障和改善民生，新建改建中小学{sch}所，新增养老床位{bed}张。",
    "着力建设美丽{s}，完成造林{tree}万亩，农村生活污水治理率达到{sew}%。",
]
STATS = [
    "初步核算，全年{n}地区生产总值{gdp}亿元，按不变价格计算，比上年增长{g}%。",
    "其中，第一产业增加值{a1}亿元，增长{g1}%；第二产业增加值{a2}亿元，增长{g2}%；第三产业增加值{a3}亿元，增长{g3}%。",
    "年末常住人口{pop}万人，城镇化率{urb}%，比上年末提高{du}个百分点。",
    "全年居民消费价格比上年上涨{cpi}%，社会消费品零售总额{retail}亿元，增长{rg}%。",
    "全年城镇新增就业{jobs}万人，城镇调查失业率{u}%。全体居民人均可支配收入{inc_abs}元，增长{inc}%。",
    "全年粮食总产量{grain}万吨，比上年增长{gg}%；规模以上工业增加值增长{i}%。",
]
PLAN = [
    "“十四五”时期，{n}经济社会发展的主要目标是：地区生产总值年均增长{tg}%左右，研发经费投入强度达到{rd}%。",
    "到二〇三五年，基本实现社会主义现代化，人均地区生产总值达到中等发达国家水平。",
    "坚持创新驱动发展，建设区域科技创新中心，规模以上工业企业研发机构覆盖率达到{rdc}%。",
    "推进以人为核心的新型城镇化，常住人口城镇化率达到{urb}%，完成城镇老旧小区改造{old}个。",
    "持续改善生态环境质量，PM2.5平均浓度控制在{pm}微克/立方米以内，地表水达到或好于Ⅲ类水体比例达到{water}%。",
]

HEADS_REPORT = ["一、{y0}年工作回顾", "二、{y}年主要目标", "三、{y}年重点工作"]
HEADS_PLAN = ["第一章　发展基础与环境", "第二章　总体要求和主要目标", "第三章　重点任务"]


def numbers(rng, scale):
    r1 = lambda a, b: round(rng.uniform(a, b), 1)
    return dict(
        gdp=round(rng.uniform(0.4, 1.6) * scale, 1), g=r1(3.5, 8.5), rev=round(rng.uniform(0.05, 0.12) * scale, 1),
        r=r1(1.0, 9.0), i=r1(3.0, 11.0), ht=r1(30, 65), firms=rng.randint(800, 90000), days=rng.randint(1, 3),
        pm=rng.randint(22, 48), good=r1(65, 95), jobs=r1(0.3, 120.0), u=r1(4.5, 5.5), inc=r1(4.0, 8.0),
        m=rng.randint(40, 3000), disp=rng.randint(100, 20000), farm=r1(2, 300), grain=r1(10, 5500),
        cut=rng.randint(20, 60), cut2=rng.randint(20, 60), tg=rng.choice([5, 5.5, 6, 6.5, 7]),
        tr=rng.choice([3, 4, 5, 6]), tj=r1(0.2, 110), cpi=rng.choice([2, 3]), en=r1(2.0, 3.5),
        proj=rng.randint(20, 600), inv=round(rng.uniform(0.1, 0.6) * scale, 1), sp=rng.randint(5, 900),
        dg=r1(6, 15), sch=rng.randint(3, 200), bed=rng.randint(100, 20000), tree=r1(0.5, 80), sew=rng.randint(40, 95),
        a1=round(scale * rng.uniform(0.03, 0.1), 1), a2=round(scale * rng.uniform(0.3, 0.45), 1),
        a3=round(scale * rng.uniform(0.45, 0.6), 1), g1=r1(2, 5), g2=r1(3, 9), g3=r1(4, 9),
        pop=r1(20, 10000), urb=r1(45, 80), du=r1(0.4, 1.5), retail=round(scale * rng.uniform(0.3, 0.5), 1),
        rg=r1(2, 10), inc_abs=rng.randint(18000, 70000), gg=r1(-2, 4), rd=r1(1.5, 3.2), rdc=rng.randint(40, 80),
        old=rng.randint(30, 4000), water=rng.randint(70, 98))


def compose(region, kind, year, rng):
    code, name, short, level, parents = region
    scale = {"province": 60000, "prefecture": 3000, "county": 300}[level]
    v = numbers(rng, scale)
    v.update(n=name, s=short, y=year, y0=year - 1)
    place = f"{parents}{name}" if parents else name
    if kind == "baogao":
        title = f"{place}人民政府工作报告（演示数据）"
        subtitle = f"——{year}年1月{rng.randint(6, 28)}日在{name}第{rng.choice('十十十四')}届人民代表大会第{rng.choice('一二三四五')}次会议上"
        paras = [(0, NOTE), (1, HEADS_REPORT[0].format(**v))]
        paras += [(0, t.format(**v)) for t in rng.sample(REVIEW, 5)]
        paras += [(1, HEADS_REPORT[1].format(**v))] + [(0, t.format(**v)) for t in TARGETS]
        paras += [(1, HEADS_REPORT[2].format(**v))]
        for k, t in enumerate(rng.sample(TASKS, 3)):
            paras += [(2, f"（{'一二三'[k]}）{t.format(**v)[:-1].split('，')[0]}"), (0, t.format(**v))]
    elif kind == "gongbao":
        title = f"{place}{year}年国民经济和社会发展统计公报（演示数据）"
        subtitle = f"{name}统计局　{year + 1}年3月{rng.randint(1, 28)}日"
        paras = [(0, NOTE), (1, "一、综合")] + [(0, t.format(**v)) for t in STATS[:3]]
        paras += [(1, "二、民生")] + [(0, t.format(**v)) for t in STATS[3:]]
    else:
        title = f"{place}国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要（演示数据）"
        subtitle = f"{year}年2月{rng.randint(1, 28)}日{name}第{rng.choice('十十四')}届人民代表大会第{rng.choice('四五六')}次会议批准"
        paras = [(0, NOTE)]
        for k, h in enumerate(HEADS_PLAN):
            paras.append((1, h))
            paras.append((0, PLAN[k].format(**v)))
        paras += [(0, t.format(**v)) for t in PLAN[3:]]
    return title, subtitle, paras


SITES = [("博县资料网", "www.example-bx.cn"), ("地方报告库", "baogao.example.org"), ("政务文献站", "zwwx.example.net")]
MACRO_ALL = {}
for _m, _codes in [("huabei", "11 12 13 14 15"), ("dongbei", "21 22 23"), ("huadong", "31 32 33 34 35 36 37"),
                   ("huazhong", "41 42 43"), ("huanan", "44 45 46"), ("xinan", "50 51 52 53 54"),
                   ("xibei", "61 62 63 64 65")]:
    for _c in _codes.split():
        MACRO_ALL[_c] = _m
MACRO = MACRO_ALL


def html_page(title, subtitle, paras, year, site, style, rid, kind, code):
    name, host = site
    body = []
    for level, text in paras:
        t = html.escape(text)
        if style == 0:  # old table-layout CMS: <p> with full-width indentation
            body.append(f"<p>&nbsp;&nbsp;&nbsp;&nbsp;{t}</p>" if level == 0 else f"<p><strong>{t}</strong></p>")
        elif style == 1:  # modern div layout with headings
            body.append(f"<p class=\"para\">{t}</p>" if level == 0 else f"<h{level + 1}>{t}</h{level + 1}>")
        else:  # text split by <br>
            body.append(("　　" + t if level == 0 else t) + "<br/>")
    permalink = f"/{kind}/{MACRO[code[:2]]}/{rid}.html"
    nav = "".join(f'<li><a href="/{k}/">{v}</a></li>' for k, v in [("baogao", "政府工作报告"), ("gongbao", "统计公报"), ("guihua", "发展规划"), ("region", "按地区浏览")])
    related = "".join(f'<li><a href="/baogao/huadong/{rid + k}.html">相关报告示例{k}（演示数据）</a></li>' for k in range(1, 4))
    charset = "gb2312" if style == 0 else "utf-8"
    main = "\n".join(body)
    if style == 0:
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}"/>
<title>{html.escape(title)}_{name}</title></head>
<body><table width="980" align="center"><tr><td>
<div class="top"><a href="/">首页</a> | <a href="/login.php">登录</a> | <a href="/reg.php">注册</a></div>
<div class="menu">导航菜单<ul>{nav}</ul></div>
<table><tr><td class="position">您的位置：<a href="/">{name}</a> &gt; <a href="/{kind}/">报告</a> &gt; 正文</td></tr></table>
<table width="100%"><tr><td class="title"><h1>{html.escape(title)}</h1></td></tr>
<tr><td class="info">来源：{name}　时间：{year}-02-{10 + rid % 18}　字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>　点击：{rid * 7 % 991}</td></tr>
<tr><td class="content"><p align="center">{html.escape(subtitle)}</p>
{main}
</td></tr></table>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a>　<a href="javascript:window.print()">打印本页</a>　<a href="javascript:window.close()">关闭窗口</a></div>
<div class="related"><h3>相关报道</h3><ul>{related}</ul></div>
<div class="notice">本文仅代表作者观点，不代表本站立场。本站展示的报告可能并不完整，请以官方网站发布的版本为准；如有侵权，请联系本站处理。</div>
<div>本文地址：{permalink}</div>
<div class="comment"><h3>留言与评论（共有 0 条评论）</h3><form action="/comment.php" method="post"><textarea name="msg"></textarea>
验证码：<input name="vdcode"/><img src="/vdimg.php"/><input type="submit" value="发表评论"/></form></div>
<div class="footer">Copyright © {name} 版权所有 | <a href="/about.html">关于我们</a> | <a href="/contact.html">联系我们</a></div>
</td></tr></table></body></html>
""", charset
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)} - {name}</title>
<script>var _hmt = _hmt || [];</script><style>.para{{text-indent:2em}}</style></head>
<body>
<header><div class="logo">{name}</div><nav aria-label="导航菜单"><ul>{nav}</ul></nav>
<form class="search" action="/search"><input name="q" placeholder="搜索报告"><button>搜索</button></form></header>
<div class="breadcrumb"><a href="/">首页</a> › <a href="/{kind}/">报告</a> › 正文</div>
<main><article>
<h1 class="article-title">{html.escape(title)}</h1>
<div class="meta"><span>来源：{name}</span><span>发布时间：{year}-01-{10 + rid % 18}</span><span>字号：<a>大</a><a>中</a><a>小</a></span></div>
<div class="subtitle">{html.escape(subtitle)}</div>
<div class="article-body">
{main}
</div>
<figure><img src="/img/{rid}.jpg"><figcaption>图为会议现场（演示图片说明）</figcaption></figure>
</article>
<aside><div class="share">分享：<a>微信</a><a>微博</a><a>QQ空间</a></div>
<section class="related"><h2>相关阅读</h2><ul>{related}</ul></section></aside></main>
<section class="disclaimer">免责声明：本文仅代表作者观点，不代表本站立场。报告类信息本站展示并非全部完整，建议到相关地区政府官网浏览完整版本。</section>
<p>本文地址：{permalink}</p>
<section id="comments"><h2>留言与评论（共有 3 条评论）</h2><form method="post">昵称：<input name="nick">
<textarea name="body"></textarea>验证码：<input name="captcha"><button>提交</button></form></section>
<footer>© {name} · <a href="/sitemap.xml">网站地图</a> · 京ICP备00000000号（演示）</footer>
<script src="/js/stat.js"></script></body></html>
""", charset


def docx_bytes(title, subtitle, paras):
    def run(t):
        return f'<w:r><w:t xml:space="preserve">{html.escape(t, quote=False)}</w:t></w:r>'
    ps = [f'<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr>{run(title)}</w:p>', f"<w:p>{run(subtitle)}</w:p>"]
    for level, text in paras:
        style = f'<w:pPr><w:pStyle w:val="Heading{level}"/></w:pPr>' if level else ""
        ps.append(f"<w:p>{style}{run(text)}</w:p>")
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
           + "".join(ps) + "</w:body></w:document>")
    styles = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
              + "".join(f'<w:style w:type="paragraph" w:styleId="Heading{k}"><w:name w:val="heading {k}"/>'
                        f'<w:pPr><w:outlineLvl w:val="{k - 1}"/></w:pPr></w:style>' for k in (1, 2, 3))
              + '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style></w:styles>')
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/_rels/document.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
        "word/document.xml": doc,
        "word/styles.xml": styles,
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, content.encode("utf-8"))
    return buf.getvalue()


def pdf_bytes(title, subtitle, paras):
    """A minimal PDF whose text extracts exactly: a Type0 font with
    Identity-H encoding and a ToUnicode map that sends each 2-byte code to
    the same BMP code point. The font (STSong-Light) is not embedded."""
    lines = [title, subtitle] + [text for _, text in paras]
    wrapped = []
    for line in lines:  # 30 characters per printed line, as a PDF wraps
        while len(line) > 30:
            wrapped.append(line[:30])
            line = line[30:]
        wrapped.append(line)
        wrapped.append("")
    pages = [wrapped[i:i + 44] for i in range(0, len(wrapped), 44)]
    objs = {}
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    cmap = ["/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
            "1 begincodespacerange <0000> <FFFF> endcodespacerange", "100 beginbfrange"]
    for hi in range(256):
        if hi and hi % 100 == 0:
            cmap += ["endbfrange", f"{min(100, 256 - hi)} beginbfrange"]
        cmap.append(f"<{hi:02X}00> <{hi:02X}FF> <{hi:02X}00>")
    cmap += ["endbfrange", "endcmap CMapName currentdict /CMap defineresource pop end end"]
    cmap_data = "\n".join(cmap).encode()
    objs[3] = b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>"
    objs[4] = b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 6 0 R /DW 1000 /W [32 126 500] >>"
    objs[5] = b"<< /Length %d >>\nstream\n" % len(cmap_data) + cmap_data + b"\nendstream"
    objs[6] = b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 80 >>"
    kids = []
    n = 7
    for page in pages:
        ops = ["BT /F1 16 Tf 18 TL 50 800 Td"]
        for line in page:
            hexs = "".join(f"{ord(c):04X}" for c in line if ord(c) < 0x10000)
            ops.append(f"<{hexs}> Tj T*")
        ops.append("ET")
        content = "\n".join(ops).encode()
        objs[n] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
        objs[n + 1] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % n)
        kids.append(n + 1)
        n += 2
    objs[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (" ".join(f"{k} 0 R" for k in kids).encode(), len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for k in sorted(objs):
        offsets[k] = len(out)
        out += b"%d 0 obj\n" % k + objs[k] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for k in sorted(objs):
        out += b"%010d 00000 n \n" % offsets[k]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "reports"))
    out = ap.parse_args().out
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20241129)
    kinds = ["baogao", "gongbao", "guihua"]
    formats = ["html", "txt", "docx", "pdf"]
    written = []
    rid = 1000
    for i, region in enumerate(REGIONS):
        # Two reports per region: a work report in one year and another type
        # in another, rotating through formats; years 2019..2024.
        for j in range(2):
            kind = kinds[(i + j) % 3] if j else "baogao"
            year = 2019 + (i * 2 + j * 5) % 6
            if kind == "guihua":
                year = 2021
            title, subtitle, paras = compose(region, kind, year, rng)
            fmt = formats[(i * 2 + j) % 4]
            rid += 1
            base = f"{region[0]}-{year}-{kind}"
            if fmt == "html":
                page, charset = html_page(title, subtitle, paras, year, SITES[rid % 3], rid % 3, rid, kind, region[0])
                data = page.encode("gb18030" if charset == "gb2312" else "utf-8")
            elif fmt == "txt":
                text = "\r\n".join([title, subtitle, ""] + ["　　" + t if lv == 0 else t for lv, t in paras]) + "\r\n"
                data = text.encode("gb18030")
            elif fmt == "docx":
                data = docx_bytes(title, subtitle, paras)
            else:
                data = pdf_bytes(title, subtitle, paras)
            path = os.path.join(out, f"{base}.{fmt}")
            with open(path, "wb") as f:
                f.write(data)
            written.append((path, hashlib.sha256(data).hexdigest()[:12]))
            if base == "371403-2023-baogao":
                mirrored = (title, subtitle, paras)
    # The same report as published by two other sites, one of them truncated:
    # near-duplicates for the de-duplication demo.
    title, subtitle, paras = mirrored
    page, _ = html_page(title, subtitle, paras, 2023, SITES[1], 1, 1999, "baogao", REGIONS[2][0])
    with open(os.path.join(out, "371403-2023-baogao-mirror.html"), "wb") as f:
        f.write(page.encode("utf-8"))
    page, _ = html_page(title, subtitle, paras[: len(paras) // 2], 2023, SITES[2], 2, 2000, "baogao", REGIONS[2][0])
    with open(os.path.join(out, "371403-2023-baogao-partial.html"), "wb") as f:
        f.write(page.encode("utf-8"))
    print(f"wrote {len(written) + 2} demo reports to {out}")


if __name__ == "__main__":
    main()
