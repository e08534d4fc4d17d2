// Where offline mode (-f) read an object: the file as the user named it (`-` for stdin) and the
// line its mapping starts on. The loader (src/cluster/manifests.ts) keeps it on the object under a
// symbol, so JSON and YAML output never show it and a spread copy ({ ...service }) keeps it.

export interface ManifestOrigin {
  file: string;
  line: number;
}

const origin = Symbol('svc-trace.manifestOrigin');

export function setManifestOrigin(object: object, value: ManifestOrigin): void {
  Object.defineProperty(object, origin, { value, enumerable: true, configurable: true, writable: true });
}

export function manifestOriginOf(object: object): ManifestOrigin | undefined {
  return (object as { [origin]?: ManifestOrigin })[origin];
}
