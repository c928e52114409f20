"""Every regular expression of a pack tried at once, in a few passes over the draft (RE2's set matching).

Most drafts match none of a pack's fifty-odd expressions, and Python's ``re`` has to try each of them
at every position to find that out. RE2 (a linear-time engine) matches a whole set of expressions in
one pass and says which of them matched; the expressions are shared among a few sets (see ``Gate``).
RE2 lacks look-arounds and Python's Unicode rules, so each expression goes into the set in a looser
form that matches wherever the original can:

- look-aheads and look-behinds, ``^``, ``$`` and ``\\A``/``\\Z`` are left out;
- a count with bounds far apart (``{0,25}``) loses its upper bound;
- ``\\b`` is kept only beside a plain ASCII letter or digit of the pattern, where RE2's ASCII rule
  and Python's Unicode rule can only differ by RE2 allowing more;
- ``\\d``, ``\\w`` and ``\\s`` become Unicode classes at least as wide as Python's (``\\s`` with the
  vertical tab, which RE2's lacks); a negated class (``\\D``, ``\\W``, ``\\S``, or ``[^...]`` holding one)
  becomes any character;
- a draft RE2 cannot read (a lone surrogate) or holding a letter Python folds by its own tables (long s,
  Kelvin sign, dotted and dotless i) runs every expression.

An expression then runs in Python only on drafts its looser form matches, and decides as before. An
expression that cannot be translated (a back-reference, say) is simply not in the set: the engine falls
back on its literal prefilter for that one.
"""

from __future__ import annotations

import bisect
import re

import re2

try:  # Python 3.11+
    from re import _constants as _c, _parser as _parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c
    import sre_parse as _parse

# An atom (see ``detectors.needing``) that is present when the looser form of expression N matched.
GATE_PREFIX = "\x04"

_WORD = r"\p{L}\p{N}\p{M}_"
_SPACE = r"\s\x{b}\p{Z}\x{1c}-\x{1f}\x{85}"  # RE2's \s lacks the vertical tab that Python's has
_DIGIT = r"\p{Nd}"
_CATEGORY = {_c.CATEGORY_DIGIT: _DIGIT, _c.CATEGORY_WORD: _WORD, _c.CATEGORY_SPACE: _SPACE}
_ANY = r"[\x{0}-\x{10FFFF}]"
_RE2_MAX_REPEAT = 1000
_SPREAD_KEPT = 3  # a repeat whose bounds differ by more loses its upper bound (see _sequence)
# Room for RE2's compiled set and its cache of DFA states; a full cache is emptied and refilled, never
# a failure, since set matching does not give up when its cache churns. Sixteen sets of a few
# expressions each need few states, so a day of new drafts fills their caches within the first few
# thousand, and the helper's memory stops growing there (four sets of 4 MB still grew by 1.3 MB over
# drafts 5,000 to 10,000, sixteen of 1 MB by 0.5), at the same speed on new drafts.
_MAX_MEM = 1 << 20  # for each of the sets
_GROUPS = 16


class Untranslatable(ValueError):
    """The expression uses something the looser RE2 form cannot stand for."""


def _char(code: int) -> str:
    ch = chr(code)
    return ch if ch.isascii() and ch.isalnum() else "\\x{%x}" % code


def _class(items) -> str:
    members, negate, categories = [], False, False
    for op, arg in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            members.append(_char(arg))
        elif op is _c.RANGE:
            members.append(f"{_char(arg[0])}-{_char(arg[1])}")
        elif op is _c.CATEGORY and arg in _CATEGORY:
            members.append(_CATEGORY[arg])
            categories = True
        else:  # a negated category inside a class: any character will do
            return _ANY
    if negate and categories:
        # The Unicode stand-ins are a little wider than Python's classes (\w takes in combining marks),
        # so their complement would be narrower: any character will do.
        return _ANY
    return ("[^" if negate else "[") + "".join(members) + "]"


def _ascii_word(item) -> bool:
    return item is not None and item[0] is _c.LITERAL and chr(item[1]).isascii() and chr(item[1]).isalnum()


