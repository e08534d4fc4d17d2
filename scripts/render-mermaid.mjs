// Renders the README's picture: `kubectl-svc_trace cart -f examples/shop -n shop -o mermaid`, drawn
// by Mermaid itself (the `mermaid` dev dependency's browser bundle) in Debian's headless Chromium,
// written as an SVG to docs/images/. Laying out a diagram needs a real browser (text measurement),
// so this is a script for the docs, not a test; the test suite parses the same output with
// Mermaid's parser under jsdom (test/unit/render/mermaid.test.ts).
//
//   npm run docs:mermaid                         # needs chromium (apt-get install chromium)
//   CHROMIUM=/path/to/chrome npm run docs:mermaid
//
// No browser is downloaded; Chromium loads only local files, and is stopped after 60 s at most.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..');
const pictures = [{ args: ['cart', '-f', 'examples/shop', '-n', 'shop', '-o', 'mermaid'], file: 'docs/images/shop-cart-trace.svg' }];
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';

async function mermaidOf(args) {
  try {
    return (await run(process.execPath, [path.join(root, 'bin/kubectl-svc_trace.js'), ...args], { cwd: root })).stdout;
  } catch (error) {
    if (error.code === 1 && error.stdout) return error.stdout; // a broken Service: exit 1, the diagram is on stdout
    throw error;
  }
}

// A page that draws the diagram and puts the SVG (as XML), base64-encoded, in <pre id="out"> for --dump-dom to print.
function page(diagram, bundle) {
  return `<!doctype html><html><head><meta charset="utf-8"><script src="${pathToFileURL(bundle).href}"></script></head><body>
<pre id="out">pending</pre>
<script>
  mermaid.initialize({ startOnLoad: false, theme: 'default', securityLevel: 'strict' });
  mermaid.render('trace', ${JSON.stringify(diagram)})
    .then(({ svg }) => {
      // render() gives HTML-serialized markup (<br> in the labels); an .svg file must be XML.
      const holder = document.createElement('div');
      holder.innerHTML = svg;
      const xml = new XMLSerializer().serializeToString(holder.querySelector('svg'));
      document.getElementById('out').textContent = 'svg:' + btoa(unescape(encodeURIComponent(xml)));
    })
    .catch((error) => { document.getElementById('out').textContent = 'error:' + error.message; });
</script></body></html>`;
}

async function render(diagram) {
  const bundle = require.resolve('mermaid/dist/mermaid.min.js');
  const directory = await mkdtemp(path.join(os.tmpdir(), 'svc-trace-mermaid-'));
  try {
    const html = path.join(directory, 'page.html');
    await writeFile(html, page(diagram, bundle));
    const { stdout } = await run(
      chromium,
      ['--headless', '--no-sandbox', '--disable-gpu', '--allow-file-access-from-files', `--user-data-dir=${directory}/profile`, '--virtual-time-budget=10000', '--dump-dom', pathToFileURL(html).href],
      { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
    );
    const out = /<pre id="out">([^<]*)<\/pre>/.exec(stdout)?.[1] ?? '';
    if (out.startsWith('svg:')) return Buffer.from(out.slice(4), 'base64').toString('utf8');
    throw new Error(out.startsWith('error:') ? `Mermaid: ${out.slice(6)}` : 'Chromium printed no diagram');
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

for (const picture of pictures) {
  const svg = await render(await mermaidOf(picture.args));
  const target = path.join(root, picture.file);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, `${svg}\n`);
  console.log(`${picture.file}: kubectl-svc_trace ${picture.args.join(' ')} (${svg.length} bytes)`);
}
