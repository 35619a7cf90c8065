#!/usr/bin/env python3
"""Generate benchmark text: government-report-style Chinese, one paragraph per line.

    python3 bench/segment/gen_bench_text.py --out /tmp/bench.txt [--mb 6] [--seed 7]

Deterministic (fixed seed), stdlib only.  Every line is distinct; numbers,
places, departments and sentence structures are varied, and some Latin letters,
digits and mixed punctuation are mixed in the way real reports do.  The output
is at least --mb megabytes (1 MB = 1e6 bytes) of UTF-8.
"""
import argparse
import random
import re


def W(s):
    return s.split()


PLACE_A = W("青 云 石 临 高 东 北 南 西 金 龙 桃 清 红 白 凤 梅 松 沙 滨 柳 杏 兴 太 长 平 安 永 宁 丰")
PLACE_B = W("溪 岭 桥 港 湖 坪 山 河 湾 牛 泉 源 水 星 坝 凰 花 柏 江 林 川 州 阳 塘 口 台 阁 营 庄 屯")
PLACE_S = W("县 区 镇 乡 街道 经济开发区 高新区 新区 工业园 村 社区")
DEPTS = W("""发展改革 财政 生态环境 住房城乡建设 交通运输 农业农村 市场监管 卫生健康 教育 人力资源社会保障
  应急管理 统计 水利 数据 商务 文化旅游 医疗保障 民政 司法 科技 工业和信息化 自然资源 林业 退役军人事务""")
SUBJ = W("""地区生产总值 一般公共预算收入 规上工业增加值 固定资产投资 社会消费品零售总额 外贸进出口
  城镇居民人均可支配收入 农村居民人均可支配收入 实际利用外资 税收收入 金融机构存款余额 粮食产量
  全社会用电量 货物运输量 快递业务量 接待游客人次 研发经费支出 技术合同成交额 高新技术企业数量""")
ACTS = W("""深化 推进 实施 完善 健全 强化 落实 优化 加快 持续 扎实 全面 稳步 大力 着力 统筹 有序 积极""")
OBJS = W("""营商环境 放管服改革 乡村振兴战略 河湖长制 一网通办 明厨亮灶工程 枫桥经验 城市更新行动
  老旧小区改造 数字政府建设 生态保护修复 安全生产专项整治 稳岗就业政策 减税降费措施 基层治理体系
  公共服务均等化 医疗卫生体制改革 义务教育优质均衡 养老服务体系 住房保障体系 耕地保护制度
  产业链招商 专精特新企业培育 科技成果转化 人才引育机制 绿色低碳转型 水污染防治 大气污染防治
  土壤污染防治 农村人居环境整治 高标准农田建设 防汛抗旱体系 食品药品安全监管 社会信用体系""")
RESULTS = W("""取得明显成效 迈出坚实步伐 实现量质齐升 走在全省前列 获得群众好评 形成示范效应 持续巩固提升
  顺利通过验收 入选国家试点 跻身全国百强 创历史新高 好于预期目标 保持稳中有进 实现扭亏为盈""")
IND = W("""新能源汽车 集成电路 生物医药 高端装备 新材料 现代物流 文化旅游 跨境电商 绿色食品 智能制造
  软件和信息服务 节能环保 现代农业 低空经济 氢能 新型储能 光伏 锂电池 工业互联网 数字创意""")
UNITS = W("亿元 万元 万吨 万千瓦时 亿立方米 公里 公顷 万亩 万户 万人次 个 家 项 所 张 套 辆 座")
LATIN = W("""PM2.5 PM10 GDP CPI PPI 5G R&D KPI APP IPv6 AI 4A级 5A级 ISO14001 ISO9001 EPC PPP
  BIM LNG VR AR ETC O2O B2B 3D打印 Wi-Fi GB/T VOCs COD SO2 NOx 4K A股 IPO ESG""")
OPEN = ["过去一年，", "{y}年，", "一年来，", "今年以来，", "“十四五”以来，", "截至{y}年底，",
        "{y}年上半年，", "第{q}季度，", "据初步核算，", "与上年相比，", "面对复杂严峻的外部环境，", ""]
