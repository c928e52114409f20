"""Lexicons: phrases matched on word boundaries, with inflections, in one pass over the draft.

Every phrase of every lexicon a pack (and the profile) uses goes into one ``PhraseIndex`` keyed by
its first word, so a draft is tokenised once and each token costs one dictionary look-up, whatever
the number of terms. Phrase syntax in pack files:

- ``board meeting``: the last word also matches its plurals and possessive (``board meetings``);
- ``whistleblow*``: the last word also matches verb forms (``whistleblowing``, ``whistleblower``,
  ``referred`` for ``refer*``): forms made by the regular English rules and kept when the Snowball
  stemmer (PyStemmer) finds them the same word;
- ``=ward``: exactly this, no inflections.

Every word also matches its American spelling (``organised``/``organized``, ``behaviour``/``behavior``,
``centre``/``center``, ``paediatric``/``pediatric``, ``programme``/``program``, ``counselling``/
``counseling``), since the packs are written in British English and drafts are not always. Hyphenated
words match written either way (``cover-up``, ``cover up``; ``well-being``, ``wellbeing``), and a phrase
of several words also matches run together as a hashtag (``#PublicHealth``).

All of this is worked out when a pack is compiled, into the one index: a check looks each word up once,
as before, and the evidence is the words as the draft has them.
"""

from __future__ import annotations

import re
from itertools import product

import Stemmer

from onrecord.policy.detectors import needing, with_spans

# Words: letters and digits, an optional leading @ (handles), one optional apostrophe part (I'm, child's).
TOKEN_RE = re.compile(r"@?[a-z0-9]+(?:'[a-z]+)?")
# Typographic apostrophes and dashes, and the no-break space, as their plain forms. (str.replace per
# character: str.translate walks a long draft a character at a time in Python's slow path.)
_FOLD = (("\u2019", "'"), ("\u2018", "'"), ("\u02bc", "'"), ("\u2013", "-"), ("\u2014", "-"), ("\u00a0", " "))
_VOWELS = set("aeiou")


def fold(text: str) -> str:
    """Lower case with typographic apostrophes and dashes made plain, so one spelling matches."""
    if not text.isascii():  # a constant-time test: most drafts have nothing to fold
        for typographic, plain in _FOLD:
            if typographic in text:
                text = text.replace(typographic, plain)
    return text.lower()


# Every ASCII character that no token holds, as a space: a token never spans one of them.
_SEPARATORS = str.maketrans({c: " " for c in map(chr, range(128)) if c not in "abcdefghijklmnopqrstuvwxyz0123456789@'"})


def tokenize(folded: str) -> list[str]:
    """``TOKEN_RE.findall(folded)``, sooner: for ASCII text, spaces for separators and ``str.split``
    give the tokens at C speed; only the chunks with an @ or an apostrophe go through the expression."""
    if not folded.isascii():
        return TOKEN_RE.findall(folded)
    spaced = folded.translate(_SEPARATORS)
    if "'" not in spaced and "@" not in spaced:
        return spaced.split()
    tokens = []
    for chunk in spaced.split():
        if chunk.isalnum():
            tokens.append(chunk)
        else:
            tokens += TOKEN_RE.findall(chunk)
    return tokens


def token_spans(folded: str, tokens: list[str]) -> list[tuple[int, int]]:
    """Each token's (start, end) in ``folded``, as ``TOKEN_RE.finditer`` gives them. In ASCII text
    without an @ or an apostrophe, everything between two tokens is a separator that no token's letters
    can match, so each token is found by one ``str.find`` from the end of the one before."""
    if "'" in folded or "@" in folded or not folded.isascii():
        return [m.span() for m in TOKEN_RE.finditer(folded)]
    spans = []
    pos = 0
    find = folded.find
    for tok in tokens:
        pos = find(tok, pos)
        end = pos + len(tok)
        spans.append((pos, end))
        pos = end
    return spans


