"""Reading pack files: YAML with every value's line remembered, checked key by key, ``extends:`` merged.

Problems are collected, not raised one at a time, so ``onrecord pack validate`` can report all of them,
each with its line number (from PyYAML's node marks).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jsonschema
import yaml


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class LineDict(dict):
    """A mapping that knows the line of each key and of itself (1-based)."""

    line = 0
    key_lines: dict


class LineList(list):
    line = 0
    item_lines: list


# libyaml's parser when PyYAML has it (many times faster on the shared vocabulary); it keeps marks.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):
    def __init__(self, stream):
        super().__init__(stream)
        self.problems: list[Problem] = []


def _mapping(loader: _Loader, node):
    d = LineDict()
    d.line = node.start_mark.line + 1
    d.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            loader.problems.append(Problem(line, "a key must be a plain value"))
            continue
        if key in d:
            loader.problems.append(Problem(line, f"key {key!r} appears twice (first on line {d.key_lines[key]})"))
        d[key] = loader.construct_object(value_node, deep=True)
        d.key_lines[key] = line
    return d


def _sequence(loader: _Loader, node):
    lst = LineList(loader.construct_object(child, deep=True) for child in node.value)
    lst.line = node.start_mark.line + 1
    lst.item_lines = [child.start_mark.line + 1 for child in node.value]
    return lst


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)
# Dates stay text (``expires: 2027-01-31``), as in the JSON the schema describes.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def parse(text: str) -> tuple[object, list[Problem]]:
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [Problem(mark.line + 1 if mark else 0, f"not valid YAML: {problem}")]
    finally:
        loader.dispose()
    return data, loader.problems


def line_of(container, key) -> int:
    if isinstance(container, LineDict):
        return container.key_lines.get(key, container.line)
    if isinstance(container, LineList) and isinstance(key, int) and key < len(container.item_lines):
        return container.item_lines[key]
    return getattr(container, "line", 0)


@lru_cache(maxsize=1)
def schema() -> dict:
    """The pack format as a JSON Schema (``schemas/pack.schema.json``), which ``onrecord pack validate`` applies."""
    return json.loads(resources.files("onrecord").joinpath("schemas/pack.schema.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def _validator():
    return jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())


def _line_at(data, path) -> tuple[int, str]:
    """The line of the value at ``path`` in the parsed pack, and the path written out (rules[3].fix)."""
    node, line, words = data, getattr(data, "line", 1), ""
    for step in path:
        line = line_of(node, step) or line
        words += f"[{step}]" if isinstance(step, int) else (f".{step}" if words else str(step))
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
    return line, words


def _describe(error) -> str:
    v = error.validator
    if v == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed))
        return f"unknown key {', '.join(map(repr, extra))} (allowed: {', '.join(allowed)})"
    if v == "required":
        return error.message.replace("is a required property", "is missing")
    if v == "enum":
        return f"{error.instance!r} is not one of {', '.join(map(str, error.validator_value))}"
    if v in ("minProperties", "maxProperties") and isinstance(error.instance, dict):
        return "a trigger is a mapping with one detector name, e.g. {lexicon: insults}"
    if v == "type":
        return f"expected {error.validator_value}, got {type(error.instance).__name__}"
    if v == "oneOf" and error.context:
        best = min(error.context, key=lambda e: len(e.absolute_path))
        return _describe(best) if best.validator != "type" else f"not the right shape: {error.schema.get('description', error.message[:120])}"
    description = error.schema.get("description")
    return f"{error.message[:160]}" + (f" ({description})" if description else "")


def _is_date(value) -> bool:
    import datetime
    if isinstance(value, datetime.date):  # YAML reads an unquoted 2027-03-31 as a date
        return True
    try:
        datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        return True
    except ValueError:
        return False


def check_structure(data) -> list[Problem]:
    """Problems with the shape of one pack file (before ``extends:`` is merged): the JSON Schema's,
    each at its line, then what a schema cannot say (an id used twice)."""
    if not isinstance(data, dict):
        return [Problem(getattr(data, "line", 1), "a pack is a mapping of keys (id, title, rules...)")]
    problems: list[Problem] = []
    for error in _validator().iter_errors(data):
        error = _within(error)
        path = list(error.absolute_path)
        if error.validator == "additionalProperties":
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            line = line_of(_at(data, path), extra[0]) if extra else 0
            where = _line_at(data, path)[1]
        else:
            line, where = _line_at(data, path)
        rule_id = _rule_id(data, path)
        prefix = f"rule {rule_id}: " if rule_id else ""
        where = f"{where}: " if where else ""
        problems.append(Problem(line, f"{prefix}{where}{_describe(error)}"))
    if isinstance(data.get("expires"), str) and not _is_date(data["expires"]):  # 2027-02-30 has the shape
        problems.append(Problem(line_of(data, "expires"), f"expires: {data['expires']!r} is not a date like 2027-03-31"))
    seen: dict[str, int] = {}
    for rule in data.get("rules") or []:
        if isinstance(rule, dict) and isinstance(rule.get("id"), str):
            rid = rule["id"]
            if rid in seen:
                problems.append(Problem(line_of(rule, "id"), f"rule {rid}: the id is used twice (first on line {seen[rid]})"))
            else:
                seen[rid] = line_of(rule, "id")
    return problems


def _within(error):
    """For a value that fits none of its shapes, the problem inside the shape it comes closest to (the
    link of a document written as a mapping, not "not a string"), so the message and line name the key."""
    while error.validator in ("oneOf", "anyOf") and error.context:
        inside = [e for e in error.context if e.relative_path]
        if not inside:
            break
        error = max(inside, key=lambda e: len(e.relative_path))
    return error


def _at(data, path):
    node = data
    for step in path:
        node = node[step]
    return node


def _rule_id(data, path):
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        rule = data["rules"][path[1]]
        return rule.get("id") if isinstance(rule, dict) and isinstance(rule.get("id"), str) else "?"
    return None


def read_file(path: Path) -> str:
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: no such pack file") from None
    except IsADirectoryError:
        raise FileNotFoundError(f"{path}: is a folder, not a pack file") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{path}: the pack is not UTF-8 text") from None


# Lists that an extending pack adds to (and takes from with ``remove:``), at the top or one level down.
ADDING_LISTS = ("org_names", "org_domains", "public_domains", "role_mailboxes", "public_numbers", "public_postcodes",
                "public_addresses", "news_domain_words", "work_related")
ADDING_MAPS = ("lexicons", "topics", "triggers", "media", "topic_groups")
# Mappings whose entries an extending pack replaces one by one.
REPLACING_MAPS = ("disclaimer", "documents", "patterns", "renamed")


def _phrases(value):
    """A lexicon's (phrases, except) whether written as a list or as {phrases, except}."""
    if isinstance(value, dict):
        return list(value.get("phrases") or []), list(value.get("except") or [])
    return list(value or []), []


