"""Every icon is made from assets/onrecord.svg by assets/make_icons.py, and the committed ones are
what the drawing gives today."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "assets" / "icons"


def test_committed_icons_match_the_drawing():
    done = subprocess.run([sys.executable, str(ROOT / "assets" / "make_icons.py"), "--check"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_extension_icons_have_their_sizes():
    for size in (16, 32, 48, 128):
        with Image.open(ICONS / "extension" / f"icon-{size}.png") as im:
            assert im.size == (size, size) and im.mode == "RGBA"
            # Not blank: the drawing's blue and white are there at every size.
            colours = {rgba[:3] for _, rgba in im.getcolors(maxcolors=size * size) if rgba[3] > 200}
            assert len(colours) > 3


def test_windows_icon_holds_every_size_windows_asks_for():
    with Image.open(ICONS / "onrecord.ico") as im:
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(im.info["sizes"])


def test_macos_icon_holds_retina_sizes():
    with Image.open(ICONS / "onrecord.icns") as im:
        sizes = {(w, h, scale) for w, h, scale in im.info["sizes"]}
        assert (512, 512, 2) in sizes and (16, 16, 1) in sizes or (16, 16, 2) in sizes


def test_a_changed_drawing_is_caught(tmp_path, monkeypatch):
    """--check really compares: a different drawing makes it fail."""
    sys.path.insert(0, str(ROOT / "assets"))
    import make_icons

    drawing = tmp_path / "onrecord.svg"
    drawing.write_text(make_icons.SOURCE.read_text().replace("#005eb8", "#00aa00"))
    monkeypatch.setattr(make_icons, "SOURCE", drawing)
    assert make_icons.main(["--check"]) == 1
