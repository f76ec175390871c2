"""The gated repair (cleaner/_repair.py) gives what ftfy.fix_text gives with decode's configuration.

The plain reference is `decode.repair`: ftfy.fix_text on every text. The speed trick runs ftfy's
other fixes on the whole text at once and ftfy itself only where ftfy's mojibake pattern finds
something. Both must give the same text on the repository's inputs, the decode tests' texts and
made-up mojibake, controls, line breaks and decomposed letters.
"""

from __future__ import annotations

import random

import ftfy
import pytest

from cleaner import _repair
from cleaner.config import CleanConfig
from cleaner.decode import _FTFY, _decode_bytes, repair
from cleaner.discover import discover, read
from cleaner.record import Article
from tests import test_decode
from tests.conftest import RAW


def _raw_texts() -> list[str]:
    """Every input of raw/ as decode has it before the repair."""
    texts = []
    for article in discover(RAW).articles:
        got = read(article, RAW, CleanConfig().max_bytes)
        if isinstance(got, Article):
            decoded = _decode_bytes(got.raw, got.format)
            if decoded is not None:
                texts.append(decoded[0])
    return texts


def _decode_test_texts() -> list[str]:
    """The texts of tests/test_decode.py, as they are and read as windows-1252 and Latin-1 (mojibake)."""
    base = [v for k, v in vars(test_decode).items() if k.isupper() and isinstance(v, str)]
    base += [text for _codec, text in test_decode.MIXED_LINES + test_decode.SINGLE_BYTE]
    out = []
    for text in base:
        out.append(text)
        out.append(text.encode("utf-8").decode("cp1252", errors="replace"))
        out.append(text.encode("utf-8").decode("latin-1"))
    return out


MADE_UP = [
    "",
    "plain ASCII text\n",
    "Putinâ€™s visit",
    "line one\nPutinâ€™s visit\nline three, fine\n",
    "cafÃ© and crÃ¨me brÃ»lÃ©e",
    "the end of a line\nÃ at the start of the next",  # ^ in BADNESS_RE: a line start, not the text's
    "Ã the text starts so",
    "The C1 controls \x93quoted\x94 and \x85 an ellipsis",
    "\u00e2\x80\x99 a curly quote read as Latin-1",
    "ligatures: \ufb01ne \ufb02at \ufb03x",
    "CRLF\r\nCR\rLS\u2028PS\u2029NEL\x85end",
    "a \x1b[31mred\x1b[0m word and a bell \x07 and a BOM \ufeff",
    "Cafe\u0301 and re\u0301sume\u0301\n\u0301 a mark after a line break",
    "a lone surrogate \ud83d here and a pair \ud83d\ude00",
    "mixed: Grüße, “quotes”, 日本語, ＡＢＣ full width, and Ã©tÃ© on one line",
    "Zürich\n\n\nno mojibake, only umlauts: Ärger über Öl",
    "вЂ™ Windows-1251 mojibake of a quote",
    "a\x00b\x0bc\x7fd",
]


def _random_texts(n: int = 300) -> list[str]:
    """Strings built from the characters the fixes and the mojibake pattern care about."""
    rng = random.Random(13)
    alphabet = ("abcXYZ \n\r\t.,;'\"0123" "éèÃÂâ€™œ©®°±×÷ßÐÑØÙ" "\x80\x85\x93\x94\x9f\x1b[m\x00\x07"
                "\u0301\u0308\ufb01\u2028\u2029\ufeff\ud83d\ude00" "Ё ВГРС ΒΓΞΟ √ ≈ ‚ Ä" "日本語")
    return ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 120))) for _ in range(n)]


@pytest.mark.parametrize("group", ["raw", "decode_tests", "made_up", "random"])
def test_gated_repair_equals_ftfy_always(group):
    texts = {"raw": _raw_texts, "decode_tests": _decode_test_texts, "made_up": lambda: MADE_UP,
             "random": _random_texts}[group]()
    assert texts
    for text in texts:
        assert _repair.repair(text, _FTFY) == repair(text), text[:200]


def test_the_gate_lets_clean_text_skip_ftfy(monkeypatch):
    """Text without mojibake never reaches ftfy.fix_text; text with it does."""
    calls = []
    monkeypatch.setattr(_repair.ftfy, "fix_text", lambda text, config: calls.append(text) or text)
    _repair.repair("Grüße aus Zürich —\r\n “quoted”, Cafe\u0301.", _FTFY)
    assert calls == []
    _repair.repair("Putinâ€™s visit", _FTFY)
    assert calls == ["Putinâ€™s visit"]


def test_another_configuration_goes_to_ftfy():
    text = "“curly” ＡＢＣ"
    config = _FTFY._replace(uncurl_quotes=True, fix_character_width=True)
    assert _repair.repair(text, config) == ftfy.fix_text(text, config=config) == '"curly" ABC'


def test_the_search_near_anchors_finds_what_the_whole_search_finds():
    """_mojibake searches the pattern only near the characters every match needs: same answer."""
    assert _repair._RUNS is not None  # the pattern was read: the near search is the one in use
    rng = random.Random(17)
    anchors = "ÃÂâ€œ©°ÐØÙВГРСΒΓΞΟ√≈‚"
    spaced = ["".join(rng.choice(anchors) if rng.random() < 0.08 else rng.choice("ab \n.,") for _ in range(400))
              for _ in range(300)]
    for text in _raw_texts() + _decode_test_texts() + MADE_UP + _random_texts() + spaced:
        assert _repair._mojibake(text) == (_repair._MOJIBAKE.search(text) is not None), text[:200]
