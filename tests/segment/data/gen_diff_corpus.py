#!/usr/bin/env python3
"""Deterministic generator of the jieba differential-test corpus.

Writes (next to this script, unless --outdir is given):
  diff_corpus.txt  ~4,000 UTF-8 lines, '\\n' separated, no '\\r' anywhere
  newlines.txt     small file with CRLF / lone CR / CR CR LF / no final EOL

All text is composed from the hand-written vocabulary and templates below,
with a fixed random seed, so re-running reproduces the files byte for byte.
Stdlib only.  Run:  python3 gen_diff_corpus.py [--outdir DIR]
"""
import argparse
import os
import random
import re

SEED = 20240501
R = random.Random(SEED)


def W(s):
    return s.split()


# ---------------------------------------------------------------- vocabulary
PLACES = W("""青溪县 云岭镇 石桥街道 临港片区 高新区 经开区 东湖新区 北坪乡 南山镇 柳河村
  白沙湾 金牛区 龙泉驿 桃源县 清水河 红星社区 西坝子 凤凰山 梅花洲 月亮湾 松柏岭 沙坪坝
  新城区 老城区 滨江新区 双流 江北嘴 黄龙溪 马家沟 杏花村 兴隆镇 太平乡 长乐街道""")
LEVELS = W("市 县 区 州 旗 镇 乡")
DEPTS = W("""市发展改革委 市财政局 市生态环境局 市住房城乡建设局 市交通运输局 市农业农村局
  市市场监管局 市卫生健康委 市教育局 市人力资源社会保障局 市应急管理局 市统计局 市水务局
  市数据局 区政务服务中心 县自然资源局 县税务局 市商务局 市文化广电旅游局 市医保局""")
POLICY = W("""乡村振兴 营商环境 放管服 河长制 林长制 一网通办 一网统管 明厨亮灶 枫桥经验 高质量发展
  专精特新 接诉即办 最多跑一次 双碳 新质生产力 共同富裕 数字政府 智慧城市 城市更新 老旧小区改造
  双减 六稳六保 减税降费 招商引资 放水养鱼 千万工程 美丽乡村 厕所革命 垃圾分类 平安建设
  扫黑除恶 安全生产 网格化管理 一件事一次办 跨省通办 证照分离 多规合一 长江大保护""")
INDUSTRY = W("""新能源汽车 集成电路 生物医药 高端装备 新材料 现代物流 文化旅游 跨境电商 绿色食品
  智能制造 软件信息 节能环保 现代农业 商贸流通 数字经济 低空经济 氢能 储能 光伏 锂电池""")
ACTIONS = W("""深化改革 扩大开放 优化服务 补齐短板 强化监管 提质增效 稳岗扩就业 防范化解风险
  推进项目建设 狠抓招商引资 加快动能转换 守牢安全底线 做实基层治理 完善社会保障 提升城市品质
  改善人居环境 推动产业升级 加强生态保护 筑牢民生底线 激发市场活力 优化要素配置 压实主体责任""")
UNITS = W("""亿元 万元 元 万吨 吨 万千瓦时 亿立方米 公里 千米 公顷 亩 万亩 户 万户 人次 万人次 个
  家 项 所 张 套 辆 座 条 处 km ㎡ m³ kg t MW kWh""")
FUZZ = W("左右 以上 以内 余 多 上下 之间")
INDICATORS = W("""地区生产总值 一般公共预算收入 规模以上工业增加值 固定资产投资 社会消费品零售总额
  城镇居民人均可支配收入 农村居民人均可支配收入 外贸进出口总额 实际使用外资 税收收入 城镇新增就业
  居民消费价格 研发经费投入强度 常住人口城镇化率 空气质量优良天数比例 森林覆盖率 粮食总产量""")
PEOPLE = W("""张伟明 李秀英 王建国 欧阳晓婷 司马青云 赵海燕 钱多多 孙悟饭 周芷若 吴小凡 郑成功 冯巩固
  陈建华 褚红梅 卫东升 蒋丽萍 沈从容 韩梅梅 杨柳青 朱自强 秦淮安 尤佳慧 许仙仙 何以琛""")
