#!/usr/bin/env bash
# Install the Gateway API CRDs (standard channel: GatewayClass, Gateway, HTTPRoute, GRPCRoute,
# ReferenceGrant, BackendTLSPolicy) into the cluster of $KUBECONFIG, from the Go module
# sigs.k8s.io/gateway-api (its config/crd/standard/*.yaml): `go mod download` puts the module in
# Go's module cache (outside the checkout, keyed by version), from the Go module proxy. No controller
# runs: tests write the status a controller would (kubectl patch --subresource=status).
# Idempotent: CRDs already installed at this bundle version are left alone.
#
# Usage: KUBECONFIG=... bash test/cluster/gateway-api.sh    (progress on stderr)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=versions.env
source "$HERE/versions.env"
: "${KUBECONFIG:?set KUBECONFIG to the test cluster (eval \"\$(bash test/cluster/up.sh)\")}"
KUBECTL="$CACHE/bin/kubectl"
[[ -x "$KUBECTL" ]] || KUBECTL=kubectl
log() { echo "[cluster/gateway-api] $*" >&2; }

installed="$("$KUBECTL" get crd httproutes.gateway.networking.k8s.io \
  -o jsonpath='{.metadata.annotations.gateway\.networking\.k8s\.io/bundle-version}' 2>/dev/null || true)"
if [[ "$installed" == "$GATEWAY_API_VERSION" ]]; then
  log "Gateway API $GATEWAY_API_VERSION CRDs already installed"
  exit 0
fi

# `go mod download` outside any module, with the local toolchain only.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
dir="$(cd "$tmp" && GOTOOLCHAIN=local GOFLAGS=-mod=mod go mod download -json "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[[ -n "$dir" && -d "$dir/config/crd/standard" ]] || { log "ERROR: go mod download gave no module directory for sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION"; exit 1; }
log "applying $(ls "$dir"/config/crd/standard/*.yaml | wc -l) CRDs of Gateway API $GATEWAY_API_VERSION from the Go module cache"
# Server-side apply: the HTTPRoute CRD is too large for the last-applied-configuration annotation.
"$KUBECTL" apply --server-side --force-conflicts -f "$dir/config/crd/standard/" >&2
"$KUBECTL" wait --for=condition=Established --timeout=60s \
  crd/gateways.gateway.networking.k8s.io crd/httproutes.gateway.networking.k8s.io \
  crd/grpcroutes.gateway.networking.k8s.io crd/referencegrants.gateway.networking.k8s.io >&2
log "Gateway API $GATEWAY_API_VERSION CRDs established"
