"""decode(): bytes -> clean Unicode text, or a Reject a person can act on."""

from __future__ import annotations

import codecs
import gzip
import io
import random
import unicodedata
import zipfile

import pytest

from cleaner.decode import _MAX_REPLACEMENT_SHARE, _garbage_share, decode
from cleaner.record import Article, Format, Reject, RejectReason

MAX_BYTES = 1_000_000
GERMAN = (
    "Die Bürger der Stadt München äußerten große Bedenken über die Pläne. Übermäßige Gebühren "
    "für Straßenbahnfahrten ärgern viele Menschen, während die Behörden schweigen. Schön ist das nicht."
)
FRENCH = (
    "Le gouvernement français a annoncé mercredi une série de mesures destinées à soutenir les ménages "
    "face à la hausse des prix de l'énergie. Selon le ministre de l'Économie, ces aides représentent près "
    "de trois milliards d'euros et seront versées dès le mois prochain. Les syndicats ont salué un "
    "« premier pas » mais réclament davantage, tandis que l'opposition dénonce des mesures « trop "
    "tardives ». À Lyon comme à Marseille, de nombreux commerçants s'inquiètent déjà de l'hiver qui approche."
)
SPANISH = (
    "El Gobierno español aprobó el martes un paquete de medidas para hacer frente a la subida de los "
    "precios de la energía. Según el ministro de Economía, las ayudas alcanzarán a más de tres millones "
    "de hogares y se pagarán a partir del próximo año."
)


def html_article(raw: bytes) -> Article:
    return Article(id="a1", source="x.html", format=Format.HTML, input_format="html", raw=raw)


def text_article(raw: bytes) -> Article:
    return Article(id="t1", source="dump/x.txt", format=Format.TEXT, input_format="text", raw=raw)


def decoded(article: Article, max_bytes: int = MAX_BYTES) -> Article:
    result = decode(article, max_bytes)
    assert isinstance(result, Article), result
    return result


def rejected(article: Article, reason: RejectReason, max_bytes: int = MAX_BYTES) -> Reject:
    """decode's Reject, checked for the fields every decode reject must carry."""
    result = decode(article, max_bytes)
    assert isinstance(result, Reject), result
    assert (result.article_id, result.source, result.record, result.stage, result.reason) == (
        article.id, article.source, article.record, "decode", reason)
    assert len(result.detail.split()) >= 3, result.detail
    return result


# --- character sets -----------------------------------------------------------------------


def test_utf8_passes_through():
    text = "Grüße aus Zürich — “quoted” and 日本語."
    article = decoded(text_article(text.encode("utf-8")))
    assert (article.text, article.encoding, article.raw) == (text, "utf-8", b"")


def test_utf8_bom_is_dropped():
    article = decoded(text_article(codecs.BOM_UTF8 + "Café".encode()))
    assert (article.text, article.encoding) == ("Café", "utf-8")


def test_windows_1252_page_with_meta_charset():
    page = ('<html><head><meta charset="windows-1252"><title>Caf\u00e9</title></head>'
            "<body><p>\u201cCaf\u00e9\u201d, he said \u2018twice\u2019 \u2013 \u20ac5.</p></body></html>")
    raw = page.encode("cp1252")
    assert b"\x93" in raw and b"\xe9" in raw  # really single-byte, not UTF-8
    article = decoded(html_article(raw))
    assert article.text == page
    assert article.encoding == "cp1252"


def test_iso_8859_1_declaration_is_read_as_windows_1252():
    """Browsers read a page labelled ISO-8859-1 as windows-1252, so 0x93/0x94 are curly quotes."""
    page = '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"><p>\u201cNa\u00efve\u201d</p>'
    article = decoded(html_article(page.encode("cp1252")))
    assert article.text == page
    assert article.encoding == "cp1252"