LATIN = W("""PM2.5 GDP 5G CPI PPI C++ C# AT&T e-mail R&D iPhone15 x86_64 a.b.c 100km/h COVID-19 Wi-Fi
  H7N9 ISO9001 3D打印 PPP EPC BIM ETC APP O2O B2B 4S店 IPv6 AI AIGC ChatGPT Python3 Node.js .NET
  TCP/IP HTTP/2 5A级景区 VR/AR LED LNG CO2 NOx PM10 pH值 GB/T19001-2016 A股 B超 T恤 AA制 IC卡
  IP地址 SIM卡 C语言 U盘 X光 Q版 K歌之王 江南Style 1号店 小S 阿Q N年 BP机 CALL机 4s店 c++ c#
  CD机 PC机 PH值 QQ号 RSS订阅 T型台 X射线 AB型 VISA卡 iOS17 Android14 USB-C mRNA DNA RNA ICU
  WTO APEC G20 NBA CBA CEO CFO KPI OA ERP SaaS IoT LTE 4K 8K 2B 2C H5 QR码 No.1 Top10 OK""")
TRAD = W("""臺灣 發展 經濟 國務院 政府工作報告 實現 區域 協調 穩定 增長 環境 優化 醫療 衛生 教育 體制
  改革 開放 數據 農業 農村 產業 鄉村 振興 營商 財政 預算 稅收 機關 廣東 蘇州 後來 電腦 網絡 雲端""")
EXOTIC = W("""㐀 㐁 䶵 䶿 𠀀 𠀁 𠮷 𪚥 𫝀 𬺰 𰀀 豈 更 兀 ⺀ ⼀ ㇀ 〇 々 〆 鿖 鿗 鿘 鿙 鿚 鿛 鿜 鿝 鿞 鿟
  鿠 鿡 鿢 鿣 鿤 鿥 鿦 鿧 鿨 鿩 鿪 鿫 鿬 鿭 鿮 鿯 鿰 鿿 😀 👍 👍🏽 🇨🇳 ❤️ 1️⃣ 👨‍👩‍👧 🚄 🌾 ✅
  ひらがな カタカナ ｶﾀｶﾅ ですます 한국어 대한민국 Привет Москва Ж ЁЖИК αβγ ΔΩ λόγος Σ café naïve Zürich
  résumé مرحبا שלום สวัสดี नमस्ते ① ② ③ ⑩ ⑴ ⒈ Ⅰ Ⅱ Ⅻ ℃ ℉ ㎡ ㎏ ㎞ × ÷ № § ¶ © ® ™ ° ‰ ‱ ※
  → ← ↑ ↓ ★ ☆ ● ○ ■ □ ◆ ▲ √ ∞ ≠ ≤ ≥ ≈ ± ∑ ∫ · • … — – ‧ ・ ¥ ￥ $ € £ ¢ ₹ ² ³ ½ ¼ 𝐀𝐁𝐂 ١٢٣ ०१२
  ＡＢＣ ａｂｃ １２３ ＃＋＆．＿％－ ﹟ ＠ 〜 ～ ¬ ¦ µ Å ß ø Æ ı ﬁ""")
# chars inside U+4E00..U+9FD5 that are absent from jieba's HMM emission table
RARE_HAN = "龘龖龗龝龞龡龣龤龥鿀鿁鿂鿃鿄鿅鿆鿇鿈鿉鿊鿋鿌鿍鿎鿏鿐鿑鿒鿓鿔鿕丄丩丷乆乤亇仏"
SPECIAL = W("""-- a- -5 _x_ 100%% 3.14.15 v1.2.3-rc1 ++i i++ #2 && || ... ._. %d a+b C++11 C#7.0
  x_y-z.w% __init__ -_- #&# 1e-5 +86-10-12345678 .5 5. a..b %% & # + _ % - . 0.0.0.0 127.0.0.1
  a_b_c a-b-c a.b.c. -a -- --- +-+ %-% #_# &_& 2023-01-08 08-01 1-6 1--6 A&B Q&A b2b_o2o 3+2 9.9% 50%+
  x+=1 #define __ ___ ..% %. -. .- 12.5%% #1# +_+ r&d_2.0 v2 V2.0.1 GB-2312 utf-8 ISO-8859-1""")
