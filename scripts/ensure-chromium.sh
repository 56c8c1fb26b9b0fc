#!/usr/bin/env bash
# Makes sure the Chromium that playwright.config.ts launches exists.
# Playwright here uses Debian's Chromium (no browser download): install it with
# apt when we may (root on Debian), otherwise stop with a one-line instruction.
set -u

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"

if [ -x "$chromium" ]; then
  exit 0
fi

if [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then
  echo "Chromium not found at $chromium; installing Debian's chromium with apt-get" >&2
  apt-get update || exit $?
  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium || exit $?
  # A CHROMIUM_PATH elsewhere is not fixed by the apt package: say so instead of failing later.
  [ -x "$chromium" ] && exit 0
fi

echo "Chromium not found at $chromium — install it with: sudo apt-get install -y chromium (or set CHROMIUM_PATH)" >&2
exit 1
