// -o sarif (list mode and one trace, live and offline): SARIF 2.1.0 for GitHub code scanning and
// other SARIF viewers. One rule per finding id that occurs (its description and default level from
// the catalogue, its help the hint), one result per finding, located at the Service: always as a
// logical location (namespace/name), and offline also at the manifest file and line it was read from.
//
// The structure is built with node-sarif-builder (136 kB, no runtime dependency; it fills in
// ruleIndex, the artifacts list and their indices). Loaded only for -o sarif: importing it takes
// about 15 ms (see README, "CI-native output").

import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } from 'node-sarif-builder';
import type { Location, Result } from 'sarif';
import { catalogue, type FindingId } from '../analyze/catalogue.js';
import type { Finding, Level, Trace } from '../analyze/model.js';

export const sarifSchemaUri = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export interface SarifTool {
  version?: string; // svc-trace's own version (tool.driver.version)
}

const sarifLevel: Record<Level, Result.level> = { error: 'error', warning: 'warning', info: 'note' };

// `selector-matches-no-pods` → `SelectorMatchesNoPods` (SARIF's readable rule name).
const ruleName = (id: string): string => id.replace(/(^|-)([a-z0-9])/g, (_, __, letter: string) => letter.toUpperCase());
const sentence = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;

// The catalogue's `when`, without its parenthesis, is the one-line description; in full it is the long one.
function rule(id: FindingId, hint: string): SarifRuleBuilder {
  const entry = catalogue[id];
  const short = entry.when.replace(/\s*\([^)]*\)\s*$/, '');
  return new SarifRuleBuilder({
    id,
    name: ruleName(id),
    shortDescription: { text: sentence(short) },
    fullDescription: { text: `${sentence(entry.when)} Raised at the ${entry.hop} hop of the trace.` },
    defaultConfiguration: { level: sarifLevel[entry.level] },
    help: { text: hint },
    properties: { tags: ['kubernetes', 'service', entry.hop] },
  });
}

// A manifest path as a URI: relative paths stay relative (to %SRCROOT%, the checkout a CI job runs
// in), absolute ones become file: URIs; stdin (`-`) has no file to point at.
function physicalLocation(manifest: { file: string; line: number }): Location['physicalLocation'] | undefined {
  if (manifest.file === '-') return undefined;
  const region = { startLine: manifest.line };
  if (path.isAbsolute(manifest.file)) return { artifactLocation: { uri: pathToFileURL(manifest.file).href }, region };
  const uri = manifest.file.split(path.sep).join('/').split('/').map(encodeURIComponent).join('/');
  return { artifactLocation: { uri, uriBaseId: '%SRCROOT%' }, region };
}

function result(trace: Trace, finding: Finding): SarifResultBuilder {
  const { service } = trace;
  const physical = service.manifest ? physicalLocation(service.manifest) : undefined;
  const location: Location = {
    ...(physical ? { physicalLocation: physical } : {}),
    logicalLocations: [{ name: service.name, fullyQualifiedName: `${service.namespace}/${service.name}`, kind: 'resource' }],
  };
  return new SarifResultBuilder({
    ruleId: finding.id,
    level: sarifLevel[finding.level],
    // The hint depends on the finding's details (which pods, which port): each result carries its own.
    message: { text: `Service ${service.namespace}/${service.name}: ${finding.message}\nhint: ${finding.hint}` },
    locations: [location],
    properties: { hop: finding.hop, verdict: trace.verdict, objects: finding.objects },
  });
}

export function renderSarif(traces: Trace[], tool: SarifTool = {}): string {
  const run = new SarifRunBuilder({
    tool: { driver: { name: 'svc-trace', ...(tool.version ? { version: tool.version, semanticVersion: tool.version } : {}), rules: [] } },
  });
  const hints = new Map<FindingId, string>();
  for (const trace of traces) {
    for (const finding of trace.findings) {
      if (!hints.has(finding.id)) hints.set(finding.id, finding.hint);
      run.addResult(result(trace, finding));
    }
  }
  for (const [id, hint] of hints) run.addRule(rule(id, hint));
  const log = new SarifBuilder({ $schema: sarifSchemaUri, version: '2.1.0' });
  log.addRun(run);
  return `${log.buildSarifJsonString({ indent: true })}\n`;
}