@pytest.mark.parametrize("label", ["utf-16", "UTF-16LE", "utf-32"])
def test_a_utf16_declaration_on_an_ascii_readable_page_is_read_as_utf8(label):
    """A common mistake that browsers forgive: the page is UTF-8 (its meta tag is readable as
    ASCII bytes, which a UTF-16 page's is not)."""
    page = f'<html><head><meta charset="{label}"></head><body><p>Gr\u00fc\u00dfe \u201cx\u201d</p></body></html>'
    article = decoded(html_article(page.encode("utf-8")))
    assert (article.text, article.encoding) == (page, "utf-8")


def test_unknown_declared_charset_falls_back_to_utf8():
    page = '<meta charset="x-no-such-charset"><p>Gr\u00fc\u00dfe \u201cx\u201d</p>'
    article = decoded(html_article(page.encode("utf-8")))
    assert (article.text, article.encoding) == (page, "utf-8")


def test_lying_declaration_falls_back_to_detection():
    page = f'<html><head><meta charset="utf-8"></head><body><p>{GERMAN}</p></body></html>'
    article = decoded(html_article(page.encode("latin-1")))
    assert article.text == page
    assert article.encoding != "utf-8"


def test_latin1_german_without_declaration_is_detected():
    raw = GERMAN.encode("latin-1")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    article = decoded(text_article(raw))
    assert article.text == GERMAN
    assert article.encoding not in ("", "utf-8")


@pytest.mark.parametrize("text", [FRENCH, SPANISH], ids=["french", "spanish"])
def test_latin1_french_and_spanish_without_declaration_are_detected(text):
    assert decoded(text_article(text.encode("latin-1"))).text == text


@pytest.mark.parametrize(("bom", "codec"), [
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (b"", "utf-16-le"),
    (b"", "utf-16-be"),
], ids=["le-bom", "be-bom", "le-no-bom", "be-no-bom"])
def test_utf16_with_and_without_bom(bom, codec):
    page = "<p>Gr\u00fc\u00dfe \u201caus\u201d Z\u00fcrich, a paragraph long enough to tell.</p>"
    article = decoded(html_article(bom + page.encode(codec)))
    assert (article.text, article.encoding) == (page, codec)


MIXED_LINES = [
    ("utf-8", "The café in Zürich served crème brûlée to the naïve visitors on Monday."),
    ("cp1252", "Councillors in Zürich said the “old café” would reopen — after repairs — in spring."),
    ("ascii", "The vote was held on Tuesday evening in the town hall."),
    ("utf-8", "Résumé of the débâcle: the façade of the Hôtel de Ville will be restored."),
    ("cp1252", "Señora Müller, who runs the crêperie, welcomed the decision."),
]


def test_a_file_mixing_utf8_and_windows_1252_lines_is_decoded_line_by_line():
    """Each line in its own charset: never 'cafĂŠ' for every line, as one legacy charset gives."""
    raw = b"\n".join(text.encode(codec) for codec, text in MIXED_LINES)
    article = decoded(text_article(raw))
    assert article.text == "\n".join(text for _codec, text in MIXED_LINES)
    assert article.encoding == "utf-8+cp1252"


# --- repairs and normalisation ------------------------------------------------------------


def test_mojibake_is_repaired():
    article = decoded(text_article("Putinâ€™s visit".encode()))
    assert article.text == "Putin\u2019s visit"


def test_mojibake_in_windows_1252_page_is_repaired():
    page = '<meta charset="windows-1252"><p>Putin\u00e2\u20ac\u2122s visit</p>'
    article = decoded(html_article(page.encode("cp1252")))
    assert article.text == '<meta charset="windows-1252"><p>Putin\u2019s visit</p>'


def test_typographic_quotes_are_kept():
    text = "\u201cDouble\u201d and \u2018single\u2019 quotes, \u201eGerman\u201c too, and it\u2019s fine."
    article = decoded(text_article(text.encode("utf-8")))
    assert article.text == text
    assert '"' not in article.text and "'" not in article.text


CHINESE = "市政府周四宣布，将在明年春季开始修建一座横跨河流的新人行桥。市长王建国表示：“新桥将方便数万居民（约３万人）出行！”"
JAPANESE = "市議会は木曜日の夜、川に架かる新しい歩道橋の建設計画を可決した。総事業費はおよそ四十億円と見込まれ、工事は来年の春に始まる予定だ。"


