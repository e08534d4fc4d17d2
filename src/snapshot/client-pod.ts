// Which of a workload's pods stands for it as the client (live and offline alike): a ready one,
// else a running one, else any that is not terminating, else the first.

import { isTerminating, notReadyReason } from '../kube/pods.js';
import type { Pod } from '../kube/types.js';

export function pickClientPod(pods: Pod[]): Pod | undefined {
  const live = pods.filter((pod) => !isTerminating(pod));
  return (
    live.find((pod) => pod.status?.phase === 'Running' && notReadyReason(pod) === undefined) ??
    live.find((pod) => pod.status?.phase === 'Running') ??
    live[0] ??
    pods[0]
  );
}
