"""What real publishers' pages do that the demo web does not (issue 12), one small page per cause."""

from __future__ import annotations

import datetime as dt
import json

from crosspost.common.text import count_words, repair_text
from extract import body as body_module
from extract.authors import clean_name, split_authors
from extract.decode import check_response, decode_html
from extract.page import extract_page
from extract_testlib import article_html, prose

URL = "https://news.example/2026/11/18/story"
DAY = dt.date(2026, 11, 20)
ZH = ("市政府周三宣布，将在明年春季前完成港口大桥的维修工程，并为沿线居民提供临时渡轮服务。"
      "官员表示，这项计划经过长达一年的成本审查和公众咨询，预计总投资约为三亿元。")
JA = ("市は水曜日、来年の春までに港の橋の修理を終えると発表した。工事の間、住民のために臨時のフェリーを運航する。"
      "担当者によると、計画は一年にわたる費用の見直しと住民への説明を経て決まった。")
TH = "รัฐบาลประกาศเมื่อวันพุธว่าจะซ่อมสะพานท่าเรือให้เสร็จก่อนฤดูใบไม้ผลิปีหน้า และจะจัดเรือข้ามฟากชั่วคราวให้ประชาชน"


def record_of(html: str | bytes, **kw) -> dict:
    return extract_page(html, URL, crawl_date=DAY, content_type=kw.pop("content_type", "text/html"), **kw)


# -- words of scripts without spaces

def test_chinese_japanese_and_thai_words_are_characters():
    assert count_words("港口大桥") == 4
    assert count_words("東京 tower 2026") == 4  # two kanji, two \w runs
    assert count_words(TH) == len(TH.replace(" ", ""))
    assert count_words("Harbour bridge, repaired: twice") == 4


def test_a_chinese_article_is_kept():
    html = article_html("港口大桥维修工程明年春季完工", [ZH, ZH[::-1], ZH[5:] + ZH[:5]], lang="zh")
    record = record_of(html)
    assert (record["status"], record["reason"]) == ("ok", None)
    assert record["word_count"] > 100


def test_a_japanese_article_of_one_paragraph_is_kept():
    record = record_of(article_html("港の橋、来春までに修理", [JA], lang="ja"))
    assert record["status"] == "ok", record["reason"]


# -- byte-order marks

def test_a_utf16_page_with_a_bom_is_an_article():
    html = article_html("Ferry service restored", [prose(1), prose(2)])
    for encoding in ("utf-16", "utf-16-be", "utf-32"):
        body = (html.encode(encoding) if encoding != "utf-16-be" else b"\xfe\xff" + html.encode(encoding))
        check_response(body, "text/html", 200)  # NUL bytes, but text
        assert decode_html(body, "text/html") == html
        record = record_of(body)
        assert record["status"] == "ok", (encoding, record["reason"])
        assert record["title"] == "Ferry service restored"