def test_full_width_punctuation_and_digits_are_kept():
    """The text's own characters: a Chinese comma stays '，', not ASCII ','."""
    assert decoded(text_article(CHINESE.encode("utf-8"))).text == CHINESE


@pytest.mark.parametrize(("codec", "text", "declared"), [
    ("gb18030", CHINESE, True), ("gb18030", CHINESE, False),
    ("shift_jis", JAPANESE, True), ("shift_jis", JAPANESE, False),
], ids=["gb18030", "gb18030-undeclared", "shift_jis", "shift_jis-undeclared"])
def test_chinese_and_japanese_legacy_encodings(codec, text, declared):
    page = (f'<meta charset="{codec}">' if declared else "") + f"<p>{text * 3}</p>"
    assert decoded(html_article(page.encode(codec))).text == page


def test_html_entities_are_left_for_the_parser():
    page = "<p>Fish &amp; chips &lt;3</p>"
    assert decoded(html_article(page.encode())).text == page


def test_no_break_spaces_become_plain_spaces():
    article = decoded(text_article("10\u00a0km from\u202fhere\u2009now".encode("utf-8")))
    assert article.text == "10 km from here now"


def test_text_is_nfc_normalised():
    decomposed = "Cafe\u0301 and re\u0301sume\u0301"
    assert unicodedata.is_normalized("NFD", decomposed)
    article = decoded(text_article(decomposed.encode("utf-8")))
    assert article.text == "Caf\u00e9 and r\u00e9sum\u00e9"


def test_line_breaks_are_unified_and_lines_trimmed():
    article = decoded(text_article(b"  First line  \r\nsecond\rthird\n"))
    assert article.text == "First line\nsecond\nthird"


# --- rejects ------------------------------------------------------------------------------


def test_empty_bytes_are_empty():
    reject = rejected(html_article(b""), RejectReason.EMPTY)
    assert reject.detail == "the input is empty"


@pytest.mark.parametrize("raw", [b" \n\t\r\n  ", "\u00a0\u200b\n".encode("utf-8")], ids=["ascii", "nbsp-zero-width"])
def test_whitespace_only_is_empty(raw):
    rejected(text_article(raw), RejectReason.EMPTY)


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hello")
    return buffer.getvalue()


@pytest.mark.parametrize(("raw", "kind"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40), "PNG image"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF document"),
    (_zip_bytes(), "ZIP archive"),
    (gzip.compress(b"<html><body>hello</body></html>"), "gzip archive"),
], ids=["png", "pdf", "zip", "gzip"])
def test_binary_payload_under_html_name_is_binary(raw, kind):
    reject = rejected(html_article(raw), RejectReason.BINARY)
    assert kind in reject.detail


def test_random_bytes_with_nuls_are_binary():
    rng = random.Random(7)
    raw = b"<p>" + bytes(rng.randrange(256) for _ in range(3000)) + b"\x00\x00\x00\x00"
    reject = rejected(text_article(raw), RejectReason.BINARY)
    assert "NUL" in reject.detail


def test_over_max_bytes_is_too_large():
    reject = rejected(html_article(b"<p>" + b"x" * 2000 + b"</p>"), RejectReason.TOO_LARGE, max_bytes=2000)
    assert "2,007" in reject.detail and "2,000" in reject.detail


def test_exactly_max_bytes_is_allowed():
    assert decoded(text_article(b"x" * 2000), max_bytes=2000).text == "x" * 2000


def test_high_bytes_noise_is_undecodable():
    rng = random.Random(1)
    raw = bytes(rng.randrange(128, 256) for _ in range(3000))
    reject = rejected(html_article(raw), RejectReason.UNDECODABLE)
    assert "character set" in reject.detail


def test_text_full_of_replacement_characters_is_undecodable():
    raw = ("Some words \ufffd\ufffd here. " * 50).encode("utf-8")
    reject = rejected(text_article(raw), RejectReason.UNDECODABLE)
    assert "utf-8" in reject.detail


