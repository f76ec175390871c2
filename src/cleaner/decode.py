"""bytes -> text: detect the character set, refuse binaries, repair mojibake, normalise Unicode.

The order matters: a byte-order mark wins, then a charset the HTML page declares (if the
bytes really decode with it), then strict UTF-8, then charset-normalizer's detection. ftfy
repairs text that was decoded with the wrong charset upstream ('Putinâ€™s' -> 'Putin’s')
but keeps typographic quotes and full-width punctuation as they are.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import replace

import charset_normalizer
import ftfy

from cleaner import _langid, _repair
from cleaner.normalize import clean_text
from cleaner.record import Article, Format, Reject, RejectReason

# Signatures of formats that are never a page, even under a .html or .txt name.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF container (WebP, WAV or AVI)"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"MZ", "a Windows executable"),
    (b"\x00\x00\x01\x00", "an icon file"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
# Mojibake repair only: the text's own characters stay (typographic quotes, and the full-width
# punctuation of Chinese and Japanese, which fix_character_width would turn into ASCII).
_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, unescape_html=False, fix_character_width=False,
                             fix_line_breaks=True, normalization="NFC")
# Non-ASCII characters of Western European text: Latin-1 letters (without Icelandic þ ð, whose
# bytes are Turkish ş ğ in cp1254) and the typographic signs of windows-1252.
_WESTERN = frozenset(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝßàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿŒœŠšŸŽž"
    "\u00a0«»°·¡¿€£¥©®™§¶–—‘’‚“”„†‡•…‰‹›ªº±×÷¼½¾¹²³µ"
)
# The legacy encodings web pages really use (from the WHATWG Encoding Standard's list, without
# the rare ISO-8859-3/4/10/14/16), in Python's names. Detection looks among these first:
# unrestricted, short Polish text came out as ISO-8859-3 (Maltese).
_WEB_ENCODINGS = (
    "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "iso8859_2", "iso8859_5", "iso8859_6", "iso8859_7", "iso8859_8", "iso8859_13", "iso8859_15",
    "koi8_r", "koi8_u",
    "mac_roman", "mac_cyrillic", "cp874", "gb18030", "big5", "euc_jp", "iso2022_jp", "shift_jis", "euc_kr",
)
_WESTERN_LANGUAGES = frozenset("en fr es pt it de nl sv da no nb nn fi ca gl eu ga cy lb af is oc la".split())
_MAX_REPLACEMENT_SHARE = 0.02  # more U+FFFD than this and the text is garbage
_MAX_CONTROL_SHARE = 0.05


def decode(article: Article, max_bytes: int) -> Article | Reject:
    """Turn `raw` into clean Unicode `text`, or reject with the reason a person can act on."""
    raw = article.raw
    if len(raw) > max_bytes:
        return Reject.of(article, "decode", RejectReason.TOO_LARGE,
                         f"{len(raw):,} bytes is over the {max_bytes:,}-byte limit (max_bytes)")
    if not raw.strip():
        what = "the input is empty" if not raw else "the input holds only whitespace"
        return Reject.of(article, "decode", RejectReason.EMPTY, what)
    kind = _binary_kind(raw)
    if kind:
        return Reject.of(article, "decode", RejectReason.BINARY, f"the bytes are {kind}, not a web page or text")
    # A JSON-lines record's text was Unicode in its file: discover wrote it as UTF-8, and a
    # charset its HTML still declares (the page's as fetched) says nothing about these bytes.
    decoded = (raw.decode("utf-8"), "utf-8") if article.input_format == "jsonl" else _decode_bytes(raw, article.format)
    if decoded is None:
        return Reject.of(article, "decode", RejectReason.UNDECODABLE,
                         "no character set turns these bytes into readable text")
    text, encoding = decoded[0], _label(decoded[1])
    if _garbage_share(text) > _MAX_REPLACEMENT_SHARE:
        return Reject.of(article, "decode", RejectReason.UNDECODABLE,
                       f"decoded as {encoding}, too much of the text is unreadable (replacement or control characters)")
    text = clean_text(_repair.repair(text, _FTFY))  # what repair(text) gives, ftfy only where mojibake may be
    if not text:
        return Reject.of(article, "decode", RejectReason.EMPTY,
                         "the input holds only whitespace or invisible characters")
    return replace(article, raw=b"", text=text, encoding=encoding)


def repair(text: str) -> str:
    """ftfy's repair as _FTFY configures it: mojibake, C1 controls, ligatures, line breaks, control
    characters, NFC. The plain reference of `_repair.repair`, which decode uses: the same text,
    with ftfy's mojibake repair run only where ftfy's own test finds mojibake."""
    return ftfy.fix_text(text, config=_FTFY)


def _binary_kind(raw: bytes) -> str:
    for magic, kind in _MAGIC:
        if raw.startswith(magic):
            return kind
    head = raw[:8192]
    if any(head.startswith(bom) for bom, _ in _BOMS) or _looks_utf16(head):
        return ""
    if b"\x00" in head:
        return "binary data (it contains NUL bytes)"
    return ""


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte is NUL for Latin text."""
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return (odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even)) or (
        even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd)
    )


