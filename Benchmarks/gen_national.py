#!/usr/bin/env python3
"""Generates a national-layout CSV (the national system's 26-column per-person export) of N
people, deterministically (same N and seed, same bytes).

Households of 1-6 people (about 3.3 on average) in 12 towns of 20 villages each; Chinese
names from common surnames and given-name characters; relations consistent with ages; valid
18-digit ID numbers (area code 150602, real birth dates, odd sequence for men, GB 11643 check
digit); every value within the workspace's vocabularies, so the whole file imports.

Usage: gen_national.py N OUT.csv [--seed S]
Example: python3 Benchmarks/gen_national.py 1000000 /tmp/national-1m.csv
"""
import argparse
import random

HEADER = ["县(市、区、旗)", "乡(镇)", "行政村", "自然村", "户编号", "人编号", "姓名", "证件号码", "人数", "与户主关系",
          "民族", "文化程度", "在校生状况", "健康状况", "劳动技能", "务工状况", "务工时间（月）", "参加大病医疗",
          "脱贫属性", "贫困户属性", "主要致贫原因", "危房户", "饮水安全", "饮水困难", "人均纯收入", "联系电话"]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欢阳建国志福才来九为三虎存仁厚生喜"
FEMALE = "芳娜敏静丽艳娟霞秀英兰梅玲凤红燕萍琴云莉桂华翠花玉珍雪"
TOWNS = ["城郊镇", "罕台镇", "泊江海镇", "铜川镇", "柴登镇", "漫赖镇", "塔拉壕镇", "纳林镇", "巴音镇", "新街镇", "哈巴镇", "合同镇"]
VILLAGE_PREFIX = "东西南北前后上下大小新老"
VILLAGE_SUFFIX = ["梁村", "沟村", "湾村", "塔村", "营子村", "壕村", "滩村", "圪旦村"]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

ETHNICITY = (["汉族"] * 90) + (["蒙古族"] * 7) + ["回族", "满族", "达斡尔族"]
HEALTH = (["健康"] * 70) + (["长期慢性病"] * 18) + (["患有大病"] * 5) + (["残疾"] * 7)
STATUS = ["未脱贫", "已脱贫（享受政策）", "已脱贫（享受政策）", "已脱贫（不再享受政策）"]
ATTRIBUTE = (["一般贫困户"] * 7) + (["低保贫困户"] * 2) + ["特困供养贫困户"]
CAUSE = ["因病", "因残", "因学", "因灾", "缺土地", "缺水", "缺技术", "缺劳力", "缺资金", "交通条件落后", "自身发展动力不足"]
MIGRANT = ["乡镇内务工", "县内务工", "省内务工", "省外务工"]


def id_number(rng, birth_year, male):
    month = rng.randint(1, 12)
    days = DAYS[month - 1] + (1 if month == 2 and birth_year % 4 == 0 and (birth_year % 100 or birth_year % 400 == 0) else 0)
    day = rng.randint(1, days)
    sequence = rng.randint(0, 499) * 2 + (1 if male else 0)
    first17 = "150602%04d%02d%02d%03d" % (birth_year, month, day, sequence)
    return first17 + CHECK[sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11]


def person(rng, surname, relation, age, male):
    given = "".join(rng.choice(MALE if male else FEMALE) for _ in range(rng.choice((1, 2))))
    name = (surname if relation != "配偶" else rng.choice(SURNAMES)) + given
    birth_year = 2019 - age
    if age < 6:
        education, schooling, labour = "学龄前儿童", ("学前教育" if age >= 3 else "非在校生"), "无劳动力"
    elif age < 12:
        education, schooling, labour = "小学", "小学", "无劳动力"
    elif age < 15:
        education, schooling, labour = "初中", "初中", "无劳动力"
    elif age < 18:
        education, schooling, labour = "初中", "高中", "无劳动力"
    else:
        education = rng.choice(["文盲或半文盲", "小学", "小学", "初中", "初中", "高中", "大专及以上"] if age < 60
                               else ["文盲或半文盲", "文盲或半文盲", "小学", "小学", "初中"])
        schooling = "非在校生"
        labour = rng.choice(["普通劳动力", "普通劳动力", "技能劳动力", "弱劳动力或半劳动力"] if age < 60
                            else ["弱劳动力或半劳动力", "丧失劳动力", "无劳动力", "普通劳动力"])
    working = labour in ("普通劳动力", "技能劳动力") and rng.random() < 0.6
    migrant = rng.choice(MIGRANT) if working else "未务工"
    months = rng.randint(3, 12) if working else 0
    return [name, id_number(rng, birth_year, male), relation, rng.choice(ETHNICITY), education, schooling,
            rng.choice(HEALTH), labour, migrant, str(months), "是" if rng.random() < 0.97 else "否"]


def household_people(rng, size):
    """(relation, age, male) of each person, the head first."""
    head_age = rng.randint(30, 80)
    head_male = rng.random() < 0.85
    people = [("户主", head_age, head_male)]
    if size >= 2:
        people.append(("配偶", max(20, head_age + rng.randint(-5, 3)), not head_male))
    for _ in range(size - len(people)):
        if head_age >= 55 and rng.random() < 0.4:
            relation = rng.choice(["之孙子", "之孙女"])
            people.append((relation, rng.randint(1, 17), relation == "之孙子"))
        else:
            relation = rng.choice(["之子", "之女"])
            people.append((relation, max(1, min(head_age - 20, rng.randint(1, 40))), relation == "之子"))
    return people


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=2019)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    villages = []
    for t, town in enumerate(TOWNS):
        names = set()
        while len(names) < 20:
            names.add(rng.choice(VILLAGE_PREFIX) + rng.choice(VILLAGE_SUFFIX))
        villages += [(t, v, town, name) for v, name in enumerate(sorted(names))]
    written = 0
    serial = 0
    with open(args.out, "w", encoding="utf-8", newline="") as out:
        out.write(",".join(HEADER) + "\r\n")
        while written < args.n:
            size = min(rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6)), args.n - written)
            t, v, town, village = villages[serial % len(villages)]
            serial += 1
            number = "150602%02d%02d%06d" % (t + 1, v + 1, serial)
            surname = rng.choice(SURNAMES)
            natural = village[:-1] + rng.choice("一二三四") + "社"
            household = [rng.choice(STATUS), rng.choice(ATTRIBUTE), rng.choice(CAUSE), "是" if rng.random() < 0.05 else "否",
                         "是", "否", "%d.%02d" % (rng.randint(2500, 15000), rng.randint(0, 99)),
                         "1%d%09d" % (rng.randint(3, 9), rng.randint(0, 999_999_999))]
            for index, (relation, age, male) in enumerate(household_people(rng, size)):
                row = ["东胜区", town, village, natural, number, "%s%02d" % (number, index + 1)]
                p = person(rng, surname, relation, age, male)
                row += [p[0], p[1], str(size), p[2]] + p[3:] + household
                out.write(",".join(row) + "\r\n")
                written += 1


if __name__ == "__main__":
    main()
