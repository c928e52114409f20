"""HelperService on its own: what it keeps between checks still follows the clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from onrecord.service import HelperService


def test_the_reminder_day_turns_at_local_midnight(onrecord_home):
    # The day is worked out once and kept until the clock leaves it: a personal account's "first post of
    # the day" reminder must come back after midnight without a restart.
    service = HelperService(None, load_settings=lambda: {}, profile_path=onrecord_home / "profile.yaml")
    midnight = datetime.combine(date(2026, 12, 3) + timedelta(days=1), datetime.min.time()).timestamp()
    assert service._today(now=midnight - 1) == "2026-12-03"
    assert service._today(now=midnight - 0.001) == "2026-12-03"
    assert service._today(now=midnight) == "2026-12-04"
    assert service._today(now=midnight + 3600) == "2026-12-04"
    # A clock put back (by the user, or to standard time) goes back to the day it shows.
    assert service._today(now=midnight - 3600) == "2026-12-03"
    assert service._today() == date.today().isoformat()


def test_a_today_function_given_wins(onrecord_home):
    service = HelperService(None, load_settings=lambda: {}, profile_path=onrecord_home / "profile.yaml",
                            today=lambda: "2030-01-01")
    assert service._today() == "2030-01-01"
