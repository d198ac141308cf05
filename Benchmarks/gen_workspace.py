#!/usr/bin/env python3
"""Writes a Fupin workspace at a chosen scale, deterministically from a seed.

Scales (households / people / sales / distributions / visits, 200 towns, 5,000 villages):
  province  1,000,000 / ~3,000,000 / 5,000,000 / 3,000,000 / 2,000,000   (the default)
  quick       200,000 /   ~600,000 / 1,000,000 /   600,000 /   400,000   (1/5, for `make bench QUICK=1`)
  a number N   N households, the rest in the same proportions

The workspace is made by the real `fupin init DIR` (so the schema, migrations and settings are
Fupin's own) and then bulk-loaded here with Python's sqlite3: one transaction per table, the
indexes of the big tables dropped during the load and rebuilt after (same SQL, from
sqlite_master), the journal off while loading and WAL restored at the end.

Also written: 250 helping units (单位, 20 villages each; unit 1 is 林业局), 40 cadres per unit,
funds, trainings with attendees, eco projects, ranger posts, poverty lines, and the `sales`
ledger of the produce-sales plugin. If `sales` does not exist yet it is created with exactly
the plugin manifest's columns, in the host's DDL (SQLDialect.createTable: `"id" INTEGER
PRIMARY KEY`, a reference index `sales_household_id`, the valid flag `INTEGER NOT NULL
DEFAULT 1`), so that registering the plugin later only finds the columns present.

Values are realistic: Chinese names from common surnames, valid 18-digit ID numbers (real
birth dates, odd sequence for men, GB 11643 check digit), phones, every enum within the
workspace's vocabularies; money in integer fen, areas in hundredths of a 亩. Dates span
2018-2020, most of the activity in 2019 (the year of the annual summary).

Usage: gen_workspace.py DIR [--scale province|quick|N] [--seed S] [--fupin PATH]
Example: python3 Benchmarks/gen_workspace.py /tmp/ws --scale quick --fupin .build/release/fupin
"""
import argparse
import os
import random
import sqlite3
import subprocess
import sys
import time

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欢阳建国志福才来九为三虎存仁厚生喜"
FEMALE = "芳娜敏静丽艳娟霞秀英兰梅玲凤红燕萍琴云莉桂华翠花玉珍雪"
COUNTIES = [("150602", "东胜区"), ("150603", "康巴什区"), ("150621", "达拉特旗"), ("150622", "准格尔旗"),
            ("150623", "鄂托克前旗"), ("150624", "鄂托克旗"), ("150625", "杭锦旗"), ("150626", "乌审旗"),
            ("150627", "伊金霍洛旗"), ("150221", "土默特右旗"), ("150222", "固阳县"), ("150223", "达尔罕茂明安联合旗"),
            ("150121", "土默特左旗"), ("150122", "托克托县"), ("150123", "和林格尔县"), ("150124", "清水河县"),
            ("150125", "武川县"), ("152921", "阿拉善左旗"), ("152922", "阿拉善右旗"), ("152923", "额济纳旗")]
TOWN_ROOTS = "城郊罕台泊江海铜川柴登漫赖塔拉壕纳林巴音新街哈巴合同树林召王爱沙圪堵吉格斯太敖包沟布尔陶亥十二连城白泥井"
TOWN_SUFFIX = ["镇", "镇", "镇", "乡", "苏木"]
VILLAGE_PREFIX = "东西南北前后上下大小新老"
VILLAGE_SUFFIX = ["梁村", "沟村", "湾村", "塔村", "营子村", "壕村", "滩村", "圪旦村", "渠村", "庄村"]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

