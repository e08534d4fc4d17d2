// Offline mode's reader (`-f FILE|DIR|-`): files, directories and stdin holding multi-document YAML,
// JSON, and Lists (`kubectl get -o yaml` dumps). Everything is read and checked before the caller
// analyses anything, so bad input fails the command before any output. Objects come back as written
// (Secrets, ConfigMaps, custom resources included); the snapshot builder picks what it needs.
// Error messages name a file, a line and a document, never the content of a line (it may be a Secret's).

import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseAllDocuments, type Document, type YAMLError } from 'yaml';
import { usageError } from '../errors.js';
import { setManifestOrigin, type ManifestOrigin } from '../kube/manifest-origin.js';
import type { KubeObject } from '../kube/types.js';

const manifestExtensions = new Set(['.yaml', '.yml', '.json']);
const stdinName = 'stdin';

// One file's text and the name errors use for it (the path as the user wrote it, or `stdin`).
interface Source {
  name: string;
  file?: string; // for the objects' origin, when it differs from name: `-` for stdin
  text: string;
}

type PathKey = Array<string | number>;

export async function loadManifests(paths: string[], stdin: NodeJS.ReadableStream = process.stdin): Promise<KubeObject[]> {
  if (paths.filter((given) => given === '-').length > 1) {
    throw usageError('-f - is given more than once', 'stdin can be read only once; pass -f - a single time.');
  }
  const sources: Source[] = [];
  for (const given of paths) {
    if (given === '-') sources.push({ name: stdinName, file: '-', text: await readStream(stdin) });
    else sources.push(...(await readPath(given)));
  }
  return sources.flatMap(parseSource);
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

// A file is read whatever its name; a directory is walked for .yaml/.yml/.json files.
async function readPath(given: string): Promise<Source[]> {
  const stats = await statOrThrow(given);
  if (!stats.isDirectory()) return [{ name: given, text: await readOrThrow(given) }];
  const files = await manifestFilesIn(given, new Set());
  if (files.length === 0) {
    throw usageError(`${given} contains no .yaml, .yml or .json file`, 'Point -f at a directory of manifests, or at a file.');
  }
  return Promise.all(files.map(async (file) => ({ name: file, text: await readOrThrow(file) })));
}

// Depth-first, entries sorted by name (code points, not locale), so the order of objects never
// depends on the machine. Hidden entries (.git, .github) are skipped: they hold no manifests to apply.
async function manifestFilesIn(directory: string, visited: Set<string>): Promise<string[]> {
  const real = await realpath(directory);
  if (visited.has(real)) return []; // a symlink loop
  visited.add(real);
  const entries = (await readdir(directory)).filter((name) => !name.startsWith('.')).sort(byCodePoint);
  const files: string[] = [];
  for (const name of entries) {
    const entry = path.join(directory, name);
    const stats = await statOrThrow(entry);
    if (stats.isDirectory()) files.push(...(await manifestFilesIn(entry, visited)));
    else if (manifestExtensions.has(path.extname(name).toLowerCase())) files.push(entry);
  }
  return files;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function statOrThrow(file: string) {
  try {
    return await stat(file);
  } catch (error) {
    throw fileError(file, error);
  }
}

async function readOrThrow(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw fileError(file, error);
  }
}

function fileError(file: string, error: unknown) {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return usageError(`no such file or directory: ${file}`, 'Check the path given to -f (it is relative to the current directory).');
  if (code === 'EACCES') return usageError(`permission denied: ${file}`, 'Make the file readable, or pass the manifests on stdin with -f -.');
  return usageError(`cannot read ${file}: ${(error as Error).message}`, 'Check the path given to -f.');
}

function parseSource(source: Source): KubeObject[] {
  const lineCounter = new LineCounter();
  // logLevel 'error': the yaml package would otherwise print warnings to the process's stderr.
  const documents = parseAllDocuments(source.text, { lineCounter, prettyErrors: false, logLevel: 'error' });
  const objects: KubeObject[] = [];
  documents.forEach((document, index) => {
    const at = locator(source, document, lineCounter, index + 1);
    if (document.errors.length > 0) {
      const { line, message } = syntaxErrorOf(document.errors, lineCounter);
      throw usageError(`${source.name}:${line}: invalid YAML: ${message}`, invalidYamlHint);
    }
    let value: unknown;
    try {
      value = document.toJS();
    } catch (error) {
      throw usageError(`${at([])}: invalid YAML: ${firstLine((error as Error).message)}`, invalidYamlHint);
    }
    if (value == null) return; // an empty document (a lone `---`, or only comments)
    objects.push(...objectsOf(value, [], at));
  });
  return objects;
}

// The yaml package places a mis-indented key at the start of the value it thinks the key belongs
// to; the line a user must fix is the one where that key ends (where go-yaml, and so kubectl, point).
function syntaxErrorOf(errors: YAMLError[], lineCounter: LineCounter): { line: number; message: string } {
  const misplacedKey = errors.find((error) => error.code === 'MULTILINE_IMPLICIT_KEY');
  if (misplacedKey) {
    const end = Math.max(misplacedKey.pos[0], misplacedKey.pos[1] - 1);
    return { line: lineCounter.linePos(end).line, message: 'a key is not where the indentation puts it (check this line and the one above)' };
  }
  return { line: lineCounter.linePos(errors[0].pos[0]).line, message: firstLine(errors[0].message) };
}

const invalidYamlHint = 'Fix the YAML at that line: indent with spaces, keep items of one mapping at one column, quote values with special characters.';

// `file:line: document N` (or `file:line: items[3] of document N`) for a place inside a document.
// `source` gives a scalar as it is written (`1.10`, not the number 1.1).
// `origin` is where the object at a key starts (its file and line), which -o sarif points at.
type Locator = ((key: PathKey, subject?: string) => string) & {
  source: (key: PathKey) => string | undefined;
  origin: (key: PathKey) => ManifestOrigin | undefined;
};

function locator(source: Source, document: Document.Parsed, lineCounter: LineCounter, number: number): Locator {
  const nodeAt = (key: PathKey) =>
    (key.length === 0 ? document.contents : document.getIn(key, true)) as { range?: [number, number, number]; source?: unknown } | null | undefined;
  const at = (key: PathKey, subject?: string) => {
    const range = nodeAt(key)?.range;
    const line = range ? `:${lineCounter.linePos(range[0]).line}` : '';
    const inDocument = key.length === 0 ? `document ${number}` : `${formatKey(key)} of document ${number}`;
    return `${source.name}${line}: ${subject ?? inDocument}`;
  };
  return Object.assign(at, {
    source: (key: PathKey) => {
      const written = nodeAt(key)?.source;
      return typeof written === 'string' ? written : undefined;
    },
    origin: (key: PathKey) => {
      const range = nodeAt(key)?.range;
      return range ? { file: source.file ?? source.name, line: lineCounter.linePos(range[0]).line } : undefined;
    },
  });
}

function formatKey(key: PathKey): string {
  return key.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
}

// A List (`kind: List`, or a typed `ServiceList` from the raw API) stands for its items; any other
// mapping is one object, which must say what it is and have a name.
function objectsOf(value: unknown, key: PathKey, at: Locator): KubeObject[] {
  const label = at(key);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw usageError(
      `${label} is ${describeValue(value)}, not a Kubernetes object`,
      'Each document between --- lines must be a mapping with apiVersion, kind and metadata; look for a stray line or a lost indentation.',
    );
  }
  const object = value as Record<string, unknown>;
  const kind = object.kind;
  if (typeof kind !== 'string' || kind === '') {
    throw usageError(`${label} has no kind`, 'Every object needs apiVersion and kind, e.g. `apiVersion: v1` and `kind: Service`.');
  }
  if (typeof object.apiVersion !== 'string' || object.apiVersion === '') {
    throw usageError(`${label} (${kind}) has no apiVersion`, `Add the apiVersion of ${kind} (\`kubectl explain ${kind.toLowerCase()}\` shows it).`);
  }
  if (kind.endsWith('List') && Array.isArray(object.items)) {
    const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
    return object.items.flatMap((item: unknown, index) =>
      objectsOf(inheritKind(item, itemKind, object.apiVersion as string), [...key, 'items', index], at),
    );
  }
  checkMetadata(object, kind, key, at, label);
  const origin = at.origin(key);
  if (origin) setManifestOrigin(object, origin);
  return [object as unknown as KubeObject];
}