CN_HEAD = W("一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六 十七 十八 十九 二十")
CN_DIGIT = "〇一二三四五六七八九"
WS_CHARS = [" ", "\t", "\u00a0", "\u2002", "\u2003", "\u3000", "\x0b", "\x0c", "\x1c", "\x1d",
            "\x1e", "\x1f", "\x85", "\u2028", "\u2029", "\u1680", "\u2009", "\u200a", "\u202f",
            "\u205f"]
INVISIBLE = ["\u200b", "\ufeff", "\u200c", "\u200d", "\u2060", "\u00ad", "\u200e", "\u200f",
             "\u202a", "\u202c", "\u180e", "\x00", "\x01", "\x07", "\x08", "\x1b", "\x7f",
             "\ufffd", "\ue000", "\uffff", "\U0010fffd"]
PUNCT = list("，。！？：；、（）【】《》「」『』“”‘’—…·,.!?:;()[]{}<>\"'`~@^*=|\\/$")
COMMON = W("""我们 坚持 以人民为中心 统筹 发展 和 安全 全面 推进 各项 工作 取得 新 成效 经济 社会
  保持 稳中向好 态势 群众 获得感 幸福感 安全感 不断 增强 的 了 在 是 有 为 与 及 等 将 把 对 从""")

TEMPLATES = [
    "{YR}年，全{LV}实现{IND_}{AMT}亿元，同比增长{PCT}%{FZ}。",
    "预计全年地区生产总值增长{PCT}%左右，一般公共预算收入完成{AMT}亿元，增长{PCT}%。",
    "深入推进“{POL}”改革，{ACT}，{POL}持续优化，新增市场主体{BIG}户。",
    "{PL}坚持{POL}与{POL}双轮驱动，{ACT}，{IND}产业集群营收突破{INT}亿元。",
    "全面落实{POL}，{LV}、乡、村三级{POL}体系覆盖率达到{PCT}%，{PEOPLE}等{INT}名同志受到表彰。",
    "城镇新增就业{FLT}万人，城镇调查失业率控制在{PCT}%以内，居民消费价格涨幅{PCT}%。",
    "{DEPT}牵头，会同{DEPT}、{DEPT}等部门，{ACT}，确保{YR}年{MO}月底前全面完成。",
    "完成固定资产投资{AMT}亿元，其中{IND}项目{INT}个、总投资{BIG}万元，开工率{PCT}%。",
    "粮食总产量{FLT}万吨，新建高标准农田{FLT}万亩，{PL}获评全国{POL}示范县。",
    "PM2.5平均浓度下降到{INT}微克/立方米，空气质量优良天数比例达{PCT}%，{POL}全面推行。",
    "推广“{POL}”“{POL}”经验做法，{ACT}，化解矛盾纠纷{BIG}件，调解成功率{PCT}%。",
    "{YR}年{MO}月{DY}日{HH}:{MM}，{PL}召开{POL}推进会，{PEOPLE}出席并讲话。",
    "今后五年的主要目标是：经济年均增长{PCT}%左右，研发经费投入强度达到{FLT}%以上。",
    "第{INT1}季度，{IND_}同比增长{SPCT}%，环比{UPDN}{FLT}个百分点，增速居全省第{INT1}位。",
    "人口自然增长率为{PERMIL}‰，常住人口{FLT}万人，城镇化率{PCT}%，比上年末提高{FLT}个百分点。",
    "新改建农村公路{INT}公里，改造老旧小区{INT}个、惠及居民{FLT}万余户，{POL}取得实效。",
    "实施{POL}行动，建成5G基站{BIG}个，“{POL}”事项网上可办率达{PCT}%。",
    "持续推进{POL}，{INT}家餐饮单位实现“明厨亮灶”，食品抽检合格率{PCT}%。",
    "全年接待游客{FLT}亿人次、实现旅游收入{AMT}亿元，分别增长{PCT}%和{PCT}%。",
    "外贸进出口总额{AMT}亿元，其中出口{AMT}亿元，进口{AMT}亿元，贸易顺差扩大{FLT}倍。",
    "{CN_YR}年是全面贯彻落实规划的关键之年，我们要{ACT}、{ACT}，奋力谱写{POL}新篇章。",
    "坚持“{POL}”不动摇，扎实做好{IND}、{IND}和{IND}三篇文章，力争总产值突破{INT}亿元。",
    "截至{YR}年末，全{LV}共有各类学校{INT}所，在校学生{FLT}万人，专任教师{BIG}人。",
    "医疗卫生机构床位{BIG}张，每千人口执业（助理）医师{FLT}人，基本医保参保率稳定在{PCT}%以上。",
    "发放创业担保贷款{FLT}亿元，减税降费及退税缓税缓费{AMT}亿元，惠及经营主体{FLT}万户。",
    "{PL}“{POL}”工作经验在全国推广，{PL}入选{YR}年度国家级{POL}试点名单。",
    "“十四五”以来，累计完成投资{AMT}亿元，年均增长{PCT}%，{IND}占比提高到{PCT}%。",
    "全年共受理政务服务事项{BIG}件，按时办结率{PCT}%，群众满意度{PCT}%。",
    "规模以上工业增加值增长{PCT}%，其中{IND}增长{PCT}%，{IND}下降{PCT}%。",
    "严格落实河长制、湖长制、林长制，{INT}条河流断面水质达到Ⅲ类以上，占比{PCT}%。",
]


