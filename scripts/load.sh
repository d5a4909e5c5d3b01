#!/usr/bin/env bash
# The load-test command: the same bootstrap as scripts/dev.sh, then one artillery phase against a
# bare baseline server and the same phase against the real receiver (with a worker draining into
# Postgres), and a comparison table. Everything it starts listens on 127.0.0.1 and is stopped on
# exit; the run's rows and queue keys are removed afterwards unless --keep-data.
set -euo pipefail

usage() {
  cat <<'HELP'
Usage: bash scripts/load.sh [--rate N] [--duration S] [--drain-timeout S] [--warm-up N]
                           [--worker-during-load] [--keep-data]

Measures what the receiver costs over a bare server, and how fast the worker applies what it
accepted. In one run, on free 127.0.0.1 ports:

  1. bootstrap as scripts/dev.sh does (dependencies, Redis, Postgres, build, migrations), then
     install loadtest/ (a standalone npm package with artillery; `npm ci --ignore-scripts`,
     only when loadtest/package-lock.json changed)
  2. start the bare baseline receiver (bench/src/bare/: node:http, the official libraries'
     signature check, one BullMQ add; its own prefix {whload-<run id>-bare}), the built receiver
     and the built worker, on a dedicated BullMQ prefix {whload-<run id>}
  3. warm all three up, stop the worker, then run the same artillery phase against the baseline,
     then against the receiver: N virtual users a second for S seconds, each a customer sending
     three signed deliveries (Clerk user.created, Stripe checkout.session.completed,
     customer.subscription.created) with fresh ids and timestamps
  4. start the worker again and wait (at most the drain timeout) until it has settled every
     accepted delivery in the webhook_events ledger, then print the comparison table

By default the worker is stopped while artillery runs: on a small machine the worker and
Postgres would otherwise take the CPU the receiver needs, and the receiver/baseline ratio would
measure that contention instead of the receiver (the baseline runs with an idle machine). The
worker's figure is then its capacity: how fast it works off the whole backlog.
--worker-during-load keeps the worker running instead: the end-to-end picture on one machine
(receipt -> effect latency, backlog left when the load ends).

Options (environment variables in brackets):
  --rate N            virtual users (sign-up flows) per second, 3 requests each  [LOAD_RATE, 17]
  --duration S        length of each measured phase in seconds                   [LOAD_DURATION, 20]
  --drain-timeout S   how long to wait for the worker after the load             [LOAD_DRAIN_TIMEOUT, 120]
  --warm-up N         sign-up flows sent to each server before measuring         [LOAD_WARMUP_FLOWS, 30]
  --worker-during-load  keep the worker running while artillery runs            [LOAD_WORKER_DURING=1]
  --keep-data         keep the run's users, ledger rows and Redis keys
  -h, --help          this text

Reports, artillery output and app logs go to loadtest/reports/<run id>/. The secrets default to
those of scripts/dev.sh (STRIPE_WEBHOOK_SECRET, CLERK_WEBHOOK_SECRET, JOB_SIGNING_KEY); REDIS_URL / DATABASE_URL
select other servers, as for dev.sh. Exit code: 0 when every request was answered 2xx and the
worker drained the queue in time, 1 otherwise, 2 on a usage error.
HELP
}

RATE="${LOAD_RATE:-17}"
DURATION="${LOAD_DURATION:-20}"
DRAIN_TIMEOUT="${LOAD_DRAIN_TIMEOUT:-120}"
WARMUP_FLOWS="${LOAD_WARMUP_FLOWS:-30}"
KEEP_DATA=0
WORKER_DURING_LOAD="${LOAD_WORKER_DURING:-0}"

usage_error() {
  printf 'load.sh: %s\n' "$1" >&2
  printf 'Run bash scripts/load.sh --help for the options.\n' >&2
  exit 2
}

