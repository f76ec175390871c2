"""DedupSettings: the thresholds and sizes dedup works with (each default is CleanConfig's)."""

from __future__ import annotations

from dataclasses import dataclass

from cleaner.config import default


@dataclass(frozen=True, slots=True)
class DedupSettings:
    near_threshold: float = default("near_duplicate_threshold")
    containment_threshold: float = default("containment_threshold")
    containment_max_ratio: float = default("containment_max_ratio")
    containment_min_shingles: int = default("containment_min_shingles")
    shingle_size: int = default("shingle_size")
    num_perm: int = default("num_perm")
    story_threshold: float = default("story_threshold")
    story_window_days: int = default("story_window_days")
