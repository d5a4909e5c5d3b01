#!/usr/bin/env bash
# Project-local Redis + Postgres for development, tests and CI.
# See scripts/lib/services.sh for the details.
set -euo pipefail

# shellcheck source=scripts/lib/services.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/services.sh"

usage() {
  cat <<'EOF'
Usage: scripts/services.sh <command>

Commands:
  start    make Redis and Postgres available (starting project-local servers,
           installing the Debian packages if needed) and print
             REDIS_URL=...
             DATABASE_URL=...
           on stdout, e.g.  eval "$(scripts/services.sh start | sed 's/^/export /')"
  stop     stop the project-local servers (data in .data/ is kept)
  status   show whether the project-local servers are running (exit 3 if not)
  -h, --help

Environment:
  REDIS_URL, DATABASE_URL  use these servers instead (checked, never replaced)
  WH_REDIS_PORT            local Redis port    (default 6390, bound to 127.0.0.1)
  WH_PG_PORT               local Postgres port (default 5440, bound to 127.0.0.1)

In scripts, prefer:  source scripts/lib/services.sh && ensure_services
(exports REDIS_URL, DATABASE_URL and WH_PG_BIN into the current shell).
EOF
}

cmd=${1:-}
case "$cmd" in
  start)
    ensure_services || exit 1
    printf 'REDIS_URL=%q\n' "$REDIS_URL"
    printf 'DATABASE_URL=%q\n' "$DATABASE_URL"
    ;;
  stop)
    services_stop || exit 1
    ;;
  status)
    rc=0
    services_status || rc=$?
    exit "$rc"
    ;;
  -h|--help|help)
    usage
    ;;
  *)
    [[ -n $cmd ]] && printf '[services] unknown command: %s\n' "$cmd" >&2
    usage >&2
    exit 2
    ;;
esac
