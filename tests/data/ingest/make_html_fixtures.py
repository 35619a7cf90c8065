#!/usr/bin/env python3
"""Writes the HTML and TXT fixtures for tests/ingest (演示数据: all prose here is
the project's own demo writing, not any government's words). Run from any
directory; files land next to this script. The *.expected golden files are
checked by hand after running `ingest_test --gtest_also_run_disabled_tests
--gtest_filter=*WriteGolden*`."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


REPORT_TITLE = "演示县人民政府工作报告"
REPORT_SUB = "——2024年1月10日在演示县第十八届人民代表大会第三次会议上"
REPORT_BODY = [
    "各位代表：",
    "现在，我代表县人民政府，向大会报告工作，请予审议，并请县政协委员和其他列席人员提出意见。（演示数据）",
    "一、2023年工作回顾",
    "过去一年，全县经济运行稳中有进，地区生产总值增长5.8%，一般公共预算收入增长6.2%。（演示数据，非真实统计）",
    "（一）产业发展取得新进展",
    "新建标准化厂房12万平方米，规模以上工业增加值增长7.1%，新培育专精特新企业8家。",
    "（二）民生保障持续加强",
    "新增城镇就业3100人，城乡居民基本养老保险参保率稳定在98%以上。",
    "1. 教育事业",
    "新建改扩建中小学5所，新增学位2400个。",
    "（1）学前教育",
    "新增普惠性幼儿园学位900个，农村幼儿园覆盖所有乡镇。",
    "二、2024年主要目标",
    "全县地区生产总值增长6%左右，城乡居民人均可支配收入与经济增长基本同步。",
]

# 1. An old table-layout CMS page in GB2312 with <font> and &nbsp; indentation.
nav_cells = "".join(
    f'<td><a href="/col/{i}.html"><font color="#ffffff">{name}</font></a></td>'
    for i, name in enumerate(["首页", "政务公开", "政府信息", "办事服务", "互动交流", "走进演示县"]))
body_rows = "".join(
    f'<p align="left"><font size="3">&nbsp;&nbsp;&nbsp;&nbsp;{t}</font></p>\n' for t in REPORT_BODY)
old_table = f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{REPORT_TITLE}_演示县人民政府网</title>
<style>td {{ font-size: 12px }}</style>
<script language="javascript">var menu = "首页 政务公开";</script>
</head>
<body topmargin="0">
<table width="980" border="0" align="center"><tr><td><img src="/images/banner.jpg"></td></tr></table>
<table width="980" id="menu" align="center" bgcolor="#1060b0"><tr>{nav_cells}</tr></table>
<table width="980" align="center"><tr><td class="weizhi">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/bg/">政府工作报告</a></td></tr></table>
<table width="980" align="center" border="0">
 <tr><td width="200" valign="top">
   <table><tr><td><a href="/a/1.html">县政府常务会议召开</a></td></tr>
   <tr><td><a href="/a/2.html">演示县开展冬季安全检查</a></td></tr>
   <tr><td><a href="/a/3.html">演示县召开经济运行分析会</a></td></tr></table>
 </td>
 <td width="780" valign="top">
   <table width="100%">
   <tr><td class="title" align="center"><font size="5"><b>{REPORT_TITLE}</b></font></td></tr>
   <tr><td align="center">来源：演示县人民政府办公室&nbsp;&nbsp;时间：2024-01-12&nbsp;&nbsp;字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></td></tr>
   <tr><td class="content">
<p align="center"><font size="3">{REPORT_SUB}</font></p>
{body_rows}
   </td></tr>
   <tr><td align="right">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</td></tr>
   </table>
 </td></tr>
</table>
<table width="980" align="center"><tr><td align="center">版权所有：演示县人民政府办公室　主办单位：演示县人民政府<br>备案号：演ICP备00000000号</td></tr></table>
</body></html>
"""
write("old_table_gb2312.html", old_table.encode("gbk"))  # "gb2312" pages are GBK in practice

# 2. A modern div page in UTF-8 with HTML5 chrome, a figure, share, related,
#    comments with a captcha.
paras = "\n".join(
    (f"<h3>{t}</h3>" if t.startswith(("一、", "二、")) else f"<p>　　{t}</p>") for t in REPORT_BODY)
paras = paras.replace(
    "<h3>二、", '<figure><img src="/img/1.jpg" alt=""><figcaption>图为演示县新建的标准化厂房（演示图片）</figcaption></figure>\n<h3>二、', 1)
