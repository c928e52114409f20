#!/usr/bin/env bash
# Builds OnRecord.app and a .dmg on macOS: PyInstaller (the spec makes the .app), the self-test,
# then hdiutil. Signing runs only when MACOS_CODESIGN_IDENTITY is set (a "Developer ID Application"
# identity in the keychain); notarisation only when APPLE_ID, APPLE_TEAM_ID and APPLE_APP_PASSWORD
# are set too. Without them the .app and .dmg are unsigned, for testing.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"

"$PY" -m PyInstaller packaging/onrecord.spec --noconfirm --distpath dist --workpath build/pyinstaller
APP="dist/OnRecord.app"
# The program browsers start for native messaging, beside the executable (host_program() looks there).
# A .dmg has no installer step: `onrecord run` registers the host for the user's browsers at each start.
install -m 0755 packaging/linux/onrecord-native-host "$APP/Contents/MacOS/onrecord-native-host"
VERSION="$("$APP/Contents/MacOS/onrecord" --version | awk '{print $2}')"
"$APP/Contents/MacOS/onrecord" --self-test

if [ -n "${MACOS_CODESIGN_IDENTITY:-}" ]; then
  # PyInstaller signed each file; sign the bundle as a whole with the hardened runtime on top.
  codesign --force --deep --options runtime --timestamp \
    --entitlements packaging/macos/entitlements.plist --sign "$MACOS_CODESIGN_IDENTITY" "$APP"
  codesign --verify --deep --strict "$APP"
else
  echo "No MACOS_CODESIGN_IDENTITY: OnRecord.app is unsigned (Gatekeeper will ask staff to confirm)."
fi

# The disk image: the app and a link to /Applications to drag it onto.
DMG="dist/onrecord-$VERSION-macos.dmg"
STAGE="build/dmg"
rm -rf "$STAGE" "$DMG" && mkdir -p "$STAGE"
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
hdiutil create -volname "OnRecord $VERSION" -srcfolder "$STAGE" -ov -format UDZO "$DMG"

if [ -n "${MACOS_CODESIGN_IDENTITY:-}" ]; then
  codesign --force --timestamp --sign "$MACOS_CODESIGN_IDENTITY" "$DMG"
  if [ -n "${APPLE_ID:-}" ] && [ -n "${APPLE_TEAM_ID:-}" ] && [ -n "${APPLE_APP_PASSWORD:-}" ]; then
    xcrun notarytool submit "$DMG" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
      --password "$APPLE_APP_PASSWORD" --wait
    xcrun stapler staple "$DMG"
  else
    echo "No notarisation credentials: the .dmg is signed but not notarised."
  fi
fi
echo "built $DMG"
