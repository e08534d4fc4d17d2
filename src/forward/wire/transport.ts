// Protocol: the choice between Kubernetes' two port-forward protocols; docs/port-forward.md
// (README: "Forward to a Service").
//
// Which port-forward protocol carries the streams. The SPDY-over-websocket tunnel first (what
// kubectl port-forward uses since 1.31: one websocket per pod, half-close both ways); when the API
// server refuses it (400: older than 1.31, or the PortForwardWebsockets feature is off) and the
// older v4.channel.k8s.io websocket works, that one for the rest of the run.

import https from 'node:https';
import type { Gateway } from '../../cluster/gateway.js';
import { paths } from '../../cluster/lookups.js';
import { portForwardProtocol } from './channel.js';
import type { OpenRemoteStream, PodTarget, RemoteStream } from '../remote-stream.js';
import { TunnelPool, tunnelProtocol } from './tunnel.js';
import { V4Stream } from './v4-stream.js';
import { UpgradeError, openWebSocket } from './websocket.js';

export interface TransportOptions {
  // Bound on each upgrade (--request-timeout; 0 means 30s, as for a TCP connect).
  timeoutMs: number;
  debug?: (line: string) => void;
}

export interface Transport {
  open: OpenRemoteStream;
  // Closes the idle tunnels (the open streams are closed by their connections).
  close: () => void;
}

export function portForwardTransport(gateway: Gateway, options: TransportOptions): Transport {
  const debug = options.debug ?? (() => {});
  const timeoutMs = options.timeoutMs > 0 ? options.timeoutMs : 30_000;
  // Reused TLS sessions spare a full handshake on each new websocket.
  let agent: https.Agent | undefined;
  const upgrade = async (namespace: string, pod: string, query: Record<string, string>) => {
    const request = await gateway.upgradeRequest(`${paths.named(paths.pods(namespace), pod)}/portforward`, query);
    if (request.url.protocol === 'https:' && request.options.agent === undefined) {
      agent ??= new https.Agent({ keepAlive: false, maxCachedSessions: 16 });
      request.options.agent = agent;
    }
    return request;
  };
  const timed = async <T>(target: string, protocol: string, attempt: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const elapsed = () => `${Math.round(performance.now() - started)}ms`;
    try {
      const result = await attempt();
      debug(`GET ${target} 101 ${elapsed()} (port-forward, ${protocol})`);
      return result;
    } catch (error) {
      debug(`GET ${target} failed: ${(error as Error).message} ${elapsed()} (port-forward, ${protocol})`);
      throw error;
    }
  };

  const tunnels = new TunnelPool(async ({ namespace, pod }) => {
    const request = await upgrade(namespace, pod, {});
    return timed(request.target, tunnelProtocol, () =>
      openWebSocket({ url: request.url, protocol: tunnelProtocol, requestOptions: request.options, timeoutMs }),
    );
  });
  const openV4 = async ({ namespace, pod, port }: PodTarget): Promise<RemoteStream> => {
    const request = await upgrade(namespace, pod, { ports: String(port) });
    const websocket = await timed(request.target, portForwardProtocol, () =>
      openWebSocket({ url: request.url, protocol: portForwardProtocol, requestOptions: request.options, timeoutMs }),
    );
    return new V4Stream(websocket);
  };

  let tunnelRefused = false;
  return {
    open: async (target) => {
      if (tunnelRefused) return openV4(target);
      try {
        return await tunnels.openStream(target);
      } catch (error) {
        if (!(error instanceof UpgradeError) || error.status !== 400) throw error;
        // 400 is also what a pod without a node gets: only a v4 stream that works settles it.
        const stream = await openV4(target).catch(() => {
          throw error;
        });
        tunnelRefused = true;
        debug(`the API server refused the SPDY tunnel (${error.message}); using ${stream.protocol} from now on`);
        return stream;
      }
    },
    close: () => tunnels.close(),
  };
}
