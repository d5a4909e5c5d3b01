# Shared set-up of scripts/dev.sh and scripts/test.sh: dependencies, Redis and Postgres, build,
# migrations. Source it, then call `bootstrap`. Idempotent: a second run reuses everything.

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

# Development defaults of the secrets and tokens (dev.sh, load.sh); never use them in production.
export_dev_secrets() {
  export STRIPE_WEBHOOK_SECRET="${STRIPE_WEBHOOK_SECRET:-whsec_local_development_only_stripe}"
  export CLERK_WEBHOOK_SECRET="${CLERK_WEBHOOK_SECRET:-whsec_bG9jYWwtZGV2ZWxvcG1lbnQtb25seS1jbGVyaw==}"
  export INTERNAL_API_TOKEN="${INTERNAL_API_TOKEN:-local-development-only-internal-api-token}"
  export DASHBOARD_VIEWER_TOKEN="${DASHBOARD_VIEWER_TOKEN:-local-development-only-dashboard-viewer-token}"
  export DASHBOARD_ADMIN_TOKEN="${DASHBOARD_ADMIN_TOKEN:-local-development-only-dashboard-admin-token}"
  export JOB_SIGNING_KEY="${JOB_SIGNING_KEY:-local-development-only-job-signing-key}"
  bootstrap_log "secrets and tokens not set in the environment take development-only values from scripts/lib/bootstrap.sh (never in production)"
}

bootstrap() {
  cd "$BOOTSTRAP_ROOT"
  local node_major
  node_major="$(node -p 'process.versions.node.split(".")[0]')"
  if [ "$node_major" -lt 20 ]; then
    bootstrap_log "Node.js 20 or newer is required (found $(node --version))"
    return 1
  fi

  bootstrap_log "installing dependencies (pnpm ${PNPM_VERSION}, frozen lockfile)"
  pnpm_cmd install --frozen-lockfile --reporter=silent

  # shellcheck source=scripts/lib/services.sh
  source "$BOOTSTRAP_ROOT/scripts/lib/services.sh"
  ensure_services

  bootstrap_log "building packages and apps"
  pnpm_cmd exec turbo run build --output-logs=errors-only --log-prefix=none

  bootstrap_log "applying migrations"
  pnpm_cmd exec tsx scripts/migrate.ts
}
