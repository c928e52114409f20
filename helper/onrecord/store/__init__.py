"""Everything the helper saves: profile, settings, audit log, paired clients and secrets."""