def fmt_big():
    n = R.randint(1000, 99999999)
    return "{:,}".format(n) if R.random() < 0.5 else str(n)


def fmt_cn_year():
    return "".join(CN_DIGIT[int(d)] for d in str(R.randint(2016, 2030)))


SLOTS = {
    "YR": lambda: str(R.randint(2016, 2030)),
    "CN_YR": fmt_cn_year,
    "MO": lambda: str(R.randint(1, 12)),
    "DY": lambda: str(R.randint(1, 31)),
    "HH": lambda: "%02d" % R.randint(0, 23),
    "MM": lambda: "%02d" % R.randint(0, 59),
    "PCT": lambda: "%.1f" % R.uniform(0.1, 15),
    "SPCT": lambda: R.choice(["", "-", "+", "±"]) + "%.1f" % R.uniform(0, 9),
    "PERMIL": lambda: R.choice(["", "-"]) + "%.2f" % R.uniform(0, 9),
    "AMT": lambda: "%.2f" % R.uniform(1, 9999),
    "FLT": lambda: "%.1f" % R.uniform(0.1, 99),
    "BIG": fmt_big,
    "INT": lambda: str(R.randint(2, 999)),
    "INT1": lambda: str(R.randint(1, 4)),
    "UPDN": lambda: R.choice(["提高", "回落", "上升", "下降"]),
    "FZ": lambda: R.choice(["左右", "以上", "", ""]),
    "LV": lambda: R.choice(LEVELS),
    "PL": lambda: R.choice(PLACES),
    "DEPT": lambda: R.choice(DEPTS),
    "POL": lambda: R.choice(POLICY),
    "IND": lambda: R.choice(INDUSTRY),
    "IND_": lambda: R.choice(INDICATORS),
    "ACT": lambda: R.choice(ACTIONS),
    "PEOPLE": lambda: R.choice(PEOPLE),
}


def fill(tpl):
    return re.sub(r"\{(\w+)\}", lambda m: SLOTS[m.group(1)](), tpl)


def sentence():
    return fill(R.choice(TEMPLATES))


def paragraph(lo=1, hi=4):
    return "".join(sentence() for _ in range(R.randint(lo, hi)))


