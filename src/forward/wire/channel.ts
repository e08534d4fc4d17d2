// Protocol: the channel-byte messages of `v4.channel.k8s.io`; docs/port-forward.md, "v4.channel.k8s.io".
//
// Pure: the frames of the `v4.channel.k8s.io` websocket protocol of pods/portforward, for one port.
// Every binary message starts with its channel byte: 0 carries the port's data, 1 its errors
// (text from the kubelet, e.g. "error forwarding port 8080 to pod web-1, uid ...: connection refused").
// The server opens each channel with the port number (2 bytes, little endian); the client sends
// data on channel 0 without it. (k8s.io/kubelet .../portforward/websocket.go)

export const portForwardProtocol = 'v4.channel.k8s.io';

const dataChannel = 0;
const errorChannel = 1;
const portPrefixLength = 2;

export type Frame = { channel: 'data'; payload: Buffer } | { channel: 'error'; payload: Buffer } | { channel: 'unknown'; number: number };

export function encodeData(chunk: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(chunk.length + 1);
  frame[0] = dataChannel;
  chunk.copy(frame, 1);
  return frame;
}

// Reads the messages of one stream, which may arrive in pieces: the channel byte opens each
// message; it remembers how much of each channel's port prefix is still to come.
export class ChannelReader {
  private channel = -1;
  private readonly prefixLeft = [portPrefixLength, portPrefixLength];

  read(piece: Buffer, messageStart: boolean): Frame | undefined {
    let payload = piece;
    if (messageStart) {
      if (payload.length === 0) return undefined;
      this.channel = payload[0]!;
      payload = payload.subarray(1);
    }
    const number = this.channel;
    if (number === -1) return undefined;
    if (number !== dataChannel && number !== errorChannel) return { channel: 'unknown', number };
    const left = this.prefixLeft[number]!;
    if (left > 0) {
      const skipped = Math.min(left, payload.length);
      this.prefixLeft[number] = left - skipped;
      payload = payload.subarray(skipped);
    }
    if (payload.length === 0) return undefined;
    return number === dataChannel ? { channel: 'data', payload } : { channel: 'error', payload };
  }
}
