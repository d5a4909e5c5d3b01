#!/usr/bin/env bash
# The test command: the same bootstrap as the run command, then type checks and the whole jest
# suite against real Redis and Postgres. Extra arguments go to jest (e.g. a test path pattern).
set -euo pipefail
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  cat <<'HELP'
Usage: bash scripts/test.sh [jest arguments...]

Installs dependencies, makes Redis and Postgres available (local servers on ports 6390/5440
under .data/, or REDIS_URL / DATABASE_URL when set), builds, applies migrations, type-checks,
then runs every jest test. Arguments are passed to jest, e.g. `bash scripts/test.sh receiver`.
HELP
  exit 0
fi
# shellcheck source=scripts/lib/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/bootstrap.sh"
# promtool (Debian's prometheus package) checks and unit-tests the alerting rules; Chromium
# (Debian's package) is the /admin browser test's browser, driven by playwright-core.
bootstrap promtool=prometheus chromium=chromium

bootstrap_log "type-checking"
pnpm_cmd exec turbo run typecheck --output-logs=errors-only --log-prefix=none
pnpm_cmd exec tsc -p scripts/tsconfig.json

bootstrap_log "running jest"
results="$(mktemp)"
status=0
pnpm_cmd exec jest --json --outputFile="$results" "$@" || status=$?
# One plain closing line, the same for every runner: "N passed, N failed".
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests + r.numRuntimeErrorTestSuites} failed`);
' "$results" 2>/dev/null || echo "0 passed, 1 failed"
rm -f "$results"
exit "$status"
