#!/usr/bin/env bash
# shellcheck disable=SC2317  # readiness checks are functions called through wait_for
# Start (or reuse) the local e2e control plane "svc-trace": real etcd, kube-apiserver,
# kube-controller-manager and kube-scheduler, with KWOK faking 3 nodes (zones a/b/c) and pods.
# Builds the binaries first when any is missing (see build.sh).
#
# On success prints exactly one line to stdout:
#   export KUBECONFIG=<cache>/run/kubeconfig
# Everything else goes to stderr. Usage: eval "$(bash test/cluster/up.sh)"
#
# Env:
#   SVC_TRACE_CLUSTER_CACHE     cache root (default $HOME/.cache/svc-trace-cluster)
#   SVC_TRACE_APISERVER_PORT    fix the kube-apiserver port (default: kwokctl picks a free one)
#   SVC_TRACE_CLUSTER_TIMEOUT   seconds to wait for each readiness step (default 120)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=versions.env
source "$HERE/versions.env"

CLUSTER_NAME=svc-trace
BIN="$CACHE/bin"
RUN="$CACHE/run"
STAGES="$CACHE/share/kwok-default-stages.yaml"
KUBECONFIG_FILE="$RUN/kubeconfig"
KWOKCTL_CONFIG="$RUN/kwokctl-config.yaml"
TIMEOUT="${SVC_TRACE_CLUSTER_TIMEOUT:-120}"
# kwokctl keeps all cluster state (pids, logs, pki, etcd data) under KWOK_WORKDIR: never ~/.kwok.
export KWOK_WORKDIR="$RUN/kwok"

log() { echo "[cluster/up] $*" >&2; }
die() {
  log "ERROR: $*"
  local d="$KWOK_WORKDIR/clusters/$CLUSTER_NAME/logs"
  [[ -d "$d" ]] && log "component logs: $d"
  exit 1
}
kc() { "$BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" "$@"; }

t_start=$SECONDS

# ------------------------------------------------------------------ binaries
for b in kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwokctl kwok; do
  if [[ ! -x "$BIN/$b" || ! -s "$STAGES" ]]; then
    log "binaries missing in $BIN: running build.sh (a cold build takes ~15-30 min)"
    bash "$HERE/build.sh" >&2
    break
  fi
done

mkdir -p "$RUN"
# Serialise concurrent up/down runs on this cache.
exec 9>"$RUN/lock"
# (fd 9 is closed for kwokctl: the cluster processes it starts must not inherit the lock.)
if command -v flock >/dev/null 2>&1 && ! flock -n 9; then
  log "waiting for another up.sh/down.sh to finish (lock $RUN/lock)"
  flock -w 900 9 || die "another up.sh/down.sh still holds $RUN/lock"
fi

# ------------------------------------------------------------------ health checks
# Fake nodes: name, zone, InternalIP (TEST-NET-2 documentation range: never dialled, since
# KWOK adds Hostname=localhost, which the apiserver prefers for exec/port-forward), podCIDR.
NODES=(
  "kwok-node-a zone-a 198.51.100.11 10.244.1.0/24"
  "kwok-node-b zone-b 198.51.100.12 10.244.2.0/24"
  "kwok-node-c zone-c 198.51.100.13 10.244.3.0/24"
)
REGION=region-1

apiserver_ready() {
  [[ -s "$KUBECONFIG_FILE" ]] && kc get --raw=/readyz --request-timeout=5s >/dev/null 2>&1
}

nodes_ready() {
  local want=${#NODES[@]} got
  got="$(kc get nodes -l type=kwok --request-timeout=5s \
    -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' 2>/dev/null |
    grep -c '^True$' || true)"
  [[ "$got" -ge "$want" ]]
}

healthy() {
  apiserver_ready && nodes_ready &&
    kc get serviceaccount default -n default --request-timeout=5s >/dev/null 2>&1
}

wait_for() { # wait_for DESCRIPTION COMMAND...
  local what="$1"; shift
  local deadline=$((SECONDS + TIMEOUT))
  until "$@"; do
    ((SECONDS < deadline)) || die "timed out after ${TIMEOUT}s waiting for $what"
    sleep 0.5
  done
  log "$what: ok ($((SECONDS - t_start))s)"
}

