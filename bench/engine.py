"""The policy engine in process: checks a second for tweet-sized drafts per pack, a 50 KB blog post,
and how the time grows with lexicon size and draft length.

    .venv/bin/python bench/engine.py [--quick] [--json FILE]

A benchmark, not a test: it prints figures and never fails on them. Everything runs on one core, in
this one process, and is timed in CPU time (``time.process_time``), so other work on a busy machine
does not count against the engine; the load average is printed with the figures all the same.
"""

from __future__ import annotations

if __package__ in (None, ""):  # run as a file: put the checkout, not bench/, on sys.path
    import pathlib
    import sys
    _here = str(pathlib.Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if str(pathlib.Path(p or ".").resolve()) != _here]
    sys.path.insert(0, str(pathlib.Path(_here).parent))
    sys.path.insert(0, str(pathlib.Path(_here).parent / "helper"))

import argparse
import contextlib
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from bench.common import figure, machine, print_figures, varied_drafts, write_result
from onrecord.policy.engine import check
from onrecord.policy.memo import AnswerMemo
from onrecord.policy.model import Draft
from onrecord.policy.packs import load_pack
from onrecord.profile import profile_from_dict

PACKS = ("civil-service", "dh", "nhs-england")
ORG = {"civil-service": "Cabinet Office", "dh": "Department of Health", "nhs-england": "NHS England"}

# Drafts of the kinds staff write, each padded to 280 characters: work news from a personal account,
# a patient detail, an everyday post, a party-political post, a reply with an insult.
TWEETS = [
    "Proud that our health and wellbeing boards guidance finally went live today. Months of work with "
    "councils and the NHS, and a great team who never gave up on it. Thread below on what changes.",
    "Lovely chat with Mr Patel on ward 7 today, 84 and recovering well from his stroke. NHS number "
    "943 476 5919 if anyone needs to chase his referral.",
    "Sunday bake: lemon drizzle, slightly burnt, still delicious. Off for a walk by the river this "
    "afternoon if the rain holds off, then board games and a film.",
    "Vote Labour on Thursday! Out canvassing in the rain with a great team tonight, and the doorstep "
    "mood is brilliant. Join us at the campaign launch.",
    "You absolute idiot, do some reading before you tweet about commissioning. Call me on 07700 900123 "
    "if you want to argue about it.",
]


def pad(text: str, size: int = 280) -> str:
    while len(text) < size:
        text += " " + text
    return text[:size].rstrip()


def profile_for(pack_id: str, pack_ref: str | None = None):
    return profile_from_dict({
        "name": "Bench", "organisation": ORG.get(pack_id, "Department of Health"), "policy_pack": pack_ref or pack_id,
        "roles": ["civil_servant"], "job_title": "Policy lead, health and wellbeing boards",
        "expertise": ["health and wellbeing boards", "local government", "public health"], "line_manager": "Sam",
        "accounts": [{"site": "x", "handle": "@bench", "channel": "personal"},
                     {"site": "x", "handle": "@benchofficial", "channel": "official"},
                     {"site": "blog", "handle": "bench.blog", "channel": "personal"}]})


@contextlib.contextmanager
def no_memo(pack):
    """``pack`` without its memo of recent answers (``policy.memo``): every check works its answer out,
    as for a draft the helper has not seen in the last minute."""
    kept = pack.answers
    pack.answers = AnswerMemo(size=0)
    try:
        yield pack
    finally:
        pack.answers = kept


def rate(drafts: list[Draft], profile, pack, seconds: float) -> float:
    """Checks a second, over at least ``seconds`` of repeated passes through ``drafts``."""
    for d in drafts:  # warm the per-profile and per-situation caches
        check(d, profile, pack)
    done, start = 0, time.process_time()
    while True:
        for d in drafts:
            check(d, profile, pack)
        done += len(drafts)
        took = time.process_time() - start
        if took >= seconds:
            return done / took


def rate_new(profile, pack, seconds: float, warm: int = 10_000) -> float:
    """Checks a second over at least ``seconds`` of 280-character drafts no two alike, after ``warm``
    others: what is kept from one draft for the next (the RE2 sets' states) helps only as much as it
    would a day's typing."""
    drafts = varied_drafts()
    for _ in range(warm):
        check(Draft(pad(next(drafts)[1]), "x", "@bench"), profile, pack)
    done, took = 0, 0.0
    while took < seconds:
        batch = [Draft(pad(next(drafts)[1]), "x", "@bench") for _ in range(500)]  # made outside the clock
        start = time.process_time()
        for d in batch:
            check(d, profile, pack)
        took += time.process_time() - start
        done += len(batch)
    return done / took


def time_one(draft: Draft, profile, pack, repeats: int) -> float:
    """The best of ``repeats`` timings of one check worked out each time (no memo), in milliseconds."""
    with no_memo(pack):
        check(draft, profile, pack)
        best = float("inf")
        for _ in range(repeats):
            start = time.process_time()
            check(draft, profile, pack)
            best = min(best, time.process_time() - start)
    return best * 1000


def blog_text(size: int) -> str:
    source = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "002_e58ec208be825fd6.txt"
    base = source.read_text("utf-8") if source.exists() else " ".join(TWEETS) * 20
    return repeated(base, size, "\n")


def repeated(base: str, size: int, between: str) -> str:
    """``base`` over and over, ``between`` each time, cut to ``size`` bytes of UTF-8."""
    text = base
    while len(text.encode("utf-8")) < size:
        text += between + base
    return text.encode("utf-8")[:size].decode("utf-8", "ignore")


