# Starting and stopping the rig's daemons by PID. Sourced by hack/k8s/up and down; needs D (the state dir).
# shellcheck shell=bash

# A daemon's PID is in $D/pids/NAME; its output in $D/log/NAME.log.
k8s_start() {  # k8s_start NAME CMD... : runs CMD in its own session, in the background
  local name=$1; shift
  mkdir -p "$D/pids" "$D/log" "$D/cmd"
  printf '%q ' "$@" > "$D/cmd/$name"   # for hack/k8s/restart
  setsid "$@" >> "$D/log/$name.log" 2>&1 < /dev/null &
  echo $! > "$D/pids/$name"
}

# detached daemons are re-parented to PID 1; a dead one stays a zombie until PID 1 reaps it
k8s_alive() { [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

# the process runs with the state dir on its command line (never signal a recycled PID)
k8s_pid_is_ours() {
  [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$D/"
}

k8s_pid_of() { cat "$D/pids/$1" 2>/dev/null || true; }

k8s_running() {  # k8s_running NAME : its PID is alive
  local pid; pid=$(k8s_pid_of "$1")
  [ -n "$pid" ] && k8s_alive "$pid"
}

k8s_stop_pid() {  # k8s_stop_pid PID [GRACE_SECONDS] : TERM, then KILL after the grace period
  local pid=$1 grace=${2:-20} i
  [ -n "$pid" ] && k8s_alive "$pid" && k8s_pid_is_ours "$pid" || return 0
  kill -CONT "$pid" 2>/dev/null || true
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < grace * 10; i++)); do k8s_alive "$pid" || return 0; sleep 0.1; done
  k8s_log "pid $pid did not stop on TERM within ${grace} s: KILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do k8s_alive "$pid" || return 0; sleep 0.1; done
}

k8s_stop() {  # k8s_stop NAME [GRACE]
  k8s_stop_pid "$(k8s_pid_of "$1")" "${2:-20}"
}

# k8s_wait_for WHAT SECONDS CMD... : polls CMD (every 0.5 s) until it succeeds; dies with the log tails otherwise
k8s_wait_for() {
  local what=$1 secs=$2 t0=$SECONDS; shift 2
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS - t0 >= secs)); then
      k8s_log "timed out after ${secs} s waiting for $what"
      k8s_log_tails
      return 1
    fi
    sleep 0.5
  done
  k8s_log "$what after $((SECONDS - t0)) s"
}

k8s_log_tails() {
  local f
  for f in "$D"/log/*.log; do
    [ -f "$f" ] || continue
    echo "----- tail of $f -----" >&2
    tail -n 15 "$f" >&2
  done
}
