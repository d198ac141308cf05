#!/usr/bin/env python3
"""Builds Plugins/report/reference.docx, the style document pandoc lays the annual summary out
with, from pandoc's own default: the page and type of GB/T 9704-2012 (党政机关公文格式).

A4; margins 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm; title 2号 (22 pt) 小标宋, centred; body
3号 (16 pt) 仿宋 with a two-character first-line indent, 22 lines of 28 characters; headings 一、 黑体,
（一） 楷体, 1. 仿宋 bold; page numbers "— 1 —" in 4号 (14 pt) 宋体, right on odd pages, left on
even ones; 落款 (style Signature) right-aligned; a chart's title (ChartTitle) kept with its table. Run: python3 Scripts/make-reference-docx.py
(needs pandoc). Only the standard library: zipfile and re.
"""
import math
import re
import subprocess
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "Plugins" / "report" / "reference.docx"

MM = 56.7  # twips per millimetre
BODY_PT, TITLE_PT, PAGE_NUMBER_PT = 16, 22, 14
# 22 lines in the 225 mm type area: the line pitch in twentieths of a point (28.95 pt)
LINE = 579
# 28 characters in the 156 mm line: 3号 (16 pt) characters are 448 pt wide together, the line
# 442.2 pt, so each is set 0.25 pt closer (w:spacing, twentieths of a point, rounded down so the
# 28th still fits: 28 x 15.75 = 441 pt). Word's own way, a character grid (docGrid
# linesAndChars, charSpace -849), makes LibreOffice 7.4 give each character two of its 15.8 pt
# cells (14 a line), so the grid sets lines only and the spacing sets the characters.
TYPE_AREA_WIDTH_PT = 156 * 72 / 25.4
CHARS_PER_LINE = 28
CONDENSE = math.floor((TYPE_AREA_WIDTH_PT / CHARS_PER_LINE - BODY_PT) * 20)   # -5

FANGSONG = '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="仿宋_GB2312" w:cs="Times New Roman"/>'
HEITI = '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="黑体" w:cs="Times New Roman"/>'
KAITI = '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="楷体_GB2312" w:cs="Times New Roman"/>'
XBS = '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="方正小标宋简体" w:cs="Times New Roman"/>'
SONG = '<w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体" w:cs="宋体"/>'


def size(pt):
    return f'<w:sz w:val="{pt * 2}"/><w:szCs w:val="{pt * 2}"/>'


def spacing(before=0, after=0):
    return f'<w:spacing w:before="{before}" w:after="{after}" w:line="{LINE}" w:lineRule="exact"/>'


def style(style_id, name, ppr, rpr, based="Normal", extra=""):
    return (f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{style_id}"><w:name w:val="{name}"/>'
            f'<w:basedOn w:val="{based}"/><w:qFormat/>{extra}<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>')


# Text that is not body text (tables, title, captions) keeps its natural spacing.
UNCONDENSED = '<w:spacing w:val="0"/>'
INDENT = f'<w:ind w:firstLineChars="200" w:firstLine="{2 * BODY_PT * 20}"/>'
STYLES = {
    "Normal": style("Normal", "Normal", spacing() + '<w:jc w:val="both"/>',
                    FANGSONG + size(BODY_PT) + f'<w:spacing w:val="{CONDENSE}"/>', based=""),
    "BodyText": style("BodyText", "Body Text", spacing() + INDENT, ""),
    "FirstParagraph": style("FirstParagraph", "First Paragraph", spacing() + INDENT, "", based="BodyText"),
    # table cells: no indent, 4号 (14 pt) single-spaced, so columns stay readable on A4
    "Compact": style("Compact", "Compact", '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
                     '<w:snapToGrid w:val="0"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="left"/>', size(12) + UNCONDENSED,
                     based="Normal"),
    "Title": style("Title", "Title", f'<w:keepNext/><w:spacing w:before="0" w:after="{LINE}" w:line="{round(TITLE_PT * 20 * 1.5)}" '
                   'w:lineRule="exact"/><w:jc w:val="center"/><w:ind w:firstLine="0"/>', XBS + size(TITLE_PT) + UNCONDENSED),
    "Heading1": style("Heading1", "heading 1", '<w:keepNext/><w:keepLines/>' + spacing() + INDENT + '<w:outlineLvl w:val="0"/>',
                      HEITI + size(BODY_PT)),
    "Heading2": style("Heading2", "heading 2", '<w:keepNext/><w:keepLines/>' + spacing() + INDENT + '<w:outlineLvl w:val="1"/>',
                      KAITI + size(BODY_PT)),
    "Heading3": style("Heading3", "heading 3", '<w:keepNext/><w:keepLines/>' + spacing() + INDENT + '<w:outlineLvl w:val="2"/>',
                      FANGSONG + size(BODY_PT) + '<w:b/><w:bCs/>'),
    "Signature": style("Signature", "Signature", spacing() + f'<w:jc w:val="right"/><w:ind w:right="{4 * BODY_PT * 20}" w:firstLine="0"/>', ""),
    "ChartTitle": style("ChartTitle", "Chart Title", '<w:keepNext/><w:keepLines/>' + spacing(before=LINE // 2)
                        + '<w:jc w:val="center"/><w:ind w:firstLine="0"/>', HEITI + size(14) + UNCONDENSED),
    # a chart image: centred, the line as tall as the image (an exact line height would clip it)
    "Chart": style("Chart", "Chart", '<w:keepLines/><w:spacing w:before="120" w:after="120" w:line="240" w:lineRule="auto"/>'
                   '<w:snapToGrid w:val="0"/><w:jc w:val="center"/><w:ind w:firstLineChars="0" w:firstLine="0"/>', ""),
    "Version": style("Version", "Version", spacing() + '<w:ind w:firstLine="0"/>', size(10) + UNCONDENSED),
}


def footer(align):
    run = f'<w:r><w:rPr>{SONG}{size(PAGE_NUMBER_PT)}</w:rPr><w:t xml:space="preserve">'
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<w:p><w:pPr><w:jc w:val="{align}"/><w:ind w:left="{20 * PAGE_NUMBER_PT}" w:right="{20 * PAGE_NUMBER_PT}"/></w:pPr>'
            f'{run}— </w:t></w:r>'
            f'<w:r><w:rPr>{SONG}{size(PAGE_NUMBER_PT)}</w:rPr><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:rPr>{SONG}{size(PAGE_NUMBER_PT)}</w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            f'<w:r><w:rPr>{SONG}{size(PAGE_NUMBER_PT)}</w:rPr><w:fldChar w:fldCharType="separate"/></w:r>'
            f'{run}1</w:t></w:r>'
            f'<w:r><w:rPr>{SONG}{size(PAGE_NUMBER_PT)}</w:rPr><w:fldChar w:fldCharType="end"/></w:r>'
            f'{run} —</w:t></w:r></w:p></w:ftr>')