STANDARD = ["国家"] * 8 + ["省定", "市定"]
ATTRIBUTE = ["一般贫困户"] * 7 + ["低保贫困户"] * 2 + ["特困供养贫困户"]
CAUSE = ["因病", "因残", "因学", "因灾", "缺土地", "缺水", "缺技术", "缺劳力", "缺资金", "交通条件落后", "自身发展动力不足"]
STATUS = ["未脱贫", "已脱贫（享受政策）", "已脱贫（享受政策）", "已脱贫（享受政策）", "已脱贫（不再享受政策）", "返贫"]
ETHNICITY = ["汉族"] * 90 + ["蒙古族"] * 7 + ["回族", "满族", "达斡尔族"]
HEALTH = ["健康"] * 70 + ["长期慢性病"] * 18 + ["患有大病"] * 5 + ["残疾"] * 7
MIGRANT = ["乡镇内务工", "县内务工", "省内务工", "省外务工"]
UNIT_KINDS = ["党政机关"] * 5 + ["事业单位"] * 3 + ["国有企业", "民营企业"]
UNIT_ROOTS = ["林业局", "财政局", "教育局", "卫健委", "水利局", "农牧局", "交通局", "住建局", "人社局", "民政局",
              "自然资源局", "商务局", "文旅局", "统计局", "审计局", "税务局", "供销社", "农商银行", "电力公司", "移动公司"]
ITEMS = [("果树苗", "株", 800, 3000), ("雏鸡", "只", 500, 1500), ("仔猪", "头", 60000, 90000), ("羊羔", "只", 50000, 80000),
         ("化肥", "袋", 9000, 15000), ("农药", "瓶", 2000, 6000), ("种子", "公斤", 1500, 4000), ("饲料", "袋", 8000, 13000),
         ("米面油", "份", 10000, 20000), ("棉被", "床", 15000, 30000)]
FUND_SOURCES = ["财政专项", "单位自筹", "社会捐赠", "东西部协作", "行业部门", "金融信贷"]
FUND_PURPOSES = ["产业扶持", "危房改造", "助学补助", "医疗救助", "基础设施", "技能培训", "消费扶贫", "生态补偿"]
PRODUCTS = [("小米", "公斤", 800, 1600), ("土鸡蛋", "枚", 100, 200), ("羊肉", "公斤", 6000, 9000), ("马铃薯", "公斤", 150, 300),
            ("荞麦面", "公斤", 1000, 2000), ("红枣", "公斤", 1500, 3000), ("蜂蜜", "公斤", 6000, 12000), ("沙棘汁", "箱", 5000, 9000),
            ("黄米", "公斤", 900, 1500), ("葵花籽", "公斤", 1200, 2200), ("土鸡", "只", 6000, 12000), ("胡麻油", "桶", 8000, 15000)]
CHANNELS = ["食堂直采", "工会福利", "集贸市场", "电商平台", "扶贫专柜"]
BUYER_TYPES = ["机关单位", "事业单位", "企业", "个人"]
VISIT_MODES = ["入户"] * 6 + ["电话"] * 3 + ["集中"]
VISIT_CONTENT = ["了解生产生活情况", "宣传扶贫政策", "核实收入", "帮助制定增收计划", "走访慰问", "检查帮扶措施落实",
                 "协调解决就医问题", "动员参加技能培训"]
TOPICS = ["果树修剪", "肉羊养殖", "设施农业", "电商销售", "家政服务", "林下经济", "病虫害防治", "驾驶技能", "烹饪技能", "护林防火"]
ECO_NAMES = ["退耕还林", "三北防护林", "京津风沙源治理", "天然林保护", "草原生态修复", "水土保持林", "经济林建设"]

SCALES = {"province": 1_000_000, "quick": 200_000}
BIG_TABLES = ["households", "members", "distributions", "visits", "sales", "training_attendees", "ranger_posts", "cadres",
              "funds", "trainings", "villages"]

SALES_DDL = """CREATE TABLE "sales" (
  "id" INTEGER PRIMARY KEY,
  "date" TEXT,
  "product" TEXT,
  "household_id" INTEGER REFERENCES "households"("id"),
  "buyer" TEXT,
  "buyer_type" TEXT,
  "channel" TEXT,
  "quantity" REAL,
  "unit" TEXT,
  "unit_price" INTEGER,
  "amount" INTEGER,
  "voucher" TEXT,
  "handler" TEXT,
  "note" TEXT,
  "valid" INTEGER NOT NULL DEFAULT 1
)"""
SALES_INDEX = 'CREATE INDEX "sales_household_id" ON "sales"("household_id")'


