from onrecord.policy.packs import load_pack
from onrecord.policy.scan import Scan


def test_scan_reads_the_draft_once(amy):
    pack = load_pack("dh")
    index, facts = pack.facts_for(amy)
    acc = facts.find_account(amy, "x", "@AMYCLARKE")
    assert acc is not None and acc.handle == "@amyclarke"
    scan = Scan("Proud of the Department of Health’s guidance on 3 boards", "x", "post", None, "personal",
                acc, facts, pack, index)
    assert scan.tokens[:3] == ["proud", "of", "the"] and "health's" in scan.tokens
    assert scan.has_digit and "org_names" in scan.hits and "work_vocabulary" in scan.hits
    assert scan.positions("org_names")[0] == (3, 6)
