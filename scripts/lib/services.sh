# shellcheck shell=bash
# scripts/lib/services.sh — make Redis and Postgres available for this project.
#
# Source this file, then call `ensure_services`. On success it EXPORTS:
#   REDIS_URL     e.g. redis://127.0.0.1:6390
#   DATABASE_URL  e.g. postgresql://postgres:postgres@127.0.0.1:5440/webhooks
#   WH_PG_BIN     PostgreSQL bin folder (initdb, pg_ctl, ...) when installed locally,
#                 so tests can start throwaway clusters.
# On failure it prints an error (stderr, prefixed "[services]") and RETURNS non-zero
# (with `set -e` in the caller that ends the script). Call it in the current shell,
# not in `$(...)`, otherwise the exports are lost.
#
# Behaviour:
#   * REDIS_URL / DATABASE_URL already set (non-empty): used as is after a reachability
#     check; unreachable => error, never a fallback to a local server. Each is decided
#     independently.
#   * otherwise project-local servers are started (installing the Debian packages with
#     apt-get when the binaries are missing), data under <project>/.data/:
#       Redis    127.0.0.1:${WH_REDIS_PORT:-6390}  data .data/redis
#       Postgres 127.0.0.1:${WH_PG_PORT:-5440}     data .data/postgres, or
#                /var/lib/postgresql/wh-<hash> when the project folder is not
#                traversable by the `postgres` OS user (e.g. a clone under /root).
#   * idempotent: running servers are reused; stale pid files are removed; a server
#     that is alive but not answering gives an error (bounded waits, no hang).
#
# Also provides: services_stop, services_status (used by scripts/services.sh).
# Safe to source under `set -euo pipefail`; it does not change shell options.

_WH_SVC_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
_WH_SVC_ROOT="$(cd "$_WH_SVC_LIB_DIR/../.." && pwd -P)"
_WH_SVC_DATA="$_WH_SVC_ROOT/.data"
_WH_SVC_APT_UPDATED="${_WH_SVC_APT_UPDATED:-0}"
_WH_SVC_REDIS_TIMEOUT=10   # seconds to wait for Redis PING
_WH_SVC_PG_TIMEOUT=30      # seconds to wait for Postgres start / readiness

# ---------------------------------------------------------------- helpers ----

_wh_log() { printf '[services] %s\n' "$*" >&2; }
_wh_err() { printf '[services] ERROR: %s\n' "$*" >&2; return 1; }

# print the last lines of a log file, indented, to stderr
_wh_tail() {
  local f=$1 n=${2:-20}
  if [[ -r $f ]]; then
    _wh_log "last $n lines of $f:"
    tail -n "$n" "$f" 2>/dev/null | sed 's/^/[services]   | /' >&2 || true
  else
    _wh_log "(no log file at $f)"
  fi
}

