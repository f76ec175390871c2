"""The file formats: CSV in chunks (formulas neutralised), JSON records as json.dump writes them, JSON lines."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

LIST_SEPARATOR = "; "  # a list field in one CSV cell
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe.

    Cells starting with = + - @ (or a tab or carriage return, which some spreadsheets skip
    before one) are formulas to Excel, LibreOffice and Google Sheets: '=HYPERLINK(...)' in a
    scraped page would run on the analyst's machine (OWASP, CSV injection). The apostrophe
    makes them text. Only the CSV files get it; the JSON files keep the exact text.
    """
    if isinstance(value, str) and value[:1] in _FORMULA_START:
        return "'" + value
    return value


def write_csv(path: Path, columns: Sequence[str], rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = CsvWriter(handle, columns)
        for row in rows:
            writer.add(row)
        writer.close()


class CsvWriter:
    """UTF-8 with a byte-order mark (so spreadsheets detect it), every text cell quoted, so
    multi-line bodies survive, formulas neutralised; pandas.read_csv reads it back.

    Rows are written in chunks of CHUNK (pandas writes a frame at a time), so a file of any
    length costs the memory of one chunk.
    """

    CHUNK = 500

    def __init__(self, handle, columns: Sequence[str]) -> None:
        self.handle, self.columns = handle, list(columns)
        self.rows: list[dict] = []
        self.header = True

    def add(self, row: dict) -> None:
        self.rows.append({k: neutralise_formula(v) for k, v in row.items()})
        if len(self.rows) >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.rows and not self.header:
            return
        # Imported here: pandas costs ~1 s to import, and only writing a CSV file needs it (a
        # run killed or failing before that, the lock, the reader and the schema do not).
        import pandas as pd

        frame = pd.DataFrame(self.rows, columns=self.columns)
        if "record" in frame:
            frame["record"] = frame["record"].astype("Int64")
        frame.to_csv(self.handle, index=False, header=self.header, lineterminator="\n",
                     quoting=csv.QUOTE_NONNUMERIC)
        self.rows, self.header = [], False

    def close(self) -> None:
        self.flush()


def json_line(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


def indented(record: dict) -> str:
    """One record as json.dump(list, indent=1) writes a list item: nested one level."""
    return " " + json.dumps(record, ensure_ascii=False, indent=1).replace("\n", "\n ")
