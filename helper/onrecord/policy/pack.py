"""A policy pack compiled for fast checking: one phrase index, rules as closures over detectors.

Everything that can be worked out ahead of a check is worked out here, once per pack (the index of
every lexicon, each rule's triggers) and once per profile (the organisation's names, the user's
expertise), so a check is one tokenising pass plus cheap look-ups.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from onrecord.policy.detectors import DIGIT, any_guarded, folded_literal, need_of, registry, spans_of, text_literal
from onrecord.policy.detectors.expertise import DECLARED_LEXICON, TOPIC_PREFIX, topics_in
from onrecord.policy.detectors.lexicon import PhraseIndex, fold, singular_of, tokenize
from onrecord.policy.detectors.work_related import PROFILE_LEXICON
from onrecord.policy.gate import GateBuilder
from onrecord.policy.loader import Problem, line_of
from onrecord.policy.memo import AnswerMemo
from onrecord.policy.model import SEVERITY_RANK
from onrecord.policy.scan import ProfileFacts
from onrecord.sites import MENTION_SITES

MEDIA_LEXICON = "@media.handles"
_CASE_FREE = re.compile("[\u0130\u0131\u017f\u212a]")
ORG_LEXICON = "org_names"
NAME_LEXICON = "@profile.name"  # the user's own name, full and first: a draft that introduces its author


@dataclass
class Rule:
    id: str
    category: str
    severity: str
    channels: frozenset | None
    roles: frozenset | None
    sites: frozenset | None
    contexts: frozenset | None
    message: str
    source: str
    fix: dict | None
    examples: dict
    triggers: tuple = ()
    unless: tuple = ()
    line: int = 0
    link: str | None = None
    _trigger: object = field(default=None, repr=False)
    # What a draft needs for any trigger to hold (None: no such test), and the prompts made so far.
    need: frozenset | None = field(default=None, repr=False)
    prompts: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        # Any trigger will do, and one whose needs (lexicon hits, literal text, a digit) the draft
        # lacks is not called.
        self._trigger = any_guarded(self.triggers)
        self.need = self._trigger.need
        # Whether a trigger can say which words set it off (the situation's rules cannot).
        self.words = any(getattr(t, "spans", None) is not None for t in self.triggers)

    def evidence(self, scan) -> list:
        """The spans of the draft that set the rule off (for a rule that fired)."""
        return spans_of(self._trigger, scan)

    def applies(self, channel: str, site: str, context: str, roles: frozenset) -> bool:
        if self.channels is not None and channel not in self.channels:
            return False
        if self.sites is not None and site not in self.sites:
            return False
        if self.contexts is not None and context not in self.contexts:
            return False
        if self.roles is not None:
            if roles:
                return bool(roles & self.roles)
            return bool(self.roles - {"minister"})  # no roles declared: not a minister
        return True

    def fires(self, scan) -> bool:
        if not self._trigger(scan):
            return False
        for block in self.unless:
            if block(scan):
                return False
        return True

    def summary(self, organisation: str = "") -> dict:
        out = {"id": self.id, "category": self.category, "severity": self.severity,
               "message": fill(self.message, organisation) if organisation else self.message, "source": self.source}
        if self.link:
            out["link"] = self.link
        return out


@dataclass
class Pack:
    id: str
    title: str
    origin: str  # "built-in" or the file's path
    abstract: bool
    data: dict
    rules: list[Rule]
    index: PhraseIndex
    disclaimer: dict
    # The literal text the pack's checks may need: ((text, atom), ...) looked for in the folded draft
    # and in the draft as written.
    folded_literals: tuple = ()
    text_literals: tuple = ()
    atoms: frozenset = frozenset()
    gate: object = None  # a policy.gate.Gate: the pack's expressions matched in a few passes
    # Broad policy areas by the names people declare them as expertise ("health", "defence policy"):
    # {name: the narrower topics the area covers}.
    area_names: dict = field(default_factory=dict)
    # Each narrower area by the words of its name ({"primary_care": {"primary", "care"}}).
    topic_words: dict = field(default_factory=dict)
    # Answers to drafts checked a moment ago, by a keyed digest (``policy.memo``): the pack's own, so
    # another pack, or this one compiled again, starts with none.
    answers: AnswerMemo = field(default_factory=AnswerMemo, repr=False)
    _checkers: dict = field(default_factory=dict, repr=False)
    _applicable: dict = field(default_factory=dict, repr=False)
    _by_id: dict = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def rules_for(self, channel: str, site: str, context: str, roles: frozenset) -> list[Rule]:
        """The rules that apply in this situation (worked out once per situation, then remembered)."""
        key = (channel, site, context, roles)
        rules = self._applicable.get(key)
        if rules is None:
            rules = [r for r in self.rules if r.applies(channel, site, context, roles)]
            if len(self._applicable) > 4096:
                self._applicable.clear()
            self._applicable[key] = rules
        return rules

    def present(self, folded: str, text: str, hits: dict, has_digit: bool, encoded: bytes | None = None) -> set:
        """The atoms a draft contains: its lexicons with hits, the literals in it, a digit (``encoded``: an
        ASCII draft's bytes, which are its UTF-8)."""
        present = set(hits)
        if has_digit:
            present.add(DIGIT)
        for lit, atom in self.folded_literals:
            if lit in folded:
                present.add(atom)
        for lit, atom in self.text_literals:
            if lit in text:
                present.add(atom)
        if self.gate is not None:
            present.update(self.gate.atoms(text, encoded))
        if not text.isascii() and _CASE_FREE.search(text):
            # Letters that case-insensitive expressions match to plain ones though lower() keeps them
            # apart ("\u017f" is an s): no literal test is safe, so every check runs.
            present |= self.atoms
        return present

    def rules_summary(self, organisation: str | None = None) -> list[dict]:
        """The rules for display, their messages naming ``organisation`` (else the pack's own)."""
        name = current_name(organisation or "", self.data.get("renamed") or {}) or self.data.get("organisation") or ""
        return [r.summary(name) for r in self.rules]

    def facts_for(self, profile) -> tuple[PhraseIndex, ProfileFacts]:
        """The profile's own phrases merged into the pack's index, and what detectors need from it."""
        # The same profile object comes back check after check: find it by identity first, which
        # costs nothing, rather than hashing every field and account.
        by_id = self._by_id.get(id(profile))
        if by_id is not None and by_id[0] is profile:
            return by_id[1]
        key = profile
        with self._lock:
            cached = self._checkers.get(key)
        if cached:
            self._remember(profile, cached)
            return cached
        own = PhraseIndex()
        names = [profile.organisation] + [a.organisation for a in profile.accounts if a.organisation]
        for acc in profile.accounts:
            # The organisation's accounts the user posts for (@AmyatDH, @dhgovuk) name the work too.
            if acc.channel in ("official", "corporate") and acc.site in MENTION_SITES:
                bare = acc.handle.strip().lstrip("@").split("@", 1)[0]
                names += ["=@" + bare, "=" + bare]
        job_parts = [p.strip() for p in (profile.job_title or "").replace(";", ",").split(",") if p.strip()]
        expertise = [e for e in profile.expertise if e.strip()]
        # People write their expertise in the plural ("health and wellbeing boards") and then post about
        # one ("the board toolkit"): the singular counts too.
        expertise += [singular for e in expertise for singular in [singular_of(e)] if singular != e]
        # ...and by their last two words when the phrase is longer ("wellbeing boards").
        expertise += [" ".join(e.split()[-2:]) for e in expertise if len(e.split()) >= 3]
        job_parts += [singular for j in job_parts for singular in [singular_of(j)] if singular != j]
        own.add(PROFILE_LEXICON, [n for n in names + expertise + job_parts if tokenize(fold(n))])
        if expertise:
            own.add(DECLARED_LEXICON, expertise)
        full_name = " ".join((profile.name or "").split())
        if full_name:
            own.add(NAME_LEXICON, ["=" + w for w in {full_name, full_name.split()[0]} if tokenize(fold(w))])
        covered: set[str] = set()
        for phrase in expertise + job_parts:
            covered |= topics_in(self.index.scan(tokenize(fold(phrase))))
        # Expertise that names a whole area ("health", "Minister of State for Health") covers every
        # narrower area in it; a narrow one ("public health") covers only its own.
        # ...and an area is named in other words around its own ("primary and community care",
        # "children's mental health services").
        for phrase in expertise + job_parts:
            words = set(tokenize(fold(phrase)))
            covered |= {t for t, need in self.topic_words.items() if need <= words}
        if self.area_names:
            for phrase in expertise + job_parts:
                covered |= self.area_names.get(area_name(phrase), frozenset())
                _, of, rest = phrase.lower().rpartition(" for ")
                if not of:
                    _, of, rest = phrase.lower().rpartition(" of ")
                if of:
                    covered |= self.area_names.get(area_name(rest), frozenset())
        facts = ProfileFacts(
            org_domains=frozenset(self.data.get("org_domains") or ()),
            expertise_topics=frozenset(covered),
            declared_expertise=bool(expertise),
            has_line_manager=bool(profile.line_manager),
            roles=frozenset(profile.roles),
            organisation=current_name(profile.organisation, self.data.get("renamed") or {}),
        )
        result = (self.index.merged(own), facts)
        with self._lock:
            if len(self._checkers) > 16:  # each holds its own copy of the first-word table
                self._checkers.clear()
            self._checkers[key] = result
        self._remember(profile, result)
        return result

    def _remember(self, profile, result) -> None:
        if len(self._by_id) > 16:
            self._by_id.clear()
        self._by_id[id(profile)] = (profile, result)


class _Compiler:
    """What detectors see while a pack compiles: lexicon names, named triggers and pack values."""

    def __init__(self, data: dict):
        self.data = data
        self.index = PhraseIndex()
        self.lexicons: set[str] = {PROFILE_LEXICON, DECLARED_LEXICON, MEDIA_LEXICON, NAME_LEXICON}
        self.registry = registry()
        self.named_cache: dict[str, object] = {}
        self.named_stack: list[str] = []
        self.inline = 0
        self.problems: list[Problem] = []
        self.atoms: set[str] = set()  # everything a compiled check may need
        self.gate = GateBuilder()
        for section, prefix in (("lexicons", ""), ("topics", TOPIC_PREFIX)):
            for name, value in (data.get(section) or {}).items():
                phrases, exceptions = (value.get("phrases"), value.get("except") or ()) if isinstance(value, dict) \
                    else (value, ())
                self.index.add(prefix + name, phrases, exceptions)
                self.lexicons.add(prefix + name)
        # The organisation's names are always a lexicon, empty in a pack that only others extend.
        self.index.add(ORG_LEXICON, data.get("org_names") or ())
        self.lexicons.add(ORG_LEXICON)
        handles = [("=@" + h.lstrip("@")) for h in (data.get("media") or {}).get("handles", ())]
        if handles:
            self.index.add(MEDIA_LEXICON, handles)

    # The interface detectors use -------------------------------------------------------------
    def lexicon_ref(self, name) -> str:
        if not isinstance(name, str) or name not in self.lexicons:
            raise ValueError(f"no lexicon named {name!r} in the pack")
        return name

    def inline_lexicon(self, phrases) -> str:
        self.inline += 1
        name = f"@inline.{self.inline}"
        self.index.add(name, phrases)
        self.lexicons.add(name)
        return name

    def pack_value(self, key, default=None):
        if key == "media_handles":
            return (self.data.get("media") or {}).get("handles", default)
        if key == "news_domains":
            return (self.data.get("media") or {}).get("domains", default)
        if key == "media_lexicon":
            return MEDIA_LEXICON if (self.data.get("media") or {}).get("handles") else default
        if key == "disclaimer_wordings":
            return self.data.get("disclaimer") or {}
        return self.data.get(key, default)

    def named(self, name: str):
        triggers = self.data.get("triggers") or {}
        if name not in triggers:
            raise ValueError(f"use: no trigger set named {name!r} in the pack's `triggers:`")
        if name in self.named_cache:
            return self.named_cache[name]
        if name in self.named_stack:
            raise ValueError(f"use: trigger set {name!r} uses itself")
        self.named_stack.append(name)
        try:
            parts = tuple(self.compile(spec) for spec in triggers[name])
        finally:
            self.named_stack.pop()
        fn = parts[0] if len(parts) == 1 else any_guarded(parts)
        self.named_cache[name] = fn
        return fn

    def compile(self, spec):
        if not isinstance(spec, dict) or len(spec) != 1:
            raise ValueError("a trigger is a mapping with one detector name, e.g. {lexicon: insults}")
        (key, value), = spec.items()
        module = self.registry.get(key)
        if module is None:
            raise ValueError(f"unknown detector {key!r} (known: {', '.join(sorted(self.registry))})")
        fn = module.compile(key, value, self)
        self.atoms.update(need_of(fn) or ())
        return fn

    # Rules -------------------------------------------------------------------------------------
    def compile_list(self, rule, key) -> tuple:
        out = []
        items = rule.get(key) or []
        for i, spec in enumerate(items):
            try:
                out.append(self.compile(spec))
            except ValueError as exc:
                self.problems.append(Problem(line_of(items, i), f"rule {rule.get('id')}: {key}: {exc}"))
        return tuple(out)

    def link(self, raw) -> str | None:
        """The address of the policy text a rule cites: its own ``link``, else the ``document`` it names
        (one of the pack's ``documents:``) at the ``section`` given, built from the document's one address."""
        if raw.get("link"):
            return raw["link"]
        name = raw.get("document")
        if name is None:
            return None
        docs = self.data.get("documents") or {}
        doc = docs.get(name)
        where = line_of(raw, "document")
        if doc is None:
            self.problems.append(Problem(where, f"rule {raw.get('id')}: document: the pack has no document {name!r} "
                                                f"(documents: {', '.join(sorted(docs)) or 'none'})"))
            return None
        if not isinstance(doc, dict) or not doc.get("link"):
            return None  # a document known by its title only
        section = raw.get("section")
        sections = doc.get("sections") or {}
        if section is None:
            return doc["link"]
        section = str(section)
        if sections and section not in sections:
            self.problems.append(Problem(line_of(raw, "section"),
                                         f"rule {raw.get('id')}: section: document {name!r} has no section {section!r} "
                                         f"(sections: {', '.join(map(str, sections))})"))
            return None
        anchor = sections.get(section)
        if not anchor:
            return doc["link"]
        # A section is a fragment of the document's address (#page=7, #political-impartiality) or an address of its own.
        return anchor if anchor.startswith("https://") else doc["link"].split("#", 1)[0] + anchor

    def rule(self, raw) -> Rule:
        def opt(key):
            value = raw.get(key)
            return None if not value or "any" in value else frozenset(value)
        fix = raw.get("fix")
        if fix and "wording" in fix and fix["wording"] not in ("disclaimer", "blog") and \
                fix["wording"] not in (self.data.get("disclaimer") or {}):
            self.problems.append(Problem(line_of(raw, "fix"),
                                         f"rule {raw.get('id')}: fix: the pack has no {fix['wording']!r} disclaimer wording"))
        return Rule(
            id=raw["id"], category=raw["category"], severity=raw["severity"],
            channels=opt("channels"), roles=opt("roles"), sites=opt("sites"), contexts=opt("contexts"),
            message=" ".join(raw["message"].split()), source=" ".join(raw["source"].split()),
            fix=dict(fix) if fix else None, examples=raw.get("examples") or {},
            triggers=self.compile_list(raw, "triggers"), unless=self.compile_list(raw, "unless"),
            line=getattr(raw, "line", 0), link=self.link(raw),
        )


_AREA_WORDS = re.compile(r"^(?:the )|(?: (?:policy|policies|sector|portfolio|team))+$")


def area_name(phrase: str) -> str:
    """A declared area as compared with an area's names: folded, without "the" or a trailing "policy"."""
    words = " ".join(tokenize(fold(phrase.replace(",", " ").replace("&", " and "))))
    return _AREA_WORDS.sub("", words).strip()


def _areas(data: dict, topics: set, problems: list) -> dict:
    """``{area name: topics}`` from the pack's ``topic_groups``, each topic checked against ``topics:``."""
    out: dict[str, frozenset] = {}
    groups = data.get("topic_groups") or {}
    for key, group in groups.items():
        spec = group if isinstance(group, dict) else {"topics": group}
        members = list(spec.get("topics") or ())
        unknown = [t for t in members if t not in topics]
        if unknown:
            problems.append(Problem(line_of(group, "topics") or line_of(groups, key),
                                    f"topic_groups: {key}: no topic named {', '.join(map(repr, unknown))} in the pack's topics:"))
        names = [key.replace("_", " "), spec.get("title") or ""] + list(spec.get("names") or ())
        for name in names:
            name = area_name(name)
            if name:
                out[name] = out.get(name, frozenset()) | frozenset(m for m in members if m in topics)
    return out


def current_name(organisation: str, renamed: dict) -> str:
    """The organisation by today's name when the pack records that it was renamed, else as declared
    (without a leading "the": wordings say "the {organisation}" where the name takes one)."""
    name = " ".join((organisation or "").split())
    if name[:4].lower() == "the " and len(name) > 4:
        name = name[4:]
    for old, new in renamed.items():
        if name.lower() == old.lower():
            return new
    return name


# Names said without "the": "HM Treasury", "NHS England", "Public Health England", "Leeds City Council",
# "DHSC", "my department"; but "the Department of Health", "the Cabinet Office", "the Bank of England".
_NO_ARTICLE_FIRST = {"my", "our", "his", "her", "their", "hm", "nhs", "ofsted", "ofqual", "ofcom", "ofgem", "ofwat"}
_NO_ARTICLE_LAST = {"england", "scotland", "wales", "ireland", "trust", "council"}
_THE = re.compile(r"\b([Tt]he) \{organisation\}")


def takes_article(name: str) -> bool:
    words = name.split()
    if len(words) <= 1:
        return False  # an acronym or a one-word name (DHSC, Defra, Ofsted)
    first, last = words[0].lower(), words[-1].lower().strip(".,")
    if first in _NO_ARTICLE_FIRST or name.lower().startswith("his majesty's "):
        return False
    if last in _NO_ARTICLE_LAST and not {"of", "for"} & {w.lower() for w in words[1:-1]}:
        return False
    return True


def fill(text: str, organisation: str) -> str:
    """A pack wording in the user's own terms: ``{organisation}`` is the organisation they declared, and
    "the {organisation}" loses its "the" for a name said without one ("not those of NHS England")."""
    if "{organisation}" not in text:
        return text
    if not takes_article(organisation):
        text = _THE.sub("{organisation}", text)
    return text.replace("{organisation}", organisation)


def compile_pack(data: dict, origin: str) -> tuple[Pack | None, list[Problem]]:
    """Compile merged pack data; returns the pack, or None with the problems found."""
    comp = _Compiler(data)
    for name in data.get("work_related") or ():
        if name not in comp.lexicons:
            comp.problems.append(Problem(line_of(data, "work_related"), f"work_related: no lexicon named {name!r}"))
    rules = [comp.rule(r) for r in data.get("rules") or [] if isinstance(r, dict)]
    areas = _areas(data, set(data.get("topics") or ()), comp.problems)
    if comp.problems:
        return None, comp.problems
    # Stronger prompts first where two rules of one category fire; the pack's order breaks ties.
    rules.sort(key=lambda r: -SEVERITY_RANK[r.severity])
    gate = comp.gate.build()
    # Every atom, for drafts no literal test is safe on: the set's too, since an expression inside a
    # proximity side has its own atom without being a trigger's need.
    atoms = frozenset(comp.atoms) | (gate.every if gate is not None else frozenset())
    pack = Pack(id=data["id"], title=data["title"], origin=origin, abstract=bool(data.get("abstract")),
                data=data, rules=rules, index=comp.index, disclaimer=dict(data.get("disclaimer") or {}),
                folded_literals=_literals(comp.atoms, folded_literal("")),
                text_literals=_literals(comp.atoms, text_literal("")), atoms=atoms, gate=gate, area_names=areas,
                topic_words={t: frozenset(t.split("_")) - {"and"} for t in data.get("topics") or ()})
    return pack, []


def _literals(atoms, prefix: str) -> tuple:
    return tuple(sorted((a[len(prefix):], a) for a in atoms if a.startswith(prefix)))
