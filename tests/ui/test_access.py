"""Only the settings window may read or change the settings: over real HTTP against `onrecord run`."""

from __future__ import annotations

import requests

from .conftest import EXTENSION_ORIGIN


def test_the_window_key_opens_the_pages_and_is_dropped_from_the_address(helper):
    s = requests.Session()
    r = s.get(helper.window_url, timeout=5)
    assert r.status_code == 200
    assert r.url == f"{helper.base}/settings/"  # the key is not left in the address or its history
    cookie = next(c for c in s.cookies if c.name == "onrecord_window")
    assert cookie.has_nonstandard_attr("HttpOnly")
    assert "samesite=strict" in r.history[0].headers["Set-Cookie"].lower()
    state = s.get(f"{helper.base}/settings/api/state", timeout=5)
    assert state.status_code == 200
    assert state.json()["first_run"] is True


def test_a_missing_or_wrong_key_opens_nothing(helper):
    assert requests.get(f"{helper.base}/settings/", timeout=5).status_code == 403
    assert requests.get(f"{helper.base}/settings/?key=guess", timeout=5).status_code == 403
    r = requests.get(f"{helper.base}/settings/api/state", timeout=5)
    assert r.status_code == 403
    assert "window" in r.json()["error"]["message"]
    r = requests.put(f"{helper.base}/settings/api/settings", json={"log_level": "DEBUG"},
                     headers={"Origin": helper.base}, timeout=5)
    assert r.status_code == 403


def test_the_extension_token_is_refused_even_with_the_extension_origin(helper):
    token = helper.pair_extension()
    ext = {"Authorization": f"Bearer {token}", "Origin": EXTENSION_ORIGIN}
    # The token does work where it belongs ...
    assert requests.post(f"{helper.base}/v1/settings", json={}, headers=ext, timeout=5).status_code == 200
    # ... and nowhere in the settings.
    for method, path, body in [("GET", "state", None), ("GET", "browsers", None),
                               ("POST", "pairing", {}), ("PUT", "settings", {"log_level": "DEBUG"})]:
        r = requests.request(method, f"{helper.base}/settings/api/{path}", json=body, headers=ext, timeout=5)
        assert r.status_code == 403, (method, path, r.text)
    # Not even a window's own cookie makes a bearer token welcome.
    s = helper.session()
    r = s.get(f"{helper.base}/settings/api/browsers", headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert r.status_code == 403
    assert "token" in r.json()["error"]["message"]


def test_a_web_page_cannot_use_the_windows_cookie(helper):
    s = helper.session()
    assert s.get(f"{helper.base}/settings/api/state", timeout=5).status_code == 200
    for origin in ("https://evil.example", "null", EXTENSION_ORIGIN):
        r = s.put(f"{helper.base}/settings/api/settings", json={"log_level": "DEBUG"},
                  headers={"Origin": origin}, timeout=5)
        assert r.status_code == 403, origin
    # A cross-site request that browsers label so, even without an Origin.
    r = s.get(f"{helper.base}/settings/api/about", headers={"Origin": None, "Sec-Fetch-Site": "cross-site"}, timeout=5)
    assert r.status_code == 403
    # A change with neither Origin nor Sec-Fetch-Site cannot prove it came from the page.
    r = s.put(f"{helper.base}/settings/api/settings", json={"log_level": "DEBUG"}, headers={"Origin": None}, timeout=5)
    assert r.status_code == 403
    assert s.get(f"{helper.base}/settings/api/settings", timeout=5).json()["settings"]["log_level"] == "INFO"


def test_a_rebound_host_name_is_refused(helper):
    s = helper.session()
    r = s.get(f"{helper.base}/settings/api/state", headers={"Host": f"evil.example:{helper.port}"}, timeout=5)
    assert r.status_code == 403


def test_the_key_file_is_for_the_user_alone_and_goes_with_the_helper(helper):
    path = helper.home / "window.key"
    assert path.stat().st_mode & 0o777 == 0o600
    old_key = helper.key
    helper.stop()
    assert not path.exists()
    # A new helper makes a new key: the old window's key no longer opens anything.
    from .conftest import Helper
    again = Helper(helper.home)
    try:
        assert again.key != old_key
        assert requests.get(f"{again.base}/settings/?key={old_key}", timeout=5).status_code == 403
    finally:
        again.stop()
