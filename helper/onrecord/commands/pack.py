"""``onrecord pack list | show ID | validate FILE``: the policy packs and their rules."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import yaml

from onrecord import minisign
from onrecord.errors import BadInput
from onrecord.store.atomic import write_atomic

from onrecord.policy import examples
from onrecord.policy.loader import Problem
from onrecord.policy.packs import PackInvalid, list_builtin, load_pack, validate_file


def register(sub) -> None:
    p = sub.add_parser("pack", help="list, show or validate policy packs")
    psub = p.add_subparsers(dest="pack_command", metavar="ACTION", parser_class=type(p))
    ls = psub.add_parser("list", help="the built-in packs")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=_list)
    show = psub.add_parser("show", help="a pack's rules with their sources")
    show.add_argument("pack", metavar="ID|FILE")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=_show)
    val = psub.add_parser("validate", help="check a pack file; every problem is reported with its line")
    val.add_argument("file", metavar="FILE")
    val.set_defaults(func=_validate)
    sign = psub.add_parser("sign", help="sign a pack file for publishing: writes PACK_FILE.minisig")
    sign.add_argument("--key", required=True, metavar="SECRET_KEY_FILE", help="an unencrypted minisign secret key")
    sign.add_argument("file", metavar="PACK_FILE")
    sign.set_defaults(func=_sign)
    verify = psub.add_parser("verify", help="exit 0 when PACK_FILE.minisig verifies with the public key")
    verify.add_argument("--key", required=True, metavar="PUBLIC_KEY", help="the RW... line, or a minisign .pub file")
    verify.add_argument("file", metavar="PACK_FILE")
    verify.set_defaults(func=_verify)
    keygen = psub.add_parser("keygen", help="make a new signing key pair (SECRET_KEY_FILE and SECRET_KEY_FILE.pub)")
    keygen.add_argument("secret", metavar="SECRET_KEY_FILE")
    keygen.set_defaults(func=_keygen)
    p.set_defaults(func=lambda a: p.error("choose an action: list, show, validate, sign, verify or keygen"))


def _list(args) -> int:
    packs = list_builtin()
    if args.json:
        print(json.dumps(packs, ensure_ascii=False, indent=2))
    else:
        for pack in packs:
            print(f"{pack['id']}: {pack['title']}")
    return 0


def _show(args) -> int:
    pack = load_pack(args.pack)
    if args.json:
        print(json.dumps({"id": pack.id, "title": pack.title, "disclaimer": pack.disclaimer,
                          "rules": pack.rules_summary()}, ensure_ascii=False, indent=2))
        return 0
    print(f"{pack.id}: {pack.title} ({len(pack.rules)} rules)")
    for rule in pack.rules:
        print(f"- {rule.id} ({rule.category}, {rule.severity})")
        print(f"    {rule.message}")
        print(f"    Source: {rule.source}")
    return 0


def _validate(args) -> int:
    problems = validate_file(args.file)
    if not problems:
        try:
            pack = load_pack(args.file)
        except PackInvalid as exc:
            problems = exc.problems
        else:
            failures = examples.run(pack)
            problems = [Problem(ex.line, msg) for ex, msg in failures]
            if not problems:
                count = len(examples.examples_of(pack))
                print(f"{args.file}: valid ({len(pack.rules)} rules, {count} examples behave)")
                return 0
    for problem in problems:
        where = f"{args.file}:{problem.line}" if problem.line else args.file
        print(f"{where}: {problem.message}", file=sys.stderr)
    return 2


def _read(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise BadInput(f"{path}: cannot read the {what} ({exc.strerror})") from None


def _sign(args) -> int:
    data = _read(args.file, "pack")
    secret = minisign.parse_secret_key(_read(args.key, "secret key").decode("utf-8", "replace"), args.key)
    try:
        meta = yaml.safe_load(data.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        raise BadInput(f"{args.file}: not a YAML pack") from None
    version = meta.get("version") if isinstance(meta, dict) else None
    if isinstance(version, bool) or not isinstance(version, int):
        raise BadInput(f"{args.file}: add a whole-number `version:` at the top level (higher than the last published)")
    problems = validate_file(args.file)
    if problems:
        raise BadInput(f"{args.file}: not a valid pack: {problems[0]}; run `onrecord pack validate {args.file}`")
    comment = f"timestamp:{int(time.time())}\tfile:{Path(args.file).name}\tversion:{version}"
    if meta.get("expires"):
        comment += f"\texpires:{meta['expires']}"
    text = minisign.sign(data, secret, comment, f"signature from OnRecord key {secret.public().id_hex}")
    write_atomic(Path(args.file + ".minisig"), text, mode=0o644)
    print(f"Wrote {args.file}.minisig (version {version}, key {secret.public().id_hex}). Publish both files together.")
    return 0


def _verify(args) -> int:
    key_text = args.key if args.key.startswith("RW") and not os.path.exists(args.key) else \
        _read(args.key, "public key").decode("utf-8", "replace")
    key = minisign.parse_public_key(key_text, args.key)
    data = _read(args.file, "pack")
    sig = _read(args.file + ".minisig", "signature").decode("utf-8", "replace")
    _, parsed = minisign.verify(data, sig, [key])
    print(f"{args.file}: signature verified with key {key.id_hex}")
    print(f"Trusted comment: {parsed.trusted_comment}")
    return 0


def _keygen(args) -> int:
    target = Path(args.secret)
    if target.exists():
        raise BadInput(f"{target}: already exists; choose another name (a key is never overwritten)")
    secret = minisign.generate()
    write_atomic(target, secret.file_text(), mode=0o600)
    write_atomic(Path(args.secret + ".pub"), secret.public().file_text(), mode=0o644)
    print(f"Secret key: {target} (keep it offline; it is not encrypted)")
    print(f"Public key for packSigningKeys: {secret.public().line()}")
    return 0
