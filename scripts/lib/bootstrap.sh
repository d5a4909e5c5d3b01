# Shared set-up of scripts/dev.sh, test.sh, bench.sh, load.sh and services.sh: Node.js check and
# dependencies here; Redis and Postgres, build and migrations in packages/local-stack (TypeScript).
# Source it, then call `bootstrap`. Idempotent: a second run reuses everything.

BOOTSTRAP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PNPM_VERSION="12.4.2"

# pnpm at the version the lockfile was written with: the installed one if it matches, else
# through npx (cached after the first run). Only Node and npm are assumed.
pnpm_cmd() {
  if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]; then
    pnpm "$@"
  else
    npx --yes "pnpm@${PNPM_VERSION}" "$@"
  fi
}

bootstrap_log() { printf '[bootstrap] %s\n' "$*" >&2; }

# Node.js 20 or newer, then the workspace's dependencies (frozen lockfile; output on stderr).
install_dependencies() {
  cd "$BOOTSTRAP_ROOT"
  local node_major
  node_major="$(node -p 'process.versions.node.split(".")[0]')"
  if [ "$node_major" -lt 20 ]; then
    bootstrap_log "Node.js 20 or newer is required (found $(node --version))"
    return 1
  fi
  bootstrap_log "installing dependencies (pnpm ${PNPM_VERSION}, frozen lockfile)"
  pnpm_cmd install --frozen-lockfile --reporter=silent >&2
}

# The local servers' command line (packages/local-stack/src/cli.ts), run from source; through
# pnpm, whose PATH the build (turbo) needs.
local_stack() {
  pnpm_cmd exec tsx "$BOOTSTRAP_ROOT/packages/local-stack/src/cli.ts" "$@"
}

# Exports the NAME=value lines a local_stack command prints.
_export_lines() {
  local line
  while IFS= read -r line; do
    if [ -n "$line" ]; then eval "export $line"; fi
  done <<<"$1"
}

# Development defaults of the secrets and tokens (dev.sh, load.sh); never use them in production.
export_dev_secrets() {
  local lines
  lines="$(local_stack dev-secrets)"
  _export_lines "$lines"
}

# Dependencies, Redis and Postgres, build, migrations; exports REDIS_URL, DATABASE_URL (and WH_PG_BIN).
# Arguments COMMAND=PACKAGE: more programs to apt-get install when missing (one apt-get update in all).
bootstrap() {
  install_dependencies
  local lines
  lines="$(local_stack bootstrap "$@")"
  _export_lines "$lines"
}
