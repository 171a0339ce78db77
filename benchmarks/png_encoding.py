"""CPU and bytes of encoding a pilot's PNG figures with Pillow's settings, pixels unchanged.

    PYTHONPATH=. python benchmarks/png_encoding.py OUT/scip [--repeat 3]

Decodes every ``*.png`` under the pilot output (the pixels the pilot drew), encodes each again
as ``figure_png`` does (Pillow: RGB, zlib level 3, Pillow's per-row filter choice), with
other lossless Pillow settings (zlib level, zlib strategy) and, where pypng is installed
(``pip install pypng``; not a dependency of symbio), with every row unfiltered (PNG filter
type 0, which pypng writes, zlib level 3, the same ``pHYs`` and ``tEXt`` chunks); checks that
each decodes to the same pixels, and prints per setting the CPU seconds of encoding all of
them (best of ``--repeat``) and the total bytes. The pixels are the same whatever the
setting; only time and size differ. ``--figure-png``: only the files ``figure_png`` writes.
"""

from __future__ import annotations

import argparse
import importlib.util
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
    ("pypng: unfiltered, level 3", {"unfiltered": True}),
)


def unfiltered(image: Image.Image, dpi: float, text: dict[str, str]) -> bytes:
    """``image`` (RGB) as a PNG by pypng: rows unfiltered, zlib level 3, ``pHYs`` as Pillow
    writes ``dpi`` and ``text`` as ``tEXt`` chunks."""
    import png

    class Writer(png.Writer):
        def write_preamble(self, outfile: io.BytesIO) -> None:
            super().write_preamble(outfile)
            for key, value in text.items():
                png.write_chunk(outfile, b"tEXt", f"{key}\0{value}".encode("latin-1"))

    width, height = image.size
    per_metre = int(dpi / 0.0254 + 0.5)
    writer = Writer(width, height, greyscale=False, bitdepth=8, compression=3,
                    x_pixels_per_unit=per_metre, y_pixels_per_unit=per_metre, unit_is_meter=True)  # fmt: skip
    stride, pixels, out = width * 3, memoryview(image.tobytes()), io.BytesIO()
    writer.write_packed(out, (pixels[i : i + stride] for i in range(0, height * stride, stride)))
    return out.getvalue()


def encode(image: Image.Image, **kwargs: object) -> bytes:
    """``image`` as PNG bytes with Pillow's ``kwargs`` (``unfiltered``: by ``png_bytes``)."""
    if kwargs.get("unfiltered"):
        return unfiltered(image, 130.0, {"Software": "Matplotlib"})
    out = io.BytesIO()
    image.save(out, format="png", **kwargs)
    return out.getvalue()


def main() -> None:
    """Encode the pilot's figures with each setting; print CPU and bytes."""
    parser = argparse.ArgumentParser()
    parser.add_argument("pilot", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--figure-png", action="store_true", help="only figure_png's files")
    args = parser.parse_args()
    files = sorted(args.pilot.rglob("*.png"))
    if args.figure_png:  # those figure_png writes: the briefing's and the robustness study's
        files = [f for f in files if f.parent.parent.name == "figures" or f.parent.name == "robust"]
    images = []
    for f in files:
        with Image.open(f) as im:
            images.append(im.convert("RGB") if im.mode == "RGBA" else im.copy())
    pixels = [np.asarray(im) for im in images]
    print(f"{len(files)} PNG files, {sum(f.stat().st_size for f in files):,} bytes as written")
    for label, kwargs in SETTINGS:
        if kwargs.get("unfiltered") and importlib.util.find_spec("png") is None:
            print(f"{label:28s} (pypng not installed)")
            continue
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
