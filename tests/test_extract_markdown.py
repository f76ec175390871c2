"""extract.markdown: a page dumped as Markdown is read as the text a reader sees."""

from __future__ import annotations

from cleaner.extract import split_text
from cleaner.extract.markdown import looks_like_markdown, plain_text

DUMP = """[Skip to content](#main)

* [Home](https://example.com/)
* [World](https://example.com/world "World news")

![Logo](https://example.com/logo.png)

# Putin and Kim meet at the spaceport

By **Anna Petrova** | [Politics](/politics)

The two leaders met at the [Vostochny Cosmodrome](https://en.wikipedia.org/wiki/Vostochny_Cosmodrome) on
*Wednesday*, according to state media, and discussed the\\_satellite programme.

| Item | Cost |
| --- | --- |
| Roads | 4.2m |

Read the [full report][1].

[1]: https://example.com/report.pdf
"""


def test_a_markdown_dump_loses_its_syntax_and_keeps_its_text():
    assert looks_like_markdown(DUMP)
    text = plain_text(DUMP)
    assert "# " not in text and "](" not in text and "**" not in text and "logo.png" not in text
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    assert "Putin and Kim meet at the spaceport" in lines
    assert "By Anna Petrova | Politics" in lines
    assert ("The two leaders met at the Vostochny Cosmodrome on" in lines
            and "Wednesday, according to state media, and discussed the_satellite programme." in lines)
    assert "Roads  4.2m" in lines and "Item  Cost" in lines
    assert "Read the full report." in lines and not any("report.pdf" in line for line in lines)
    assert "* Home" in lines  # a list item keeps its bullet for split_text


def test_split_text_reads_a_markdown_dump_as_plain_lines():
    texts = [b.text for b in split_text(DUMP)]
    assert "Putin and Kim meet at the spaceport" in texts
    assert "Home" in texts and "World" in texts  # list items without their marker


def test_a_plain_dump_that_quotes_markdown_like_text_is_left_as_it_is():
    shell = ("Install the package first.\n\n# install the tool\npip install tool\n\n# run it\ntool --help\n\n"
             "See [1] and [2] for details; the *stars* stay.\n")
    assert not looks_like_markdown(shell)
    assert [b.text for b in split_text(shell)][1] == "# install the tool"
    # Two links are not enough to call a dump Markdown.
    assert not looks_like_markdown("See [a](https://a.example) and [b](https://b.example).\n" * 1)
