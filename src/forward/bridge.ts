// Copies bytes between one local TCP connection and its stream to the pod, both ways, with
// back-pressure (a fast sender is paused while the other side's buffer is full) and half-close:
// the local client finishing its sending is passed on, and so is the pod's app finishing its own.

import type { Socket } from 'node:net';
import type { RemoteStream } from './remote-stream.js';

export interface BridgeCounters {
  // Bytes from the local client to the pod, and from the pod back.
  sent: number;
  received: number;
}

export interface BridgeEnd {
  // Who ended the connection: the pod's side, the local client, or svc-trace (failover, shutdown).
  by: 'pod' | 'client' | 'forward';
  // What the kubelet reported, or what broke.
  error?: string;
}

export interface Bridge {
  counters: BridgeCounters;
  // Resolves once both sides are closed.
  done: Promise<BridgeEnd>;
  // Closes both sides now (the pod went away, or svc-trace is stopping).
  close: (reason: string) => void;
}

// How long a local client may keep its side open after the pod's side is over.
const lingerMs = 10_000;

export function bridge(socket: Socket, remote: RemoteStream): Bridge {
  const counters: BridgeCounters = { sent: 0, received: 0 };
  let end: BridgeEnd | undefined;
  let failure: string | undefined;
  let socketClosed = socket.destroyed;
  let remoteClosed = false;
  let remoteEnded = false;
  let socketEnded = false;
  let draining = false;
  let corked = false;
  let resolveDone: (end: BridgeEnd) => void = () => {};
  const done = new Promise<BridgeEnd>((resolve) => (resolveDone = resolve));

  const endedBy = (value: BridgeEnd) => {
    end ??= value;
  };
  const finish = () => {
    if (!socketClosed || !remoteClosed) return;
    const result: BridgeEnd = { ...(end ?? { by: 'pod' }) };
    if (failure !== undefined && result.by !== 'forward') result.error = failure;
    resolveDone(result);
  };
  const lingerThenDestroy = () => setTimeout(() => socket.destroy(), lingerMs).unref();

  // Local → pod.
  socket.on('data', (chunk: Buffer) => {
    counters.sent += chunk.length;
    if (!remote.write(chunk)) {
      socket.pause();
      remote.once('drain', () => socket.resume());
    }
  });
  socket.on('end', () => {
    // The client finished sending; it may still read the answer.
    socketEnded = true;
    remote.end();
    if (remoteEnded) lingerThenDestroy();
  });
  socket.on('error', (error: NodeJS.ErrnoException) => {
    // A reset from the local client ends this connection only.
    endedBy({ by: 'client', ...(error.code === 'ECONNRESET' || error.code === 'EPIPE' ? {} : { error: error.message }) });
  });
  socket.on('close', () => {
    socketClosed = true;
    endedBy({ by: 'client' });
    // Both sides finished cleanly: the stream closes by itself (a reset only if it does not).
    if (!remoteClosed && socketEnded && remoteEnded) setTimeout(() => remote.destroy(), lingerMs).unref();
    else if (!remoteClosed) remote.destroy();
    finish();
  });

  // Pod → local.
  remote.on('data', (chunk: Buffer) => {
    counters.received += chunk.length;
    if (!socket.writable) return;
    // One read from the tunnel carries many small frames: write them out together.
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(() => {
        corked = false;
        socket.uncork();
      });
    }
    if (!socket.write(chunk) && !draining) {
      draining = true;
      remote.pause();
      socket.once('drain', () => {
        draining = false;
        remote.resume();
      });
    }
  });
  remote.on('failure', (message: string) => {
    failure = message;
  });
  remote.on('end', () => {
    remoteEnded = true;
    endedBy({ by: 'pod' });
    if (socket.destroyed) return;
    // The kubelet could not reach the app (nothing listens there): the client sees a reset, as
    // it would connecting to a closed port.
    if (failure !== undefined && counters.received === 0) socket.destroy();
    else {
      socket.end();
      lingerThenDestroy();
    }
  });
  remote.on('close', () => {
    remoteClosed = true;
    endedBy({ by: 'pod' });
    // Cut off before the pod's app finished sending (the tunnel broke: an API server restart, a
    // dropped connection): a reset, so that the client cannot take what came for the whole answer.
    if (!socket.destroyed && !remoteEnded) socket.resetAndDestroy();
    finish();
  });
  remote.on('error', () => {});

  remote.start();
  // The local client left while its stream was being opened.
  if (socket.destroyed) remote.destroy();
  else socket.resume();

  return {
    counters,
    done,
    close: (reason: string) => {
      endedBy({ by: 'forward', error: reason });
      remote.destroy();
      socket.destroy();
    },
  };
}