def _sequence(items) -> str:
    out = []
    for i, (op, arg) in enumerate(items):
        if op is _c.LITERAL:
            out.append(_char(arg))
        elif op is _c.NOT_LITERAL:
            out.append(f"[^{_char(arg)}]")
        elif op is _c.ANY:
            out.append(_ANY)
        elif op is _c.IN:
            out.append(_class(arg))
        elif op is _c.CATEGORY:
            out.append(f"[{_CATEGORY[arg]}]" if arg in _CATEGORY else _ANY)
        elif op is _c.AT:
            if arg is _c.AT_BOUNDARY and (_ascii_word(items[i - 1] if i else None)
                                          or _ascii_word(items[i + 1] if i + 1 < len(items) else None)):
                out.append(r"\b")
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            continue
        elif op is _c.SUBPATTERN:
            _group, add, remove, sub = arg
            flags = ("i" if add & re.IGNORECASE else "") + ("-i" if remove & re.IGNORECASE else "")
            out.append(f"(?{flags}:{_sequence(list(sub))})")
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            out.append(f"(?:{_sequence(list(arg))})")
        elif op is _c.BRANCH:
            out.append("(?:" + "|".join(_sequence(list(b)) for b in arg[1]) + ")")
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            low, high, sub = arg
            low = min(low, _RE2_MAX_REPEAT)
            # A count between two bounds ({0,25}) makes a set's automaton follow every count at once, in
            # step with every other expression: its states multiply, and a new draft builds new ones.
            # Only a small spread keeps its upper bound; a wider one has none, which is looser.
            wide = high is _c.MAXREPEAT or high > _RE2_MAX_REPEAT or high - low > _SPREAD_KEPT
            bounds = f"{{{low},}}" if wide else f"{{{low},{high}}}"
            out.append(f"(?:{_sequence(list(sub))}){bounds}")
        else:
            raise Untranslatable(f"no RE2 form for {op}")
    return "".join(out)


def loosen(pattern: str, flags: int) -> str:
    """The RE2 expression that matches wherever ``re.compile(pattern, flags)`` can match."""
    tree = _parse.parse(pattern, flags)
    body = _sequence(list(tree))
    return ("(?i)" if tree.state.flags & re.IGNORECASE else "") + body


class GateBuilder:
    """Collects a pack's expressions while it compiles; ``build`` makes the one set that tries them all."""

    def __init__(self) -> None:
        self._atoms: dict[str, str] = {}
        self._expressions: list[tuple[str, int, str]] = []

    def atom_for(self, pattern: str, flags: int) -> str | None:
        """The atom that stands for "this expression may match", or None when it has no RE2 form."""
        try:
            loose = loosen(pattern, flags)
            re2.compile(loose)
        except (Untranslatable, re.error, re2.error):
            return None
        atom = self._atoms.get(loose)
        if atom is None:
            atom = self._atoms[loose] = f"{GATE_PREFIX}{len(self._atoms)}"
        self._expressions.append((pattern, flags, atom))
        return atom

    def build(self) -> "Gate | None":
        return Gate(self._atoms, self._expressions) if self._atoms else None


class Gate:
    """A pack's expressions in a few RE2 sets. ``expressions`` lists ``(pattern, flags, atom)`` for each
    expression it stands for (so the pack's tests can hold every one to the promise above).

    One set of all of them is the fastest on a draft it has seen, but a set's automaton is built as
    drafts come, one state for each mix of partial matches, and across fifty-odd expressions the mixes
    are too many to keep: every new draft built new states, several times the cost of matching. Several
    smaller sets, each with its own room for states, keep what new drafts need.
    """

    def __init__(self, atoms: dict[str, str], expressions=(), groups: int = _GROUPS):
        self.expressions = tuple(expressions)
        options = re2.Options()
        options.max_mem = _MAX_MEM
        options.log_errors = False
        items = list(atoms.items())
        self._sets = []
        for g in range(min(groups, len(items))):
            rset = re2.Set.SearchSet(options)
            by_index = {rset.Add(loose): atom for loose, atom in items[g::groups]}
            rset.Compile()
            # The binding's own Match on bytes, without the wrapper's frame (sixteen calls a check).
            match = getattr(getattr(rset, "_set", None), "Match", None) or rset.Match
            self._sets.append((match, [by_index[i] for i in range(len(by_index))]))
        self.every = frozenset(atom for _, atom in items)

    def atoms(self, text: str, encoded: bytes | None = None):
        """The atoms of the expressions that may match ``text`` (``encoded``: its UTF-8, when known)."""
        if encoded is None:
            try:
                encoded = text.encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate: RE2 reads UTF-8 only, so every expression runs
                return self.every
        out = []
        for match, atoms in self._sets:
            found = match(encoded)
            if found:
                out += [atoms[i] for i in found]
        return out


# ---------------------------------------------------------------------------------------------- exact

# One expression matched by RE2 in place of Python's ``re``, where the two are bound to give the same
# matches: every match of the original, at the same places, in the same order. RE2's leftmost-first
# matching follows the same preferences as a backtracking engine (alternatives in order, greedy and
# lazy counts), so they agree on everything RE2 can express when the draft is ASCII (where Python's
# Unicode classes and ``\b`` are RE2's ASCII ones, but for ``\s`` which also takes in \v and \x1c-\x1f).
# An expression with look-arounds, ``$``, back-references, atomic groups or a match that may be empty
# keeps to ``re``, as does a draft with any other character.
_EXACT_CATEGORY = {_c.CATEGORY_DIGIT: "0-9", _c.CATEGORY_WORD: "0-9A-Za-z_",
                   _c.CATEGORY_SPACE: r"\t\n\x{b}\f\r \x{1c}-\x{1f}"}