TAILS = ["。", "。", "。", "；", "！"]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def c(self, seq):
        return self.r.choice(seq)

    def place(self):
        return self.c(PLACE_A) + self.c(PLACE_B) + self.c(PLACE_S)

    def dept(self):
        return self.c(["市", "县", "区", "州"]) + self.c(DEPTS) + self.c(["局", "委", "厅", "办", "中心"])

    def pct(self):
        v = self.r.uniform(-5, 25) if self.r.random() < 0.1 else self.r.uniform(0.1, 18)
        return "%.1f" % v

    def amount(self):
        k = self.r.random()
        if k < 0.4:
            return "%.2f" % self.r.uniform(1, 9999)
        if k < 0.7:
            return "%.1f" % self.r.uniform(0.1, 999)
        if k < 0.85:
            return "{:,}".format(self.r.randint(1000, 9999999))
        return str(self.r.randint(2, 99999))

    def date(self):
        y, m, d = self.r.randint(2016, 2030), self.r.randint(1, 12), self.r.randint(1, 28)
        return self.c(["%d年%d月%d日" % (y, m, d), "%d年%d月" % (y, m), "%d-%02d-%02d" % (y, m, d),
                       "%d月%d日" % (m, d)])

    def fill(self, tpl):
        slots = {
            "y": lambda: str(self.r.randint(2016, 2030)),
            "q": lambda: self.c("一二三四"),
            "pl": self.place, "dp": self.dept, "p": self.pct, "a": self.amount, "dt": self.date,
            "n": lambda: str(self.r.randint(2, 999)),
            "s": lambda: self.c(SUBJ), "act": lambda: self.c(ACTS), "o": lambda: self.c(OBJS),
            "res": lambda: self.c(RESULTS), "ind": lambda: self.c(IND), "u": lambda: self.c(UNITS),
            "lat": lambda: self.c(LATIN),
            "pm": lambda: self.c(["PM2.5", "PM10", "SO2", "NO2", "O3", "VOCs"]),
            "prj": lambda: self.c(["5G", "EPC", "PPP", "IPv6", "ETC", "LNG", "BIM", "R&D", "AI", "IoT"]),
            "sc": lambda: "%d.%d" % (self.r.randint(80, 99), self.r.randint(0, 9)), "lat2": lambda: self.c(["县", "区", "市"]),
            "fz": lambda: self.c(["左右", "以上", "", "", "", "以内"]),
            "ud": lambda: self.c(["增长", "下降", "提高", "回落"]),
        }
        return re.sub(r"\{(\w+)\}", lambda m: slots[m.group(1)](), tpl)

    CLAUSES = [
        "{s}完成{a}{u}，同比{ud}{p}%{fz}",
        "{act}{o}，{o}{res}",
        "{pl}{act}{o}，累计投入资金{a}亿元",
        "{ind}产业实现产值{a}亿元，占规上工业比重达{p}%",
        "新增{ind}企业{n}家，其中国家级专精特新“小巨人”企业{n}家",
        "{dp}牵头制定配套政策{n}项，惠及市场主体{a}万户",
        "{s}比上年{ud}{p}个百分点",
        "全年{pm}平均浓度为{n}微克/立方米，优良天数比例{p}%",
        "建成{prj}项目{n}个，总投资{a}亿元",
        "于{dt}正式启动{o}三年行动",
        "{pl}、{pl}、{pl}等地{res}",
        "城乡居民收入比缩小到{p}∶1",
        "人口出生率{p}‰、死亡率{p}‰",
        "完成{o}任务{n}项，完成率{p}%",
        "{act}“{o}”，办理时限压缩{p}%",
        "获评“全国{o}示范{lat2}”称号",
        "新建改建道路{a}公里、桥梁{n}座",
        "政务服务事项网上可办率达到{p}%，“一件事一次办”事项扩展到{n}个",
        "{pl}的{ind}集群入选省级先进制造业集群名单",
        "群众满意度测评得分{sc}分",
    ]
    STARTS = [
        "", "", "", "（{q}）", "一、", "{n}. ", "\u3000\u3000", "【{ind}】", "{lat}专栏：",
    ]

    def paragraph(self):
        style = self.r.random()
        parts = []
        if style < 0.15:
            # statistical bulletin: several "indicator + value" sentences
            for _ in range(self.r.randint(3, 8)):
                parts.append(self.fill("{s}{a}{u}，比上年{ud}{p}%" + self.c(TAILS)))
        elif style < 0.3:
            # enumerated task list
            items = self.r.sample(OBJS, self.r.randint(3, 7))
            parts.append(self.fill(self.c(["重点抓好", "统筹推进", "着力做好", "全面实施"])))
            parts.append("、".join(items) + self.fill("等{n}项重点工作。"))
            for i, it in enumerate(items[:self.r.randint(1, 4)]):
                parts.append(self.fill("%s是%s{act}%s，%s。" % ("一二三四"[i], self.c(["", "要", "持续"]),
                                                              it, self.c(self.CLAUSES))))
        else:
            opening = self.fill(self.c(self.STARTS) + self.c(OPEN))
            parts.append(opening)
            for _ in range(self.r.randint(2, 5)):
                n = self.r.randint(1, 4)
                sent = "，".join(self.fill(self.c(self.CLAUSES))
                                for _ in range(n))
                parts.append(sent + self.c(TAILS))
        return "".join(parts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="output file")
    ap.add_argument("--mb", type=float, default=6.0, help="minimum size in MB (1e6 bytes), default 6")
    ap.add_argument("--seed", type=int, default=20240501)
    args = ap.parse_args()
    g = Gen(args.seed)
    target = int(args.mb * 1e6)
    seen = set()
    size = lines = 0
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        while size < target:
            p = g.paragraph()
            if p in seen:
                continue
            seen.add(p)
            data = p + "\n"
            f.write(data)
            size += len(data.encode("utf-8"))
            lines += 1
    print("wrote %s: %d lines, %d bytes" % (args.out, lines, size))


if __name__ == "__main__":
    main()
