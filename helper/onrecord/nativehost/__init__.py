"""Native messaging: the browser starts ``onrecord native-host`` as the user's own process and talks to it
over standard input and output, so the extension reaches its own user's OnRecord with no port to find,
squat or pair with.

- ``framing``: the wire format (a 4-byte native-endian length, then UTF-8 JSON).
- ``host``: the host program: who is calling, and the loop that answers the extension's requests.
- ``registration``: the host manifests, where each browser looks for them, install, uninstall, status.
"""

HOST_NAME = "org.onrecord.helper"