finish() {
  log "cluster $CLUSTER_NAME ready in $((SECONDS - t_start))s; apiserver $(kc config view --minify -o jsonpath='{.clusters[0].cluster.server}')"
  echo "export KUBECONFIG=$KUBECONFIG_FILE"
  exit 0
}

cluster_exists() { [[ -f "$KWOK_WORKDIR/clusters/$CLUSTER_NAME/kwok.yaml" ]]; }

# All of this cluster's components still running (pids recorded by kwokctl)?
components_alive() {
  local f p n=0
  for f in "$KWOK_WORKDIR/clusters/$CLUSTER_NAME"/pids/*.pid; do
    [[ -f "$f" ]] || return 1
    p="$(tr -dc '0-9' <"$f")"
    [[ -n "$p" && "$(readlink "/proc/$p/exe" 2>/dev/null)" == "$BIN/"* ]] || return 1
    n=$((n + 1))
  done
  ((n >= 5))
}

wait_healthy() { # wait_healthy SECONDS
  local deadline=$((SECONDS + $1))
  until healthy; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

# ------------------------------------------------------------------ fast path: reuse
if cluster_exists; then
  if healthy; then
    log "reusing running cluster $CLUSTER_NAME"
    finish
  fi
  if components_alive; then
    # Maybe just starting, or busy: give it time before throwing it away.
    log "cluster $CLUSTER_NAME is running but not healthy yet; waiting up to ${TIMEOUT}s"
    if wait_healthy "$TIMEOUT"; then
      log "reusing running cluster $CLUSTER_NAME"
      finish
    fi
  fi
  # Stopped (e.g. after a reboot) or broken: a fresh cluster takes ~10s, so recreate it rather
  # than restarting stale state.
  log "cluster $CLUSTER_NAME is not healthy: deleting and recreating it"
  SVC_TRACE_CLUSTER_LOCK_HELD=1 bash "$HERE/down.sh" 9>&- || die "could not delete the broken cluster"
fi

# ------------------------------------------------------------------ create
cat >"$KWOKCTL_CONFIG" <<EOF
# Generated by test/cluster/up.sh: every component is a local binary built by build.sh.
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
options:
  runtime: binary
  kubeVersion: ${K8S_VERSION}
  etcdVersion: ${ETCD_VERSION#v}
  kwokVersion: ${KWOK_VERSION}
  bindAddress: 127.0.0.1
  kubeApiserverPort: ${SVC_TRACE_APISERVER_PORT:-0}
  cacheDir: ${KWOK_WORKDIR}/cache
  kubeApiserverBinary: ${BIN}/kube-apiserver
  kubeControllerManagerBinary: ${BIN}/kube-controller-manager
  kubeSchedulerBinary: ${BIN}/kube-scheduler
  kubectlBinary: ${BIN}/kubectl
  etcdBinary: ${BIN}/etcd
  kwokControllerBinary: ${BIN}/kwok
  # KWOK rules are managed as API objects, so tests can add Stage/PortForward/Exec/Logs rules
  # with kubectl apply. With the Stage CRD on, KWOK has no built-in stages: up.sh applies the
  # default ones (copied from the same kwok release by build.sh).
  enableCRDs:
  - Stage
  - PortForward
  - ClusterPortForward
  - Exec
  - ClusterExec
  - Logs
  - ClusterLogs
  - Attach
  - ClusterAttach
EOF

create_args=(--name "$CLUSTER_NAME" create cluster --runtime binary --config "$KWOKCTL_CONFIG"
  --kubeconfig "$KUBECONFIG_FILE" --wait "${TIMEOUT}s")

# Refuse to go on if kwokctl would download anything (all binaries must be local).
plan="$("$BIN/kwokctl" --dry-run "${create_args[@]}" 2>&1 9>&-)" || die "kwokctl --dry-run failed: $plan"
# kwokctl "downloads" local binaries too (it links them into the cluster dir): every source must
# be one of ours, and nothing may be fetched with wget/curl.
bad="$(grep -Ei '(^|[ ;&|])(wget|curl) ' <<<"$plan" || true)"
bad+="$(grep -E '^# Download ' <<<"$plan" | grep -v "^# Download $BIN/" || true)"
if [[ -n "$bad" ]]; then
  echo "$bad" >&2
  die "kwokctl plan would download something; refusing"
fi
log "kwokctl dry run: $(grep -c '^# Download ' <<<"$plan") binaries, all local to $BIN; nothing is downloaded"

log "creating cluster $CLUSTER_NAME (kwokctl, binary runtime, workdir $KWOK_WORKDIR)"
rm -f "$KUBECONFIG_FILE"
"$BIN/kwokctl" "${create_args[@]}" >&2 2>&1 9>&- || die "kwokctl create cluster failed"
[[ -s "$KUBECONFIG_FILE" ]] || die "kwokctl wrote no kubeconfig at $KUBECONFIG_FILE"
chmod 600 "$KUBECONFIG_FILE"

wait_for "kube-apiserver /readyz" apiserver_ready

crds_established() {
  kc wait --for=condition=Established --timeout=5s \
    crd/stages.kwok.x-k8s.io crd/portforwards.kwok.x-k8s.io crd/execs.kwok.x-k8s.io >/dev/null 2>&1
}
wait_for "KWOK CRDs established" crds_established
kc apply -f "$STAGES" >&2 || die "applying KWOK default stages failed"

# ------------------------------------------------------------------ fake nodes
node_manifest() {
  local name zone ip cidr
  for n in "${NODES[@]}"; do
    read -r name zone ip cidr <<<"$n"
    cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: ${name}
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    type: kwok
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    kubernetes.io/hostname: ${name}
    topology.kubernetes.io/zone: ${zone}
    topology.kubernetes.io/region: ${REGION}
spec:
  podCIDR: ${cidr}
  podCIDRs:
  - ${cidr}
status:
  addresses:
  - type: InternalIP
    address: ${ip}
  allocatable:
    cpu: "32"
    memory: 256Gi
    pods: "110"
  capacity:
    cpu: "32"
    memory: 256Gi
    pods: "110"
EOF
  done
}
node_manifest | kc apply -f - >&2 || die "creating fake nodes failed"
wait_for "${#NODES[@]} fake nodes Ready" nodes_ready

# The InternalIP is part of status; make sure it is there whatever the create path kept.
for n in "${NODES[@]}"; do
  read -r name zone ip cidr <<<"$n"
  if ! kc get node "$name" -o jsonpath='{.status.addresses[?(@.type=="InternalIP")].address}' | grep -qx "$ip"; then
    kc patch node "$name" --subresource=status --type=strategic \
      -p "{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"$ip\"}]}}" >/dev/null ||
      die "setting InternalIP of $name failed"
  fi
done

default_sa() { kc get serviceaccount default -n default >/dev/null 2>&1; }
wait_for "default ServiceAccount" default_sa

# ------------------------------------------------------------------ smoke: EndpointSlice controller
SMOKE_NS=svc-trace-smoke
smoke_ns_sa() { kc get serviceaccount default -n "$SMOKE_NS" >/dev/null 2>&1; }
kc create namespace "$SMOKE_NS" >/dev/null 2>&1 || true
wait_for "ServiceAccount in $SMOKE_NS" smoke_ns_sa
cat <<EOF | kc apply -n "$SMOKE_NS" -f - >&2
apiVersion: apps/v1
kind: Deployment
metadata:
  name: smoke
spec:
  replicas: 1
  selector:
    matchLabels: {app: smoke}
  template:
    metadata:
      labels: {app: smoke}
    spec:
      containers:
      - name: web
        image: registry.invalid/smoke:1
        ports:
        - {name: http, containerPort: 8080}
---
apiVersion: v1
kind: Service
metadata:
  name: smoke
spec:
  selector: {app: smoke}
  ports:
  - {name: http, port: 80, targetPort: http}
EOF
smoke_ready() {
  kc get endpointslices -n "$SMOKE_NS" -l kubernetes.io/service-name=smoke \
    -o jsonpath='{range .items[*].endpoints[*]}{.conditions.ready}{"\n"}{end}' 2>/dev/null | grep -qx true
}
wait_for "EndpointSlice with a ready endpoint (smoke Service)" smoke_ready
# Namespace deletion takes ~10s; let the namespace controller finish it in the background.
kc delete namespace "$SMOKE_NS" --wait=false >/dev/null 2>&1 || log "warning: could not delete namespace $SMOKE_NS"

finish