def _plurals(word: str) -> set[str]:
    forms = {word, word + "'s", word + "s'"}
    if word.endswith("y") and len(word) > 2 and word[-2] not in _VOWELS:
        forms.add(word[:-1] + "ies")
    elif word.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(word + "es")
    else:
        forms.add(word + "s")
    return forms


def _verb_forms(word: str) -> set[str]:
    forms = _plurals(word)
    stem = word[:-1] if word.endswith("e") else word
    forms |= {stem + "ed", stem + "ing", stem + "er", stem + "ers"}
    if word.endswith("y") and len(word) > 2 and word[-2] not in _VOWELS:
        forms |= {word[:-1] + "ied", word + "ing"}
    if (len(word) <= 4 and len(word) >= 3 and word[-1] not in _VOWELS | {"w", "x", "y"}
            and word[-2] in _VOWELS and word[-3] not in _VOWELS):
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing", word + word[-1] + "er"}
    return forms


# The Snowball English stemmer, used only on the packs' own words as they compile (never on a draft),
# with no cache of the words it has seen.
_STEMMER = Stemmer.Stemmer("english", 0)
_CONSONANT_END = re.compile(r"[^aeiou][aeiou][bcdfgklmnprstvz]$")


def _regular_verb_forms(word: str) -> set[str]:
    """Forms of ``word`` by the regular rules, some of which are not words ("visitted"): the stemmer
    decides which are the same word (``_verb_forms_checked``)."""
    forms = set()
    if _CONSONANT_END.search(word):  # refer -> referred, admit -> admitted, control -> controlled
        forms |= {word + word[-1] + ending for ending in ("ed", "ing", "er", "ers")}
    if word.endswith("ie"):  # lie -> lying
        forms.add(word[:-2] + "ying")
    if word.endswith("ic"):  # panic -> panicked
        forms |= {word + "ked", word + "king"}
    if word.endswith("e"):
        forms |= {word + "s", word + "d", word[:-1] + "ing", word + "r", word + "rs"}
    return forms


def _verb_forms_checked(word: str) -> set[str]:
    forms = _verb_forms(word)
    extra = sorted(_regular_verb_forms(word) - forms)
    if extra:
        stem = _STEMMER.stemWord(word)
        forms |= {form for form, s in zip(extra, _STEMMER.stemWords(extra)) if s == stem}
    return forms


# British spellings and their American forms, for the endings where the two differ by rule. Each applies
# to a word of at least five letters; a form that is no word at all ("raize") never meets a draft.
_AMERICAN = (
    (re.compile(r"(?<=[a-z]{4})is(e|es|ed|ing|er|ers|ation|ations|able)$"), r"iz\1"),  # organise, privatisation
    (re.compile(r"(?<=[a-z]{2})ys(e|es|ed|ing|er|ers)$"), r"yz\1"),  # analyse, paralysed
    (re.compile(r"(?<=[a-z]{2})our(s|ed|ing|ite|ites|able|ably|er|ers|ful|less|hood|hoods)?$"), r"or\1"),  # behaviour
    (re.compile(r"(?<=[a-z]{2})([tb])re(s)?$"), r"\1er\2"),  # centre, theatres, fibre
    (re.compile(r"logue(s)?$"), r"log\1"),  # catalogue, dialogue
    (re.compile(r"amme(s)?$"), r"am\1"),  # programme
    (re.compile(r"(?<=[a-z])ell(ed|ing|er|ers|or|ors)$"), r"el\1"),  # travelled, counselling, counsellor
    (re.compile(r"(?<=[^aeiou])ae(?=[a-z])"), "e"),  # paediatric, leukaemia, anaesthetist
    (re.compile(r"^oe(?=[a-z]{3})"), "e"),  # oesophagus, oestrogen
    (re.compile(r"(?<=[a-z]{3})oea"), "ea"),  # diarrhoea
    (re.compile(r"(def|off|pret)ence(s)?$"), r"\1ense\2"),  # defence, offence, pretence
    (re.compile(r"^licence(s)?$"), r"license\1"),
    (re.compile(r"^scep"), "skep"),  # sceptical
)
# What every word one of those rules changes has in it: most words have none, and are passed by at once.
_MAY_BE_BRITISH = re.compile("|".join(f"(?:{rx.pattern})" for rx, _ in _AMERICAN))
# Words whose American "spelling" by these rules is another word, or a word meaning something else here.
_NOT_AMERICAN = frozenset({"labour", "labours", "flour", "devour", "contour", "contours", "troubadour"})