def test_text_full_of_control_characters_is_undecodable():
    raw = ("word\x01\x02\x03 " * 100).encode("utf-8")
    rejected(text_article(raw), RejectReason.UNDECODABLE)


def test_a_few_replacement_characters_are_tolerated():
    text = "A long sentence of readable text that mentions one broken \ufffd character. " * 3
    assert "\ufffd" in decoded(text_article(text.encode("utf-8"))).text


@pytest.mark.parametrize(("text", "garbage"), [
    ("", False),
    ("a" * 99 + "\ufffd", False),  # 1 %: under the 2 % limit
    ("a" * 97 + "\ufffd" * 3, True),  # 3 %
    ("a" * 96 + "\x01" * 4, False),  # 4 % controls: under their 5 % limit
    ("a" * 90 + "\x01" * 10, True),
    ("line\n\ttab\r\n" * 20, False),  # ordinary whitespace controls do not count
], ids=["empty", "1pct-fffd", "3pct-fffd", "4pct-controls", "10pct-controls", "whitespace"])
def test_garbage_share_threshold(text, garbage):
    assert (_garbage_share(text) > _MAX_REPLACEMENT_SHARE) is garbage


def test_reject_keeps_json_lines_record_number():
    article = Article(id="j7", source="feed.jsonl", format=Format.TEXT, input_format="jsonl", record=7, raw=b"")
    assert rejected(article, RejectReason.EMPTY).record == 7


SINGLE_BYTE = [
    ("cp1250", "Wczoraj w Warszawie odbyło się spotkanie ministrów. Łódź i Gdańsk też uczestniczyły, a żółć się lała."),
    ("cp1250", "Vláda v Praze včera schválila nový zákon o daních, který platí od příštího roku pro všechny."),
    ("cp1254", "Türkiye'de seçimler yapıldı. İstanbul ve Ankara'da şehir meclisi toplandı; ağır kış koşulları sürdü."),
    ("cp1251", "Вчера в Москве прошла встреча министров иностранных дел двух стран, сообщает агентство."),
    ("cp1252", "La città è stata colpita da un forte temporale; più di cento alberi sono caduti perché il vento era forte."),
    ("cp1252", "Regeringen i Stockholm meddelade på måndagen att skatterna höjs för de flesta hushåll i år."),
    ("cp1252", "O governo português anunciou ontem medidas para a habitação, após críticas da oposição à sua política."),
]


@pytest.mark.parametrize(("codec", "text"), SINGLE_BYTE, ids=[f"{c}-{t[:12]}" for c, t in SINGLE_BYTE])
def test_undeclared_single_byte_text_in_its_own_code_page(codec, text):
    """Western text prefers windows-1252; Polish, Czech, Turkish and Russian keep their own code page."""
    assert decoded(text_article(text.encode(codec))).text == text


def test_a_charset_has_one_spelling_whether_declared_or_detected():
    russian = "Вчера в Москве прошла встреча министров иностранных дел двух стран, сообщает агентство печати."
    page = f'<html><head><meta charset="KOI8_R"></head><body><p>{russian}</p></body></html>'
    assert decoded(html_article(page.encode("koi8_r"))).encoding == "koi8-r"
    assert decoded(text_article(russian.encode("koi8_r"))).encoding == "koi8-r"  # detected: was 'koi8_r'



def test_a_json_lines_record_is_utf8_whatever_its_html_declares():
    """The record's text was Unicode in its JSON: the charset the fetched page declared says
    nothing about the bytes discover wrote."""
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body>'
            "<p>Die Gewerkschaft der Lokführer hat für Mittwoch einen Streik angekündigt – „Wir lassen uns "
            "nicht erpressen“, sagte ein Sprecher.</p></body></html>")
    article = Article(id="j1", source="feed.jsonl", format=Format.HTML, input_format="jsonl", record=1,
                      raw=page.encode("utf-8"))
    got = decoded(article)
    assert (got.text, got.encoding) == (page, "utf-8")