def mixed_text(size: int) -> str:
    """``size`` bytes made of the same 1 KB over and over: the benchmark's five kinds of post, each a
    paragraph. The content of every kilobyte is the same at every size, so the time measures the
    length alone (a document cut at 1 KB and at 100 KB differs in what it says, not only in length)."""
    unit = "\n\n".join(TWEETS)
    while len(unit.encode("utf-8")) < 1024:
        unit += "\n\n" + TWEETS[len(unit) % len(TWEETS)]
    return repeated(unit.encode("utf-8")[:1024].decode("utf-8", "ignore"), size, "\n\n")


def lexicon_pack(folder: Path, terms: int) -> str:
    """A pack extending nhs-england with one extra rule over ``terms`` made-up terms."""
    rnd = random.Random(terms)
    words = {"".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rnd.randint(5, 10))) for _ in range(terms * 2)}
    words = sorted(words)[:terms]
    phrases = [w if i % 3 else f"{w} {words[(i * 7) % len(words)]}" for i, w in enumerate(words)]
    path = folder / f"lexicon-{terms}.yaml"
    body = "\n".join(f"    - {p}" for p in phrases)
    path.write_text(f"id: lex{terms}\ntitle: Lexicon of {terms}\nextends: nhs-england\nlexicons:\n  extra:\n{body}\n"
                    "rules:\n  - id: lex.extra\n    category: confidential\n    severity: warn\n    channels: [any]\n"
                    "    triggers: [{lexicon: extra}]\n    message: Extra terms.\n    source: Bench\n", encoding="utf-8")
    return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short timings: shows it runs; figures mean little")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    seconds = 0.2 if args.quick else 2.0
    repeats = 2 if args.quick else 7
    figures, details = [], {"machine": machine(), "load_average_before": round(os.getloadavg()[0], 2)}

    per_pack, new_per_pack, worked_per_pack = {}, {}, {}
    for pid in PACKS:
        pack, profile = load_pack(pid), profile_for(pid)
        drafts = [Draft(pad(t), "x", "@bench") for t in TWEETS] + [Draft(pad(TWEETS[0]), "x", "@benchofficial")]
        per_pack[pid] = rate(drafts, profile, pack, seconds)
        figures.append(figure(f"engine.tweet_checks_per_s.{pid}", f"280-character checks a second ({pid})",
                              round(per_pack[pid]), "checks/s", ">= 20000"))
        with no_memo(pack):
            worked_per_pack[pid] = rate(drafts, profile, pack, seconds)
        figures.append(figure(f"engine.worked_tweet_checks_per_s.{pid}",
                              f"280-character checks a second, repeated drafts, memo off ({pid})",
                              round(worked_per_pack[pid]), "checks/s"))
        new_per_pack[pid] = rate_new(profile, pack, seconds, warm=500 if args.quick else 10_000)
        figures.append(figure(f"engine.new_tweet_checks_per_s.{pid}",
                              f"280-character checks a second, every draft new ({pid})", round(new_per_pack[pid]),
                              "checks/s"))
    figures.insert(0, figure("engine.tweet_checks_per_s", "280-character checks a second (slowest pack)",
                             round(min(per_pack.values())), "checks/s", ">= 20000"))
    figures.insert(1, figure("engine.new_tweet_checks_per_s", "280-character checks a second, every draft new "
                             "(slowest pack)", round(min(new_per_pack.values())), "checks/s"))
    figures.insert(2, figure("engine.worked_tweet_checks_per_s", "280-character checks a second, repeated drafts, "
                             "memo off (slowest pack)", round(min(worked_per_pack.values())), "checks/s"))

    pack, profile = load_pack("dh"), profile_for("dh")
    blog = Draft(blog_text(50 * 1024), "blog", "bench.blog", "blog")
    figures.append(figure("engine.blog_50kb_ms", "a 50 KB blog post", round(time_one(blog, profile, pack, repeats), 2),
                          "ms", "< 20"))
    for kb in (1, 10, 100):
        draft = Draft(mixed_text(kb * 1024), "blog", "bench.blog", "blog")
        figures.append(figure(f"engine.draft_{kb}kb_ms", f"a {kb} KB draft (the same 1 KB of posts repeated)",
                              round(time_one(draft, profile, pack, repeats), 2), "ms"))
    for kb in (1, 10, 100):
        draft = Draft(blog_text(kb * 1024), "blog", "bench.blog", "blog")
        figures.append(figure(f"engine.document_{kb}kb_ms", f"the policy text cut at {kb} KB",
                              round(time_one(draft, profile, pack, repeats), 2), "ms"))

    with tempfile.TemporaryDirectory(prefix="onrecord-bench-") as tmp:
        for terms in (100, 1000, 10000):
            ref = lexicon_pack(Path(tmp), terms)
            start = time.perf_counter()
            pack = load_pack(ref)
            load_ms = (time.perf_counter() - start) * 1000
            profile = profile_for("nhs-england", ref)
            drafts = [Draft(pad(t), "x", "@bench") for t in TWEETS]
            with no_memo(pack):  # how the work grows with the lexicon, not how fast an answer is found again
                per_second = rate(drafts, profile, pack, seconds)
            figures.append(figure(f"engine.lexicon_{terms}_checks_per_s", f"checks a second, {terms:,} extra lexicon terms",
                                  round(per_second), "checks/s"))
            figures.append(figure(f"engine.lexicon_{terms}_load_ms", f"pack load with {terms:,} extra terms",
                                  round(load_ms, 1), "ms"))
    details["load_average_after"] = round(os.getloadavg()[0], 2)
    print_figures(figures)
    print(f"load average {details['load_average_before']} before, {details['load_average_after']} after "
          f"({os.cpu_count()} cores)", file=sys.stderr)
    write_result(args.json, "engine", figures, details)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