# ---------------------------------------------------------------- categories
def cat_prose():
    return [paragraph() for _ in range(900)]


def cat_headings():
    out = []
    heads = ["{YR}年工作回顾", "坚定不移推动{POL}", "{YR}年主要目标任务", "着力{ACT}",
             "大力发展{IND}", "持续深化{POL}", "扎实推进{POL}和{POL}", "附表：{IND_}"]
    for i in range(260):
        n, cn = R.randint(1, 20), R.choice(CN_HEAD)
        h = fill(R.choice(heads))
        form = R.choice([
            "{cn}、{h}", "（{cn}）{h}", "({n}){h}", "{n}. {h}", "{n}.{h}", "{n}．{h}",
            "第{cn}章\u3000{h}", "第{cn}节 {h}", "{h}；", "①{h}；②{h}。", "【专栏{n}】{h}",
            "附件{n}：{h}", "（{n}）{h}；", "一是{a}；二是{a}；三是{a}。", "\u3000\u3000{cn}、{h}",
            "{n}、{h}", "{n}）{h}", "⑴{h}", "⒈{h}", "Ⅳ.{h}", "{n}.{n}.{n} {h}", "{cn}"])
        out.append(form.format(cn=cn, n=n, h=h, a=R.choice(ACTIONS)))
    for i, cn in enumerate(CN_HEAD[:10]):
        out += ["%s、%s" % (cn, R.choice(POLICY)), "（%s）%s；" % (cn, R.choice(ACTIONS)), "%d. %s" % (i + 1, R.choice(INDUSTRY))]
    return out


def cat_numbers():
    fixed = ["同比增长9.5%、2.5万余人", "1.2亿元", "3.5‰", "1,234.56万吨", "第3季度", "2023年1月8日",
             "12:30", "1.5.6", "-3.2%", "±0.5", "增长6%左右", "二〇二三年", "百分之六点五",
             "5.8个百分点", "1—6月", "1-6月", "1~3月", "3倍", "1/3", "¥1,200", "$3.5", "€20", "40℃",
             "120㎡", "3km²", "2×10⁴", "10^6", "½", "0.5‰", "1,000,000", "1.000,5", "12:30:45",
             "2023/01/08", "2023.01.08", "20230108", "0.001%", "100%", "+5%", "-0", "-.5", "1e10"]
    gens = [
        lambda: "%s%.1f%%" % (R.choice(["增长", "下降", "同比增长", "提高"]), R.uniform(-9, 30)),
        lambda: "%.1f%s%s%s" % (R.uniform(0.1, 999), R.choice("万亿千"), R.choice(UNITS), R.choice(FUZZ + [""])),
        lambda: "{:,.2f}{}".format(R.uniform(1000, 9999999), R.choice(UNITS)),
        lambda: "%d年%d月%d日" % (R.randint(1949, 2035), R.randint(1, 12), R.randint(1, 31)),
        lambda: "%02d:%02d" % (R.randint(0, 23), R.randint(0, 59)),
        lambda: "第%d%s" % (R.randint(1, 12), R.choice(["季度", "名", "位", "批", "届", "次"])),
        lambda: "%.1f‰" % R.uniform(-5, 20),
        lambda: ".".join(str(R.randint(0, 20)) for _ in range(R.randint(2, 5))),
        lambda: "±%.2f" % R.uniform(0, 3),
        lambda: "%d%s" % (R.randint(0, 9999), R.choice("人户个家亩")),
        lambda: R.choice(CN_DIGIT[1:]) + R.choice("万千百亿") + "余" + R.choice(UNITS),
        lambda: "%d%%~%d%%" % (R.randint(0, 50), R.randint(50, 100)),
    ]
    out = list(fixed)
    for _ in range(420):
        parts = [R.choice(gens)() for _ in range(R.randint(1, 5))]
        out.append(R.choice(["，", "、", "；", " ", ""]).join(parts) + R.choice(["。", "", "；"]))
    return out