_EXACT_NOT = {_c.CATEGORY_NOT_DIGIT: _c.CATEGORY_DIGIT, _c.CATEGORY_NOT_WORD: _c.CATEGORY_WORD,
              _c.CATEGORY_NOT_SPACE: _c.CATEGORY_SPACE}
# Letters outside ASCII that Python's case-insensitive matching folds to ASCII ones (long s, Kelvin
# sign, dotted and dotless i): an expression holding one keeps to ``re``.
_FOLDS_TO_ASCII = (0x130, 0x131, 0x17F, 0x212A)


def _exact_char(code: int, ignore_case: bool) -> str:
    if ignore_case and code in _FOLDS_TO_ASCII:
        raise Untranslatable("a letter that folds to ASCII")
    return _char(code)


def _exact_class(items, ignore_case: bool) -> str:
    members, negate = [], False
    for op, arg in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            members.append(_exact_char(arg, ignore_case))
        elif op is _c.RANGE:
            lo, hi = arg
            if ignore_case and any(lo <= c <= hi for c in _FOLDS_TO_ASCII):
                raise Untranslatable("a range with a letter that folds to ASCII")
            members.append(f"{_char(lo)}-{_char(hi)}")
        elif op is _c.CATEGORY and arg in _EXACT_CATEGORY:
            members.append(_EXACT_CATEGORY[arg])
        else:
            raise Untranslatable(f"no exact RE2 form for {op} {arg} in a class")
    return ("[^" if negate else "[") + "".join(members) + "]"


def _exact(items, flags: int) -> str:
    ignore_case = bool(flags & re.IGNORECASE)
    out = []
    for op, arg in items:
        if op is _c.LITERAL:
            out.append(_exact_char(arg, ignore_case))
        elif op is _c.NOT_LITERAL:
            out.append(f"[^{_exact_char(arg, ignore_case)}]")
        elif op is _c.ANY:
            out.append(_ANY if flags & re.DOTALL else r"[^\n]")
        elif op is _c.IN:
            out.append(_exact_class(arg, ignore_case))
        elif op is _c.CATEGORY:
            if arg in _EXACT_CATEGORY:
                out.append(f"[{_EXACT_CATEGORY[arg]}]")
            elif arg in _EXACT_NOT:
                out.append(f"[^{_EXACT_CATEGORY[_EXACT_NOT[arg]]}]")
            else:
                raise Untranslatable(f"no exact RE2 form for {arg}")
        elif op is _c.AT:
            if arg is _c.AT_BOUNDARY:
                out.append(r"\b")
            elif arg is _c.AT_NON_BOUNDARY:
                out.append(r"\B")
            elif arg is _c.AT_BEGINNING_STRING or (arg is _c.AT_BEGINNING and not flags & re.MULTILINE):
                out.append(r"\A")
            elif arg is _c.AT_END_STRING:
                out.append(r"\z")
            else:  # $ (before a last newline too) and ^ after each line
                raise Untranslatable(f"no exact RE2 form for {arg}")
        elif op is _c.SUBPATTERN:
            _group, add, remove, sub = arg
            if (add | remove) & ~re.IGNORECASE:
                raise Untranslatable("inline flags other than i")
            inner = (flags | add) & ~remove
            mode = "i" if add & re.IGNORECASE else ("-i" if remove & re.IGNORECASE else "")
            out.append(f"(?{mode}:{_exact(list(sub), inner)})")
        elif op is _c.BRANCH:
            out.append("(?:" + "|".join(_exact(list(b), flags) for b in arg[1]) + ")")
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            low, high, sub = arg
            if low > _RE2_MAX_REPEAT or (high is not _c.MAXREPEAT and high > _RE2_MAX_REPEAT):
                raise Untranslatable("a count RE2 cannot hold")
            bounds = f"{{{low},}}" if high is _c.MAXREPEAT else f"{{{low},{high}}}"
            out.append(f"(?:{_exact(list(sub), flags)}){bounds}" + ("?" if op is _c.MIN_REPEAT else ""))
        else:  # look-arounds, back-references, atomic groups, possessive counts
            raise Untranslatable(f"no exact RE2 form for {op}")
    return "".join(out)


