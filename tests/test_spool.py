"""Spool: cleaned batches wait on disk, come back in batch order, and leave nothing behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.dedup import Decision
from cleaner.record import Article, Format
from cleaner.spool import Spool


def art(n: int) -> Article:
    return Article(id=f"id{n}", source=f"{n:03d}.txt", format=Format.TEXT, input_format="text")


def test_batches_come_back_in_index_order_whatever_order_they_were_put(tmp_path):
    with Spool(tmp_path) as spool:
        spool.put(2, [art(3), art(4)])
        spool.put(1, [art(1), art(2)])
        spool.put(3, [])
        assert len(spool) == 4
        assert [a.id for a in spool.articles()] == ["id1", "id2", "id3", "id4"]
        folder = spool.folder
        assert folder.is_dir() and folder.parent == tmp_path
    assert not folder.exists()


def test_summaries_come_back_in_article_order_and_a_rewrite_keeps_them(tmp_path):
    with Spool(tmp_path) as spool:
        spool.put(2, [art(3)], ["s3"])
        spool.put(1, [art(1), art(2)], ("s1", "s2"))
        assert spool.summaries() == ["s1", "s2", "s3"]
        spool.rewrite({2}, lambda position, article: art(9))  # a rewrite puts articles only
        assert [a.id for a in spool.articles()] == ["id1", "id2", "id9"]
        assert spool.summaries() == ["s1", "s2", "s3"]
        with pytest.raises(ValueError, match="1 summaries for 2 articles of batch 4"):
            spool.put(4, [art(4), art(5)], ["s4"])


def test_decisions_are_set_in_order_and_must_match_in_number(tmp_path):
    with Spool(tmp_path) as spool:
        spool.put(1, [art(1), art(2)])
        decided = list(spool.decided([Decision(None, None, None, "story-id1"),
                                      Decision("id1", "near", 0.9, "story-id1")]))
        assert [(a.id, a.duplicate_of, a.similarity) for a in decided] == [("id1", None, None), ("id2", "id1", 0.9)]
        with pytest.raises(ValueError, match="1 decisions for 2"):
            list(spool.decided([Decision(None, None, None, "s")]))


def test_the_spool_of_a_killed_run_is_removed_by_the_next_run(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    orphan = tmp_path / f"cleaner-spool-{dead.stdout.strip()}-abc"
    orphan.mkdir()
    (orphan / "000000001.pickle").write_bytes(b"x")
    mine = tmp_path / f"cleaner-spool-{os.getpid()}-live"  # a live process's spool stays
    mine.mkdir()
    with Spool(tmp_path):
        assert not orphan.exists()
        assert mine.exists()


def test_a_crash_mid_run_still_removes_the_spool(tmp_path):
    with pytest.raises(RuntimeError):  # noqa: PT012 (the error must come from inside the spool's block)
        with Spool(tmp_path) as spool:
            spool.put(1, [art(1)])
            raise RuntimeError("boom")
    assert list(Path(tmp_path).iterdir()) == []


def test_shingles_read_only_the_batches_that_hold_the_wanted_articles(tmp_path):
    from dataclasses import replace

    from cleaner.dedup import DedupSettings, shingles_of
    from cleaner.record import Block, BlockKind

    text = [replace(art(n), blocks=(Block(BlockKind.PARAGRAPH, f"word{n} and some more words here"),))
            for n in range(4)]
    settings = DedupSettings()
    with Spool(tmp_path) as spool:
        spool.put(1, text[:2])
        spool.put(2, text[2:])
        (spool.folder / "000000001.pickle").unlink()  # batch 1 holds none of the wanted: never read
        found = spool.shingles({2, 3}, settings)
        assert sorted(found) == [2, 3]
        assert (found[3] == shingles_of(text[3], settings)).all()
        assert spool.shingles(set(), settings) == {}