while (($# > 0)); do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --rate | --duration | --drain-timeout | --warm-up)
      [[ $# -ge 2 ]] || usage_error "$1 needs a value"
      case "$1" in
        --rate) RATE="$2" ;;
        --duration) DURATION="$2" ;;
        --drain-timeout) DRAIN_TIMEOUT="$2" ;;
        --warm-up) WARMUP_FLOWS="$2" ;;
      esac
      shift 2 ;;
    --rate=*) RATE="${1#*=}"; shift ;;
    --duration=*) DURATION="${1#*=}"; shift ;;
    --drain-timeout=*) DRAIN_TIMEOUT="${1#*=}"; shift ;;
    --warm-up=*) WARMUP_FLOWS="${1#*=}"; shift ;;
    --keep-data) KEEP_DATA=1; shift ;;
    --worker-during-load) WORKER_DURING_LOAD=1; shift ;;
    *) usage_error "unknown argument: $1" ;;
  esac
done

# check_int NAME VALUE MIN MAX: bounded on purpose, this runs on shared 2-core machines.
check_int() {
  if ! [[ $2 =~ ^(0|[1-9][0-9]{0,5})$ ]] || (($2 < $3 || $2 > $4)); then
    usage_error "$1 must be a whole number from $3 to $4, got '$2'"
  fi
}
check_int --rate "$RATE" 1 200
check_int --duration "$DURATION" 1 300
check_int --drain-timeout "$DRAIN_TIMEOUT" 1 1800
check_int --warm-up "$WARMUP_FLOWS" 0 1000
[[ $WORKER_DURING_LOAD == 0 || $WORKER_DURING_LOAD == 1 ]] || usage_error "LOAD_WORKER_DURING must be 0 or 1"

# shellcheck source=scripts/lib/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/bootstrap.sh"
bootstrap # leaves us in the repository root with REDIS_URL and DATABASE_URL exported

log() { printf '[load] %s\n' "$*" >&2; }

# Development defaults, as in scripts/dev.sh; the receiver and the artillery processor share them.
export_dev_secrets
export ARTILLERY_DISABLE_TELEMETRY=true

# ------------------------------------------------------------ dependencies ----

# artillery stays out of the pnpm workspace: loadtest/ is its own npm package, installed from its
# lockfile only when that changed. --ignore-scripts: artillery pulls @playwright/browser-chromium,
# whose install script downloads a browser; the HTTP engine used here needs none.
LOADTEST_DIR="$BOOTSTRAP_ROOT/loadtest"
LOCK_STAMP="$LOADTEST_DIR/node_modules/.package-lock.sha256"
lock_hash="$(sha256sum "$LOADTEST_DIR/package-lock.json" | cut -d' ' -f1)"
if [[ ! -x $LOADTEST_DIR/node_modules/.bin/artillery || ! -f $LOCK_STAMP || $(<"$LOCK_STAMP") != "$lock_hash" ]]; then
  log "installing loadtest/ dependencies (npm ci --ignore-scripts; the first time takes a few minutes)"
  npm ci --prefix "$LOADTEST_DIR" --ignore-scripts --no-audit --no-fund --loglevel=error
  printf '%s\n' "$lock_hash" >"$LOCK_STAMP"
fi

# -------------------------------------------------------------- processes ----

RUN_ID="lt$(date -u +%y%m%d%H%M%S)$(od -An -N2 -tx1 /dev/urandom | tr -d ' \n')"
RUN_DIR="$LOADTEST_DIR/reports/$RUN_ID"
# keep the reports of the last 10 runs only
mkdir -p "$LOADTEST_DIR/reports"
find "$LOADTEST_DIR/reports" -mindepth 1 -maxdepth 1 -type d -name 'lt*' -printf '%T@ %p\n' 2>/dev/null |
  sort -rn | tail -n +10 | cut -d' ' -f2- | xargs -r rm -rf --
QUEUE_PREFIX="{whload-$RUN_ID}"
BARE_QUEUE_PREFIX="{whload-$RUN_ID-bare}"
mkdir -p "$RUN_DIR"
mapfile -t PORTS < <(node "$LOADTEST_DIR/free-ports.js" 4)
BASELINE_URL="http://127.0.0.1:${PORTS[0]}"
RECEIVER_URL="http://127.0.0.1:${PORTS[1]}"
WORKER_URL="http://127.0.0.1:${PORTS[2]}"
RECEIVER_OPS_URL="http://127.0.0.1:${PORTS[3]}"