def cat_latin():
    out = [" ".join(LATIN[i:i + 6]) for i in range(0, len(LATIN), 6)]
    out += ["".join(LATIN[i:i + 4]) for i in range(0, len(LATIN), 4)]
    for _ in range(300):
        a, b = R.choice(LATIN), R.choice(LATIN)
        out.append(R.choice([
            "{a}指数上涨{p}%，{b}同比增长{p}%。", "推动{a}与{b}融合发展", "{a}{b}{a}",
            "全市{a}用户达到{n}万户，{b}覆盖率{p}%", "{a}、{b}和{c}", "（{a}）{b}",
            "发布{a}标准{n}项，{b}认证企业{n}家", "{a} {b}", "{a}/{b}", "{a}-{b}", "“{a}”{b}"]).format(
            a=a, b=b, c=R.choice(LATIN), p="%.1f" % R.uniform(0, 20), n=R.randint(1, 999)))
    return out


def to_fullwidth(s):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in s)


def cat_fullwidth():
    out = ["ＰＭ２．５", "ＧＤＰ", "１２３", "，。！？：；（）％", "\u3000\u3000各位代表：",
           "增长６．５％", "ＣＰＩ上涨２．１％", "ＡＴ＆Ｔ", "Ｃ＋＋", "２０２３年１月８日"]
    for _ in range(220):
        s = sentence()
        if R.random() < 0.6:
            s = re.sub(r"[0-9A-Za-z.%+\-#&_ ]+", lambda m: to_fullwidth(m.group()) if R.random() < 0.7 else m.group(), s)
        if R.random() < 0.5:
            s = "\u3000\u3000" + s
        out.append(s)
    return out


def cat_enum():
    pools = [POLICY, INDUSTRY, PLACES, DEPTS, LATIN, PEOPLE, INDICATORS]
    out = []
    for _ in range(200):
        items = R.sample(R.choice(pools), R.randint(2, 8))
        sep = R.choice(["、", "、", "，", "/", "､", "、 ", "；"])
        out.append(R.choice(["重点抓好", "包括", "涉及", "", "一是"]) + sep.join(items)
                   + R.choice(["等工作。", "等。", "", "等领域", "、"]))
    return out


def cat_quotes():
    pairs = ["「」", "『』", "“”", "‘’", "《》", "【】", "〈〉", "〔〕", "\"\"", "''", "()", "（）", "[]", "〖〗"]
    names = POLICY + INDUSTRY + LATIN + PEOPLE + ["中华人民共和国国民经济和社会发展统计公报",
                                                 "政府工作报告", "关于进一步优化营商环境的若干措施"]
    out = []
    for _ in range(220):
        segs = []
        for _ in range(R.randint(1, 4)):
            p, n = R.choice(pairs), R.choice(names)
            segs.append(p[0] + n + p[1])
        glue = R.choice(["和", "、", "以及", "", "与", " "])
        out.append(R.choice(["印发", "出台", "实施", "", "落实"]) + glue.join(segs) + R.choice(["。", "", "，"]))
    out += ["「」", "『』『』", "“”“", "《》", "【】【", "《〈》〉", "““””", "‘’‘", "『「」』"]
    return out


def sprinkle(s, chars, n):
    s = list(s)
    for _ in range(n):
        pos = R.randint(0, len(s))
        s.insert(pos, "".join(R.choice(chars) for _ in range(R.randint(1, 4))))
    return "".join(s)


def cat_whitespace():
    gens = [
        lambda s: sprinkle(s, [" "], R.randint(1, 6)),
        lambda s: sprinkle(s, ["\t", " "], R.randint(1, 6)),
        lambda s: sprinkle(s, WS_CHARS, R.randint(1, 6)),
        lambda s: "".join(R.choice(WS_CHARS) for _ in range(R.randint(1, 5))) + s,
        lambda s: s + "".join(R.choice([" ", "\t", "\u3000", "\u00a0"]) for _ in range(R.randint(1, 5))),
        lambda s: " ".join(R.choice(COMMON + LATIN) for _ in range(R.randint(2, 12))),
    ]
    return [R.choice(gens)(sentence()) for _ in range(320)]

