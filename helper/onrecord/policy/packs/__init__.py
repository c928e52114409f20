"""Policy packs: the built-in ones shipped here as YAML, and organisations' own by path.

A ``PackLibrary`` holds the compiled packs one helper or one command uses: ``library.load("dh")`` or
``library.load("our-pack.yaml", base_dir=...)`` gives a compiled ``Pack``, kept by id, or by path and
modification time, so a check never re-reads a file that has not changed. The app factory
(``onrecord.app.create_app``), the native messaging host and the command line each make their own, so two
helpers in one process share no packs. ``load_pack`` and the functions beside it use a library of this
module's for callers that have none of their own (a script, a test).
"""

from __future__ import annotations

import threading
from importlib import resources
from pathlib import Path

from onrecord.errors import PackError
from onrecord.policy import loader
from onrecord.policy.pack import Pack, compile_pack

__all__ = ["Pack", "PackInvalid", "PackLibrary", "load_pack", "builtin_ids", "list_builtin", "validate_file",
           "is_builtin_id"]


class PackInvalid(PackError):
    """A pack with problems; ``problems`` holds every one, each with its line."""

    def __init__(self, source: str, problems: list):
        self.source = source
        self.problems = sorted(problems, key=lambda p: p.line)
        first = "; ".join(str(p) for p in self.problems[:3])
        more = f" (and {len(self.problems) - 3} more)" if len(self.problems) > 3 else ""
        super().__init__(f"{source}: invalid pack: {first}{more}")


def _builtin_dir():
    return resources.files(__name__)


def _builtin_files() -> list[str]:
    return sorted(p.name[:-5] for p in _builtin_dir().iterdir() if p.name.endswith(".yaml"))


def is_builtin_id(ref: str) -> bool:
    return "/" not in ref and "\\" not in ref and not ref.endswith((".yaml", ".yml", ".json"))


def _locate(ref: str, base_dir: str | None) -> tuple[str, object]:
    """("builtin", id) or ("file", absolute path)."""
    if not isinstance(ref, str) or not ref.strip():
        raise PackError("no policy pack named (policy_pack is empty)")
    ref = ref.strip()
    if is_builtin_id(ref):
        if not _builtin_dir().joinpath(f"{ref}.yaml").is_file():
            raise PackError(f"no built-in policy pack {ref!r} (built-in: {', '.join(_builtin_files())})")
        return "builtin", ref
    path = Path(ref).expanduser()
    if not path.is_absolute():
        path = Path(base_dir or ".") / path
    return "file", path.resolve()


def _read(kind: str, where) -> tuple[str, str]:
    if kind == "builtin":
        return _builtin_dir().joinpath(f"{where}.yaml").read_text("utf-8"), f"built-in pack {where}"
    try:
        return loader.read_file(where), str(where)
    except (FileNotFoundError, ValueError) as exc:
        raise PackError(str(exc)) from None


def _raw(kind: str, where, chain: tuple = ()) -> tuple[dict, str]:
    """The pack's data with everything it extends merged in (problems raise PackInvalid)."""
    text, source = _read(kind, where)
    data, problems = loader.parse(text)
    if data is not None:
        problems += loader.check_structure(data)
    if problems:
        raise PackInvalid(source, problems)
    parent_ref = data.get("extends")
    if parent_ref:
        base = str(where.parent) if kind == "file" else None
        try:
            pkind, pwhere = _locate(parent_ref, base)
        except PackError as exc:
            raise PackInvalid(source, [loader.Problem(loader.line_of(data, "extends"), f"extends: {exc.message}")]) from None
        if (pkind, str(pwhere)) in chain or (pkind, str(pwhere)) == (kind, str(where)):
            raise PackInvalid(source, [loader.Problem(loader.line_of(data, "extends"), "extends: the packs extend each other in a loop")])
        parent, _ = _raw(pkind, pwhere, chain + ((kind, str(where)),))
        data, problems = loader.merge(parent, data)
        if problems:
            raise PackInvalid(source, problems)
    return data, source


class PackLibrary:
    """The compiled packs of one helper or one command, each read and compiled once and again only when
    its file changes. A ``Pack`` keeps what it works out per profile and situation, so packs are not
    shared between libraries: each app, host and command makes its own."""

    def __init__(self) -> None:
        self._cache: dict = {}  # (kind, where) -> (file stamp, Pack)
        self._lock = threading.RLock()

    def load(self, ref: str, base_dir: str | None = None) -> Pack:
        """The compiled pack for a built-in id or a path (relative paths resolve against ``base_dir``)."""
        hit = self._cache.get(("builtin", ref))
        if hit is not None:  # the common case, once per check: no file system work
            return hit[1]
        kind, where = _locate(ref, base_dir)
        stamp = None
        if kind == "file":
            try:
                st = where.stat()
            except FileNotFoundError:
                raise PackError(f"{where}: no such pack file") from None
            stamp = (st.st_mtime_ns, st.st_size)
        key = (kind, str(where))
        with self._lock:
            hit = self._cache.get(key)
            if hit and hit[0] == stamp:
                return hit[1]
            data, source = _raw(kind, where)
            pack, problems = compile_pack(data, "built-in" if kind == "builtin" else str(where))
            if problems:
                raise PackInvalid(source, problems)
            self._cache[key] = (stamp, pack)
            return pack

    def loaded(self) -> list[str]:
        """What this library has compiled: built-in ids and pack files' paths."""
        return sorted(str(where) for _, where in self._cache)

    def builtin_ids(self, include_abstract: bool = False) -> list[str]:
        ids = _builtin_files()
        if include_abstract:
            return ids
        return [i for i in ids if not self.load(i).abstract]

    def validate_file(self, path: str) -> list:
        """Every problem in a pack file (and what it extends), each with its line; [] when it is valid."""
        try:
            kind, where = _locate(path, None)
            if kind == "builtin":
                self.load(where)
                return []
            data, source = _raw("file", where)
            _, problems = compile_pack(data, str(where))
            return problems
        except PackInvalid as exc:
            return exc.problems
        except PackError as exc:
            return [loader.Problem(0, exc.message)]

    def list_builtin(self) -> list[dict]:
        """The built-in packs for the settings window: id, title and disclaimer wordings."""
        out = []
        for pid in self.builtin_ids():
            pack = self.load(pid)
            out.append({"id": pack.id, "title": pack.title, "disclaimer": dict(pack.disclaimer)})
        return out


# For callers without a library of their own (scripts, tests): the helper and the commands never use it.
_shared = PackLibrary()


def load_pack(ref: str, base_dir: str | None = None) -> Pack:
    return _shared.load(ref, base_dir)


def builtin_ids(include_abstract: bool = False) -> list[str]:
    return _shared.builtin_ids(include_abstract)


def validate_file(path: str) -> list:
    return _shared.validate_file(path)


def list_builtin() -> list[dict]:
    return _shared.list_builtin()
