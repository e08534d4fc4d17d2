#!/usr/bin/env bash
# Stop and delete the local e2e cluster "svc-trace" (keeps the built binaries in the cache).
# Verifies that no process of the cluster is left running.
#
# Env: SVC_TRACE_CLUSTER_CACHE  cache root (default $HOME/.cache/svc-trace-cluster)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=versions.env
source "$HERE/versions.env"

CLUSTER_NAME=svc-trace
BIN="$CACHE/bin"
RUN="$CACHE/run"
KUBECONFIG_FILE="$RUN/kubeconfig"
export KWOK_WORKDIR="$RUN/kwok"
CDIR="$KWOK_WORKDIR/clusters/$CLUSTER_NAME"

log() { echo "[cluster/down] $*" >&2; }

mkdir -p "$RUN"
# up.sh calls this script while holding the lock (SVC_TRACE_CLUSTER_LOCK_HELD=1).
if [[ -z "${SVC_TRACE_CLUSTER_LOCK_HELD:-}" ]]; then
  exec 9>"$RUN/lock"
  if command -v flock >/dev/null 2>&1 && ! flock -n 9; then
    log "waiting for another up.sh/down.sh to finish (lock $RUN/lock)"
    flock -w 900 9 || { log "ERROR: another up.sh/down.sh still holds $RUN/lock"; exit 1; }
  fi
fi

# Server processes still running one of our cache's binaries (kwokctl records pids, but a process
# can outlive its pid file). Matches on the executable path, which is unique to this cache;
# kubectl/kwokctl clients are left alone.
SERVERS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)
leftover_pids() {
  local p exe s
  for p in /proc/[0-9]*; do
    exe="$(readlink "$p/exe" 2>/dev/null || true)"
    [[ -n "$exe" ]] || continue
    for s in "${SERVERS[@]}"; do
      if [[ "$exe" == "$BIN/$s" ]]; then echo "${p#/proc/}"; fi
    done
  done
  return 0
}

if [[ -x "$BIN/kwokctl" && -d "$CDIR" ]]; then
  log "deleting cluster $CLUSTER_NAME"
  "$BIN/kwokctl" --name "$CLUSTER_NAME" delete cluster --kubeconfig "$KUBECONFIG_FILE" >&2 2>&1 9>&- ||
    log "warning: kwokctl delete cluster failed; cleaning up by hand"
else
  log "no cluster $CLUSTER_NAME in $KWOK_WORKDIR"
fi

# Stop any server process of our binaries that is left (TERM, then KILL).
stop_pids() {
  local sig="$1"; shift
  local p
  for p in "$@"; do
    if [[ -n "$p" ]]; then kill "-$sig" "$p" 2>/dev/null || true; fi
  done
}
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  # shellcheck disable=SC2086
  left="$(leftover_pids | sort -u | tr '\n' ' ')"
  [[ -z "${left// /}" ]] && break
  if ((attempt == 1)); then log "stopping leftover processes: $left"; fi
  # shellcheck disable=SC2086
  if ((attempt < 6)); then stop_pids TERM $left; else stop_pids KILL $left; fi
  sleep 1
done

rm -rf "$CDIR" "$KUBECONFIG_FILE"

left="$(leftover_pids | tr '\n' ' ')"
# shellcheck disable=SC2086
if [[ -n "${left// /}" ]]; then
  log "ERROR: processes still running: $left"
  left="$(echo $left | tr ' ' ',')"
  ps -o pid,args -p "$left" >&2 || true
  exit 1
fi
log "cluster $CLUSTER_NAME deleted; no server process of $BIN is running"