def _decode_bytes(raw: bytes, fmt: Format | None) -> tuple[str, str] | None:
    for bom, name in _BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom):].decode(name), name
            except UnicodeDecodeError:
                break
    head = raw[:8192]
    if _looks_utf16(head):
        name = "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
        try:
            return raw.decode(name), name
        except UnicodeDecodeError:
            pass
    if fmt is Format.HTML:
        declared = _declared_charset(raw)
        if declared:
            try:
                return raw.decode(declared), declared
            except (UnicodeDecodeError, LookupError):
                pass  # the declaration lies; detect instead
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        # A UTF-8 file cut inside its last character (a truncated download): drop the
        # partial character rather than read the whole file in another charset.
        if exc.reason == "unexpected end of data" and len(raw) - exc.start < 4:
            try:
                return raw[: exc.start].decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                pass
    return _mixed_with_utf8(raw) or _legacy(raw)


def _label(encoding: str) -> str:
    """One spelling of a charset, declared or detected: Python's name ('koi8-r', 'iso8859-2');
    'utf-8+cp1252' (a file of mixed lines) as it is."""
    return "+".join(codecs.lookup(part).name for part in encoding.split("+"))


def _legacy(raw: bytes) -> tuple[str, str] | None:
    """Bytes that are not UTF-8: windows-1252 if they read as Western text, else charset-normalizer's pick."""
    western = _plausible_cp1252(raw)
    if western is not None:
        return western, "cp1252"
    best = charset_normalizer.from_bytes(raw, cp_isolation=list(_WEB_ENCODINGS)).best()
    if best is None:
        best = charset_normalizer.from_bytes(raw).best()
    if best is None:
        return None
    return str(best), best.encoding


def _mixed_with_utf8(raw: bytes) -> tuple[str, str] | None:
    """A file whose lines are partly UTF-8 and partly in one legacy charset (exports pasted
    together), each line decoded in its own; None when the file is not such a mix.

    Read whole in one legacy charset, its UTF-8 lines turn to mojibake ('cafĂŠ') that no
    repair undoes. A legacy line is almost never valid UTF-8 by chance: its non-ASCII
    letters would have to come in exact lead-and-continuation byte patterns.
    """
    lines = raw.splitlines(keepends=True)
    utf8: dict[int, str] = {}
    legacy: list[int] = []
    for i, line in enumerate(lines):
        if line.isascii():
            continue
        try:
            utf8[i] = line.decode("utf-8")
        except UnicodeDecodeError:
            legacy.append(i)
    if not utf8 or not legacy:
        return None
    found = _legacy(b"".join(lines[i] for i in legacy))
    if found is None:
        return None
    codec = found[1]
    try:
        text = "".join(utf8[i] if i in utf8 else line.decode(codec) for i, line in enumerate(lines))
    except (UnicodeDecodeError, LookupError):
        return None
    return text, f"utf-8+{codec}"


def _plausible_cp1252(raw: bytes) -> str | None:
    """The text as windows-1252 when every non-ASCII character is a Western European letter or
    typographic sign; None otherwise.

    and the text reads as a Western European language; None otherwise.

    Without a declaration, charset-normalizer ranks code pages that decode the same bytes
    equally well, and for short French or Spanish text it can prefer cp1257 or cp1250
    ('ç' -> 'ē', 'ñ' -> 'ń'). Windows-1252 is the web's default for undeclared single-byte
    pages (WHATWG). Text in another code page read as cp1252 either shows characters outside
    the set (Turkish 'ş ğ' become 'þ ð', Cyrillic becomes symbols) or still reads as its own
    language (Polish, Czech): then charset-normalizer decides.
    """
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:  # bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D)
        return None
    if not all(ch < "\x80" or ch in _WESTERN for ch in text):
        return None
    language, _score = _langid.classify(text[:5000])  # py3langid's answer, faster
    return text if language in _WESTERN_LANGUAGES else None


def _declared_charset(raw: bytes) -> str:
    match = _META_CHARSET.search(raw[:4096])
    if not match:
        return ""
    name = match.group(1).decode("ascii", "ignore").lower()
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return ""
    # Browsers read a page labelled ISO-8859-1 or ASCII as windows-1252, and one whose meta says
    # UTF-16 or UTF-32 as UTF-8 (WHATWG Encoding; HTML's prescan): a meta tag readable as ASCII
    # bytes is no UTF-16 page (a real one has a BOM or NULs between its letters, read above).
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return "cp1252" if name in {"latin-1", "iso8859-1", "ascii"} else name


def _garbage_share(text: str) -> float:
    if not text:
        return 0.0
    bad = text.count("\ufffd")
    controls = sum(1 for ch in text[:100_000] if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    sample = min(len(text), 100_000)
    return max(bad / len(text), controls / sample * (_MAX_REPLACEMENT_SHARE / _MAX_CONTROL_SHARE))
