"""Are two briefing outputs the same? The HTML text, and every figure by its decoded pixels.

Usage::

    python benchmarks/compare_briefings.py BEFORE AFTER [--langs zh en]

BEFORE and AFTER each hold ``briefing-<lang>.html`` and ``figures/<lang>/*.png`` (a pilot
output, or the ``--dest`` of ``profile_briefing.py``). In the HTML, every embedded
``data:image/png`` is replaced by the hash of its decoded RGBA pixels and the embedded font
by a mark (its bytes depend on the subsetter, not on what the page shows); the rest must be
identical. Every PNG under ``figures/`` must hold the same pixels. Prints what differs and
exits 1 when anything does, 0 when both are the same.
"""

from __future__ import annotations

import argparse
import base64
import difflib
import hashlib
import io
import re
import sys
from pathlib import Path

import numpy as np
from PIL import Image


def pixels(png: bytes) -> np.ndarray:
    """The decoded pixels of a PNG, as RGBA."""
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def pixel_hash(png: bytes) -> str:
    """A short hash of the decoded pixels and the image's shape."""
    a = pixels(png)
    return hashlib.sha1(a.tobytes()).hexdigest()[:16] + str(a.shape)


def normalised(html: str) -> str:
    """``html`` with images replaced by their pixel hashes and the font by a mark."""
    html = re.sub(
        r"data:image/png;base64,([A-Za-z0-9+/=]+)",
        lambda m: "PNG:" + pixel_hash(base64.b64decode(m.group(1))),
        html,
    )
    return re.sub(r"data:font/woff2?;base64,[A-Za-z0-9+/=]+", "FONT", html)


def compare(a: Path, b: Path, langs: list[str]) -> list[str]:
    """What differs between the outputs ``a`` and ``b`` (empty: the same)."""
    out: list[str] = []
    for lang in langs:
        ha = normalised((a / f"briefing-{lang}.html").read_text(encoding="utf-8"))
        hb = normalised((b / f"briefing-{lang}.html").read_text(encoding="utf-8"))
        if ha != hb:
            diff = difflib.unified_diff(ha.splitlines(), hb.splitlines(), lineterm="", n=1)
            out.append(f"{lang}: HTML differs\n" + "\n".join(x[:300] for x in list(diff)[:60]))
        fa = {p.name for p in (a / "figures" / lang).glob("*.png")}
        fb = {p.name for p in (b / "figures" / lang).glob("*.png")}
        if fa != fb:
            out.append(f"{lang}: figure files differ: {sorted(fa ^ fb)}")
        for name in sorted(fa & fb):
            pa, pb = ((d / "figures" / lang / name).read_bytes() for d in (a, b))
            if pa != pb and pixel_hash(pa) != pixel_hash(pb):
                out.append(f"{lang}: {name}: pixels differ")
    return out


def main() -> None:
    """Compare the two outputs given; exit 1 when they differ."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--langs", nargs="+", default=["zh", "en"])
    args = ap.parse_args()
    problems = compare(args.before, args.after, args.langs)
    for p in problems:
        print(p)
    n = sum(len(list((args.before / "figures" / lang).glob("*.png"))) for lang in args.langs)
    print("DIFFERENT" if problems else f"IDENTICAL: HTML text and the pixels of {n} figures")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
