#!/usr/bin/env bash
# Makes sure the browsers the e2e stage drives exist, all from Debian's
# packages (the registry here has no browser builds for Playwright or Puppeteer):
#   chromium            Playwright's Chromium (playwright.config.ts, CHROMIUM_PATH)
#   webkit2gtk-driver   WebKitWebDriver and WebKitGTK's MiniBrowser (e2e/engines/webkit.ts)
#   xvfb                xvfb-run, the display MiniBrowser needs
#   firefox-esr         Firefox, driven over WebDriver BiDi (e2e/engines/firefox.ts, FIREFOX_PATH)
# Installs what is missing with apt when we may (root on Debian), otherwise
# stops with a one-line instruction.
set -u

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
firefox="${FIREFOX_PATH:-/usr/bin/firefox-esr}"

missing() {
  [ -x "$chromium" ] || echo chromium
  command -v "${WEBKIT_WEBDRIVER:-WebKitWebDriver}" >/dev/null || echo webkit2gtk-driver
  command -v xvfb-run >/dev/null || echo xvfb
  [ -x "$firefox" ] || echo firefox-esr
}

packages=$(missing | tr '\n' ' ')
[ -z "$packages" ] && exit 0

if [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then
  echo "Browsers missing; installing Debian's $packages with apt-get" >&2
  apt-get update || exit $?
  # shellcheck disable=SC2086 # one word per package
  DEBIAN_FRONTEND=noninteractive apt-get install -y $packages || exit $?
  # A CHROMIUM_PATH or FIREFOX_PATH elsewhere is not fixed by the apt package: say so instead of failing later.
  packages=$(missing | tr '\n' ' ')
  [ -z "$packages" ] && exit 0
fi

echo "Browsers missing: install them with: sudo apt-get install -y ${packages% } (or set CHROMIUM_PATH / FIREFOX_PATH)" >&2
exit 1