modern = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{REPORT_TITLE} | 演示报告网</title>
<meta property="og:site_name" content="演示报告网">
<link rel="canonical" href="https://demo.example/baogao/huadong/1001.html">
<style>.hidden{{display:none}}</style>
</head><body>
<header class="site-header"><div class="logo">演示报告网</div>
<nav class="main-nav"><ul><li><a href="/">首页</a></li><li><a href="/baogao/">报告</a></li><li><a href="/gongbao/">公报</a></li><li><a href="/guihua/">规划</a></li></ul></nav>
</header>
<div class="breadcrumb">您的位置：<a href="/">首页</a> &gt; <a href="/baogao/">报告</a> &gt; 华东</div>
<main><article>
<h1 class="article-title">{REPORT_TITLE}</h1>
<div class="article-meta"><span>来源：本站原创</span> <span>发布时间：2024-01-15 10:30</span> <span>浏览次数：1024</span></div>
<div class="article-content">
<p class="sub">{REPORT_SUB}</p>
{paras}
<p style="display: none">隐藏的统计代码文字不应出现。</p>
</div>
<div class="share-bar">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
<div class="related-news"><h3>相关阅读</h3><ul>
<li><a href="/baogao/huadong/1000.html">演示县2023年政府工作报告</a></li>
<li><a href="/baogao/huadong/999.html">演示县2022年政府工作报告</a></li></ul></div>
</article>
<section class="comment-box"><h3>留言与评论（共有 0 条评论）</h3>
<form method="post" action="/comment"><textarea name="c"></textarea>
<label>验证码：</label><input name="captcha"><img src="/captcha.png"><button>发表评论</button></form></section>
</main>
<footer><p>本文仅代表作者观点，不代表本站立场。</p><p>Copyright © 2024 演示报告网</p></footer>
</body></html>
"""
write("modern_div_utf8.html", modern.encode("utf-8"))

# 3. Text split by <br> inside one div, &nbsp; and U+3000 indentation, no
#    <h1> (title from <title>), and a meta charset that lies (says gb2312,
#    bytes are UTF-8).
gb_title = "演示市2023年国民经济和社会发展统计公报"
gb_lines = [
    "演示市统计局",
    "2024年3月1日",
    "2023年，全市经济持续恢复向好，发展质量稳步提升。（演示数据，非真实统计）",
    "一、综合",
    "初步核算，全年地区生产总值1200亿元，比上年增长5.5%。",
    "二、农业",
    "全年粮食总产量85万吨，比上年增长1.2%。",
    "（1）种植业：蔬菜产量40万吨。",
]
br_body = "<br>\n".join("&nbsp;&nbsp;&nbsp;&nbsp;" + l if i % 2 else "　　" + l
                        for i, l in enumerate(gb_lines))
br_page = f"""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{gb_title} - 演示统计网</title></head>
<body>
<div id="top"><a href="/">首页</a> | <a href="/tjsj/">统计数据</a> | <a href="/tjgb/">统计公报</a> | <a href="/tjfx/">统计分析</a></div>
<div id="zoom">
<b>{gb_title}</b><br><br>
{br_body}<br><br>
本文地址：/gongbao/huadong/2001.html
</div>
<div>本文仅代表作者观点，不代表本站立场。凡注明为演示网原创作品的，未经许可，不得转载。</div>
<div id="foot">演示统计网 版权所有</div>
</body></html>
"""
write("br_split_lying_charset.html", br_page.encode("utf-8"))

# 4. A page with no body text: nav, breadcrumb, empty content, footer.
no_body = """<html><head><meta charset="utf-8"><title>暂无内容_演示政府网</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/bsfw/">办事服务</a></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a></div>
<div class="content"><img src="/img/placeholder.png"></div>
<div class="print">【打印本页】【关闭窗口】</div>
<div class="footer">版权所有：演示政府网 主办单位：演示市人民政府办公室</div>
</body></html>
"""
write("no_body.html", no_body.encode("utf-8"))

# 5. A huge navigation and little text: a 规划 with 第一章 / 第一节 headings.
links = "\n".join(f'<li><a href="/col/{i}.html">栏目名称{i}号</a></li>' for i in range(300))
side = "\n".join(f'<li><a href="/news/{i}.html">演示区第{i}期政务信息简报发布</a></li>' for i in range(40))
plan_lines = [
    ("第一章", "第一章 发展基础"),
    ("", "“十三五”以来，演示区综合实力明显增强，城乡面貌持续改善。（演示数据）"),
    ("", "第一节 发展环境"),
    ("", "当前和今后一个时期，演示区仍处于重要战略机遇期。"),
]
plan = f"""<html><head><meta charset="utf-8"><title>演示区国民经济和社会发展第十四个五年规划纲要_演示区人民政府</title></head><body>
<div id="header"><ul class="menu">{links}</ul></div>
<table><tr><td class="left"><ul>{side}</ul></td>
<td class="main"><h1>演示区国民经济和社会发展第十四个五年规划纲要</h1>
{"".join(f"<div>{t}</div>" for _, t in plan_lines)}
</td></tr></table>
<div class="links">友情链接：<a href="#">演示市政府</a> <a href="#">演示省政府</a></div>
</body></html>
"""
write("huge_nav_plan.html", plan.encode("utf-8"))

# 6. A Big5 page (traditional characters), charset in <meta charset>.
big5 = """<html><head><meta charset="big5"><title>演示縣施政報告</title></head><body>
<div class="nav"><a href="/">首頁</a> <a href="/news/">新聞</a></div>
<div class="article"><h1>演示縣施政報告</h1>
<p>一、經濟發展</p>
<p>本年度全縣經濟穩定成長，地區生產總值增長百分之五。（演示數據）</p>
<p>二、社會建設</p>
<p>新增就業崗位三千個，完成老舊社區改造十二處。（演示數據）</p>
</div></body></html>
"""
write("big5_page.html", big5.encode("big5"))

# TXT fixtures.
seed_like = "\n".join([
    "导航菜单",
    "",
    "(演示省)演示市演示区人民政府工作报告(2024年1月8日)",
    "",
    "　　" + REPORT_SUB,
    "",
] + ["　　" + t + "\n" for t in REPORT_BODY] + [
    "本文仅代表作者观点，不代表本站立场。凡注明为演示网原创作品的，未经许可，不得转载。",
    "",
    "本文地址：/baogao/huadong/3001.html",
    "",
    "留言与评论(共有 条评论)",
    "验证码：1234",
])
write("seed_like.gb18030.txt", seed_like.encode("gb18030"))
write("report.utf16.txt", "\ufeff".encode("utf-16-le") +
      ("演示县2023年统计公报\r\n\r\n一、综合\r\n全县经济平稳运行。（演示数据）\r\n").encode("utf-16-le"))
write("report.utf8bom.txt", b"\xef\xbb\xbf" +
      "演示县“十四五”规划\r\n\r\n第一章 总体要求\r\n\u200b坚持稳中求进工作总基调。（演示数据）\r\n".encode("utf-8"))