// Items of a typed list (`PodList` from `kubectl get --raw`) carry no kind; the list says it.
function inheritKind(item: unknown, kind: string | undefined, apiVersion: string): unknown {
  if (!kind || typeof item !== 'object' || item === null || Array.isArray(item)) return item;
  const object = item as Record<string, unknown>;
  return { ...object, kind: object.kind ?? kind, apiVersion: object.apiVersion ?? apiVersion };
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a sequence';
  if (value === null) return 'empty';
  return `a ${typeof value}`;
}

// The API server rejects these, so the analysis would otherwise reason about objects no cluster can hold.
function checkMetadata(object: Record<string, unknown>, kind: string, key: PathKey, at: Locator, label: string): void {
  const metadata = object.metadata as Record<string, unknown> | undefined;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw usageError(`${label} (${kind}) has no metadata`, 'Give the object a name under metadata.name, as kubectl apply requires.');
  }
  if (typeof metadata.name !== 'string' || metadata.name === '') {
    if (typeof metadata.generateName === 'string' && metadata.generateName !== '') {
      metadata.name = metadata.generateName; // `kubectl create` would append a random suffix
    } else {
      throw usageError(`${label} (${kind}) has no metadata.name`, 'Give the object a name under metadata.name, as kubectl apply requires.');
    }
  }
  if (metadata.namespace !== undefined && typeof metadata.namespace !== 'string') {
    throw usageError(`${at([...key, 'metadata', 'namespace'], `${kind} "${metadata.name}"`)}: metadata.namespace must be a string`, 'Write the namespace as a plain name.');
  }
  for (const mapKey of labelMaps(kind)) checkStringMap(object, mapKey, key, at, kind, metadata.name as string);
}

