// Protocol: `v4.channel.k8s.io`, Kubernetes' older port-forward websocket; docs/port-forward.md,
// "v4.channel.k8s.io" (README: "Forward to a Service").
//
// The older port-forward protocol, for API servers without the SPDY tunnel (before 1.31, or with
// the PortForwardWebsockets feature off): one websocket per connection with the
// `v4.channel.k8s.io` subprotocol on GET .../pods/POD/portforward?ports=N, data on channel 0,
// errors on channel 1. It has no half-close towards the pod: after the local client finishes
// sending, the stream stays open a while for the answer, then closes.

import { ChannelReader, encodeData, portForwardProtocol } from './channel.js';
import { HeldEvents, type RemoteStream } from '../remote-stream.js';
import type { WebSocketStream } from './websocket.js';

// After the local client's end, how long the pod's app may still answer.
const lingerMs = 10_000;

export class V4Stream extends HeldEvents implements RemoteStream {
  readonly protocol = portForwardProtocol;
  private readonly reader = new ChannelReader();
  private errorText = '';
  private lingering: NodeJS.Timeout | undefined;

  constructor(private readonly websocket: WebSocketStream) {
    super();
    websocket.on('data', (piece: Buffer, messageStart: boolean) => {
      const frame = this.reader.read(piece, messageStart);
      if (frame?.channel === 'data') this.deliver('data', frame.payload);
      else if (frame?.channel === 'error') this.errorText += frame.payload.toString('utf8');
    });
    websocket.on('drain', () => this.emit('drain'));
    websocket.on('close', (error?: Error) => {
      clearTimeout(this.lingering);
      const failure = this.errorText.trim() || error?.message;
      if (failure) this.deliver('failure', failure);
      // A websocket that broke (no close frame) did not carry the app's whole answer: no end.
      if (!error) this.deliver('end');
      this.deliver('close');
    });
    websocket.start();
  }

  write(data: Buffer): boolean {
    return this.websocket.write(encodeData(data));
  }

  end(): void {
    this.lingering ??= setTimeout(() => this.websocket.close(), lingerMs);
  }

  pause(): void {
    this.websocket.pause();
  }

  resume(): void {
    this.websocket.resume();
  }

  destroy(): void {
    clearTimeout(this.lingering);
    this.websocket.destroy();
  }
}
