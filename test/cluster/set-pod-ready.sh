#!/usr/bin/env bash
# Usage: set-pod-ready.sh NAMESPACE POD true|false
#
# Flip a (KWOK-simulated) pod's readiness the way a kubelet would report a failing / passing
# readiness probe: patches the pod's status subresource so that the Ready and ContainersReady
# conditions and every containerStatuses[].ready agree. The real EndpointSlice controller then
# marks the pod's endpoint ready=false/true (serving/terminating follow Ready).
# It stays that way: KWOK's default pod-ready Stage only touches pods in phase Pending.
#
# Uses $KUBECONFIG if set, else the kubeconfig of the cluster started by up.sh; kubectl is the
# one built by build.sh (override with KUBECTL=...).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=versions.env
source "$HERE/versions.env"

log() { echo "[cluster/set-pod-ready] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ $# -eq 3 ]] || die "usage: $(basename "$0") NAMESPACE POD true|false"
ns="$1" pod="$2"
case "$3" in
  true) status=True ready=true reason="" message="" ;;
  false) status=False ready=false reason=ContainersNotReady ;;
  *) die "third argument must be true or false, not '$3'" ;;
esac

KUBECTL="${KUBECTL:-$CACHE/bin/kubectl}"
[[ -x "$KUBECTL" ]] || KUBECTL=kubectl
export KUBECONFIG="${KUBECONFIG:-$CACHE/run/kubeconfig}"
kc() { "$KUBECTL" "$@"; }

containers="$(kc get pod -n "$ns" "$pod" -o jsonpath='{range .status.containerStatuses[*]}{.name}{"\n"}{end}')" ||
  die "pod $ns/$pod not found"
if [[ "$status" == False ]]; then
  names="$(tr '\n' ' ' <<<"$containers" | sed 's/ *$//')"
  message="containers with unready status: [${names}]"
fi

# 1. containerStatuses is an atomic list in strategic merge: set .ready by index (JSON patch).
ops=()
i=0
while IFS= read -r c; do
  [[ -n "$c" ]] || continue
  ops+=("{\"op\":\"replace\",\"path\":\"/status/containerStatuses/$i/ready\",\"value\":$ready}")
  i=$((i + 1))
done <<<"$containers"
if ((${#ops[@]})); then
  patch="[$(IFS=,; echo "${ops[*]}")]"
  kc patch pod -n "$ns" "$pod" --subresource=status --type=json -p "$patch" >/dev/null ||
    die "patching containerStatuses of $ns/$pod failed"
fi

# 2. conditions merge by "type" in strategic merge: only Ready and ContainersReady change.
now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
cond() {
  printf '{"type":"%s","status":"%s","lastTransitionTime":"%s","reason":%s,"message":%s}' \
    "$1" "$status" "$now" \
    "$([[ -n "$reason" ]] && printf '"%s"' "$reason" || echo null)" \
    "$([[ -n "$message" ]] && printf '"%s"' "$message" || echo null)"
}
patch="{\"status\":{\"conditions\":[$(cond Ready),$(cond ContainersReady)]}}"
kc patch pod -n "$ns" "$pod" --subresource=status --type=strategic -p "$patch" >/dev/null ||
  die "patching conditions of $ns/$pod failed"

got="$(kc get pod -n "$ns" "$pod" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')"
[[ "$got" == "$status" ]] || die "pod $ns/$pod Ready is '$got' after the patch, wanted $status"
log "pod $ns/$pod Ready=$status"
