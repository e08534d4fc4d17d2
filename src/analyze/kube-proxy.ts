// kube-proxy, as the routing hop sees it: is there a kube-proxy DaemonSet, and is its pod ready on the
// nodes this traffic goes through (kube-proxy-not-ready)? No kube-proxy at all is a statement, never a
// finding: a replacement (Cilium, kube-router, a cloud dataplane) may program Services. Pure.

import { notReadyReason } from '../kube/pods.js';
import type { KubeProxy, Snapshot } from '../snapshot.js';
import { raise } from './catalogue.js';
import type { Finding } from './model.js';
import { refOf, serviceRef } from './refs.js';

function proxyOf(snapshot: Snapshot): KubeProxy | undefined {
  const lookup = snapshot.kubeProxy;
  return lookup && !('skipped' in lookup) ? lookup : undefined;
}

// The nodes whose kube-proxy handles this client's packets: the client's own node, else every node.
function relevantNodes(snapshot: Snapshot): string[] | undefined {
  const { client } = snapshot;
  if (client.kind === 'pod') return client.pod.spec.nodeName ? [client.pod.spec.nodeName] : undefined;
  if (client.kind === 'node') return [client.name];
  return undefined;
}

interface ProxyState {
  daemonSet: string; // namespace/name
  notReady: string[]; // nodes (or pods, when the pods are not known) where it is not ready
  summary: string;
}

function proxyState(snapshot: Snapshot, proxy: KubeProxy & { daemonSet: NonNullable<KubeProxy['daemonSet']> }): ProxyState {
  const daemonSet = `${proxy.daemonSet.metadata.namespace}/${proxy.daemonSet.metadata.name}`;
  const nodes = relevantNodes(snapshot);
  if (proxy.pods.length === 0) {
    // Its pods were not listed (other labels, or forbidden): the controller's counts still tell.
    const desired = proxy.daemonSet.status?.desiredNumberScheduled ?? 0;
    const ready = proxy.daemonSet.status?.numberReady ?? 0;
    const missing = Math.max(0, desired - ready);
    return { daemonSet, notReady: missing > 0 ? [`${missing} of ${desired} nodes`] : [], summary: `kube-proxy DaemonSet ${daemonSet}: ${ready}/${desired} pods ready` };
  }
  const readyOn = (node: string) => proxy.pods.some((pod) => pod.spec.nodeName === node && notReadyReason(pod) === undefined);
  if (nodes) {
    const notReady = nodes.filter((node) => !readyOn(node));
    return { daemonSet, notReady, summary: `kube-proxy DaemonSet ${daemonSet}: ${notReady.length === 0 ? 'ready' : 'not ready'} on ${nodes.join(', ')}` };
  }
  const notReady = [...new Set(proxy.pods.filter((pod) => notReadyReason(pod) !== undefined).map((pod) => pod.spec.nodeName ?? pod.metadata.name))].sort();
  const ready = proxy.pods.length - proxy.pods.filter((pod) => notReadyReason(pod) !== undefined).length;
  return { daemonSet, notReady, summary: `kube-proxy DaemonSet ${daemonSet}: ${ready}/${proxy.pods.length} pods ready` };
}

// One line for the routing hop's rules; undefined when nobody looked.
export function kubeProxyRule(snapshot: Snapshot): string | undefined {
  const proxy = proxyOf(snapshot);
  if (!proxy) return undefined;
  if (!proxy.daemonSet) return 'no kube-proxy DaemonSet in kube-system: a replacement (Cilium, kube-router, ...) may route Services; not checked';
  return proxyState(snapshot, { ...proxy, daemonSet: proxy.daemonSet }).summary;
}

export function kubeProxyNotes(snapshot: Snapshot): string[] {
  const lookup = snapshot.kubeProxy;
  return lookup && 'skipped' in lookup ? [lookup.skipped] : [];
}

export function analyzeKubeProxy(snapshot: Snapshot): Finding[] {
  const proxy = proxyOf(snapshot);
  const spec = snapshot.service.spec;
  if (!proxy?.daemonSet || spec.type === 'ExternalName' || spec.clusterIP === 'None') return [];
  if (snapshot.client.kind === 'external' && spec.type === 'ClusterIP') return [];
  const state = proxyState(snapshot, { ...proxy, daemonSet: proxy.daemonSet });
  return state.notReady.length > 0 ? [raise('kube-proxy-not-ready', { nodes: state.notReady, daemonSet: state.daemonSet }, [serviceRef(snapshot.service), refOf('DaemonSet', proxy.daemonSet)])] : [];
}
