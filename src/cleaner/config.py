"""CleanConfig: every setting of a run, each with a default and a description.

The Prefect flow takes this model as its parameter, so the UI's run form shows these
descriptions; the command line builds it from flags. Stages receive only the fields
they use.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


def default(name: str):
    """The default of one CleanConfig field: the one place a setting's default is stated."""
    return CleanConfig.model_fields[name].default


class CleanConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    raw_dir: str = Field(
        "raw",
        description=(
            "Raw articles (HTML, plain-text dumps, JSON lines): a folder, or an object-store URL such as "
            "s3://bucket/raw (credentials and endpoint from the usual AWS_* variables). Never written."
        ),
    )
    out_dir: str = Field(
        "clean",
        description=(
            "Where the clean dataset is published: a folder (replaced atomically), or an object-store URL "
            "such as s3://bucket/clean (data under runs/<run>/, manifest.json written last as the commit)."
        ),
    )
    batch_size: int = Field(
        200, ge=1, le=100_000,
        description="Articles per batch (a Prefect task each). Hundreds keep a run to tens of task runs, which the "
                    "Prefect server records in step; with task_runner 'auto' (the default) batches are made smaller "
                    "so that every worker gets four.",
    )
    max_bytes: int = Field(
        10_000_000, ge=1_000,
        description="Inputs larger than this many bytes are rejected as too_large.",
    )
    max_seconds_per_document: float = Field(
        30.0, gt=0, le=86_400, allow_inf_nan=False,
        description="Time budget for cleaning one document; past it the document is rejected as timeout and the "
                    "run goes on (at most a day: the interval timer takes no more).",
    )
    max_html_depth: int = Field(
        2000, ge=10, le=2000,
        description="HTML nested deeper than this many elements is rejected as too_complex before parsing "
                    "(at most 2,000: the parser builds no deeper tree).",
    )
    max_html_elements: int = Field(
        200_000, ge=100,
        description="HTML with more elements than this is rejected as too_complex before parsing.",
    )
    min_words: int = Field(
        10, ge=0,
        description="Articles with fewer words than this after stripping are rejected as empty_after_strip. "
                    "Low on purpose: a short post is a story; error and bot-check pages are cut by rules "
                    "(leftover.error_page), not by their length.",
    )
    block_model: bool = Field(
        True,
        description="Plain-text dumps: find the story with the trained line model (its lines, where it starts "
                    "and ends, its headline, a comment thread after it) and cut everything else; the rules name "
                    "what they know. Off: the rules alone decide.",
    )
    second_reading: bool = Field(
        True,
        description="HTML pages: read the page's shown text line by line with the same line model, and where it "
                    "is sure, cut a block of the extracted main text that is not story and add a story line the "
                    "extractor left out (about 90 ms a page). Off: the extractor's main text and the rules alone.",
    )
    rules_dir: str = Field(
        "",
        description=(
            "A folder of your own boilerplate rules (*.toml, as in src/cleaner/rules/; see docs/rules.md), on "
            "this machine: they are tried before the packaged rules, and one with a packaged rule's id replaces "
            "it. Empty: the packaged rules only."
        ),
    )
    near_duplicate_threshold: float = Field(
        0.7, ge=0.05, le=1.0,
        description=(
            "Estimated Jaccard similarity of word 5-shingles at or above which two articles are "
            "near-duplicates. Measured on the sample corpus: copies >= 0.877, different articles <= 0.012 "
            "(benchmarks/thresholds.py); 0.7 leaves room for heavier edits."
        ),
    )
    containment_threshold: float = Field(
        0.8, ge=0.5, le=1.0,
        description=(
            "Share of the shorter article's word 5-shingles found in the longer at or above which two articles are "
            "also near-duplicates (a copy that keeps some chrome: the same page as HTML and as a text dump), "
            "when both have at least --containment-min-shingles and the longer has at most "
            "--containment-max-ratio times the shingles of the shorter. WCXB dev articles, each page as HTML and "
            "as its text dump: copies' containment mostly 0.8-1.0, different pages <= 0.047; 0.8 finds 0.968 of "
            "the copies (0.951 at 0.85). See benchmarks/crossformat.py."
        ),
    )
    containment_max_ratio: float = Field(
        2.5, ge=1.0, le=10.0,
        description=(
            "Most shingles the longer article may have per shingle of the shorter for containment to make them "
            "near-duplicates: a brief whose words all stand in a story three times its length is another "
            "article, not a copy. With --containment-threshold 0.8 a contained copy has Jaccard >= 0.296, "
            "the floor LSH banding is chosen for."
        ),
    )
    containment_min_shingles: int = Field(
        50, ge=1,
        description="Fewest shingles (about words) the shorter article needs for containment to count.",
    )
    shingle_size: int = Field(5, ge=1, le=20, description="Words per shingle for near-duplicate detection.")
    num_perm: int = Field(128, ge=16, le=1024, description="MinHash permutations (signature length).")
    story_threshold: float = Field(
        0.25, ge=0.0, le=1.0,
        description=(
            "Mean story similarity (names and event places and dates, weighted by rarity in the language and "
            "in the run, 0..1) at or above which clusters of articles are one story (same story_id). 0.20-0.27 "
            "groups the labelled sample corpus exactly, 0.225-0.27 its five text seeds run alone; 0.25 is inside "
            "both. See benchmarks/thresholds.py."
        ),
    )
    story_window_days: int = Field(
        14, ge=0,
        description="Articles whose publication dates are both known and further apart than this are never one story.",
    )
    site_min_stories: int = Field(
        3, ge=0, le=10_000,
        description=(
            "A block that is not story-like (under 30 words, or not a sentence) and stands word for word in "
            "articles of at least this many different stories of one site, in this run or published before, "
            "is the site's boilerplate and is cut (category site_repeated). 0: off."
        ),
    )
    full_rebuild: bool = Field(
        False, description=(
            "Ignore cached batches and clean every article again, and ignore the site boilerplate the published "
            "dataset learned: the dataset then depends on the inputs and settings alone."
        ),
    )
    lock_wait_seconds: float = Field(
        600.0, ge=0,
        description="How long a run waits for another run publishing to the same output folder before it fails.",
    )
    task_runner: Literal["auto", "local", "dask"] = Field(
        "auto",
        description=(
            "Where batches are cleaned: 'auto' (every core: `workers` processes, a local Dask cluster under "
            "Prefect, once the run has two batches or more; a smaller run in this process), 'local' (one after "
            "another in this process) or 'dask' (a Dask cluster: a local one of `workers` processes, or the "
            "scheduler at dask_address)."
        ),
    )
    workers: int = Field(
        0, ge=0, le=1024,
        description="Worker processes that clean batches for task_runner 'auto' and a local Dask cluster "
                    "(0: one per CPU core).",
    )
    dask_address: str = Field(
        "",
        description=(
            "task_runner 'dask': address of a running Dask scheduler (tcp://host:8786) instead of a local cluster. "
            "Its workers need cleaner installed and must reach raw_dir (an object store, or a shared folder)."
        ),
    )
    keywords: int = Field(10, ge=0, le=50, description="Keywords to tag per article.")
    entities: bool = Field(True, description="Tag named entities (people, places, organisations) with spaCy.")
    words_per_minute: int = Field(230, ge=50, description="Reading speed used for reading_time_min.")
    review_articles: int = Field(
        500, ge=0, le=100_000,
        description="Articles shown on the review page (review.html: every cut in place), the first in publishing "
                    "order; removals.jsonl has them all. 0: the page lists none.",
    )
