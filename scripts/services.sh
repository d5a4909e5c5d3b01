#!/usr/bin/env bash
# Project-local Redis + Postgres for development, tests and CI: packages/local-stack/src/cli.ts
# (`--help` for the commands), after installing the Node dependencies it needs.
set -euo pipefail

# shellcheck source=scripts/lib/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/bootstrap.sh"
install_dependencies
local_stack "$@"
