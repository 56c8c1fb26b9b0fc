#!/usr/bin/env bash
# Makes sure the vitest globalSetup (test/postgres-setup.ts) can start its
# throwaway PostgreSQL cluster: it needs the server's programs, which Debian
# puts in /usr/lib/postgresql/<major>/bin. Install them with apt when we may
# (root on Debian), otherwise stop with a one-line instruction.
set -u

# A server of the user's own, or programs elsewhere: nothing to install.
[ -n "${TEST_DATABASE_URL:-}" ] && exit 0
[ -n "${PG_BINDIR:-}" ] && [ -x "$PG_BINDIR/initdb" ] && exit 0

root="${PG_ROOT:-/usr/lib/postgresql}"
has_server() { compgen -G "$root/*/bin/initdb" >/dev/null; }

has_server && exit 0

if [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then
  echo "No PostgreSQL server under $root/*/bin; installing Debian's postgresql with apt-get" >&2
  apt-get update || exit $?
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql || exit $?
  # The package may start its default cluster; the tests start their own, so
  # stop it rather than leave a server running (there was none before this install).
  if command -v pg_lsclusters >/dev/null; then
    pg_lsclusters --no-header | awk '$4 == "online" { print $1, $2 }' | while read -r version name; do
      pg_ctlcluster "$version" "$name" stop || true
    done
  fi
  has_server && exit 0
fi

echo "No PostgreSQL server found (no initdb under $root/*/bin) — install it with: sudo apt-get install -y postgresql, or set TEST_DATABASE_URL to a server where the tests may create databases" >&2
exit 1
