// One probe: a stream to the pod's port through the port-forward tunnel, opened and closed again
// with no byte sent. Opening it makes the kubelet (or the runtime behind it) connect to the port
// inside the pod; our end is half-closed at once, so the runtime's copy ends and it closes the
// stream cleanly, with an empty error stream, once the connection was made. What counts:
// - data from the app, or a clean close with no error: accepted;
// - the error stream says "connection refused" (kubelet: `error forwarding port 8080 to pod ...:
//   ... connect: connection refused`): refused;
// - nothing within the timeout: timeout.
// The older v4.channel.k8s.io protocol cannot pass the half-close on, so a silent app never
// answers there: no refusal within the timeout counts as accepted, and says so.

import { portForwardProtocol } from '../forward/wire/channel.js';
import type { OpenRemoteStream, RemoteStream } from '../forward/remote-stream.js';
import { UpgradeError } from '../forward/wire/websocket.js';
import type { PortProbe, ProbeOutcome, ProbeTarget } from './model.js';

function outcomeOf(failure: string): ProbeOutcome {
  if (/connection refused/i.test(failure)) return 'refused';
  if (/i\/o timeout|timed out|deadline exceeded/i.test(failure)) return 'timeout';
  return 'failed';
}

export async function probePort(open: OpenRemoteStream, namespace: string, target: ProbeTarget, timeoutMs: number): Promise<PortProbe> {
  // The time reported is the whole probe's: the port-forward upgrade, the stream, the pod's answer.
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let stream: RemoteStream;
  try {
    stream = await open({ namespace, pod: target.pod, port: target.port });
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof UpgradeError && error.status === 403) return { ...target, outcome: 'forbidden', message };
    return { ...target, outcome: 'failed', message };
  }
  return new Promise<PortProbe>((resolve) => {
    let failure: string | undefined;
    let settled = false;
    const settle = (result: Omit<PortProbe, keyof ProbeTarget>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Gone already when the pod's side closed it; otherwise reset, which closes it on both sides.
      stream.destroy();
      resolve({ ...target, ...result });
    };
    const timer = setTimeout(() => {
      if (stream.protocol === portForwardProtocol) {
        settle({ outcome: 'accepted', milliseconds: elapsed(), message: `no refusal within ${timeoutMs}ms (${portForwardProtocol} cannot report the accept itself)` });
      } else settle({ outcome: 'timeout', message: `no answer within ${timeoutMs}ms` });
    }, timeoutMs);
    stream.on('error', () => {});
    stream.on('data', () => settle({ outcome: 'accepted', milliseconds: elapsed() }));
    stream.on('failure', (message: string) => (failure = message));
    stream.on('close', () => settle(failure === undefined ? { outcome: 'accepted', milliseconds: elapsed() } : { outcome: outcomeOf(failure), message: failure }));
    stream.start();
    // Nothing is sent: the half-close is the whole conversation.
    stream.end();
  });
}
