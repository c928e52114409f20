"""Make every icon OnRecord ships from the one source drawing, ``assets/onrecord.svg``.

    python assets/make_icons.py          # (re)write the icons under assets/icons/
    python assets/make_icons.py --check  # exit 1 when a committed icon is out of date

CairoSVG renders the drawing (a well-kept SVG renderer on PyPI, using the system's cairo) and
Pillow writes the Windows .ico and the macOS .icns, so no platform tool (iconutil, ImageMagick)
is needed and the outputs are the same on every machine.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import cairosvg
from PIL import Image

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "onrecord.svg"
OUT = HERE / "icons"

EXTENSION_SIZES = (16, 32, 48, 128)  # what Chrome, Edge and Firefox ask a manifest for
WINDOW_SIZE = 256                    # the settings window and the Linux .desktop entry
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render(size: int) -> Image.Image:
    png = cairosvg.svg2png(url=str(SOURCE), output_width=size, output_height=size)
    return Image.open(io.BytesIO(png)).convert("RGBA")


def png_bytes(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    # No timestamps or other ancillary chunks: the same drawing always gives the same bytes.
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def build() -> dict[Path, bytes]:
    """Every output file and its bytes."""
    files: dict[Path, bytes] = {}
    for size in EXTENSION_SIZES:
        files[OUT / "extension" / f"icon-{size}.png"] = png_bytes(render(size))
    files[OUT / "onrecord.png"] = png_bytes(render(WINDOW_SIZE))

    # Each size rendered from the drawing, not scaled down from the largest, so small ones stay sharp.
    largest = render(max(ICO_SIZES))
    buf = io.BytesIO()
    largest.save(buf, format="ICO", sizes=[(s, s) for s in ICO_SIZES],
                 append_images=[render(s) for s in ICO_SIZES if s != max(ICO_SIZES)])
    files[OUT / "onrecord.ico"] = buf.getvalue()

    buf = io.BytesIO()
    render(max(ICNS_SIZES)).save(buf, format="ICNS",
                                 append_images=[render(s) for s in ICNS_SIZES[:-1]])
    files[OUT / "onrecord.icns"] = buf.getvalue()
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report icons that differ from the drawing")
    args = parser.parse_args(argv)
    stale = []
    for path, data in build().items():
        if args.check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(path.relative_to(HERE.parent))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path.relative_to(HERE.parent)} ({len(data)} bytes)")
    if stale:
        print("out of date (run python assets/make_icons.py): " + ", ".join(map(str, stale)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