// The label maps a selector is matched against or made of; Kubernetes holds them as strings only.
function labelMaps(kind: string): PathKey[] {
  const maps: PathKey[] = [['metadata', 'labels']];
  if (kind === 'Service') maps.push(['spec', 'selector']);
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'ReplicationController'].includes(kind)) {
    maps.push(['spec', 'template', 'metadata', 'labels'], ['spec', 'selector', 'matchLabels']);
  }
  if (kind === 'ReplicationController') maps.push(['spec', 'selector']);
  if (kind === 'CronJob') maps.push(['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels']);
  return maps;
}

function checkStringMap(object: Record<string, unknown>, mapKey: PathKey, key: PathKey, at: Locator, kind: string, name: string): void {
  let map: unknown = object;
  for (const part of mapKey) map = (map as Record<string | number, unknown> | undefined)?.[part];
  if (typeof map !== 'object' || map === null || Array.isArray(map)) return;
  for (const [label, value] of Object.entries(map)) {
    if (typeof value === 'string') continue;
    const field = mapKey.join('.');
    const written = at.source([...key, ...mapKey, label]) ?? String(value ?? '');
    throw usageError(
      `${at([...key, ...mapKey, label], `${kind} "${name}"`)}: ${field}.${label} must be a string, not ${describeValue(value)}`,
      `Quote the value (${label}: "${written}"); Kubernetes label values are strings.`,
    );
  }
}

function firstLine(message: string): string {
  const line = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