def cat_short():
    out = ["", "", " ", "  ", "\t", "\t\t", " \t ", "\u3000", "\u3000\u3000", "\u00a0", "\u2002\u2003",
           "\x0b", "\x0c", "\x1c\x1d\x1e\x1f", "\x85", "\u2028", "\u2029", "\u200b", "\ufeff", "\x00",
           "。", "，", "……", "——", "！？", "、、、", "；：", "（）", "。。。。。", "!@#$^*()", "...", "---"]
    out += list("我的是人国a Z0 9+#&._%-，。中龘鿕𠀀😀ア한Ж") + [c for c in "!\"$'()*,/:;<=>?@[\\]^`{|}~"]
    out += ["".join(R.choice(WS_CHARS) for _ in range(R.randint(1, 8))) for _ in range(40)]
    out += ["".join(R.choice(PUNCT) for _ in range(R.randint(1, 10))) for _ in range(60)]
    out += ["".join(R.choice(COMMON)) for _ in range(30)]
    out += [""] * 30
    return out


def cat_long():
    out = []
    for _ in range(6):
        s = ""
        while len(s) < 2100:
            s += paragraph(3, 6)
        out.append(s)
    out.append(" ".join(R.choice(LATIN + COMMON + SPECIAL) for _ in range(700)))
    out.append("".join(R.choice("abcXYZ0189+#&._%-") for _ in range(2500)))
    out.append(" " * 2100)
    out.append("-" * 2050)
    out.append("啊" * 2050)
    out.append(RARE_HAN * 50)
    out.append("1234567890" * 210)
    out.append("".join(R.choice(PUNCT + WS_CHARS + EXOTIC) for _ in range(2200)))
    return out


def cat_exotic():
    out = [" ".join(EXOTIC[i:i + 8]) for i in range(0, len(EXOTIC), 8)]
    out += ["".join(TRAD[i:i + 5]) for i in range(0, len(TRAD), 5)]
    gens = [
        lambda: "".join(R.choice(TRAD + COMMON) for _ in range(R.randint(3, 10))) + "。",
        lambda: sprinkle(sentence(), EXOTIC, R.randint(1, 4)),
        lambda: sprinkle(sentence(), list(RARE_HAN), R.randint(1, 6)),
        lambda: "".join(R.choice(RARE_HAN) for _ in range(R.randint(1, 12))) + R.choice(COMMON)
        + "".join(R.choice(RARE_HAN) for _ in range(R.randint(1, 3))),
        lambda: "".join(R.choice(EXOTIC + LATIN + COMMON) for _ in range(R.randint(2, 8))),
    ]
    out += [R.choice(gens)() for _ in range(320)]
    return out


def cat_special():
    out = list(SPECIAL) + [" ".join(SPECIAL), "".join(SPECIAL)]
    alpha = "abAZ09+#&._%-"
    gens = [
        lambda: "".join(R.choice(alpha) for _ in range(R.randint(1, 14))),
        lambda: sprinkle(sentence(), list("+#&._%-"), R.randint(1, 5)),
        lambda: R.choice(COMMON) + R.choice(SPECIAL) + R.choice(COMMON) + R.choice(SPECIAL),
        lambda: "".join(R.choice(SPECIAL + COMMON + ["中", "国", "发展"]) for _ in range(R.randint(2, 9))),
    ]
    out += [R.choice(gens)() for _ in range(340)]
    return out


def cat_invisible():
    out = []
    for _ in range(240):
        s = sentence() if R.random() < 0.7 else R.choice(LATIN) + R.choice(SPECIAL) + R.choice(COMMON)
        out.append(sprinkle(s, INVISIBLE + WS_CHARS, R.randint(1, 5)))
    out += ["a\u200bb", "中\ufeff国", "PM2.5\u200b浓度", "\ufeff开头有BOM", "结尾有BOM\ufeff",
            "e\u0301te\u0301", "制\x0b表\x0c换页\x1c分隔\x1f单元", "下\u0085一行\u2028行分隔\u2029段分隔",
            "\x00空字符\x00", "零宽\u200c非连接\u200d连接", "软\u00ad连字符", "10\u202f000", "１\u3000２"]
    return out


