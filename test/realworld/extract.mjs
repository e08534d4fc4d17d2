// Copies a multi-document YAML file, leaving out the documents of the given kinds; every other
// document stays byte for byte as in the source. Used to keep very large objects (CRD schemas,
// dashboard ConfigMaps) out of test/realworld; each PROVENANCE.md says which kinds were left out.
//   node test/realworld/extract.mjs SOURCE.yaml Kind[,Kind...] > OUT.yaml

import { readFileSync } from 'node:fs';

const [source, kinds] = process.argv.slice(2);
if (!source || !kinds) {
  process.stderr.write('usage: node test/realworld/extract.mjs SOURCE.yaml Kind[,Kind...]\n');
  process.exit(2);
}
const dropped = new Set(kinds.split(','));
const documents = readFileSync(source, 'utf8').split(/^---[ \t]*$/m);
const kept = documents.filter((text) => !dropped.has(/^kind:[ \t]*(\S+)/m.exec(text)?.[1] ?? ''));
process.stdout.write(kept.join('---'));
