// Every failure on the way to and from the API server, translated once into a SvcTraceError with a
// hint and the exit code of the README: socket errors, svc-trace's own timeouts and deadline, TLS
// (with kubectl's advice), and the API server's Status answers. The gateway (the only module that
// talks HTTP) hands each failure here.

import type http from 'node:http';
import { STATUS_CODES } from 'node:http';
import { ApiStatusError, DeadlineError, ExitCode, SvcTraceError, clusterError } from '../errors.js';

// The metav1.Status the API server sends with every error (and as the object of a watch ERROR event).
export interface ApiStatus {
  kind?: string;
  apiVersion?: string;
  status?: string;
  message?: string;
  reason?: string;
  details?: { name?: string; group?: string; kind?: string };
  code?: number;
}

export interface Exchange {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

// A timeout that svc-trace itself enforced, told apart from the socket errors Node raises.
export class RequestTimeout extends Error {
  constructor(readonly phase: 'connect' | 'handshake' | 'request' | 'silence', readonly afterMs: number) {
    super(`${phase} timeout after ${afterMs}ms`);
  }
}

// The command's deadline ended the request.
export class DeadlinePassed extends Error {
  constructor(readonly flag: string) {
    super(`${flag} ran out`);
  }
}

// The caller's own signal ended the request: it rejects with the caller's reason.
export class CallerAborted extends Error {
  constructor(readonly reason: unknown) {
    super('aborted by the caller');
  }
}

// Who is being talked to, as the messages name it.
export interface Where {
  context: string;
  server: string;
  cluster?: string;
  hostname: string;
}

export class ErrorTranslator {
  constructor(private readonly at: Where) {}

  clusterHint(): string {
    return `check that the cluster is running and \`kubectl --context ${this.at.context} cluster-info\` works`;
  }

  network(error: unknown, method: string, path: string): SvcTraceError {
    if (error instanceof SvcTraceError) return error;
    const where = `the cluster of context "${this.at.context}" at ${this.at.server}`;
    if (error instanceof DeadlinePassed) {
      return new DeadlineError(
        `${where} had not answered ${method} ${path} when ${error.flag} ran out`,
        `${this.clusterHint()}; a longer ${error.flag.split(' ')[0]} gives a slow cluster more time`,
      );
    }
    if (error instanceof RequestTimeout) {
      const within = formatMilliseconds(error.afterMs);
      if (error.phase === 'connect') return clusterError(`${where} did not accept a connection within ${within}`, this.clusterHint());
      if (error.phase === 'handshake') {
        return clusterError(
          `${where} accepted the connection but did not complete the TLS handshake within ${within}`,
          `check that the server of the context speaks HTTPS at that port; ${this.clusterHint()}`,
        );
      }
      if (error.phase === 'silence') {
        return clusterError(
          `${where} accepted the connection but sent nothing for ${within} to ${method} ${path}`,
          `${this.clusterHint()}; --request-timeout sets how long to wait`,
        );
      }
      return clusterError(
        `${where} did not answer ${method} ${path} within ${within}`,
        `${this.clusterHint()}; raise --request-timeout if the cluster is just slow`,
      );
    }
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const message = error instanceof Error ? error.message : String(error);
    switch (code) {
      case 'ECONNREFUSED':
        return clusterError(`cannot reach ${where}: connection refused`, this.clusterHint());
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return clusterError(
          `cannot reach ${where}: the host name ${this.at.hostname} does not resolve`,
          `check the server of the context in your kubeconfig and your DNS; ${this.clusterHint()}`,
        );
      case 'ETIMEDOUT':
        return clusterError(`cannot reach ${where}: the connection timed out`, this.clusterHint());
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
        return clusterError(`cannot reach ${where}: no route to the host`, this.clusterHint());
      case 'ECONNRESET':
        return clusterError(`cannot reach ${where}: the connection was closed before an answer came`, this.clusterHint());
    }
    if (isTlsFailure(code)) return this.tls(code, message, where);
    return clusterError(`cannot reach ${where}: ${message}`, this.clusterHint());
  }

