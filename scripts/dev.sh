#!/usr/bin/env bash
# The run command: bootstrap, then receiver, worker and dashboard in the foreground. Ctrl-C stops all.
set -euo pipefail
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  cat <<'HELP'
Usage: bash scripts/dev.sh

Installs dependencies, makes Redis and Postgres available (local servers on ports 6390/5440
under .data/, or REDIS_URL / DATABASE_URL when set), builds, applies migrations, then runs the
receiver (RECEIVER_PORT, default 3000; /readyz and /metrics on RECEIVER_OPS_PORT, default
3003) and the worker (WORKER_PORT, default 3001) with readable logs, and the internal dashboard
(DASHBOARD_PORT, default 3002: usage API behind INTERNAL_API_TOKEN, Bull Board behind
DASHBOARD_VIEWER_TOKEN / DASHBOARD_ADMIN_TOKEN). Ctrl-C or SIGTERM stops all of them cleanly. See README.md for every variable.
HELP
  exit 0
fi
# shellcheck source=scripts/lib/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/bootstrap.sh"
bootstrap

# Development defaults; real deployments set their own. Never use these secrets in production.
# The operator tokens left unset take development-only values, printed below (a token you set is not).
dev_operator_tokens=()
for token in DASHBOARD_VIEWER_TOKEN DASHBOARD_ADMIN_TOKEN; do
  [ -n "${!token:-}" ] || dev_operator_tokens+=("$token")
done
export_dev_secrets
export RECEIVER_PORT="${RECEIVER_PORT:-3000}"
export RECEIVER_OPS_PORT="${RECEIVER_OPS_PORT:-3003}"
# Test-mode Stripe events are applied; live ones are recorded ignored (production must set it).
export STRIPE_LIVEMODE="${STRIPE_LIVEMODE:-false}"

bootstrap_log "starting receiver (port ${RECEIVER_PORT}, ops ${RECEIVER_OPS_PORT}), worker and dashboard (port ${DASHBOARD_PORT:-3002}); STRIPE_LIVEMODE=${STRIPE_LIVEMODE}; Ctrl-C stops all"
bootstrap_log "operator page: http://${DASHBOARD_HOST:-127.0.0.1}:${DASHBOARD_PORT:-3002}/admin (Bull Board: /admin/queues); sign in with any user name and an operator token as the password"
for token in "${dev_operator_tokens[@]}"; do
  bootstrap_log "${token} (development only): ${!token}"
done
exec node --import tsx scripts/start-apps.ts