def cat_dictlatin():
    words = [w for w in LATIN if re.search(r"[\u4e00-\u9fff]", w)] + ["AT&T", "C++", "C#", "c++", "c#"]
    out = []
    for _ in range(160):
        out.append("".join(R.choice([R.choice(words), R.choice(COMMON), R.choice(LATIN[:20]),
                                     "%d" % R.randint(0, 99), R.choice("ABCTXQKabc")])
                           for _ in range(R.randint(2, 7))))
    return out


def cat_hmm():
    out = []
    surn = "张王李赵钱孙周吴郑陈欧阳司马"
    given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂"
    for _ in range(260):
        k = R.randint(0, 2)
        if k == 0:
            name = R.choice(surn) + "".join(R.choice(given) for _ in range(R.randint(1, 2)))
            out.append(R.choice(["{n}同志任{p}党委书记", "{n}、{m}当选{p}人大代表", "{p}村民{n}说：“{pol}好！”"]).format(
                n=name, m=R.choice(PEOPLE), p=R.choice(PLACES), pol=R.choice(POLICY)))
        elif k == 1:
            out.append("".join(R.choice(POLICY) for _ in range(R.randint(2, 5))))
        else:
            out.append("".join(R.choice("的了是在有个一不人这上大来和我们中国发展") for _ in range(R.randint(3, 20))))
    return out


def cat_fuzz():
    pools = [COMMON, POLICY, LATIN, SPECIAL, EXOTIC, PUNCT, WS_CHARS, INVISIBLE, TRAD, list(RARE_HAN)]
    out = []
    for _ in range(420):
        out.append("".join(R.choice(R.choice(pools)) for _ in range(R.randint(1, 25))))
    return out


def newlines_bytes():
    parts = [
        "\ufeff第一行以CRLF结尾，文件开头有BOM\r\n",
        "第二行只用LF\n",
        "\n",
        "\r\n",
        "\r\n\r\n",
        "孤立的CR结尾\r",
        "CR CR LF 结尾\r\r\n",
        "\r",
        "中间有\r回车的行\n",
        "\r开头是回车\n",
        "LF之后紧跟CR\n\r",
        "  \t  \r\n",
        "\u3000\u3000缩进\x0b垂直制表\x0c换页\x1c文件分隔\u2028行分隔\u0085下一行\r\n",
        "多个CR\r\r\r中间\r\n",
        "PM2.5 GDP 5G 增长6%左右\n\n\n",
        "末行没有换行符",
    ]
    return "".join(parts).encode("utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--outdir", default=os.path.dirname(os.path.abspath(__file__)))
    args = ap.parse_args()
    cats = [cat_prose, cat_headings, cat_numbers, cat_latin, cat_fullwidth, cat_enum, cat_quotes,
            cat_whitespace, cat_short, cat_long, cat_exotic, cat_special, cat_invisible,
            cat_dictlatin, cat_hmm, cat_fuzz]
    lines = []
    for cat in cats:
        lines.extend(cat())
    # interleave a little so categories do not sit in one contiguous block only
    tail = lines[900:]
    R.shuffle(tail)
    lines = lines[:900] + tail
    for ln in lines:
        assert "\r" not in ln and "\n" not in ln, repr(ln)
    with open(os.path.join(args.outdir, "diff_corpus.txt"), "w", encoding="utf-8", newline="\n") as f:
        for ln in lines:
            f.write(ln + "\n")
    with open(os.path.join(args.outdir, "newlines.txt"), "wb") as f:
        f.write(newlines_bytes())
    print("diff_corpus.txt: %d lines; newlines.txt written" % len(lines))


if __name__ == "__main__":
    main()
