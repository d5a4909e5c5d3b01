#!/usr/bin/env bash
# The benchmark command: the same bootstrap as scripts/test.sh (dependencies, build), then the
# TypeScript driver in bench/src/driver/, which starts a Redis and a Postgres of its own and
# measures the bare baselines and our built apps alternately.
set -euo pipefail

usage() {
  cat <<'HELP'
Usage: bash scripts/bench.sh [receiver|worker|e2e|all] [--repeat N] [options]
       bash scripts/bench.sh soak [--duration S] [--warm-up S] [--rate N] [options]

Measures our built receiver and worker against bare baselines (bench/src/bare/) in one run, on
a Redis and a Postgres the benchmark starts for itself on free ports (the development servers
are not used for measuring), and prints one table: throughput, p50/p99/p99.9 latency, CPU µs
per request or event per process (app, Redis, Postgres) and in total, ours/bare, and the noise
(max/min over the repeats). Results, the machine and the command go to docs/benchmarks.md with
a chart (docs/benchmarks.svg); logs, profiles and raw measurements to bench/reports/<run id>/
(the last 10 runs are kept).

Scenarios (default: all):
  receiver   closed loop with --connections connections, then open loop at each --receiver-rates
             rate (latency from each request's due time); the receiver alone, no worker
  worker     --events customer.subscription.updated over --subscriptions subscriptions, queue
             filled first, then the drain at --concurrency
  e2e        receiver + worker at each --e2e-rates offered rate: does the queue depth stay flat?
  soak       the memory soak, ours only, not part of "all" (it takes 5+ minutes): our receiver and
             worker at --rate events/s open loop for --duration (default 300 s, the first
             --warm-up seconds, default 60, are warm-up), RSS of each node process read every
             second. Without --rate: first a capacity probe (closed loop, 16 connections, 15 s;
             the events the worker applied per second meanwhile, a lower bound of the highest
             rate with a flat queue), then the soak at half of it. Prints RSS at
             the end of the warm-up and at the end (medians over 10 s), the max, the growth
             between them, the least-squares line through the readings after the warm-up
             (slope in MB/min, its growth), PASS/FAIL against receiver < 200 MB, worker <
             300 MB, growth of the line < 10 %, then the e2e verification.
             Writes the "Memory soak" section of docs/benchmarks.md (the other runs keep it,
             it keeps theirs) and docs/benchmarks-soak.svg. Of the options below it uses
             --duration, --warm-up, --rate, --subscriptions, --concurrency, --drain-timeout,
             --no-docs.

Options:
  --repeat N             repeats per scenario and variant; the table shows medians   [3]
  --duration S           seconds of each measured receiver / e2e phase               [10]
                         (soak: of the whole soak, warm-up included)                  [300]
  --warm-up S            seconds of receiver warm-up before measuring                 [2]
                         (soak: its first seconds, before growth counts; --warmup too) [60]
  --rate N               soak only: offered events/s        [half the probed capacity]
  --connections N        closed-loop connections                                      [50]
  --receiver-rates LIST  open-loop rates of the receiver, req/s                       [1000,2000]
  --e2e-rates LIST       offered rates of the e2e scenario, events/s                  [500,1000,2000,3000]
  --events N             events of the worker scenario                                [20000]
  --subscriptions N      subscriptions the events are about                           [5000]
  --concurrency N        WORKER_CONCURRENCY of both workers (pool = 2 × N + 2)         [20]
  --drain-timeout S      how long a worker may take to drain                          [300]
  --cpu-prof             run both variants under node --cpu-prof; print the top 15 self-time
                         functions; profiles in bench/reports/<run id>/profiles/
  --no-docs              do not rewrite docs/benchmarks.md and docs/benchmarks.svg
  -h, --help             this text

A run with other values than the defaults is labelled "reduced scale" in docs/benchmarks.md.
It ends with a verification line (every accepted event applied exactly once, every subscription
on its newest plan). Exit code: 0 verified, 1 verification failed, a soak check failed or a run
broke, 2 usage error.
HELP
}

for arg in "$@"; do
  if [[ $arg == "-h" || $arg == "--help" ]]; then usage; exit 0; fi
done

# shellcheck source=scripts/lib/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/bootstrap.sh"
bootstrap # dependencies, redis-server and Postgres binaries, build (bench/dist holds the bare baselines)

bootstrap_log "running the benchmark"
pnpm_cmd exec tsx bench/src/driver/bench-main.ts "$@"