# hide the password part of a URL for messages
_wh_mask_url() {
  local u=$1
  if [[ $u =~ ^([A-Za-z][A-Za-z0-9+.-]*://[^:/@]*:)[^@/]*@(.*)$ ]]; then
    printf '%s***@%s' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
  else
    printf '%s' "$u"
  fi
}

# _wh_url_hostport URL DEFAULT_PORT -> sets _WH_HOST and _WH_PORT
_wh_url_hostport() {
  local u=$1 def=$2 rest
  u=${u#*://}
  u=${u%%/*}
  u=${u%%\?*}
  u=${u##*@}
  _WH_HOST='' _WH_PORT=''
  if [[ $u == \[* ]]; then
    _WH_HOST=${u%%]*}; _WH_HOST=${_WH_HOST#[}
    rest=${u#*]}; _WH_PORT=${rest#:}
  elif [[ $u == *:* ]]; then
    _WH_HOST=${u%%:*}; _WH_PORT=${u##*:}
  else
    _WH_HOST=$u
  fi
  [[ -n $_WH_HOST ]] || _WH_HOST=localhost
  [[ -n $_WH_PORT ]] || _WH_PORT=$def
  [[ $_WH_PORT =~ ^[0-9]+$ ]]
}

# bash /dev/tcp probe with a bounded timeout
_wh_tcp_probe() {
  # shellcheck disable=SC2016  # expanded by the inner bash
  timeout 3 "${BASH:-bash}" -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" >/dev/null 2>&1
}

_wh_check_port() {
  local name=$1 val=$2
  if ! [[ $val =~ ^[0-9]+$ ]] || (( val < 1 || val > 65535 )); then
    _wh_err "$name must be a TCP port number, got '$val'"
    return 1
  fi
}

# _wh_pid_is PID WORD: PID is alive and its command line contains WORD
_wh_pid_is() {
  local pid=$1 word=$2 cmd=
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  _wh_alive "$pid" || return 1
  if [[ -r /proc/$pid/cmdline ]]; then
    cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || cmd=
    [[ $cmd == *"$word"* ]] || return 1
  fi
  return 0
}

# PID exists and is not a zombie (an un-reaped exited process still passes kill -0)
_wh_alive() {
  local st=
  [[ $1 =~ ^[0-9]+$ ]] || return 1
  kill -0 "$1" 2>/dev/null || [[ -d /proc/$1 ]] || return 1
  if [[ -r /proc/$1/stat ]]; then
    st=$(sed -E 's/^.*\) ([A-Za-z]).*$/\1/' "/proc/$1/stat" 2>/dev/null) || st=
    [[ $st != Z && $st != X ]] || return 1
  fi
  return 0
}

_wh_is_root() { [[ ${EUID:-$(id -u)} -eq 0 ]]; }

# apt-get install, quietly, with one line saying what is installed
_wh_apt_install() {
  local sudo=() out rc=0
  if ! command -v apt-get >/dev/null 2>&1; then
    _wh_err "need package(s) $* but apt-get is not available; install them manually"
    return 1
  fi
  if ! _wh_is_root; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      _wh_err "need package(s) $* but not running as root and sudo is missing; install them manually"
      return 1
    fi
  fi
  _wh_log "installing $* with apt-get (this can take a minute)..."
  out=$(mktemp) || return 1
  if [[ $_WH_SVC_APT_UPDATED != 1 ]]; then
    (_wh_close_lock_fd; "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq) >"$out" 2>&1 || rc=$?
    if (( rc != 0 )); then
      _wh_tail "$out" 20; rm -f "$out"
      _wh_err "apt-get update failed (exit $rc)"
      return 1
    fi
    _WH_SVC_APT_UPDATED=1
  fi
  (_wh_close_lock_fd; "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "$@") >"$out" 2>&1 || rc=$?
  if (( rc != 0 )); then
    _wh_tail "$out" 30; rm -f "$out"
    _wh_err "apt-get install $* failed (exit $rc)"
    return 1
  fi
  rm -f "$out"
}

# serialise concurrent ensure/stop calls of the same checkout
_wh_lock() {
  _WH_SVC_LOCK_FD=
  command -v flock >/dev/null 2>&1 || return 0
  mkdir -p "$_WH_SVC_DATA" || { _wh_err "cannot create $_WH_SVC_DATA"; return 1; }
  chmod 755 "$_WH_SVC_DATA" 2>/dev/null || true
  exec {_WH_SVC_LOCK_FD}>>"$_WH_SVC_DATA/.services.lock" || {
    _WH_SVC_LOCK_FD=; _wh_err "cannot open lock file $_WH_SVC_DATA/.services.lock"; return 1; }
  if ! flock -n "$_WH_SVC_LOCK_FD"; then
    _wh_log "another services.sh run holds $_WH_SVC_DATA/.services.lock; waiting (max 600 s)..."
    if ! flock -w 600 "$_WH_SVC_LOCK_FD"; then
      exec {_WH_SVC_LOCK_FD}>&-; _WH_SVC_LOCK_FD=
      _wh_err "timed out waiting for $_WH_SVC_DATA/.services.lock"
      return 1
    fi
  fi
}

# close the lock fd (call inside a subshell that starts long-lived processes,
# so daemons do not inherit -- and keep holding -- the lock)
_wh_close_lock_fd() {
  if [[ -n ${_WH_SVC_LOCK_FD:-} ]]; then exec {_WH_SVC_LOCK_FD}>&-; fi
  return 0
}

_wh_unlock() {
  if [[ -n ${_WH_SVC_LOCK_FD:-} ]]; then
    flock -u "$_WH_SVC_LOCK_FD" 2>/dev/null || true
    exec {_WH_SVC_LOCK_FD}>&-
    _WH_SVC_LOCK_FD=
  fi
}

# ------------------------------------------------------------------ redis ----

_wh_redis_dir()  { printf '%s' "$_WH_SVC_DATA/redis"; }

# _wh_redis_ping PORT -> 0 when a Redis on 127.0.0.1:PORT answers PONG
_wh_redis_ping() {
  local out
  out=$(timeout 2 redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null) || return 1
  [[ $out == PONG ]]
}

# _wh_redis_is_ours PORT -> 0 when the Redis on PORT uses our data dir
_wh_redis_is_ours() {
  local d
  d=$(timeout 3 redis-cli -h 127.0.0.1 -p "$1" --raw config get dir 2>/dev/null | sed -n 2p) || d=
  _WH_REDIS_OTHER_DIR=$d
  [[ -n $d && $d == "$(_wh_redis_dir)" ]]
}

# port a running redis-server pid listens on, from its process title ("redis-server 127.0.0.1:6390")
_wh_redis_pid_port() {
  local cmd
  cmd=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
  [[ $cmd =~ :([0-9]+) ]] || return 1
  printf '%s' "${BASH_REMATCH[1]}"
}

# A Redis Cluster URL (redis+cluster://[user:pass@]host:port,host:port[?tls=true], or
# rediss+cluster://) is probed on its first node; any other URL as it is.
_wh_redis_probe_url() {
  local url=$1 scheme
  if [[ $url =~ ^(rediss?)\+cluster://(([^@/]*)@)?([^,/?]+) ]]; then
    scheme=${BASH_REMATCH[1]}
    [[ $url == *"tls=true"* || $url == *"tls=1"* ]] && scheme=rediss
    printf '%s://%s%s' "$scheme" "${BASH_REMATCH[2]}" "${BASH_REMATCH[4]}"
  else
    printf '%s' "$url"
  fi
}

_wh_redis_external() {
  local url masked out rc=0
  url=$(_wh_redis_probe_url "$REDIS_URL")
  masked=$(_wh_mask_url "$REDIS_URL")
  if command -v redis-cli >/dev/null 2>&1; then
    out=$(timeout 10 redis-cli --no-auth-warning -u "$url" ping 2>&1) || rc=$?
    if (( rc != 0 )) || [[ $out != PONG ]]; then
      (( rc == 124 )) && out="timed out after 10 s"
      _wh_err "REDIS_URL is set to $masked but that Redis is not reachable: ${out:-no answer}. Fix/start that server or unset REDIS_URL to use a project-local Redis."
      return 1
    fi
  else
    if ! _wh_url_hostport "$url" 6379; then
      _wh_err "REDIS_URL=$masked: cannot parse host:port"
      return 1
    fi
    if ! _wh_tcp_probe "$_WH_HOST" "$_WH_PORT"; then
      _wh_err "REDIS_URL is set to $masked but nothing accepts TCP connections at $_WH_HOST:$_WH_PORT. Fix/start that server or unset REDIS_URL to use a project-local Redis."
      return 1
    fi
  fi
  export REDIS_URL
  _wh_log "redis ready at $masked (from REDIS_URL)"
}

_wh_redis_local() {
  local port=${WH_REDIS_PORT:-6390} dir pidf logf pid pport out rc=0 i deadline
  _wh_check_port WH_REDIS_PORT "$port" || return 1
  dir=$(_wh_redis_dir); pidf=$dir/redis.pid; logf=$dir/redis.log

  if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
    _wh_apt_install redis-server || return 1
    hash -r
    if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
      _wh_err "redis-server/redis-cli still not found after installing redis-server"
      return 1
    fi
  fi
  mkdir -p "$dir" || { _wh_err "cannot create $dir"; return 1; }

  local url="redis://127.0.0.1:$port"

  # 1. already answering on our port?
  if _wh_redis_ping "$port"; then
    if _wh_redis_is_ours "$port"; then
      export REDIS_URL=$url
      _wh_log "redis ready at $url (already running)"
      return 0
    fi
    _wh_err "port $port on 127.0.0.1 is served by another Redis (dir: ${_WH_REDIS_OTHER_DIR:-unknown}), not this project's. Stop it or set WH_REDIS_PORT to a free port."
    return 1
  fi

  # 2. pid file: alive-but-silent server, or stale file
  if [[ -f $pidf ]]; then
    pid=$(tr -dc '0-9' <"$pidf" 2>/dev/null) || pid=
    if [[ -n $pid ]] && _wh_pid_is "$pid" redis; then
      pport=$(_wh_redis_pid_port "$pid") || pport=
      if [[ -n $pport && $pport != "$port" ]]; then
        _wh_err "this project's Redis (pid $pid) is running on port $pport, but the requested port is $port (WH_REDIS_PORT). Run 'scripts/services.sh stop' first, then retry."
        return 1
      fi
      # maybe still loading the AOF: wait (bounded)
      deadline=$((SECONDS + _WH_SVC_REDIS_TIMEOUT))
      while ((SECONDS < deadline)); do
        if _wh_redis_ping "$port"; then
          export REDIS_URL=$url
          _wh_log "redis ready at $url (already running)"
          return 0
        fi
        _wh_alive "$pid" || break
        sleep 0.2
      done
      if _wh_alive "$pid"; then
        _wh_tail "$logf" 20
        _wh_err "this project's Redis (pid $pid, $pidf) is running but does not answer PING on 127.0.0.1:$port after ${_WH_SVC_REDIS_TIMEOUT}s. Run 'scripts/services.sh stop' (or kill $pid) and retry; delete $dir only if its data is disposable."
        return 1
      fi
      _wh_log "redis pid $pid exited while waiting; starting a new one"
    else
      _wh_log "removing stale redis pid file $pidf (pid ${pid:-?} is not running)"
    fi
    rm -f "$pidf"
  fi

  # 3. something else on the port?
  if _wh_tcp_probe 127.0.0.1 "$port"; then
    _wh_err "port $port on 127.0.0.1 is in use by a program that does not answer Redis PING. Free it or set WH_REDIS_PORT to another port."
    return 1
  fi

  # 4. start
  out=$(_wh_close_lock_fd; cd "$dir" && redis-server \
      --port "$port" \
      --bind 127.0.0.1 \
      --dir "$dir" \
      --appendonly yes \
      --appendfsync everysec \
      --maxmemory-policy noeviction \
      --save "" \
      --pidfile "$pidf" \
      --logfile "$logf" \
      --daemonize yes 2>&1) || rc=$?
  if (( rc != 0 )); then
    [[ -n $out ]] && printf '%s\n' "$out" | sed 's/^/[services]   | /' >&2
    _wh_tail "$logf" 20
    _wh_err "redis-server failed to start (exit $rc)"
    return 1
  fi
  deadline=$((SECONDS + _WH_SVC_REDIS_TIMEOUT)); i=0
  while ((SECONDS < deadline)); do
    i=$((i + 1))
    if _wh_redis_ping "$port"; then
      export REDIS_URL=$url
      _wh_log "redis ready at $url"
      return 0
    fi
    # pid file written but process gone => startup failed, stop waiting
    if (( i > 10 )) && [[ -f $pidf ]]; then
      pid=$(tr -dc '0-9' <"$pidf" 2>/dev/null) || pid=
      if [[ -n $pid ]] && ! _wh_alive "$pid"; then
        break
      fi
    fi
    sleep 0.1
  done
  _wh_tail "$logf" 20
  _wh_err "redis did not answer PING on 127.0.0.1:$port within ${_WH_SVC_REDIS_TIMEOUT}s (see $logf). Run 'scripts/services.sh stop' and retry."
  return 1
}

_wh_redis_stop() {
  local port=${WH_REDIS_PORT:-6390} dir pidf pid='' deadline stopped=0
  dir=$(_wh_redis_dir); pidf=$dir/redis.pid
  if [[ -f $pidf ]]; then
    pid=$(tr -dc '0-9' <"$pidf" 2>/dev/null) || pid=
    if [[ -n $pid ]] && _wh_pid_is "$pid" redis; then
      # use the port the process really listens on, when known
      local pport
      pport=$(_wh_redis_pid_port "$pid") || pport=
      [[ -n $pport ]] && port=$pport
    else
      pid=
    fi
  fi
  if command -v redis-cli >/dev/null 2>&1 && _wh_redis_ping "$port"; then
    if _wh_redis_is_ours "$port"; then
      # AOF (appendfsync everysec) is flushed on shutdown; --save "" => no RDB
      timeout 10 redis-cli -h 127.0.0.1 -p "$port" shutdown >/dev/null 2>&1 || true
      deadline=$((SECONDS + 10))
      while ((SECONDS < deadline)); do
        if [[ -n $pid ]]; then _wh_alive "$pid" || break
        else _wh_tcp_probe 127.0.0.1 "$port" || break
        fi
        sleep 0.1
      done
      stopped=1
    elif [[ -z $pid ]]; then
      _wh_log "redis on port $port is not this project's (dir: ${_WH_REDIS_OTHER_DIR:-unknown}); not stopping it"
      return 0
    fi
  fi
  if [[ -n $pid ]] && _wh_alive "$pid"; then
    _wh_log "redis pid $pid did not shut down via redis-cli; sending SIGTERM"
    kill -TERM "$pid" 2>/dev/null || true
    kill -CONT "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while ((SECONDS < deadline)); do
      _wh_alive "$pid" || break
      sleep 0.1
    done
    if _wh_alive "$pid"; then
      _wh_log "redis pid $pid ignored SIGTERM for 10 s; sending SIGKILL (AOF keeps data up to the last second)"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
    fi
    stopped=1
  fi
  if (( stopped )); then
    rm -f "$pidf"
    _wh_log "redis stopped (port $port)"
  else
    [[ -f $pidf ]] && rm -f "$pidf"
    _wh_log "redis not running (port $port)"
  fi
  return 0
}

# --------------------------------------------------------------- postgres ----

# highest installed version under /usr/lib/postgresql/*/bin (or a given version)
_wh_pg_find_bin() {
  local want=${1:-} d v best=
  if [[ -n $want ]]; then
    d=/usr/lib/postgresql/$want/bin
    [[ -x $d/initdb && -x $d/pg_ctl ]] && printf '%s' "$d"
    return 0
  fi
  for d in /usr/lib/postgresql/*/bin; do
    [[ -x $d/initdb && -x $d/pg_ctl ]] || continue
    v=${d#/usr/lib/postgresql/}; v=${v%/bin}
    best+="$v"$'\n'
  done
  [[ -n $best ]] || return 0
  v=$(printf '%s' "$best" | sort -V | tail -n 1)
  printf '%s' "/usr/lib/postgresql/$v/bin"
}

# run a command as the postgres OS user (when root), from / so that an
# inaccessible cwd (e.g. /root/...) does not bother initdb/pg_ctl
_wh_as_pg() {
  if _wh_is_root; then
    (_wh_close_lock_fd; cd / && runuser -u postgres -- "$@")
  else
    (_wh_close_lock_fd; cd / && "$@")
  fi
}

# compute the postgres data area -> _WH_PG_BASE _WH_PG_DATA _WH_PG_SOCK _WH_PG_LOG _WH_PG_FALLBACK
_wh_pg_layout() {
  local port=$1 hash base
  hash=$(printf '%s' "$_WH_SVC_ROOT" | sha256sum | cut -c1-10)
  base=$_WH_SVC_DATA/postgres
  _WH_PG_FALLBACK=0
  if _wh_is_root; then
    local reach=1
    _wh_as_pg test -x "$_WH_SVC_ROOT" 2>/dev/null || reach=0
    if (( reach )) && [[ -d $_WH_SVC_DATA ]]; then
      _wh_as_pg test -x "$_WH_SVC_DATA" 2>/dev/null || reach=0
    fi
    if (( ! reach )); then
      base=/var/lib/postgresql/wh-$hash
      _WH_PG_FALLBACK=1
    fi
  fi
  _WH_PG_BASE=$base
  _WH_PG_DATA=$base/data
  _WH_PG_LOG=$base/postgres.log
  _WH_PG_SOCK=$base/run
  # unix socket paths are limited to ~107 bytes
  if (( ${#_WH_PG_SOCK} + 20 > 100 )); then
    _WH_PG_SOCK=/tmp/wh-pg-$hash
  fi
}

_wh_pg_external() {
  local url=$DATABASE_URL masked out rc=0 tool=
  masked=$(_wh_mask_url "$url")
  if command -v pg_isready >/dev/null 2>&1; then tool=pg_isready
  elif [[ -n ${WH_PG_BIN:-} && -x $WH_PG_BIN/pg_isready ]]; then tool=$WH_PG_BIN/pg_isready
  fi
  if [[ -n $tool ]]; then
    out=$(timeout 15 "$tool" -d "$url" -t 10 2>&1) || rc=$?
    if (( rc != 0 )); then
      case $rc in
        1) out="server is rejecting connections (starting up or shutting down)" ;;
        2) out="no response" ;;
        3) out="invalid connection parameters: $out" ;;
        124) out="timed out" ;;
      esac
      _wh_err "DATABASE_URL is set to $masked but that Postgres is not reachable: $out. Fix/start that server or unset DATABASE_URL to use a project-local Postgres."
      return 1
    fi
  elif command -v psql >/dev/null 2>&1; then
    out=$(PGCONNECT_TIMEOUT=10 timeout 15 psql -X "$url" -tAqc 'select 1' 2>&1) || rc=$?
    if (( rc != 0 )); then
      _wh_err "DATABASE_URL is set to $masked but that Postgres is not reachable: ${out:-exit $rc}. Fix/start that server or unset DATABASE_URL to use a project-local Postgres."
      return 1
    fi
  else
    if ! _wh_url_hostport "$url" 5432; then
      _wh_err "DATABASE_URL=$masked: cannot parse host:port"
      return 1
    fi
    if ! _wh_tcp_probe "$_WH_HOST" "$_WH_PORT"; then
      _wh_err "DATABASE_URL is set to $masked but nothing accepts TCP connections at $_WH_HOST:$_WH_PORT. Fix/start that server or unset DATABASE_URL to use a project-local Postgres."
      return 1
    fi
  fi
  export DATABASE_URL
  local bin
  bin=$(_wh_pg_find_bin) || bin=
  [[ -n $bin ]] && export WH_PG_BIN=$bin
  _wh_log "postgres ready at $masked (from DATABASE_URL)"
}

# is something (not ours) listening on 127.0.0.1:PORT?
_wh_pg_port_busy() {
  local port=$1 rc=0
  if [[ -x ${2:-}/pg_isready ]]; then
    timeout 5 "$2/pg_isready" -q -h 127.0.0.1 -p "$port" -t 3 >/dev/null 2>&1 || rc=$?
    (( rc == 0 || rc == 1 )) && return 0
  fi
  _wh_tcp_probe 127.0.0.1 "$port"
}

# wait until the server accepts connections; 0 ok, 1 timeout (or PID, if given, died)
_wh_pg_wait_ready() {
  local bin=$1 port=$2 secs=$3 pid=${4:-} deadline rc
  deadline=$((SECONDS + secs))
  while ((SECONDS < deadline)); do
    rc=0
    timeout 5 "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 2 >/dev/null 2>&1 || rc=$?
    (( rc == 0 )) && return 0
    if [[ -n $pid ]] && ! _wh_alive "$pid"; then return 1; fi
    sleep 0.25
  done
  return 1
}

# _wh_pg_state BIN DATA -> 0 running (pid in _WH_PG_PID, port in _WH_PG_RUNPORT),
#   3 not running (_WH_PG_STALE=1 when a postmaster.pid is left over), 4 error
_wh_pg_state() {
  local bin=$1 data=$2 rc=0
  _WH_PG_PID='' _WH_PG_RUNPORT='' _WH_PG_STALE=0
  _wh_as_pg "$bin/pg_ctl" status -D "$data" >/dev/null 2>&1 || rc=$?
  if [[ -f $data/postmaster.pid ]]; then
    _WH_PG_PID=$(sed -n 1p "$data/postmaster.pid" 2>/dev/null | tr -dc '0-9') || _WH_PG_PID=''
    _WH_PG_RUNPORT=$(sed -n 4p "$data/postmaster.pid" 2>/dev/null | tr -dc '0-9') || _WH_PG_RUNPORT=''
  fi
  if (( rc == 0 )); then
    # pg_ctl uses kill(pid, 0), which also succeeds for an un-reaped (zombie) postmaster
    if [[ -n $_WH_PG_PID ]] && ! _wh_alive "$_WH_PG_PID"; then
      _WH_PG_STALE=1
      return 3
    fi
    return 0
  fi
  if (( rc == 3 )); then
    [[ -f $data/postmaster.pid ]] && _WH_PG_STALE=1
    return 3
  fi
  return 4
}

_wh_pg_local() {
  local port=${WH_PG_PORT:-5440} bin ver binver out rc=0 pid pport owner
  _wh_check_port WH_PG_PORT "$port" || return 1

  bin=$(_wh_pg_find_bin) || bin=
  if [[ -z $bin ]]; then
    _wh_apt_install postgresql || return 1
    bin=$(_wh_pg_find_bin) || bin=
    if [[ -z $bin ]]; then
      _wh_err "no PostgreSQL found under /usr/lib/postgresql/*/bin even after installing postgresql"
      return 1
    fi
  fi
  if _wh_is_root; then
    if ! id -u postgres >/dev/null 2>&1; then
      _wh_err "the 'postgres' OS user does not exist (Postgres refuses to run as root); reinstall the postgresql package"
      return 1
    fi
    command -v runuser >/dev/null 2>&1 || { _wh_err "runuser (util-linux) is required when running as root"; return 1; }
  fi

  _wh_pg_layout "$port"
  local base=$_WH_PG_BASE data=$_WH_PG_DATA logf=$_WH_PG_LOG sock=$_WH_PG_SOCK
  if [[ $sock == *"'"* ]]; then
    _wh_err "the socket folder path contains a single quote, unsupported: $sock"
    return 1
  fi
  if (( _WH_PG_FALLBACK )); then
    _wh_log "$_WH_SVC_ROOT is not traversable by the postgres user; using $base for postgres data"
  fi

  # data area: owned by the postgres user (or by us when not root), mode 700
  if [[ $base == "$_WH_SVC_DATA"/* ]]; then
    mkdir -p "$_WH_SVC_DATA" || { _wh_err "cannot create $_WH_SVC_DATA"; return 1; }
    chmod 755 "$_WH_SVC_DATA" 2>/dev/null || true
  fi
  mkdir -p "$base" "$sock" || { _wh_err "cannot create $base / $sock"; return 1; }
  chmod 700 "$base" "$sock" || true
  if _wh_is_root; then
    chown postgres:postgres "$base" "$sock" || { _wh_err "cannot chown $base to postgres"; return 1; }
    if [[ -e $data ]]; then
      owner=$(stat -c %U "$data" 2>/dev/null) || owner=
      if [[ $owner != postgres ]]; then
        _wh_log "fixing ownership of $data (was ${owner:-?}) -> postgres"
        chown -R postgres:postgres "$data" || { _wh_err "cannot chown $data"; return 1; }
      fi
    fi
    if ! _wh_as_pg test -w "$base"; then
      _wh_err "$base is not writable by the postgres user"
      return 1
    fi
  fi

  # version of an existing cluster must match the binaries
  binver=${bin#/usr/lib/postgresql/}; binver=${binver%/bin}
  if [[ -f $data/PG_VERSION ]]; then
    ver=$(tr -dc '0-9.' <"$data/PG_VERSION")
    if [[ $ver != "$binver" ]]; then
      local other
      other=$(_wh_pg_find_bin "$ver") || other=
      if [[ -z $other ]]; then
        _wh_err "cluster $data was created by PostgreSQL $ver, which is not installed (found $binver). Install postgresql-$ver, or run 'scripts/services.sh stop' and delete $data to start fresh."
        return 1
      fi
      bin=$other
    fi
  else
    # ---- initdb
    if [[ -d $data ]] && [[ -n $(ls -A "$data" 2>/dev/null) ]]; then
      _wh_err "$data exists but is not an initialised cluster (no PG_VERSION; an interrupted initdb?). Delete $data and retry."
      return 1
    fi
    local pwfile locale=C
    # prefer C.UTF-8 when the system has it (glibc >= 2.35 ships it)
    out=$(locale -a 2>/dev/null) || out=
    if [[ $'\n'"${out,,}"$'\n' == *$'\n'c.utf8$'\n'* || $'\n'"${out,,}"$'\n' == *$'\n'c.utf-8$'\n'* ]]; then
      locale=C.UTF-8
    fi
    pwfile=$base/.pwfile
    if ! { printf 'postgres\n' >"$pwfile" && chmod 600 "$pwfile"; }; then
      _wh_err "cannot write $pwfile"; return 1
    fi
    if _wh_is_root; then chown postgres:postgres "$pwfile"; fi
    rc=0
    out=$(_wh_as_pg "$bin/initdb" -D "$data" -U postgres --pwfile="$pwfile" \
            -E UTF8 --locale="$locale" \
            --auth-local=trust --auth-host=scram-sha-256 --no-sync 2>&1) || rc=$?
    rm -f "$pwfile"
    if (( rc != 0 )); then
      printf '%s\n' "$out" | tail -n 20 | sed 's/^/[services]   | /' >&2
      _wh_err "initdb failed (exit $rc) for $data"
      return 1
    fi
  fi

  local url="postgresql://postgres:postgres@127.0.0.1:$port/webhooks"

  # ---- running already?
  rc=0
  _wh_pg_state "$bin" "$data" || rc=$?
  pid=$_WH_PG_PID
  if (( rc == 0 )); then
    pport=$_WH_PG_RUNPORT
    if [[ -n $pport && $pport != "$port" ]]; then
      _wh_err "this project's Postgres (pid $pid) is running on port $pport, but the requested port is $port (WH_PG_PORT). Run 'scripts/services.sh stop' first, then retry."
      return 1
    fi
    if ! _wh_pg_wait_ready "$bin" "$port" "$_WH_SVC_PG_TIMEOUT" "$pid"; then
      _wh_tail "$logf" 20
      if [[ -n $pid ]] && ! _wh_alive "$pid"; then
        _wh_err "this project's Postgres (pid $pid) exited while waiting for it (log $logf). Retry 'scripts/services.sh start'."
      else
        _wh_err "this project's Postgres (pid $pid, data $data) is running but does not accept connections on 127.0.0.1:$port after ${_WH_SVC_PG_TIMEOUT}s. Run 'scripts/services.sh stop' and retry; delete $data only if its data is disposable."
      fi
      return 1
    fi
    _WH_PG_REUSED=1
  elif (( rc == 3 )); then
    if (( _WH_PG_STALE )); then
      _wh_log "removing stale postgres pid file $data/postmaster.pid (pid ${pid:-?} is not running)"
      rm -f "$data/postmaster.pid"
    fi
    # socket lock files left by a killed postmaster (only in our own socket folder)
    local lf lpid
    for lf in "$sock"/.s.PGSQL.*.lock; do
      [[ -f $lf ]] || continue
      lpid=$(sed -n 1p "$lf" 2>/dev/null | tr -dc '0-9') || lpid=''
      if [[ -z $lpid ]] || ! _wh_alive "$lpid"; then
        rm -f "$lf" "${lf%.lock}"
      fi
    done
    if _wh_pg_port_busy "$port" "$bin"; then
      _wh_err "port $port on 127.0.0.1 is already in use by another server. Stop it or set WH_PG_PORT to a free port."
      return 1
    fi
    rc=0
    out=$(_wh_as_pg "$bin/pg_ctl" start -D "$data" -w -t "$_WH_SVC_PG_TIMEOUT" -l "$logf" \
            -o "-p $port -c listen_addresses=127.0.0.1 -k '$sock' -c max_connections=200" 2>&1) || rc=$?
    if (( rc != 0 )); then
      printf '%s\n' "$out" | tail -n 5 | sed 's/^/[services]   | /' >&2
      _wh_tail "$logf" 20
      _wh_err "postgres failed to start (pg_ctl -t ${_WH_SVC_PG_TIMEOUT} exit $rc; data $data, log $logf). Fix the cause shown above, or run 'scripts/services.sh stop' and retry."
      return 1
    fi
    if ! _wh_pg_wait_ready "$bin" "$port" 10; then
      _wh_tail "$logf" 20
      _wh_err "postgres started but does not accept TCP connections on 127.0.0.1:$port (log $logf)"
      return 1
    fi
    _WH_PG_REUSED=0
  else
    _wh_err "pg_ctl status failed (exit $rc) for $data; is it readable by the postgres user?"
    return 1
  fi

  # ---- database
  local psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -p "$port" -U postgres -d postgres -tA)
  rc=0
  out=$(timeout 30 "${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'webhooks'" 2>&1) || rc=$?
  if (( rc != 0 )); then
    _wh_err "cannot query postgres via $sock:$port: $out"
    return 1
  fi
  if [[ $out != 1 ]]; then
    rc=0
    out=$(timeout 30 "${psql[@]}" -c "CREATE DATABASE webhooks" 2>&1) || rc=$?
    if (( rc != 0 )); then
      _wh_err "CREATE DATABASE webhooks failed: $out"
      return 1
    fi
  fi

  export DATABASE_URL=$url
  export WH_PG_BIN=$bin
  if (( _WH_PG_REUSED )); then
    _wh_log "postgres ready at $(_wh_mask_url "$url") (already running; data $data)"
  else
    _wh_log "postgres ready at $(_wh_mask_url "$url") (data $data)"
  fi
}

_wh_pg_stop() {
  local port=${WH_PG_PORT:-5440} bin ver rc=0 out
  bin=$(_wh_pg_find_bin) || bin=
  if [[ -z $bin ]] || { _wh_is_root && ! id -u postgres >/dev/null 2>&1; }; then
    _wh_log "postgres not running (not installed)"
    return 0
  fi
  _wh_pg_layout "$port"
  local data=$_WH_PG_DATA
  if [[ ! -f $data/PG_VERSION ]]; then
    _wh_log "postgres not running (no cluster in $data)"
    return 0
  fi
  ver=$(tr -dc '0-9.' <"$data/PG_VERSION")
  local b
  b=$(_wh_pg_find_bin "$ver") || b=
  [[ -n $b ]] && bin=$b
  _wh_pg_state "$bin" "$data" || rc=$?
  if (( rc != 0 )); then
    if (( _WH_PG_STALE )); then
      _wh_log "removing stale postgres pid file $data/postmaster.pid (pid ${_WH_PG_PID:-?} is not running)"
      rm -f "$data/postmaster.pid"
    fi
    _wh_log "postgres not running (data $data)"
    return 0
  fi
  local pid=$_WH_PG_PID deadline
  # a SIGSTOPped postmaster would never act on the shutdown signal
  [[ -n $pid ]] && kill -CONT "$pid" 2>/dev/null
  rc=0
  out=$(_wh_as_pg "$bin/pg_ctl" stop -D "$data" -m fast -w -t "$_WH_SVC_PG_TIMEOUT" 2>&1) || rc=$?
  if (( rc != 0 )); then
    _wh_log "fast shutdown did not finish in ${_WH_SVC_PG_TIMEOUT}s; trying immediate shutdown"
    rc=0
    out=$(_wh_as_pg "$bin/pg_ctl" stop -D "$data" -m immediate -w -t 10 2>&1) || rc=$?
    if (( rc != 0 )); then
      if [[ -n $pid ]] && _wh_alive "$pid"; then
        _wh_log "postgres pid $pid does not shut down; sending SIGKILL (crash recovery will run on next start)"
        kill -KILL "$pid" 2>/dev/null || true
        deadline=$((SECONDS + 10))
        while ((SECONDS < deadline)) && _wh_alive "$pid"; do sleep 0.2; done
      fi
      if [[ -n $pid ]] && _wh_alive "$pid"; then
        _wh_err "could not stop postgres pid $pid (data $data): ${out##*$'\n'}"
        return 1
      fi
    fi
  fi
  _wh_log "postgres stopped (data $data)"
}

# ------------------------------------------------------------- public API ----

_wh_ensure_inner() {
  if [[ -n ${REDIS_URL:-} ]]; then
    _wh_redis_external || return 1
  else
    _wh_redis_local || return 1
  fi
  if [[ -n ${DATABASE_URL:-} ]]; then
    _wh_pg_external || return 1
  else
    _wh_pg_local || return 1
  fi
}

# Make Redis and Postgres available; exports REDIS_URL, DATABASE_URL (and WH_PG_BIN).
ensure_services() {
  local rc=0 need_lock=0
  [[ -z ${REDIS_URL:-} || -z ${DATABASE_URL:-} ]] && need_lock=1
  if (( need_lock )); then _wh_lock || return 1; fi
  _wh_ensure_inner || rc=$?
  if (( need_lock )); then _wh_unlock; fi
  return "$rc"
}

# Stop the project-local servers (never touches servers given via *_URL).
services_stop() {
  local rc=0
  _wh_lock || return 1
  _wh_redis_stop || rc=1
  _wh_pg_stop || rc=1
  _wh_unlock
  return "$rc"
}

# Print the state of the project-local servers (and of *_URL when set).
# Returns 0 when both local servers answer, 3 otherwise.
services_status() {
  local rport=${WH_REDIS_PORT:-6390} pport=${WH_PG_PORT:-5440} ok=1 pid bin rc
  local pidf
  pidf=$(_wh_redis_dir)/redis.pid
  pid=
  [[ -f $pidf ]] && { pid=$(tr -dc '0-9' <"$pidf" 2>/dev/null) || pid=; }
  if command -v redis-cli >/dev/null 2>&1 && _wh_redis_ping "$rport" && _wh_redis_is_ours "$rport"; then
    echo "redis:    running   redis://127.0.0.1:$rport (pid ${pid:-?}, dir $(_wh_redis_dir))"
  elif [[ -n $pid ]] && _wh_pid_is "$pid" redis; then
    echo "redis:    UNRESPONSIVE (pid $pid alive, no PING answer on port $rport)"; ok=0
  else
    echo "redis:    stopped   (port $rport${pid:+, stale pid file $pidf})"; ok=0
  fi

  bin=$(_wh_pg_find_bin) || bin=
  if [[ -z $bin ]]; then
    echo "postgres: not installed"; ok=0
  else
    _wh_pg_layout "$pport"
    rc=0
    if [[ ! -f $_WH_PG_DATA/PG_VERSION ]]; then
      echo "postgres: stopped   (no cluster yet in $_WH_PG_DATA)"; ok=0
    elif { _wh_is_root && ! id -u postgres >/dev/null 2>&1; }; then
      echo "postgres: stopped   (no postgres user)"; ok=0
    else
      _wh_pg_state "$bin" "$_WH_PG_DATA" || rc=$?
      if (( rc == 0 )); then
        pid=$_WH_PG_PID
        if timeout 5 "$bin/pg_isready" -q -h 127.0.0.1 -p "$pport" -t 3 >/dev/null 2>&1; then
          echo "postgres: running   postgresql://postgres:***@127.0.0.1:$pport/webhooks (pid ${pid:-?}, data $_WH_PG_DATA)"
        else
          echo "postgres: UNRESPONSIVE (pid ${pid:-?} alive, not accepting connections on port $pport)"; ok=0
        fi
      else
        echo "postgres: stopped   (port $pport, data $_WH_PG_DATA${_WH_PG_PID:+, stale postmaster.pid})"; ok=0
      fi
    fi
  fi
  [[ -n ${REDIS_URL:-} ]] && echo "note: REDIS_URL is set ($(_wh_mask_url "$REDIS_URL")); ensure_services would use it instead of the local Redis"
  [[ -n ${DATABASE_URL:-} ]] && echo "note: DATABASE_URL is set ($(_wh_mask_url "$DATABASE_URL")); ensure_services would use it instead of the local Postgres"
  (( ok )) && return 0
  return 3
}
