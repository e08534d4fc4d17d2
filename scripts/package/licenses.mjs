// THIRD_PARTY_LICENSES.txt for the archive: the executable carries Node.js and every npm package
// esbuild put into the bundle, and their licenses ask to travel with them.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// node_modules/a/..., node_modules/@scope/b/... → the package directory.
function packageDirectory(input) {
  const match = /^(.*node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(input.replace(/^[^:]*:/, ''));
  return match?.[1];
}

function licenseText(directory) {
  // Sorted: the order readdir gives depends on the file system.
  const file = readdirSync(directory).sort().find((name) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(name));
  return file ? readFileSync(path.join(directory, file), 'utf8').trim() : undefined;
}

export function thirdPartyLicenses({ repository, metafile, node }) {
  const directories = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const directory = packageDirectory(input);
    if (directory) directories.add(path.resolve(repository, directory));
  }
  const sections = [];
  sections.push(
    `Node.js ${node.version}\n` +
      (node.license ? readFileSync(node.license, 'utf8').trim() : `MIT; see https://github.com/nodejs/node/blob/${node.version}/LICENSE`),
  );
  for (const directory of [...directories].sort()) {
    const pjsonFile = path.join(directory, 'package.json');
    if (!existsSync(pjsonFile)) continue;
    const pjson = JSON.parse(readFileSync(pjsonFile, 'utf8'));
    sections.push(`${pjson.name} ${pjson.version} (${pjson.license ?? 'see below'})\n${licenseText(directory) ?? `license: ${pjson.license}`}`);
  }
  const rule = `\n\n${'-'.repeat(78)}\n\n`;
  return `svc-trace's executable contains the following software.${rule}${sections.join(rule)}\n`;
}
