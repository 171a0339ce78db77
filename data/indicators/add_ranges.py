"""Give every estimated benchmark of an indicator library a plausible range (build item 3).

Run ``python data/indicators/add_ranges.py [FILE]`` (default ``data/indicators/park.yaml``);
``--check`` only lists the estimated benchmarks without a range and exits 1 if there is one.
Benchmarks that already have a ``range`` are left alone, so a hand-set range wins and a second
run changes nothing. The file is edited line by line (comments and layout stay), and written
atomically.

The rule (a judgement from the level spacing; the estimates' reasoning places each level
relative to its neighbours, e.g. "30 % below the L24 value", "between III and I", "factor 2 per
level"):

- level II: between the I and III values (its neighbouring levels);
- level I (III): from the II value, the one it was set against, to one step beyond it on the
  other side, i.e. the value ± its distance to II; for a ``lower_better`` indicator whose
  levels are all positive (intensities, set by ratios) the step is a factor: value ÷/× (II/I);
- floor: ± half its distance to III (so it stays beyond III);
- percentages are capped to 0-100 %.

The method is appended to the source text as "; range (judgement, level spacing): ...".
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
import tempfile
from pathlib import Path

import yaml

DEFAULT = Path(__file__).with_name("park.yaml")
LINE = re.compile(
    r"^(?P<indent>\s+)(?P<level>I|II|III|floor): \{value: (?P<value>[^,]+), "
    r'source: "(?P<source>estimate[^"]*)"\}\s*$'
)
TAG = "; range (judgement, level spacing): "


def _sig(x: float, down: bool) -> float:
    """``x`` rounded outward to 3 significant figures (down for a low end, up for a high end)."""
    if x == 0:
        return 0.0
    scale = 10 ** (math.floor(math.log10(abs(x))) - 2)
    return (math.floor if down else math.ceil)(round(x / scale, 6)) * scale


def rule(ind: dict, level: str) -> tuple[float, float, str]:
    """``(low, high, method)`` for one estimated benchmark (``level`` I, II, III or floor)."""
    b = {g: float(ind["benchmarks"][g]["value"]) for g in ("I", "II", "III")}
    ratio = ind["direction"] == "lower_better" and min(b.values()) > 0
    if level == "floor":
        v = float(ind["floor"]["value"])
        d = abs(b["III"] - v) / 2
        low, high, method = v - d, v + d, "± half the III-floor gap"
    elif level == "II":
        low, high = sorted((b["I"], b["III"]))
        method = "the I and III values"
    else:
        v, n = b[level], b["II"]
        if ratio and v != n:
            f = max(v, n) / min(v, n)
            low, high, method = v / f, v * f, f"the II value to one {level}/II ratio beyond"
        else:
            d = abs(v - n) or abs(b["I"] - b["III"]) / 2
            low, high, method = v - d, v + d, f"the II value to one {level}-II step beyond"
    if ind["unit"] == "%" and (low < 0 or high > 100):
        low, high, method = max(low, 0.0), min(high, 100.0), method + ", capped to 0-100 %"
    return low, high, method


def add_ranges(text: str) -> tuple[str, list[str]]:
    """The file text with ranges added, and one line per estimated benchmark lacking a range."""
    doc = yaml.safe_load(text)
    by_id = {ind["id"]: ind for ind in doc["indicators"]}
    out, changed, current = [], [], None
    for line in text.splitlines(keepends=True):
        m_id = re.match(r"^\s*- id: (\w+)", line)
        current = m_id.group(1) if m_id else current
        m = LINE.match(line)
        if m is None or current is None:
            out.append(line)
            continue
        ind, level = by_id[current], m.group("level")
        low, high, method = rule(ind, level)
        v = float(m.group("value"))
        low, high = min(_sig(low, True), v), max(_sig(high, False), v)
        span = f"[{low:g}, {high:g}]"
        source = m.group("source") + TAG + method
        out.append(
            f"{m.group('indent')}{level}: {{value: {m.group('value')}, range: {span}, "
            f'source: "{source}"}}\n'
        )
        changed.append(f"{current}.{level}: {v:g} -> {span} ({method})")
    return "".join(out), changed


def main(argv: list[str] | None = None) -> int:
    """Add the ranges (or, with ``--check``, list what lacks one); exit 1 when ``--check`` finds any."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--check", action="store_true", help="only list, do not write")
    args = ap.parse_args(argv)
    text, changed = add_ranges(args.file.read_text(encoding="utf-8"))
    print("\n".join(changed) or "every estimated benchmark has a range")
    if args.check:
        return 1 if changed else 0
    if changed:
        fd, tmp = tempfile.mkstemp(dir=args.file.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, args.file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
