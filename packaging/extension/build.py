"""Build the browser extension's store packages from ``extension/``.

    python packaging/extension/build.py [--out dist] [--lint]

One source tree serves every browser; each package gets a manifest without the keys that only the
other browsers read, so neither store nor browser warns about them:

- ``onrecord-extension-VERSION-chromium.zip``, for the Chrome Web Store and Edge Add-ons (one package
  serves both): without ``browser_specific_settings`` and ``background.scripts`` (Firefox's).
- ``onrecord-extension-VERSION-firefox.zip``, made by Mozilla's ``web-ext build``, for
  addons.mozilla.org: without ``background.service_worker`` and ``key`` (Chrome's).

With ``--lint``, ``web-ext lint`` checks the Firefox package first and any error stops the build.
The Chromium zip has fixed timestamps and sorted entries: the same tree gives the same bytes.
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "extension"
WEB_EXT = ROOT / "node_modules" / ".bin" / "web-ext"
# Never shipped: editor and OS clutter, and notes for developers.
IGNORED_NAMES = {".DS_Store", "Thumbs.db", "README.md", "package.json"}
IGNORED_SUFFIXES = (".map", ".swp", "~", ".test.js")
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


class BuildError(Exception):
    pass


def read_manifest(source: Path = SOURCE) -> dict:
    path = source / "manifest.json"
    if not path.is_file():
        raise BuildError(f"no manifest at {path}")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise BuildError(f"{path} is not valid JSON: {exc}") from exc


def manifest_for(browser: str, data: dict) -> dict:
    """The manifest as one browser's package has it."""
    out = copy.deepcopy(data)
    background = out.get("background") or {}
    if browser == "chromium":
        out.pop("browser_specific_settings", None)
        if "service_worker" in background:
            background.pop("scripts", None)
    elif browser == "firefox":
        out.pop("key", None)  # fixes the extension id in unpacked Chrome builds; Firefox has gecko.id
        if "scripts" in background or "page" in background:
            background.pop("service_worker", None)
    else:
        raise ValueError(browser)
    return out


def shipped_files(source: Path = SOURCE) -> list[Path]:
    files = []
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if not path.is_file() or any(part.startswith(".") for part in rel.parts):
            continue
        if path.name in IGNORED_NAMES or path.name.endswith(IGNORED_SUFFIXES):
            continue
        files.append(rel)
    return files


def missing_files(data: dict, files: list[Path]) -> list[str]:
    """Files the manifest names that the package would not contain."""
    named = [*(data.get("icons") or {}).values(), *((data.get("action") or {}).get("default_icon") or {}).values(),
             (data.get("action") or {}).get("default_popup"), (data.get("options_ui") or {}).get("page"),
             (data.get("storage") or {}).get("managed_schema"), (data.get("background") or {}).get("service_worker"),
             *((data.get("background") or {}).get("scripts") or [])]
    for script in data.get("content_scripts") or []:
        named += script.get("js", []) + script.get("css", [])
    have = {f.as_posix() for f in files}
    return sorted({n.lstrip("/") for n in named if n and n.lstrip("/") not in have})


def stage(browser: str, data: dict, into: Path) -> Path:
    """A copy of the extension as this browser's package holds it."""
    target = into / browser
    files = shipped_files()
    absent = missing_files(data, files)
    if absent:
        raise BuildError(f"manifest.json names files that are not in extension/: {', '.join(absent)}")
    for rel in files:
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SOURCE / rel, target / rel)
    (target / "manifest.json").write_text(json.dumps(manifest_for(browser, data), indent=2, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    return target


def build_chromium(tree: Path, out: Path, version: str) -> Path:
    target = out / f"onrecord-extension-{version}-chromium.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for rel in shipped_files(tree):
            info = zipfile.ZipInfo(rel.as_posix(), ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, (tree / rel).read_bytes())
    return target


def _web_ext(tree: Path, *args: str) -> subprocess.CompletedProcess:
    if not WEB_EXT.exists():
        raise BuildError(f"web-ext is not installed ({WEB_EXT}): run `npm ci` in {ROOT}")
    return subprocess.run([str(WEB_EXT), *args, "--source-dir", str(tree), "--no-config-discovery"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)


def lint(tree: Path) -> dict:
    """``web-ext lint`` of a staged tree: {"errors": [...], "warnings": [...], "notices": [...]}."""
    proc = _web_ext(tree, "lint", "--output=json")
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise BuildError(f"web-ext lint gave no report: {proc.stderr.strip() or proc.stdout.strip()}") from exc


def build_firefox(tree: Path, out: Path, version: str) -> Path:
    name = f"onrecord-extension-{version}-firefox.zip"
    proc = _web_ext(tree, "build", "--artifacts-dir", str(out), "--filename", name, "--overwrite-dest")
    if proc.returncode != 0:
        raise BuildError(f"web-ext build failed: {proc.stderr.strip() or proc.stdout.strip()}")
    return out / name


def build(out: Path, run_lint: bool = False) -> dict:
    """Build both packages into ``out``: {"chromium": path, "firefox": path, "lint": report or None}."""
    data = read_manifest()
    version = data.get("version") or "0"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="onrecord-extension-") as scratch:
        chromium = stage("chromium", data, Path(scratch))
        firefox = stage("firefox", data, Path(scratch))
        report = lint(firefox) if run_lint else None
        if report and report.get("errors"):
            problems = "; ".join(f"{e.get('code')}: {e.get('message')} ({e.get('file', '')})" for e in report["errors"])
            raise BuildError(f"web-ext lint found {len(report['errors'])} errors: {problems}")
        return {"chromium": build_chromium(chromium, out, version),
                "firefox": build_firefox(firefox, out, version), "lint": report}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the extension's store packages.")
    parser.add_argument("--out", default=str(ROOT / "dist"), help="where the packages go (default dist/)")
    parser.add_argument("--lint", action="store_true", help="run web-ext lint first; stop on any error")
    args = parser.parse_args(argv)
    try:
        result = build(Path(args.out), args.lint)
    except BuildError as exc:
        print(f"extension build: {exc}", file=sys.stderr)
        return 2
    for item in (result["lint"] or {}).get("warnings", []):
        print(f"web-ext lint warning: {item.get('code')}: {item.get('description') or item.get('message')}",
              file=sys.stderr)
    print(f"built {result['chromium']}\nbuilt {result['firefox']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
