#!/usr/bin/env bash
# Usage: apiserver.sh stop|start
#
# Stops the running kube-apiserver of the cluster that up.sh started, and starts it again — an API
# server restart (or upgrade) under a running command, with etcd, the controllers and KWOK left up.
# `stop` sends SIGTERM (kube-apiserver stops listening at once, then waits a minute for its open
# watches and tunnels; this does not wait that long: SIGKILL after 5 s drops them) and keeps its
# command line; `start` runs that command line again as kwokctl did (same directory, flags, log
# file), records the new pid where kwokctl keeps it (down.sh and kwokctl find it there), and waits
# until /readyz answers ok. kube-controller-manager and kube-scheduler exit when they cannot renew
# their leader lease (about 10 s without an API server), as in a real cluster, where the kubelet or
# systemd starts them again: `start` does that too, from the command lines `stop` kept.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=versions.env
source "$HERE/versions.env"

CDIR="$CACHE/run/kwok/clusters/svc-trace"
COMPONENTS=(kube-apiserver kube-controller-manager kube-scheduler)
KUBECTL="${KUBECTL:-$CACHE/bin/kubectl}"
export KUBECONFIG="${KUBECONFIG:-$CACHE/run/kubeconfig}"
TIMEOUT="${SVC_TRACE_CLUSTER_TIMEOUT:-120}"

log() { echo "[cluster/apiserver] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# The pid of a running component (from kwokctl's pid file), or nothing.
running_pid() {
  local pid
  pid="$(cat "$CDIR/pids/$1.pid" 2>/dev/null || true)"
  [[ -n "$pid" && -d "/proc/$pid" && "$(readlink "/proc/$pid/exe" 2>/dev/null)" == */"$1" ]] && echo "$pid"
  return 0
}

# Runs a component again with the command line `stop` kept, as kwokctl ran it.
relaunch() {
  local argv
  mapfile -d '' argv <"$CDIR/$1.cmdline"
  # In a subshell of its own, so that `$!` is the component's pid and nothing holds this script's output.
  (
    cd "$CDIR"
    setsid "${argv[@]}" >>"$CDIR/logs/$1.log" 2>&1 </dev/null &
    echo $! >"$CDIR/pids/$1.pid"
  )
}

case "${1:-}" in
  stop)
    pid="$(running_pid kube-apiserver)"
    [[ -n "$pid" ]] || die "no kube-apiserver running (pid file $CDIR/pids/kube-apiserver.pid)"
    for component in "${COMPONENTS[@]}"; do
      other="$(running_pid "$component")"
      [[ -z "$other" ]] || cp "/proc/$other/cmdline" "$CDIR/$component.cmdline"
    done
    kill -TERM "$pid"
    for ((i = 0; i < 100; i++)); do
      [[ -d "/proc/$pid" ]] || break
      ((i == 50)) && kill -KILL "$pid"
      sleep 0.1
    done
    [[ ! -d "/proc/$pid" ]] || die "kube-apiserver (pid $pid) did not stop"
    log "kube-apiserver (pid $pid) stopped"
    ;;
  start)
    [[ -z "$(running_pid kube-apiserver)" ]] || die "kube-apiserver is already running"
    [[ -s "$CDIR/kube-apiserver.cmdline" ]] || die "no saved command line: run '$(basename "$0") stop' first"
    relaunch kube-apiserver
    for ((i = 0; i < TIMEOUT * 2; i++)); do
      [[ "$("$KUBECTL" get --raw /readyz 2>/dev/null)" == ok ]] && break
      ((i == TIMEOUT * 2 - 1)) && die "kube-apiserver did not become ready within ${TIMEOUT}s (see $CDIR/logs/kube-apiserver.log)"
      sleep 0.5
    done
    log "kube-apiserver (pid $(cat "$CDIR/pids/kube-apiserver.pid")) ready"
    # Now, and once more a little later: one may be giving up just as the API server comes back.
    for pass in 1 2; do
      ((pass == 2)) && sleep 3
      for component in kube-controller-manager kube-scheduler; do
        if [[ -z "$(running_pid "$component")" && -s "$CDIR/$component.cmdline" ]]; then
          relaunch "$component"
          log "$component had exited (leader lease lost); started again (pid $(cat "$CDIR/pids/$component.pid"))"
        fi
      done
    done
    ;;
  *) die "usage: $(basename "$0") stop|start" ;;
esac