def test_a_binary_file_is_still_binary():
    record = record_of(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    assert (record["status"], record["reason"]) == ("no_article", "binary_content")


def test_a_utf8_page_with_one_broken_byte_stays_utf8():
    html = article_html("Grüße aus Köln", [prose(1) + " Größere Straßenbahnen fahren über die Brücke.", prose(2)])
    body = html.encode("utf-8").replace(b"Gr\xc3\xbc\xc3\x9fe", b"Gr\xc3\xbc\xe4e", 1)
    assert "Straßenbahnen fahren über" in decode_html(body, "text/html; charset=utf-8")


# -- titles

def test_entities_and_mojibake_in_titles_are_repaired():
    entities = "Bernard Arnault&#8217;s &quot;Louvre&quot; &raquo; More"
    assert repair_text(entities) == "Bernard Arnault’s \"Louvre\" » More"
    assert repair_text("DonÂ´t stop â€žnowâ€œ") == "Don´t stop „now“"
    assert repair_text("Müller & Söhne: naïve café") == "Müller & Söhne: naïve café"


def test_a_double_escaped_title_comes_out_clean():
    ld = json.dumps({"@type": "NewsArticle", "headline": "Council&#8217;s &quot;harbour&quot; plan",
                     "author": {"@type": "Person", "name": "Redacci&oacute;n Sur"}})
    html = article_html("Council’s \"harbour\" plan", [prose(1), prose(2)],
                        head=f'<script type="application/ld+json">{ld}</script>')
    record = record_of(html)
    assert record["title"] == "Council’s \"harbour\" plan"
    assert record["authors"] == ["Redacción Sur"]


# -- authors

def test_interface_words_and_prefixes_are_not_names():
    assert [clean_name(p) for p in split_authors("Erstellt von Andri Bryner")] == ["Andri Bryner"]
    assert [clean_name(p) for p in split_authors("Post author By Helge Fahrnberger")] == ["Helge Fahrnberger"]
    assert clean_name("Por") is None and clean_name("Von") is None
    assert clean_name("Stephanie Bazzle June") == "Stephanie Bazzle"
    assert clean_name("Jane Roe (obe)") == "Jane Roe"
    assert clean_name("Christoph von Ritter") == "Christoph von Ritter"


def test_a_menu_in_a_meta_bar_is_not_the_author():
    html = article_html("Ferry service restored", [prose(1), prose(2)], before=(
        '<div class="header-meta"><a href="/menu">Menü</a> <a href="/suche">Suchen</a></div>'
        '<div class="byline">Von Tomas Spahn | 20. November 2026</div>'))
    assert record_of(html)["authors"] == ["Tomas Spahn"]


def test_a_byline_with_initials_keeps_them():
    html = article_html("Ferry service restored", [prose(1), prose(2)],
                        before='<p class="author">By T. V. Raman</p>')
    assert record_of(html)["authors"] == ["T. V. Raman"]


# -- dates

def test_the_pages_own_json_ld_date_wins_over_a_related_article():
    related = {"@type": "NewsArticle", "url": "https://news.example/other", "datePublished": "2026-11-18T17:00:00Z"}
    own = {"@type": "NewsArticle", "url": URL, "datePublished": "2026-11-18T08:00:00Z", "headline": "Ferry"}
    ld = json.dumps({"@graph": [related, own]})
    html = article_html("Ferry", [prose(1), prose(2)], head=f'<script type="application/ld+json">{ld}</script>')
    record = record_of(html)
    assert (record["published_at"], record["published_evidence"]) == ("2026-11-18T08:00:00Z", "json-ld")


def test_a_related_articles_time_does_not_date_the_page():
    teaser = ('<article><h4><a href="/2009/04/11/old">Old story</a></h4>'
              '<time datetime="2009-04-11 18:06">x</time></article>')
    html = article_html("Ferry", [prose(1), prose(2)], after=f"<aside>{teaser * 2}</aside>")
    record = record_of(html)
    assert (record["published_at"], record["published_evidence"]) == ("2026-11-18T00:00:00Z", "url")


# -- pages that look like listings, short pages

def test_an_article_with_a_table_of_contents_is_kept():
    sections = [f"How is part {i} of the plan paid for?" for i in range(6)]
    toc = "<ul>" + "".join(f'<li><a href="#s{i}">{s}</a></li>' for i, s in enumerate(sections)) + "</ul>"
    body = "".join(f"<h2 id='s{i}'>{s}</h2><p>{prose(i)}</p>" for i, s in enumerate(sections))
    html = (f"<!DOCTYPE html><html><head><title>Harbour plan</title></head><body><h1>Harbour plan</h1>"
            f"{toc}<div class='text'>{body}</div></body></html>")
    record = record_of(html)
    assert record["status"] == "ok", record["reason"]
    assert prose(3)[:60] in record["text"]


def test_a_listing_like_page_with_prose_is_kept_with_low_confidence():
    teasers = "".join(f'<h3><a href="/n/{i}">Story number {i} of the day</a></h3><time datetime="2026-11-1{i}">'
                      f"</time>" for i in range(8))
    html = (f"<!DOCTYPE html><html><head><title>About us</title></head><body><div>{teasers}</div>"
            f"<div class='page'><p>{prose(1)}</p><p>{prose(2)}</p></div></body></html>")
    record = record_of(html)
    assert (record["status"], record["reason"]) == ("ok", "low_confidence:index_page")


def test_a_short_news_brief_with_a_headline_is_kept_with_low_confidence():
    brief = ("The harbour bridge will close for repairs from Monday, the council said on Wednesday, and a "
             "temporary ferry will run every twenty minutes until the work ends in the spring of next year.")
    html = article_html("Harbour bridge to close", [brief], head='<meta property="og:type" content="article">')
    record = record_of(html)
    assert (record["status"], record["reason"]) == ("ok", "low_confidence:too_short")


def test_a_video_page_with_its_summary_is_kept_with_low_confidence():
    """A programme's page: a title that is no heading, its summary, the broadcast date."""
    summary = ("Dubious traders promise help with sleep problems, joint pain and even cancer: the programme "
               "shows how gaps in the law let food supplements reach the market without any control at all.")
    html = (f'<!DOCTYPE html><html><head><title>Supplements: a dubious trade | Video</title>'
            f'<meta property="og:type" content="video.other"></head><body><div class="player">'
            f'<p>Supplements: a dubious trade</p><p>16.10.2019</p><p>{summary}</p><p>Video available until 2020</p>'
            f'</div></body></html>')
    record = record_of(html)
    assert (record["status"], record["reason"]) == ("ok", "low_confidence:too_short")
    assert summary in record["text"]
    without_type = html.replace('<meta property="og:type" content="video.other">', "")
    assert record_of(without_type)["reason"] == "too_short"


# -- trafilatura's full pass

def test_the_full_pass_runs_only_when_the_fast_pass_kept_little(monkeypatch):
    calls = []
    real = body_module._extraction

    def spy(tree, url, fast):
        calls.append(fast)
        doc = real(tree, url, fast)
        if not fast and short:
            doc.text = prose(1) + "\n" + prose(2) + "\n" + prose(3)
        return doc

    monkeypatch.setattr(body_module, "_extraction", spy)
    short = False
    assert record_of(article_html("Ferry", [prose(1), prose(2)]))["status"] == "ok"
    assert calls == [True]
    # a lead paragraph out of a long page: the full pass runs and its longer text is taken
    calls.clear()
    short = True
    menu = "".join(f'<li><a href="/s/{i}">Section {i} of the site and its archive</a></li>' for i in range(60))
    html = article_html("Ferry", [prose(1)], after=f"<ul>{menu}</ul><p>{prose(2)}</p>" * 3)
    record = record_of(html)
    assert calls == [True, False]
    assert record["text"].split("\n\n")[2] == prose(3)
    # a body trafilatura's full pass would replace whatever its fallbacks find (more tables than
    # paragraphs: a price list laid out in tables) takes the full pass too, however long it is
    calls.clear()
    short = False
    rows = "".join(f"<tr><td>Room {i} with a view of the sea</td><td>US $ {100 + i},00 a night</td></tr>"
                   for i in range(12))
    html = article_html("Villa prices", [], after=f"<table>{rows}</table><div>{prose(1)}</div><table>{rows}</table>")
    record_of(html)
    assert calls == [True, False]
