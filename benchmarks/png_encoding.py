"""CPU and bytes of encoding a pilot's PNG figures with Pillow's settings, pixels unchanged.

    PYTHONPATH=. python benchmarks/png_encoding.py OUT/scip [--repeat 3]

Decodes every ``*.png`` under the pilot output (the pixels the pilot drew), encodes each again
as ``figure_png`` does (RGB, zlib level 3, Pillow's per-row filter choice) and with other
lossless settings (zlib level, zlib strategy), checks that each decodes to the same pixels,
and prints per setting the CPU seconds of encoding all of them (best of ``--repeat``) and the
total bytes. The pixels are the same whatever the setting; only time and size differ.
"""

from __future__ import annotations

import argparse
import io
import time
from pathlib import Path

import numpy as np
from PIL import Image

#: (label, Pillow save keywords). zlib strategies: 0 default, 1 filtered, 2 Huffman only, 3 RLE.
SETTINGS = (
    ("level 3 (today)", {"compress_level": 3}),
    ("level 1", {"compress_level": 1}),
    ("level 2", {"compress_level": 2}),
    ("level 3, filtered", {"compress_level": 3, "compress_type": 1}),
    ("level 1, RLE", {"compress_level": 1, "compress_type": 3}),
    ("level 3, RLE", {"compress_level": 3, "compress_type": 3}),
    ("level 1, Huffman only", {"compress_level": 1, "compress_type": 2}),
    ("level 6 (Pillow default)", {"compress_level": 6}),
)


def encode(image: Image.Image, **kwargs: object) -> bytes:
    """``image`` as PNG bytes with Pillow's ``kwargs``."""
    out = io.BytesIO()
    image.save(out, format="png", **kwargs)
    return out.getvalue()


def main() -> None:
    """Encode the pilot's figures with each setting; print CPU and bytes."""
    parser = argparse.ArgumentParser()
    parser.add_argument("pilot", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = sorted(args.pilot.rglob("*.png"))
    images = []
    for f in files:
        with Image.open(f) as im:
            images.append(im.convert("RGB") if im.mode == "RGBA" else im.copy())
    pixels = [np.asarray(im) for im in images]
    print(f"{len(files)} PNG files, {sum(f.stat().st_size for f in files):,} bytes as written")
    for label, kwargs in SETTINGS:
        best = float("inf")
        for _ in range(args.repeat):
            t = time.process_time()
            out = [encode(im, **kwargs) for im in images]
            best = min(best, time.process_time() - t)
        same = all(
            np.array_equal(np.asarray(Image.open(io.BytesIO(b))), p)
            for b, p in zip(out, pixels, strict=True)
        )
        size = sum(map(len, out))
        print(f"{label:28s} CPU {best:6.3f} s  bytes {size:>10,}  same pixels: {same}")


if __name__ == "__main__":
    main()