def exact(pattern: str, flags: int) -> str:
    """The RE2 expression that finds exactly the matches ``re.compile(pattern, flags)`` finds in ASCII
    text, or ``Untranslatable``."""
    tree = _parse.parse(pattern, flags)
    flags = tree.state.flags
    if flags & re.VERBOSE:
        flags &= ~re.VERBOSE  # the parser has already dropped the spaces and comments
    if flags & ~(re.IGNORECASE | re.DOTALL | re.MULTILINE | re.UNICODE):
        raise Untranslatable("flags other than i, s and m")
    if tree.getwidth()[0] == 0:
        raise Untranslatable("a match may be empty")  # where each engine goes on after one differs
    body = _exact(list(tree), flags)
    return ("(?i)" if flags & re.IGNORECASE else "") + body


def _compiled(expression: str):
    options = re2.Options()
    options.log_errors = False
    options.max_mem = _EXACT_MAX_MEM
    return re2.compile(expression, options)._regexp


class Utf8:
    """A draft that is not ASCII as UTF-8 bytes for RE2, with the code point offsets of its bytes: the
    non-ASCII characters' places and how many bytes more than one each takes, summed."""

    __slots__ = ("encoded", "_chars", "_bytes", "_extra")

    def __init__(self, text: str):
        self.encoded = text.encode("utf-8")  # UnicodeEncodeError for a lone surrogate: the caller uses re
        chars, starts, extra, total = [], [], [0], 0
        for m in _NON_ASCII.finditer(text):
            c = m.start()
            chars.append(c)
            starts.append(c + total)
            total += len(m.group().encode("utf-8")) - 1
            extra.append(total)
        self._chars, self._bytes, self._extra = chars, starts, extra

    def to_byte(self, char: int) -> int:
        return char + self._extra[bisect.bisect_left(self._chars, char)]

    def to_char(self, byte: int) -> int:
        return byte - self._extra[bisect.bisect_left(self._bytes, byte)]


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def fast_finder(pattern: str, flags: int):
    """``find(text, encoded, utf8) -> [(start, end)] or None``: every match of ``re.compile(pattern,
    flags)`` in the draft, as ``finditer`` gives them; ``encoded`` is an ASCII draft's bytes (whose
    offsets are code points), else ``utf8`` (a ``Utf8``) is the draft's. None (from ``fast_finder``, or
    from ``find`` for a draft it cannot take) when only ``re`` will do.

    In an ASCII draft, an expression RE2 can match exactly (see ``exact``) is matched by RE2 alone. Any
    other expression, and any expression in any other draft, is matched by ``re`` only where its looser
    RE2 form (see ``loosen``, which matches from every place the original matches from) finds a place a
    match could start: each such place, in order, is tried with ``re``'s ``match`` there (which sees
    the text before it, for look-behinds and ``\\b``), so the matches are ``finditer``'s, without ``re``
    trying every position."""
    rx = re.compile(pattern, flags)
    if _parse.parse(pattern, flags).getwidth()[0] == 0 or not hasattr(re2, "_Anchor"):
        return None  # where each engine goes on after an empty match differs
    exact_match = loose_match = None
    try:
        exact_match = _compiled(exact(pattern, flags)).Match
    except (Untranslatable, re.error, re2.error, AttributeError, TypeError, ValueError):
        pass
    try:
        loose_match = _compiled(loosen(pattern, flags)).Match
    except (Untranslatable, re.error, re2.error, AttributeError, TypeError, ValueError):
        pass
    if exact_match is None and loose_match is None:
        return None
    anchor = re2._Anchor.UNANCHORED
    verify = rx.match

    def exactly(encoded: bytes) -> list:
        out, pos, end = [], 0, len(encoded)
        while pos <= end:
            start, stop = exact_match(anchor, encoded, pos, end)[0]
            if start < 0:
                break
            out.append((start, stop))
            pos = stop  # never empty: the next search starts where this match ended
        return out

    def verified(text: str, encoded: bytes, utf8) -> list:
        out, pos, end = [], 0, len(encoded)
        while pos <= end:
            start = loose_match(anchor, encoded, pos, end)[0][0]
            if start < 0:
                break
            char = start if utf8 is None else utf8.to_char(start)
            m = verify(text, char)
            if m is None:
                pos = start + 1 if utf8 is None else utf8.to_byte(char + 1)
                continue
            out.append(m.span())
            pos = m.end() if utf8 is None else utf8.to_byte(m.end())
        return out

    def find(text: str, encoded: bytes | None, utf8=None) -> list | None:
        if encoded is not None:
            return exactly(encoded) if exact_match is not None else verified(text, encoded, None)
        if utf8 is None or loose_match is None:
            return None
        return verified(text, utf8.encoded, utf8)
    return find


_EXACT_MAX_MEM = 1 << 20  # each expression's own automaton and its cache of states
