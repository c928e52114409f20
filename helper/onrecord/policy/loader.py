"""Reading pack files: YAML with every value's line remembered, checked key by key, ``extends:`` merged.

Problems are collected, not raised one at a time, so ``onrecord pack validate`` can report all of them,
each with its line number (from PyYAML's node marks).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from onrecord.policy.model import CATEGORIES, CONTEXTS, SEVERITIES
from onrecord.profile import ROLES, SITES

CHANNELS_IN_RULES = ("personal", "official", "corporate", "unknown")
FIX_WORDINGS = ("disclaimer", "blog", "media", "reference", "full", "short")
TOP_KEYS = {
    "id": "a short name for the pack (letters, digits, dashes)",
    "title": "the pack's name for people",
    "abstract": "true for a pack that only others extend",
    "extends": "the pack this one builds on (a built-in id or a path)",
    "documents": "the policy documents the rules cite",
    "disclaimer": "the disclaimer wordings",
    "org_names": "the organisation's names, handles and hashtags",
    "org_domains": "the organisation's e-mail and web domains",
    "media": "news outlets' handles and domains",
    "news_domain_words": "words in a web address that mark a newspaper's site",
    "public_addresses": "public street names that are not anyone's home",
    "work_related": "the lexicons that make a draft work-related",
    "work_framing": "the lexicon of policy words that make a mention of the user's expertise work",
    "lexicons": "named lists of phrases",
    "topics": "policy topics, for the expertise check",
    "triggers": "named sets of triggers that rules can `use:`",
    "example_profile": "the profile that rule examples are checked with",
    "rules": "the rules",
    "drop": "ids of the extended pack's rules to leave out",
    "version": "a whole number that only grows, for a pack published at a URL",
    "expires": "the date (YYYY-MM-DD) after which a published pack is no longer used",
}
RULE_KEYS = ("id", "category", "severity", "channels", "roles", "sites", "contexts", "triggers", "unless",
             "message", "source", "fix", "examples")
RULE_REQUIRED = ("id", "category", "severity", "channels", "triggers", "message", "source")


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


def _is_str_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


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
    """Problems with the shape of one pack file (before ``extends:`` is merged)."""
    problems: list[Problem] = []

    def add(container, key, message):
        problems.append(Problem(line_of(container, key), message))

    if not isinstance(data, dict):
        return [Problem(getattr(data, "line", 1), "a pack is a mapping of keys (id, title, rules...)")]
    for key in data:
        if key not in TOP_KEYS:
            add(data, key, f"unknown key {key!r} (allowed: {', '.join(TOP_KEYS)})")
    if "version" in data and (isinstance(data["version"], bool) or not isinstance(data["version"], int)
                              or data["version"] < 0):
        add(data, "version", f"`version:` must be a whole number of 0 or more ({TOP_KEYS['version']})")
    if "expires" in data and not _is_date(data["expires"]):
        add(data, "expires", f"`expires:` must be a date like 2027-03-31 ({TOP_KEYS['expires']})")
    for key in ("id", "title"):
        if not isinstance(data.get(key), str) or not data.get(key, "").strip():
            add(data, key, f"`{key}:` is missing or not text ({TOP_KEYS[key]})")
    for key in ("org_names", "org_domains", "public_addresses", "work_related", "drop", "news_domain_words"):
        if key in data and not _is_str_list(data[key]):
            add(data, key, f"`{key}:` must be a list of text ({TOP_KEYS[key]})")
    if "disclaimer" in data:
        disc = data["disclaimer"]
        if not isinstance(disc, dict):
            add(data, "disclaimer", "`disclaimer:` must map wording names (full, short, blog, ...) to text")
        else:
            for k, v in disc.items():
                if not (isinstance(v, str) and v.strip()) and not _is_str_list(v):
                    add(disc, k, f"disclaimer wording {k!r} must be text or a list of text")
    if "media" in data:
        media = data["media"]
        if not isinstance(media, dict) or set(media) - {"handles", "domains"}:
            add(data, "media", "`media:` takes `handles:` and `domains:` lists")
        else:
            for k, v in media.items():
                if not _is_str_list(v):
                    add(media, k, f"media {k} must be a list of text")
    for section in ("lexicons", "topics"):
        if section not in data:
            continue
        lex = data[section]
        if not isinstance(lex, dict):
            add(data, section, f"`{section}:` must map names to lists of phrases")
            continue
        for name, value in lex.items():
            if isinstance(value, dict):
                extra = set(value) - {"phrases", "except"}
                if extra or not _is_str_list(value.get("phrases")) or ("except" in value and not _is_str_list(value["except"])):
                    add(lex, name, f"{section[:-1]} {name!r}: expected a list of phrases, or `phrases:` and `except:` lists")
            elif not _is_str_list(value) or not value:
                add(lex, name, f"{section[:-1]} {name!r}: expected a non-empty list of phrases")
    if "triggers" in data:
        trig = data["triggers"]
        if not isinstance(trig, dict) or not all(isinstance(v, list) and v for v in trig.values()):
            add(data, "triggers", "`triggers:` must map names to non-empty lists of triggers")
    if "example_profile" in data and not isinstance(data["example_profile"], dict):
        add(data, "example_profile", "`example_profile:` must be a profile (name, organisation, accounts...)")
    rules = data.get("rules", [])
    if not isinstance(rules, list):
        add(data, "rules", "`rules:` must be a list of rules")
        return problems
    seen: dict[str, int] = {}
    for i, rule in enumerate(rules):
        if not isinstance(rule, dict):
            add(rules, i, "each rule is a mapping (id, category, severity, ...)")
            continue
        problems.extend(_check_rule(rule, seen))
    return problems


def _check_rule(rule: LineDict, seen: dict) -> list[Problem]:
    problems: list[Problem] = []
    rid = rule.get("id") if isinstance(rule.get("id"), str) else "?"

    def add(key, message, container=rule):
        problems.append(Problem(line_of(container, key), f"rule {rid}: {message}"))

    for key in rule:
        if key not in RULE_KEYS:
            add(key, f"unknown key {key!r} (allowed: {', '.join(RULE_KEYS)})")
    for key in RULE_REQUIRED:
        if key not in rule:
            add(None, f"`{key}:` is missing")
    if isinstance(rule.get("id"), str):
        if rid in seen:
            add("id", f"the id is used twice (first on line {seen[rid]})")
        seen[rid] = line_of(rule, "id")
    elif "id" in rule:
        add("id", "`id:` must be text")
    if "category" in rule and rule["category"] not in CATEGORIES:
        add("category", f"category {rule['category']!r} is not one of {', '.join(CATEGORIES)}")
    if "severity" in rule and rule["severity"] not in SEVERITIES:
        add("severity", f"severity {rule['severity']!r} is not one of {', '.join(SEVERITIES)}")
    for key, allowed in (("channels", CHANNELS_IN_RULES), ("roles", ROLES), ("sites", SITES), ("contexts", CONTEXTS)):
        if key not in rule:
            continue
        value = rule[key]
        if not isinstance(value, list) or not value:
            add(key, f"`{key}:` must be a list (or [any])")
            continue
        bad = [v for v in value if v != "any" and v not in allowed]
        if bad:
            add(key, f"{key} {', '.join(map(repr, bad))} not known (allowed: any, {', '.join(allowed)})")
    for key in ("message", "source"):
        if key in rule and not (isinstance(rule[key], str) and rule[key].strip()):
            add(key, f"`{key}:` must be text")
    for key in ("triggers", "unless"):
        if key in rule and (not isinstance(rule[key], list) or not rule[key]):
            add(key, f"`{key}:` must be a non-empty list of triggers")
    if "fix" in rule:
        fix = rule["fix"]
        ok = isinstance(fix, dict) and set(fix) <= {"type", "wording", "text"} and fix.get("type", "append") == "append" \
            and (("wording" in fix) != ("text" in fix))
        if ok and "wording" in fix and fix["wording"] not in FIX_WORDINGS:
            ok = False
        if not ok:
            add("fix", f"`fix:` must be {{type: append, wording: {'|'.join(FIX_WORDINGS)}}} or {{type: append, text: ...}}")
    if "examples" in rule:
        ex = rule["examples"]
        if not isinstance(ex, dict) or set(ex) - {"fire", "pass"}:
            add("examples", "`examples:` takes `fire:` and `pass:` lists")
        else:
            for k, items in ex.items():
                if not isinstance(items, list):
                    add(k, f"examples {k} must be a list", ex)
                    continue
                for j, item in enumerate(items):
                    if isinstance(item, str) and item.strip():
                        continue
                    if isinstance(item, dict) and isinstance(item.get("text"), str) and \
                            set(item) <= {"text", "channel", "site", "context", "reply_to", "account", "profile"}:
                        continue
                    add(j, "example must be text or {text, channel, site, context, reply_to, account, profile}", items)
    return problems


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


def merge(parent: dict, child: dict) -> tuple[dict, list[Problem]]:
    """The child pack over its parent: keys replace, rules add (same id replaces), ``drop:`` removes."""
    problems: list[Problem] = []
    merged = dict(parent)
    for key, value in child.items():
        if key in ("rules", "drop", "extends", "abstract"):
            continue
        if key in ("lexicons", "topics", "triggers", "disclaimer", "documents", "media") and isinstance(value, dict):
            merged[key] = {**(parent.get(key) or {}), **value}
        else:
            merged[key] = value
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
    return merged, problems
