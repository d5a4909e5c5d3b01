#!/usr/bin/env bash
# The load-test command: one artillery scenario of loadtest/scenarios/ against the built receiver,
# worker and dashboard, then a database check and a report in loadtest/reports/<run id>/. The
# orchestration is bench/src/load/ (load-main.ts); `bash scripts/load.sh --help` lists the scenarios.
set -euo pipefail

# shellcheck source=scripts/lib/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/bootstrap.sh"
cd "$BOOTSTRAP_ROOT"
LOAD_MAIN=bench/src/load/load-main.ts

# ------------------------------------------------------------- usage, arguments ----
# (the workspace's dependencies first: the options are parsed by the TypeScript of bench/src/load)
pnpm_cmd install --frozen-lockfile --reporter=silent
for arg in "$@"; do
  if [[ $arg == -h || $arg == --help ]]; then pnpm_cmd exec tsx "$LOAD_MAIN" --help; exit 0; fi
done
pnpm_cmd exec tsx "$LOAD_MAIN" --check-arguments "$@"

# ------------------------------------------------------------------- bootstrap ----
bootstrap # leaves us in the repository root with REDIS_URL and DATABASE_URL exported

# ------------------------------------------------------- loadtest dependencies ----
# artillery stays out of the pnpm workspace: loadtest/ is its own npm package, installed from its
# lockfile only when that changed. --ignore-scripts: artillery pulls @playwright/browser-chromium,
# whose install script downloads a browser; the HTTP engine used here needs none.
LOADTEST_DIR="$BOOTSTRAP_ROOT/loadtest"
LOCK_STAMP="$LOADTEST_DIR/node_modules/.package-lock.sha256"
lock_hash="$(sha256sum "$LOADTEST_DIR/package-lock.json" | cut -d' ' -f1)"
if [[ ! -x $LOADTEST_DIR/node_modules/.bin/artillery || ! -f $LOCK_STAMP || $(<"$LOCK_STAMP") != "$lock_hash" ]]; then
  bootstrap_log "installing loadtest/ dependencies (npm ci --ignore-scripts; the first time takes a few minutes)"
  npm ci --prefix "$LOADTEST_DIR" --ignore-scripts --no-audit --no-fund --loglevel=error
  printf '%s\n' "$lock_hash" >"$LOCK_STAMP"
fi

# ------------------------------------------------------------------------- run ----
pnpm_cmd exec tsx "$LOAD_MAIN" "$@"