declare -A PIDS=()

# PID is running (an exited child not yet reaped is a zombie and still passes kill -0)
running() {
  local state=
  kill -0 "$1" 2>/dev/null || return 1
  state="$(sed -E 's/^.*\) ([A-Za-z]).*$/\1/' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ $state != Z && $state != X ]]
}

# stop_process NAME: SIGTERM, then SIGKILL after 30 s (the worker's own shutdown deadline is 25 s).
stop_process() {
  local name=$1 pid deadline
  pid="${PIDS[$name]:-}"
  [[ -n $pid ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + 30))
  while running "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
  if running "$pid"; then
    log "$name (pid $pid) did not stop within 30 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  unset "PIDS[$name]"
}

# Stops what this script started, then removes the run's data. Runs on every exit, Ctrl-C included.
cleanup() {
  local status=$? name
  trap - EXIT INT TERM
  for name in "${!PIDS[@]}"; do kill -TERM "${PIDS[$name]}" 2>/dev/null || true; done
  for name in "${!PIDS[@]}"; do stop_process "$name"; done
  if ((KEEP_DATA)); then
    log "kept the run's data: ids contain $RUN_ID, queue prefixes $QUEUE_PREFIX and $BARE_QUEUE_PREFIX"
  else
    node "$LOADTEST_DIR/clean-up-run.js" --run-id "$RUN_ID" --queue-prefix "$QUEUE_PREFIX" \
      --queue-prefix "$BARE_QUEUE_PREFIX" || status=1
  fi
  log "reports and logs: ${RUN_DIR#"$BOOTSTRAP_ROOT"/}"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start_background NAME COMMAND...: output appended to RUN_DIR/NAME.log
start_background() {
  local name=$1
  shift
  "$@" >>"$RUN_DIR/$name.log" 2>&1 &
  PIDS[$name]=$!
}

# await_child NAME COMMAND...: runs COMMAND as a background child and waits for it, so that a
# signal reaches the cleanup at once (bash defers traps while a foreground command runs) and the
# cleanup stops the child too. Returns the command's exit status.
await_child() {
  local name=$1 status=0
  shift
  "$@" &
  PIDS[$name]=$!
  wait "${PIDS[$name]}" || status=$?
  unset "PIDS[$name]"
  return "$status"
}

start_worker() {
  start_background worker env WORKER_HOST=127.0.0.1 WORKER_PORT="${PORTS[2]}" QUEUE_PREFIX="$QUEUE_PREFIX" \
    node apps/worker/dist/main.js
}

# wait_ready NAME URL: the process answers 2xx there within 30 s, or the run stops with its log.
wait_ready() {
  if ! node "$LOADTEST_DIR/wait-for-http.js" "$2" 30 "${PIDS[$1]}"; then
    log "$1 did not become ready; last lines of its log:"
    tail -n 20 "$RUN_DIR/$1.log" >&2 || true
    exit 1
  fi
}

log "run $RUN_ID: baseline $BASELINE_URL, receiver $RECEIVER_URL, worker $WORKER_URL, queue prefix $QUEUE_PREFIX"
export LOG_LEVEL="${LOG_LEVEL:-info}"
# the bare receiver's jobs go to a prefix no worker reads
start_background baseline env BARE_PORT="${PORTS[0]}" QUEUE_PREFIX="$BARE_QUEUE_PREFIX" \
  node bench/dist/bare/bare-receiver-main.js
start_background receiver env RECEIVER_HOST=127.0.0.1 RECEIVER_PORT="${PORTS[1]}" RECEIVER_OPS_PORT="${PORTS[3]}" QUEUE_PREFIX="$QUEUE_PREFIX" \
  node apps/receiver/dist/main.js
start_worker
wait_ready baseline "$BASELINE_URL/healthz"
wait_ready receiver "$RECEIVER_OPS_URL/readyz"
wait_ready worker "$WORKER_URL/readyz"

# -------------------------------------------------------------- warm-up ----

if ((WARMUP_FLOWS > 0)); then
  log "warming up: $WARMUP_FLOWS sign-up flows to each server"
  LOADTEST_RUN_ID="${RUN_ID}w" await_child warm-up node "$LOADTEST_DIR/warm-up.js" "$BASELINE_URL" "$WARMUP_FLOWS" >/dev/null
  LOADTEST_RUN_ID="${RUN_ID}w" await_child warm-up node "$LOADTEST_DIR/warm-up.js" "$RECEIVER_URL" "$WARMUP_FLOWS" \
    >"$RUN_DIR/warm-up-accepted.txt"
  # the measured phase starts with an idle worker
  await_child drain node "$LOADTEST_DIR/wait-for-drain.js" --run-id "${RUN_ID}w" \
    --expected "$(<"$RUN_DIR/warm-up-accepted.txt")" --timeout 60 --worker-pid "${PIDS[worker]}" \
    --out "$RUN_DIR/warm-up-drain.json"
fi

# --------------------------------------------------------------- measure ----

OVERRIDES="{\"config\":{\"phases\":[{\"name\":\"steady\",\"duration\":$DURATION,\"arrivalRate\":$RATE}]}}"

# run_artillery NAME URL: the measured phase against URL, report in RUN_DIR/NAME.json, bounded by
# `timeout`.
run_artillery() {
  local name=$1 url=$2 status=0
  log "artillery against the $name: $RATE flows/s x 3 requests for $DURATION s"
  LOADTEST_RUN_ID="$RUN_ID" await_child artillery timeout --kill-after=10 $((DURATION + 120)) \
    "$LOADTEST_DIR/node_modules/.bin/artillery" run --target "$url" --overrides "$OVERRIDES" \
    --output "$RUN_DIR/$name.json" "$LOADTEST_DIR/webhook-signups.yml" >"$RUN_DIR/artillery-$name.log" 2>&1 || status=$?
  if ((status != 0)) || [[ ! -s $RUN_DIR/$name.json ]]; then
    log "artillery against the $name failed (exit $status); last lines of its output:"
    tail -n 20 "$RUN_DIR/artillery-$name.log" >&2 || true
    exit 1
  fi
}

if ((WORKER_DURING_LOAD == 0)); then
  log "stopping the worker while artillery runs (--worker-during-load keeps it running)"
  stop_process worker
fi
run_artillery baseline "$BASELINE_URL"
run_artillery receiver "$RECEIVER_URL"
if ((WORKER_DURING_LOAD == 0)); then
  log "starting the worker on the backlog"
  start_worker
  wait_ready worker "$WORKER_URL/readyz"
fi

log "waiting for the worker to settle every accepted delivery (at most $DRAIN_TIMEOUT s)"
drain_status=0
await_child drain node "$LOADTEST_DIR/wait-for-drain.js" --run-id "$RUN_ID" --report "$RUN_DIR/receiver.json" \
  --timeout "$DRAIN_TIMEOUT" --worker-pid "${PIDS[worker]}" --out "$RUN_DIR/drain.json" || drain_status=$?
[[ -s $RUN_DIR/drain.json ]] || exit 1

compare_status=0
COMPARE_MODE=()
((WORKER_DURING_LOAD)) || COMPARE_MODE=(--worker-after-load)
node "$LOADTEST_DIR/compare-reports.js" --baseline "$RUN_DIR/baseline.json" --receiver "$RUN_DIR/receiver.json" \
  --drain "$RUN_DIR/drain.json" "${COMPARE_MODE[@]}" \
  --title "Load test $RUN_ID: $RATE sign-up flows/s x 3 signed deliveries for $DURATION s per target, 127.0.0.1, $(nproc) cores" |
  tee "$RUN_DIR/summary.txt" || compare_status=$?

if ((drain_status != 0 || compare_status != 0)); then
  log "FAILED: some requests were not answered 2xx or the worker did not drain in time (see above)"
  exit 1
fi