SECTION = ('<w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/>'
           '<w:footerReference w:type="even" r:id="rIdFooterEven"/>'
           '<w:pgSz w:w="11906" w:h="16838"/>'
           f'<w:pgMar w:top="{round(37 * MM)}" w:right="{round(26 * MM)}" w:bottom="{round(35 * MM)}" '
           f'w:left="{round(28 * MM)}" w:header="851" w:footer="{round(23 * MM)}" w:gutter="0"/>'
           f'<w:docGrid w:type="lines" w:linePitch="{LINE}"/></w:sectPr>')


def main():
    default = subprocess.run(["pandoc", "--print-default-data-file", "reference.docx"], check=True,
                             capture_output=True).stdout
    src = Path("/tmp") / "fupin-pandoc-reference.docx"
    src.write_bytes(default)
    with zipfile.ZipFile(src) as zin:
        parts = {name: zin.read(name) for name in zin.namelist()}
    styles = parts["word/styles.xml"].decode()
    for style_id, xml in STYLES.items():
        pattern = re.compile(r'<w:style [^>]*w:styleId="' + style_id + r'".*?</w:style>', re.S)
        xml = xml.replace('<w:basedOn w:val=""/>', "")
        if pattern.search(styles):
            styles = pattern.sub(lambda _m, x=xml: x, styles, count=1)
        else:
            styles = styles.replace("</w:styles>", xml + "</w:styles>")
    styles = re.sub(r"<w:docDefaults>.*?</w:docDefaults>", "<w:docDefaults><w:rPrDefault><w:rPr>" + FANGSONG
                    + size(BODY_PT) + '<w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>'
                    "<w:pPrDefault><w:pPr><w:spacing w:after=\"0\"/></w:pPr></w:pPrDefault></w:docDefaults>", styles, flags=re.S)
    parts["word/styles.xml"] = styles.encode()
    document = parts["word/document.xml"].decode()
    document = re.sub(r"<w:sectPr.*?</w:sectPr>|<w:sectPr */>", "", document, flags=re.S)
    parts["word/document.xml"] = document.replace("</w:body>", SECTION + "</w:body>").encode()
    settings = parts["word/settings.xml"].decode()
    if "evenAndOddHeaders" not in settings:
        settings = re.sub(r"(<w:settings[^>]*>)", r"\1<w:evenAndOddHeaders/>", settings, count=1)
    parts["word/settings.xml"] = settings.encode()
    parts["word/footer1.xml"] = footer("right").encode()
    parts["word/footer2.xml"] = footer("left").encode()
    rels = parts["word/_rels/document.xml.rels"].decode()
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
    rels = rels.replace("</Relationships>", f'<Relationship Type="{kind}" Id="rIdFooterOdd" Target="footer1.xml"/>'
                        f'<Relationship Type="{kind}" Id="rIdFooterEven" Target="footer2.xml"/></Relationships>')
    parts["word/_rels/document.xml.rels"] = rels.encode()
    types = parts["[Content_Types].xml"].decode()
    ftype = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
    types = types.replace("</Types>", f'<Override PartName="/word/footer1.xml" ContentType="{ftype}"/>'
                          f'<Override PartName="/word/footer2.xml" ContentType="{ftype}"/></Types>')
    parts["[Content_Types].xml"] = types.encode()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2019, 12, 20, 0, 0, 0))   # reproducible bytes
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, data)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
