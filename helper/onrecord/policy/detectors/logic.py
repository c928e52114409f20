"""Combining triggers: ``all`` of them, ``any`` of them, ``not`` one, or ``use`` a named trigger set."""

from onrecord.policy.detectors import any_guarded, need_of, needing, spans_of, with_spans

KEYS = ("all", "any", "not", "use")


def compile(key, value, ctx):
    if key == "use":
        if not isinstance(value, str):
            raise ValueError("use: expected the name of a trigger set from the pack's `triggers:`")
        return ctx.named(value)
    if key == "not":
        inner = ctx.compile(value)
        return lambda scan: not inner(scan)
    if not isinstance(value, list) or not value:
        raise ValueError(f"{key}: expected a non-empty list of triggers")
    parts = tuple(ctx.compile(v) for v in value)
    if key == "all":
        def every(scan) -> bool:
            for part in parts:
                if not part(scan):
                    return False
            return True
        # Every part must hold, so what one part needs is needed: the most selective (fewest atoms).
        needs = [n for n in map(need_of, parts) if n is not None]
        return with_spans(needing(every, min(needs, key=len) if needs else None),
                          lambda scan: [s for part in parts for s in spans_of(part, scan)])
    return any_guarded(parts)