def american(word: str) -> set[str]:
    """The American spellings of a British ``word`` (none when it has none); a possessive keeps its
    apostrophe (organisation's, organization's)."""
    for mark in ("'s", "s'"):
        if word.endswith(mark):
            return {us + mark for us in american(word[:-2])}
    if len(word) < 5 or not word.isalpha() or word in _NOT_AMERICAN or not _MAY_BE_BRITISH.search(word):
        return set()
    out = set()
    for rx, repl in _AMERICAN:
        changed = rx.sub(repl, word)
        if changed != word:
            out.add(changed)
    if len(out) > 1:  # two rules at once (paediatrician's ... -> pediatrician)
        combined = word
        for rx, repl in _AMERICAN:
            combined = rx.sub(repl, combined)
        out.add(combined)
    return out


def _spellings(word: str) -> set[str]:
    return {word} | american(word)


def singular_of(phrase: str) -> str:
    """The phrase with its last word made singular ("wellbeing boards" -> "wellbeing board")."""
    head, _, last = phrase.strip().rpartition(" ")
    if last.endswith("ies") and len(last) > 4:
        last = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith(("ss", "us", "is")) and len(last) > 3:
        last = last[:-1]
    return f"{head} {last}".strip()


def variants(phrase: str) -> set[tuple[str, ...]]:
    """Every token sequence a phrase stands for, per the syntax in the module docstring."""
    exact = phrase.startswith("=")
    verb = phrase.endswith("*")
    body = fold(phrase.strip("=*").strip())
    spellings = {body}
    if "-" in body:
        spellings |= {body.replace("-", " "), body.replace("-", "")}
    out: set[tuple[str, ...]] = set()
    for spelling in spellings:
        words = tokenize(spelling)
        if not words:
            continue
        last = words[-1]
        if exact or last.startswith("@") or last.isdigit():
            lasts = {last}
        else:
            lasts = _verb_forms_checked(last) if verb else _plurals(last)
            lasts |= {us for form in lasts for us in american(form)}
        heads = [{w} if exact else _spellings(w) for w in words[:-1]]
        for head in product(*heads) if len(heads) < 6 else [tuple(words[:-1])]:
            for form in lasts:
                out.add(head + (form,))
                if len(words) > 1 and not any(w.startswith("@") for w in words):
                    # Written as a hashtag: #PublicHealth, #HealthAndWellbeingBoards.
                    out.add(("".join(head) + form,))
    return out


