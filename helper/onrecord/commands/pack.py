"""``onrecord pack list | show ID | validate FILE | sign | verify | keygen``: the policy packs and their rules,
and the signing tools an organisation uses to publish its own pack (``onrecord.policy.signing``)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from onrecord.policy import examples, signing
from onrecord.policy.loader import Problem
from onrecord.policy.packs import PackInvalid, PackLibrary


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
    sign = psub.add_parser("sign", help="sign a pack file: writes PACK_FILE.minisig (minisign format)")
    sign.add_argument("--key", required=True, metavar="SECRET_KEY_FILE",
                      help="an unencrypted minisign secret key (onrecord pack keygen, or minisign -G -W)")
    sign.add_argument("file", metavar="PACK_FILE")
    sign.set_defaults(func=_sign)
    verify = psub.add_parser("verify", help="check PACK_FILE.minisig against a public key; exit 0 when it verifies")
    verify.add_argument("--key", required=True, metavar="PUBLIC_KEY", help="the RW... base64 line, or a .pub file")
    verify.add_argument("file", metavar="PACK_FILE")
    verify.set_defaults(func=_verify)
    keygen = psub.add_parser("keygen", help="make a signing key pair (keep the secret key off every other machine)")
    keygen.add_argument("--key", required=True, metavar="SECRET_KEY_FILE", help="where to write the secret key")
    keygen.add_argument("--pub", metavar="PUBLIC_KEY_FILE", help="where to write the public key (default: "
                        "SECRET_KEY_FILE with .pub)")
    keygen.set_defaults(func=_keygen)
    p.set_defaults(func=lambda a: p.error("choose an action: list, show, validate, sign, verify or keygen"))


def _list(args) -> int:
    packs = PackLibrary().list_builtin()
    if args.json:
        print(json.dumps(packs, ensure_ascii=False, indent=2))
    else:
        for pack in packs:
            print(f"{pack['id']}: {pack['title']}")
    return 0


def _show(args) -> int:
    pack = PackLibrary().load(args.pack)
    if args.json:
        print(json.dumps({"id": pack.id, "title": pack.title, "disclaimer": pack.disclaimer,
                          "rules": pack.rules_summary()}, ensure_ascii=False, indent=2))
        return 0
    print(f"{pack.id}: {pack.title} ({len(pack.rules)} rules)")
    for rule in pack.rules:
        print(f"- {rule.id} ({rule.category}, {rule.severity})")
        print(f"    {rule.message}")
        print(f"    Source: {rule.source}")
        if rule.link:
            print(f"    Read the policy: {rule.link}")
    return 0


def _validate(args) -> int:
    library = PackLibrary()
    problems = library.validate_file(args.file)
    if not problems:
        try:
            pack = library.load(args.file)
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


def _read_pack_bytes(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise signing.SignatureProblem("bad_pack", f"{path}: no such pack file") from None
    except OSError as exc:
        raise signing.SignatureProblem("bad_pack", f"{path}: cannot be read ({exc.strerror})") from None


def _sign(args) -> int:
    secret = signing.read_secret_key(args.key)
    data = _read_pack_bytes(args.file)
    try:
        header = signing.pack_header(data)
    except signing.SignatureProblem as exc:
        raise signing.SignatureProblem(exc.reason, f"{args.file}: {exc.message}") from None
    comment = signing.trusted_comment_for(header, Path(args.file).name)
    target = Path(args.file + signing.SIGNATURE_SUFFIX)
    # Not atomic-in-the-store: this runs on the administrator's machine, beside their pack file; a
    # temporary file and a rename still mean a half-written signature is never published.
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(signing.sign(data, secret, comment))
    os.replace(tmp, target)
    print(f"{target}: signed with key {signing.public_key(bytes(secret.get_public_key()).decode()).key_id} "
          f"(trusted comment: {comment.replace(chr(9), ' ')})")
    if header.version is None:
        print(f"{args.file}: note: the pack states no `version:`; the helper refuses a fetched pack without one",
              file=sys.stderr)
    return 0


def _verify(args) -> int:
    key = signing.read_public_key(args.key)
    data = _read_pack_bytes(args.file)
    sig_path = args.file + signing.SIGNATURE_SUFFIX
    try:
        sig_file = Path(sig_path).read_bytes()
    except FileNotFoundError:
        raise signing.SignatureProblem("bad_signature", f"{sig_path}: no such signature file") from None
    try:
        verified = signing.verify(data, sig_file, [key])
    except signing.SignatureProblem as exc:
        raise signing.SignatureProblem(exc.reason, f"{args.file}: {exc.message}") from None
    print(f"{args.file}: signature verified with key {verified.key.key_id}; trusted comment: "
          f"{verified.trusted_comment.replace(chr(9), ' ')}")
    try:
        signing.check_comment_agrees(signing.pack_header(data), verified.trusted_comment)
    except signing.SignatureProblem as exc:
        print(f"{args.file}: warning: the helper will refuse this pack from a web server: {exc.message}",
              file=sys.stderr)
    return 0


def _keygen(args) -> int:
    secret_path = Path(args.key).expanduser()
    pub_path = Path(args.pub).expanduser() if args.pub else secret_path.with_suffix(".pub")
    for path in (secret_path, pub_path):
        if path.exists():
            raise signing.SignatureProblem("bad_key", f"{path}: already exists; a key is never overwritten")
    secret, pub, key_id = signing.generate_key_pair()
    # The secret key is readable by its owner alone, from the moment it exists.
    fd = os.open(secret_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(secret)
    pub_path.write_bytes(pub)
    print(f"key {key_id}: secret key in {secret_path} (keep it on this machine only), public key in {pub_path}:")
    print(pub.decode().splitlines()[1])
    return 0