def check_digit(first17):
    return CHECK[sum((ord(c) - 48) * w for c, w in zip(first17, WEIGHTS)) % 11]


def log(msg, started):
    print("gen_workspace: %-40s %6.1f s" % (msg, time.monotonic() - started), file=sys.stderr, flush=True)


class Gen:
    def __init__(self, seed, households):
        self.rng = random.Random(seed)
        self.households = households
        f = households / 1_000_000
        self.sales = round(5_000_000 * f)
        self.distributions = round(3_000_000 * f)
        self.visits = round(2_000_000 * f)
        self.towns = 200
        self.villages = 5000
        self.units = 250
        self.cadres_per_unit = 40

    def date(self, year=None):
        r = self.rng
        y = year if year is not None else (2019 if r.random() < 0.6 else r.choice((2018, 2020)))
        m = r.randint(1, 12)
        return "%04d-%02d-%02d" % (y, m, r.randint(1, DAYS[m - 1]))

    def name(self, male, surname=None):
        r = self.rng
        given = "".join(r.choice(MALE if male else FEMALE) for _ in range(1 + (r.random() < 0.7)))
        return (surname or r.choice(SURNAMES)) + given

    def id_number(self, area, y, male):
        r = self.rng
        m = r.randint(1, 12)
        d = r.randint(1, DAYS[m - 1] + (1 if m == 2 and y % 4 == 0 else 0))
        first17 = "%s%04d%02d%02d%03d" % (area, y, m, d, r.randint(0, 499) * 2 + (1 if male else 0))
        return first17 + check_digit(first17), "%04d-%02d-%02d" % (y, m, d)

    def phone(self):
        return "1%d%09d" % (self.rng.choice((3, 5, 8, 9)), self.rng.randint(0, 999_999_999))

    # --- geography and units ---
    def geography(self):
        r = self.rng
        towns, villages = [], []
        for t in range(1, self.towns + 1):
            county = COUNTIES[(t - 1) % len(COUNTIES)]
            name = r.choice(TOWN_ROOTS) + r.choice(TOWN_ROOTS) + r.choice(TOWN_SUFFIX)
            towns.append((t, name, county[1], 1))
        per_town = self.villages // self.towns
        self.village_area = {}
        self.village_unit = {}
        vid = 0
        for t in range(1, self.towns + 1):
            names = set()
            while len(names) < per_town:
                names.add(r.choice(VILLAGE_PREFIX) + r.choice(SURNAMES) + r.choice(VILLAGE_SUFFIX))
            for name in sorted(names):
                vid += 1
                unit = (vid - 1) // (self.villages // self.units) + 1
                self.village_area[vid] = COUNTIES[(t - 1) % len(COUNTIES)][0]
                self.village_unit[vid] = unit
                villages.append((vid, name, t, unit, "%s脱贫攻坚三年行动计划" % name, int(r.random() < 0.1),
                                 int(r.random() < 0.6), r.randint(300, 2500), None, 1))
        return towns, villages

    def units_rows(self):
        r = self.rng
        rows = []
        for u in range(1, self.units + 1):
            root = UNIT_ROOTS[(u - 1) % len(UNIT_ROOTS)]
            county = COUNTIES[((u - 1) // len(UNIT_ROOTS)) % len(COUNTIES)][1]
            name = root if u == 1 else "%s%s" % (county, root) + ("" if u <= len(UNIT_ROOTS) * len(COUNTIES) else str(u))
            rows.append((u, name, r.choice(UNIT_KINDS), self.name(True), "局长", self.name(r.random() < 0.7), "副局长",
                         "0477-%07d" % r.randint(0, 9_999_999), self.name(r.random() < 0.5), None, 1))
        return rows

    def cadres_rows(self):
        r = self.rng
        posts = ["科员", "副科长", "科长", "副主任科员", "主任科员", "四级调研员"]
        cid = 0
        for u in range(1, self.units + 1):
            for _ in range(self.cadres_per_unit):
                cid += 1
                male = r.random() < 0.6
                yield (cid, self.name(male), "男" if male else "女", u, r.choice(posts), self.phone(), 1)

    # --- households and members ---
    def households_and_members(self, members_out):
        """Yields household rows; appends member rows to members_out (flushed by the caller)."""
        r = self.rng
        mid = 0
        per_village = self.households / self.villages
        for hid in range(1, self.households + 1):
            vid = min(self.villages, int((hid - 1) / per_village) + 1)
            area = self.village_area[vid]
            size = r.choice((1, 2, 2, 3, 3, 3, 3, 4, 4, 5))
            surname = r.choice(SURNAMES)
            number = "%s%04d%07d" % (area, vid, hid)
            head_age = r.randint(30, 80)
            head_male = r.random() < 0.85
            people = [("户主", head_age, head_male)]
            if size >= 2:
                people.append(("配偶", max(20, head_age + r.randint(-5, 3)), not head_male))
            while len(people) < size:
                if head_age >= 55 and r.random() < 0.4:
                    rel = "之孙子" if r.random() < 0.5 else "之孙女"
                    people.append((rel, r.randint(1, 17), rel == "之孙子"))
                else:
                    rel = "之子" if r.random() < 0.5 else "之女"
                    people.append((rel, max(1, min(head_age - 20, r.randint(1, 40))), rel == "之子"))
            head_name = head_id = None
            for index, (rel, age, male) in enumerate(people):
                mid += 1
                name = self.name(male, surname if rel != "配偶" else None)
                idn, birth = self.id_number(area, 2019 - age, male)
                if index == 0:
                    head_name, head_id = name, idn
                if age < 6:
                    edu, school, labour = "学龄前儿童", ("学前教育" if age >= 3 else "非在校生"), "无劳动力"
                elif age < 15:
                    edu, school, labour = ("小学", "小学", "无劳动力") if age < 12 else ("初中", "初中", "无劳动力")
                elif age < 18:
                    edu, school, labour = "初中", "高中", "无劳动力"
                else:
                    edu = r.choice(("文盲或半文盲", "小学", "小学", "初中", "初中", "高中", "大专及以上") if age < 60
                                   else ("文盲或半文盲", "文盲或半文盲", "小学", "小学", "初中"))
                    school = "非在校生"
                    labour = r.choice(("普通劳动力", "普通劳动力", "技能劳动力", "弱劳动力或半劳动力") if age < 60
                                      else ("弱劳动力或半劳动力", "丧失劳动力", "无劳动力", "普通劳动力"))
                working = labour in ("普通劳动力", "技能劳动力") and r.random() < 0.6
                members_out.append((mid, hid, "%s%02d" % (number, index + 1), name, "男" if male else "女", idn, birth,
                                    rel, r.choice(ETHNICITY), edu, school, r.choice(HEALTH), labour,
                                    r.choice(MIGRANT) if working else "未务工", r.randint(3, 12) if working else 0,
                                    int(r.random() < 0.97), int(age >= 16 and r.random() < 0.8), 1))
            status = r.choice(STATUS)
            identified = r.choice((2014, 2014, 2015, 2016, 2017))
            exited = r.choice((2016, 2017, 2018, 2019)) if status.startswith("已脱贫") else None
            yield (hid, number, head_name, head_id, self.phone(), vid, "%s%s社" % (VILLAGE_PREFIX[vid % 12], "一二三四"[hid % 4]),
                   "%d组" % (hid % 6 + 1), size, r.choice(STANDARD), r.choice(ATTRIBUTE), r.choice(CAUSE), None, status,
                   identified, exited, int(r.random() < 0.05), int(r.random() < 0.97), int(r.random() < 0.03),
                   r.randint(250_000, 1_500_000), None, None, None, 1)

    def household_village(self, hid):
        return min(self.villages, int((hid - 1) / (self.households / self.villages)) + 1)

    def cadre_of_village(self, vid):
        unit = self.village_unit[vid]
        return (unit - 1) * self.cadres_per_unit + self.rng.randint(1, self.cadres_per_unit)

    # --- ledgers ---
    def distributions_rows(self):
        r = self.rng
        for did in range(1, self.distributions + 1):
            hid = r.randint(1, self.households)
            vid = self.household_village(hid)
            item, unit, lo, hi = ITEMS[int(r.random() * len(ITEMS))]
            qty = r.randint(1, 200) if unit in ("株", "只") else r.randint(1, 10)
            yield (did, self.date(), hid, vid, item, float(qty), unit, qty * r.randint(lo, hi), r.choice(FUND_SOURCES),
                   self.cadre_of_village(vid), None, 1)

    def visits_rows(self):
        r = self.rng
        for i in range(1, self.visits + 1):
            hid = r.randint(1, self.households)
            vid = self.household_village(hid)
            yield (i, self.date(), self.cadre_of_village(vid), hid, VISIT_MODES[int(r.random() * 10)],
                   VISIT_CONTENT[int(r.random() * len(VISIT_CONTENT))], None, None, None, 1)

    def sales_rows(self):
        r = self.rng
        for i in range(1, self.sales + 1):
            hid = r.randint(1, self.households)
            product, unit, lo, hi = PRODUCTS[int(r.random() * len(PRODUCTS))]
            qty = r.randint(1, 200)
            price = r.randint(lo, hi)
            bt = BUYER_TYPES[int(r.random() * 4)]
            buyer = self.name(r.random() < 0.5) if bt == "个人" else UNIT_ROOTS[int(r.random() * len(UNIT_ROOTS))] + "食堂"
            yield (i, self.date(), product, hid, buyer, bt, CHANNELS[int(r.random() * len(CHANNELS))], float(qty), unit,
                   price, qty * price, "XS%08d" % i, self.name(r.random() < 0.5), None, 1)

    def funds_rows(self):
        r = self.rng
        fid = 0
        for u in range(1, self.units + 1):
            for year in (2018, 2019, 2020):
                for _ in range(r.randint(10, 30)):
                    fid += 1
                    direction = "in" if r.random() < 0.45 else "out"
                    vid = (u - 1) * 20 + r.randint(1, 20) if direction == "out" else None
                    yield (fid, self.date(year), u, direction, r.randint(1_000, 500_000) * 100, r.choice(FUND_SOURCES),
                           r.choice(FUND_PURPOSES), vid, 1)

    def trainings_rows(self, attendees_out, members_per_village):
        r = self.rng
        tid = 0
        aid = 0
        for u in range(1, self.units + 1):
            for year in (2018, 2019, 2020):
                for _ in range(r.randint(4, 12)):
                    tid += 1
                    vid = (u - 1) * 20 + r.randint(1, 20)
                    lo, hi = members_per_village[vid]
                    for _ in range(r.randint(10, 60) if hi >= lo else 0):
                        aid += 1
                        m = r.randint(lo, hi)
                        attendees_out.append((aid, tid, m, None))
                    yield (tid, self.date(year), u, r.choice(TOPICS), self.name(r.random() < 0.5),
                           "集中" if r.random() < 0.8 else "一对一", vid, float(r.choice((2, 3, 4, 6, 8))), 1)

    def eco_rows(self):
        r = self.rng
        eid = 0
        for u in range(1, self.units + 1):
            for year in (2018, 2019, 2020):
                for _ in range(r.randint(1, 4)):
                    eid += 1
                    planned = r.randint(100, 20_000) * 100
                    yield (eid, u, r.choice(ECO_NAMES) + "工程", year, planned, int(planned * r.uniform(0.5, 1.0)), None, 1)

    def ranger_rows(self, members_per_village):
        r = self.rng
        pid = 0
        for u in range(1, self.units + 1):
            for year in (2018, 2019, 2020):
                for _ in range(r.randint(10, 40)):
                    vid = (u - 1) * 20 + r.randint(1, 20)
                    lo, hi = members_per_village[vid]
                    if hi < lo:
                        continue
                    pid += 1
                    yield (pid, r.randint(lo, hi), u, year, r.choice((6000, 8000, 10000)) * 100,
                           "%d-01-01" % year, "%d-12-31" % year, 1)


def insert(con, table, rows, batch=50_000):
    it = iter(rows)
    n = 0
    first = next(it, None)
    if first is None:
        return 0
    sql = 'INSERT INTO "%s" VALUES (%s)' % (table, ",".join("?" * len(first)))
    buf = [first]
    for row in it:
        buf.append(row)
        if len(buf) >= batch:
            con.executemany(sql, buf)
            n += len(buf)
            buf.clear()
    con.executemany(sql, buf)
    return n + len(buf)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir")
    parser.add_argument("--scale", default="province")
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--fupin", default=os.environ.get("FUPIN", "fupin"))
    args = parser.parse_args()
    households = SCALES.get(args.scale) or int(args.scale)
    started = time.monotonic()
    db_path = os.path.join(args.dir, "fupin.sqlite")
    if os.path.exists(db_path):
        sys.exit("gen_workspace: %s exists; give a new folder" % db_path)
    subprocess.run([args.fupin, "init", args.dir, "--operator", "bench"], check=True, stdout=subprocess.DEVNULL)
    g = Gen(args.seed, households)
    con = sqlite3.connect(db_path, isolation_level=None)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-262144")
    if not con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='sales'").fetchone():
        con.execute(SALES_DDL)
        con.execute(SALES_INDEX)
    # Drop the indexes of the tables loaded here; rebuilt from the same SQL at the end.
    indexes = con.execute("SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND tbl_name IN (%s)"
                          % ",".join("'%s'" % t for t in BIG_TABLES + ["members", "towns", "units", "eco_projects"])).fetchall()
    for name, _ in indexes:
        con.execute('DROP INDEX "%s"' % name)

    def load(table, rows):
        con.execute("BEGIN")
        n = insert(con, table, rows)
        con.execute("COMMIT")
        log("%s: %d rows" % (table, n), started)

    towns, villages = g.geography()
    load("units", g.units_rows())
    load("towns", towns)
    load("villages", villages)
    load("cadres", g.cadres_rows())
    members = []
    con.execute("BEGIN")
    h_sql = 'INSERT INTO "households" VALUES (%s)' % ",".join("?" * 24)
    m_sql = 'INSERT INTO "members" VALUES (%s)' % ",".join("?" * 18)
    buf = []
    members_per_village = {}
    for row in g.households_and_members(members):
        buf.append(row)
        if len(buf) >= 20_000:
            con.executemany(h_sql, buf)
            con.executemany(m_sql, members)
            buf.clear()
            members.clear()
    con.executemany(h_sql, buf)
    con.executemany(m_sql, members)
    con.execute("COMMIT")
    n_people = con.execute("SELECT max(id) FROM members").fetchone()[0] or 0
    log("households: %d, members: %d" % (households, n_people), started)
    for vid, lo, hi in con.execute("SELECT h.village_id, min(m.id), max(m.id) FROM members m JOIN households h "
                                   "ON h.id = m.household_id GROUP BY h.village_id"):
        members_per_village[vid] = (lo, hi)
    for vid in range(1, g.villages + 1):
        members_per_village.setdefault(vid, (1, 0))
    load("distributions", g.distributions_rows())
    load("visits", g.visits_rows())
    load("sales", g.sales_rows())
    load("funds", g.funds_rows())
    attendees = []
    load("trainings", g.trainings_rows(attendees, members_per_village))
    load("training_attendees", attendees)
    load("eco_projects", g.eco_rows())
    load("ranger_posts", g.ranger_rows(members_per_village))
    con.execute("INSERT OR IGNORE INTO poverty_lines(year, amount, note) VALUES (2018, 380000, NULL), (2019, 400000, NULL), "
                "(2020, 415000, NULL)")
    for _, sql in indexes:
        con.execute(sql)
    log("indexes rebuilt", started)
    con.execute("ANALYZE")
    con.execute("PRAGMA journal_mode=WAL")
    con.close()
    log("done: %s (%.0f MB)" % (db_path, os.path.getsize(db_path) / 1e6), started)


if __name__ == "__main__":
    main()