  // kubectl's advice for a certificate that does not check out: the kubeconfig's CA for this cluster,
  // the server name, and --insecure-skip-tls-verify for a throwaway cluster only.
  private tls(code: string, message: string, where: string): SvcTraceError {
    const cluster = this.at.cluster === undefined ? 'the cluster' : `cluster "${this.at.cluster}"`;
    const name = this.at.cluster ?? 'NAME';
    const skip = 'for a throwaway test cluster only, --insecure-skip-tls-verify skips the check (the connection is then insecure: anyone on the path can read and change it)';
    if (unknownAuthorityCodes.has(code)) {
      return clusterError(
        `cannot reach ${where}: its TLS certificate is not signed by the certificate authority that the kubeconfig gives for ${cluster} (${message})`,
        `set certificate-authority-data of ${cluster} to the CA that signed the API server's certificate ` +
          `(\`kubectl config set-cluster ${name} --certificate-authority=ca.crt --embed-certs\`), or check that context "${this.at.context}" names the right cluster; ${skip}`,
      );
    }
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
      return clusterError(
        `cannot reach ${where}: its TLS certificate is not valid for ${this.at.hostname} (${message})`,
        `use the server name the certificate was issued for in the server of ${cluster}, or set its tls-server-name (\`kubectl config set-cluster ${name} --tls-server-name=NAME\`)`,
      );
    }
    if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
      return clusterError(
        `cannot reach ${where}: its TLS certificate ${code === 'CERT_HAS_EXPIRED' ? 'has expired' : 'is not valid yet'}`,
        `check this machine's clock, and renew the API server's certificate; ${skip}`,
      );
    }
    return clusterError(
      `cannot reach ${where}: TLS failed (${message})`,
      `check certificate-authority-data of ${cluster} and the client certificate of the context's user in the kubeconfig; ${this.clusterHint()}`,
    );
  }

  status(exchange: Exchange, method: string, path: string): SvcTraceError {
    const { status } = exchange;
    const apiStatus = parseStatus(exchange.body);
    const reason = apiStatus?.reason || STATUS_CODES[status] || 'Unknown';
    const answered = `answered ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
    const said = apiStatus?.message ?? plainText(exchange.body);
    switch (status) {
      case 401:
        return new ApiStatusError(
          `the cluster rejected the credentials of context "${this.at.context}"`,
          'log in again or renew the credentials of the context\'s user, ' +
            `then check that \`kubectl --context ${this.at.context} auth whoami\` works`,
          ExitCode.cluster,
          status,
          reason,
        );
      case 403:
        return new ApiStatusError(
          said ?? `${method} ${path} is forbidden for the user of context "${this.at.context}"`,
          `check what the user may do with \`kubectl --context ${this.at.context} auth can-i --list\``,
          ExitCode.cluster,
          status,
          reason,
        );
      case 404:
        // Every Kubernetes API server serves the core group (/api/v1) and answers a missing object
        // there with a Status: a bare `404 page not found` means something else answers at this URL.
        if (apiStatus === undefined && path.startsWith('/api/')) {
          return clusterError(
            `not a Kubernetes API server at ${this.at.server}: it answered ${method} ${path} with 404${said === undefined ? '' : ` "${said}"`}, not a Kubernetes Status`,
            `check the server URL of ${this.at.cluster === undefined ? 'the cluster' : `cluster "${this.at.cluster}"`} in the kubeconfig (a proxy's path prefix included), and that \`kubectl --context ${this.at.context} cluster-info\` works`,
          );
        }
        return new ApiStatusError(
          said ?? `the API server ${answered} for ${method} ${path}`,
          'check the name, the namespace and the context',
          ExitCode.notFound,
          status,
          reason,
        );
      default:
        return new ApiStatusError(
          `the API server of context "${this.at.context}" ${answered} to ${method} ${path}${said === undefined ? '' : `: ${said}`}`,
          this.clusterHint(),
          ExitCode.cluster,
          status,
          reason,
          apiStatus?.message,
        );
    }
  }
}

function parseStatus(body: string): ApiStatus | undefined {
  try {
    const value = JSON.parse(body) as ApiStatus;
    return value !== null && typeof value === 'object' && value.kind === 'Status' ? value : undefined;
  } catch {
    return undefined;
  }
}

// A short plain-text body (`404 page not found`) is worth quoting; an HTML error page is not.
function plainText(body: string): string | undefined {
  const text = body.trim();
  return text !== '' && text.length <= 200 && !text.includes('\n') && !text.startsWith('<') ? text : undefined;
}

// What Go reports as "x509: certificate signed by unknown authority".
const unknownAuthorityCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

const tlsCodes = new Set([
  ...unknownAuthorityCodes,
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

function isTlsFailure(code: string): boolean {
  return tlsCodes.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_');
}

export function describeCause(error: unknown): string {
  if (error instanceof RequestTimeout) return `${error.phase} timeout`;
  if (error instanceof DeadlinePassed) return error.message;
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
}

function formatMilliseconds(milliseconds: number): string {
  return milliseconds >= 1000 && milliseconds % 100 === 0 ? `${milliseconds / 1000}s` : `${milliseconds}ms`;
}