def _add(old, new):
    """``new`` added to ``old``: lists joined without repeats; lexicons' exceptions too; mappings of
    lists (``media.sites``) name by name."""
    if isinstance(old, dict) and isinstance(new, dict) and "phrases" not in old and "phrases" not in new:
        return {**old, **{k: (_add(old[k], v) if k in old else v) for k, v in new.items()}}
    if isinstance(old, dict) or isinstance(new, dict):
        (p1, e1), (p2, e2) = _phrases(old), _phrases(new)
        return {"phrases": p1 + [x for x in p2 if x not in p1], "except": e1 + [x for x in e2 if x not in e1]}
    if isinstance(old, list) and isinstance(new, list):
        return old + [x for x in new if x not in old]
    return new


def _take(value, gone: set):
    if isinstance(value, dict):
        phrases, exceptions = _phrases(value)
        return {"phrases": [x for x in phrases if x not in gone], "except": exceptions}
    return [x for x in value if not (isinstance(x, str) and x in gone)]


def merge(parent: dict, child: dict) -> tuple[dict, list[Problem]]:
    """The child pack over its parent. Lists and named lists add to the parent's (``remove:`` takes
    entries out); wordings, documents and patterns replace the parent's by name; other keys replace;
    rules add (same id replaces) and ``drop:`` removes rules."""
    problems: list[Problem] = []
    merged = dict(parent)
    for key, value in child.items():
        if key in ("rules", "drop", "extends", "abstract", "remove"):
            continue
        if key in ADDING_LISTS and isinstance(value, list):
            merged[key] = _add(list(parent.get(key) or []), value)
        elif key in ADDING_MAPS and isinstance(value, dict):
            mine = dict(parent.get(key) or {})
            for name, entries in value.items():
                mine[name] = _add(mine[name], entries) if name in mine else entries
            merged[key] = mine
        elif key in REPLACING_MAPS and isinstance(value, dict):
            merged[key] = {**(parent.get(key) or {}), **value}
        else:
            merged[key] = value
    for key, gone in (child.get("remove") or {}).items():
        have = merged.get(key)
        if isinstance(gone, list):
            missing = [g for g in gone if not isinstance(have, list) or g not in have]
            if missing:
                problems.append(Problem(line_of(child["remove"], key),
                                        f"remove: {key} of the extended pack has no {', '.join(map(repr, missing))}"))
            if isinstance(have, list):
                merged[key] = _take(have, set(gone))
            continue
        if not isinstance(have, dict):
            problems.append(Problem(line_of(child["remove"], key), f"remove: the extended pack has no {key}"))
            continue
        have = dict(have)
        for name, entries in gone.items():
            if name not in have:
                problems.append(Problem(line_of(gone, name), f"remove: the extended pack has no {key} {name!r}"))
                continue
            present = _phrases(have[name])[0] if key in ("lexicons", "topics") else list(have[name])
            missing = [g for g in entries if g not in present]
            if missing:
                problems.append(Problem(line_of(gone, name),
                                        f"remove: {key} {name!r} of the extended pack has no {', '.join(map(repr, missing))}"))
            have[name] = _take(have[name], set(entries))
        merged[key] = have
    rules = list(parent.get("rules") or [])
    drop = child.get("drop") or []
    known = {r.get("id") for r in rules if isinstance(r, dict)}
    for i, rid in enumerate(drop):
        if rid not in known:
            problems.append(Problem(line_of(drop, i), f"drop: the extended pack has no rule {rid!r}"))
    rules = [r for r in rules if not (isinstance(r, dict) and r.get("id") in drop)]
    own = list(child.get("rules") or [])
    own_ids = {r.get("id") for r in own if isinstance(r, dict)}
    # The extending pack's rules come first: where two rules of one category fire, the more
    # specific organisation's wording wins.
    merged["rules"] = own + [r for r in rules if not (isinstance(r, dict) and r.get("id") in own_ids)]
    merged["abstract"] = bool(child.get("abstract", False))
    for key in ("version", "expires"):  # a pack's own, never inherited
        merged.pop(key, None)
        if key in child:
            merged[key] = child[key]
    return merged, problems
