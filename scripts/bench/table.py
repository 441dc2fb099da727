"""Prints the benchmark rows (tab-separated: section, measure, value, reference, ratio) read
from stdin as one aligned table, sections in the order of issue 18."""

import sys

ORDER = ["start", "memory", "inventory", "ui", "size"]
HEAD = ("section", "measure", "value", "reference", "ratio")

rows = [(line.rstrip("\n").split("\t") + [""] * 5)[:5] for line in sys.stdin if "\t" in line]
rows.sort(key=lambda r: ORDER.index(r[0]) if r[0] in ORDER else len(ORDER))
widths = [max(len(r[i]) for r in [HEAD, *rows]) for i in range(5)]
for r in [HEAD, tuple("-" * w for w in widths), *rows]:
    print("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip())
