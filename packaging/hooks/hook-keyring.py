"""PyInstaller hook for keyring, used instead of the stock one (packaging/onrecord.spec's hookspath).

keyring finds its backends through the entry points in its metadata and imports every one listed
before choosing, so the stock hook bundles all of them. Here only this platform's backends are
bundled and listed: on Linux the macOS backend alone costs over 0.1 s at every start (it looks for
Apple's libraries with ldconfig), and start-up time is what staff notice.
"""

import shutil
import sys
from pathlib import Path

from PyInstaller.config import CONF
from PyInstaller.utils.hooks import copy_metadata

if sys.platform.startswith("win"):
    BACKENDS = {"keyring.backends.Windows"}
elif sys.platform == "darwin":
    BACKENDS = {"keyring.backends.macOS"}
else:  # GNOME Keyring and KWallet both speak the Secret Service; KWallet's own API is there too.
    BACKENDS = {"keyring.backends.SecretService", "keyring.backends.kwallet"}
BACKENDS |= {"keyring.backends.chainer"}

hiddenimports = sorted(BACKENDS) + ["keyring.backends.fail", "keyring.backends.null"]
if sys.platform == "darwin":
    hiddenimports.append("keyring.backends.macOS.api")


def _filtered_metadata():
    ((src, dest),) = copy_metadata("keyring")
    target = Path(CONF["workpath"]) / "keyring-metadata" / Path(src).name
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(src, target)
    entry_points = target / "entry_points.txt"
    kept, section = [], ""
    for line in entry_points.read_text().splitlines():
        if line.startswith("["):
            section = line.strip()
        elif section == "[keyring.backends]" and "=" in line and line.split("=", 1)[1].strip() not in BACKENDS:
            continue
        kept.append(line)
    entry_points.write_text("\n".join(kept) + "\n")
    return [(str(target), dest)]


datas = _filtered_metadata()