class PhraseIndex:
    """Phrases of many lexicons, found in one pass over a token list.

    Keyed by first word: ``{word: (lexicons of the one-word phrase, {second word: [(n, {rest: lexicons})]})}``
    where ``rest`` is the phrase's remaining ``n`` words,
    so a token that starts no phrase costs one dictionary look-up, and one that does costs two,
    however many phrases share a common first word ("the", "my").
    """

    def __init__(self) -> None:
        self._first: dict[str, tuple[list[str], dict[str, list[tuple[int, dict[tuple, list[str]]]]]]] = {}
        self._except: dict[str, str] = {}
        self.terms = 0

    def _slot(self, word: str):
        slot = self._first.get(word)
        if slot is None:
            slot = self._first[word] = ([], {})
        return slot

    @staticmethod
    def _add_rest(seconds: dict, second: str, rest: tuple, lexicons) -> None:
        """Phrases after their first two words, grouped by how many words remain."""
        by_length = seconds.setdefault(second, [])
        for length, rests in by_length:
            if length == len(rest):
                break
        else:
            rests = {}
            by_length.append((len(rest), rests))
        have = rests.setdefault(rest, [])
        have.extend(x for x in lexicons if x not in have)

    def add(self, lexicon: str, phrases, exceptions=()) -> None:
        for phrase in phrases:
            for words in variants(phrase):
                singles, seconds = self._slot(words[0])
                if len(words) == 1:
                    if lexicon not in singles:
                        singles.append(lexicon)
                else:
                    self._add_rest(seconds, words[1], tuple(words[2:]), [lexicon])
                self.terms += 1
        if exceptions:
            # An exception phrase ("insurance policy") cancels a hit of the lexicon it overlaps.
            ex = lexicon + "!except"
            self._except[lexicon] = ex
            self.add(ex, exceptions)

    def merged(self, other: "PhraseIndex") -> "PhraseIndex":
        """This index with ``other``'s phrases added, leaving both as they were.

        A profile adds a few dozen phrases to a pack's many thousand, and each profile the helper
        sees gets its own merge: the new index shares every first word's entry that ``other`` does
        not touch, and copies only those it adds to.
        """
        new = PhraseIndex()
        new._first = dict(self._first)
        for word, (singles, seconds) in other._first.items():
            mine = self._first.get(word)
            if mine is None:
                my_singles, my_seconds = new._slot(word)
            else:
                my_singles = list(mine[0])
                my_seconds = {second: [(length, {rest: list(lexicons) for rest, lexicons in rests.items()})
                                       for length, rests in by_length]
                              for second, by_length in mine[1].items()}
                new._first[word] = (my_singles, my_seconds)
            my_singles.extend(x for x in singles if x not in my_singles)
            for second, by_length in seconds.items():
                for _, rests in by_length:
                    for rest, lexicons in rests.items():
                        self._add_rest(my_seconds, second, rest, lexicons)
        new._except = {**self._except, **other._except}
        new.terms = self.terms + other.terms
        return new

    def scan(self, tokens: list[str]) -> dict[str, list[tuple[int, int]]]:
        """``{lexicon: [(start, end), ...]}`` in token positions."""
        hits: dict[str, list[tuple[int, int]]] = {}
        get = self._first.get
        last = len(tokens) - 1
        for i, tok in enumerate(tokens):
            slot = get(tok)
            if slot is None:
                continue
            singles, seconds = slot
            for lexicon in singles:
                if lexicon in hits:
                    hits[lexicon].append((i, i + 1))
                else:
                    hits[lexicon] = [(i, i + 1)]
            if seconds and i < last:
                by_length = seconds.get(tokens[i + 1])
                if by_length is not None:
                    for length, rests in by_length:
                        end = i + 2 + length
                        if end > last + 1:
                            continue
                        found = rests.get(tuple(tokens[i + 2:end]) if length else ())
                        if found is None:
                            continue
                        for lexicon in found:
                            if lexicon in hits:
                                hits[lexicon].append((i, end))
                            else:
                                hits[lexicon] = [(i, end)]
        if self._except:
            for lexicon, ex in self._except.items():
                if lexicon in hits and ex in hits:
                    covered = {i for s, e in hits[ex] for i in range(s, e)}
                    kept = [h for h in hits[lexicon] if not any(i in covered for i in range(h[0], h[1]))]
                    if kept:
                        hits[lexicon] = kept
                    else:
                        del hits[lexicon]
        return hits


KEYS = ("lexicon", "phrases")


def compile(key, value, ctx):
    """``lexicon: NAME`` (or a list of names): any phrase of them. ``phrases: [...]``: an inline list."""
    if key == "phrases":
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise ValueError("phrases: expected a non-empty list of phrases")
        names = [ctx.inline_lexicon(value)]
    else:
        names = [ctx.lexicon_ref(n) for n in (value if isinstance(value, list) else [value])]
    def spans(scan):
        return scan.char_spans([h for n in names for h in scan.hits.get(n, ())])

    if len(names) == 1:
        name = names[0]
        return with_spans(needing(lambda scan: name in scan.hits, names), spans)

    def check(scan) -> bool:
        hits = scan.hits
        for n in names:
            if n in hits:
                return True
        return False
    return with_spans(needing(check, names), spans)
