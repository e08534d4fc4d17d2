// Bundles the CLI into one CommonJS script for the single executable (a Node 24 SEA runs CommonJS)
// and for the npm install (npm-bundle.mjs):
// oclif and the commands are evaluated at start-up; yaml, ink/React/yoga (tree and -w),
// ws (forward) and the Kubernetes client (exec/OIDC credentials) only when first used — esbuild
// wraps what our code imports with import() in functions that run on first import.

import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { dependencyRewrites, lazyPackages, narrowStringWidth, synchronousYoga } from './plugins.mjs';

// Our code takes only KubeConfig from @kubernetes/client-node (src/cluster/kubeconfig.ts, for exec
// plugins, auth providers and proxies). The package index re-exports every generated API (~20 MB
// of source); its config module is all that is needed.
const clientExports = ['KubeConfig'];

async function sourceFiles(directory) {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

// Fails the build when our code imports anything else from the package, or imports it another way.
async function checkClientImports(repository) {
  const files = [...(await sourceFiles(path.join(repository, 'src'))), ...(await sourceFiles(path.join(repository, 'commands')))];
  const problems = [];
  for (const file of files) {
    for (const line of (await readFile(file, 'utf8')).split('\n')) {
      if (!line.includes("'@kubernetes/client-node'") || /^\s*(\/\/|\*)|^\s*import type /.test(line)) continue;
      const match = /const \{([^}]*)\} = await import\('@kubernetes\/client-node'\)/.exec(line);
      const names = match ? match[1].split(',').map((name) => name.trim()).filter(Boolean) : [];
      if (!match || names.some((name) => !clientExports.includes(name))) problems.push(`${path.relative(repository, file)}: ${line.trim()}`);
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `scripts/package/bundle.mjs: the bundle provides only ${clientExports.join(', ')} of @kubernetes/client-node, ` +
        `through \`const { ... } = await import(...)\`; update clientExports for:\n  ${problems.join('\n  ')}`,
    );
  }
}

// The Kubernetes client is a script of its own beside the bundle (clientChunk), read and compiled
// only when a kubeconfig needs it: with undici, js-yaml and jsonpath it is ~1.9 MB, more than half
// of what every start would otherwise read and V8 would index (README, Performance). The bundle
// keeps `require("./svc-trace-kubernetes-client.cjs")` for it: bin/launch.js's require finds the
// file beside dist/svc-trace.cjs, the single executable's main script an asset of that name.
export const clientChunk = 'svc-trace-kubernetes-client.cjs';

const kubernetesClientOutside = {
  name: 'kubernetes-client-outside',
  setup(build) {
    // A module of one require, so that our import() becomes a require on first use (esbuild would
    // keep an import() of an external file, which a script compiled by vm cannot run).
    build.onResolve({ filter: /^@kubernetes\/client-node$/ }, () => ({ path: clientChunk, namespace: 'kubernetes-client-outside' }));
    build.onLoad({ filter: /.*/, namespace: 'kubernetes-client-outside' }, () => ({ contents: `module.exports = require('./${clientChunk}');`, loader: 'js' }));
    build.onResolve({ filter: new RegExp(`^\\./${clientChunk.replaceAll('.', '\\.')}$`) }, (args) => ({ path: args.path, external: true }));
  },
};

// The chunk itself: the package's config module, which is all our code takes (clientExports).
const kubernetesClientConfigOnly = {
  name: 'kubernetes-client-config-only',
  setup(build) {
    build.onResolve({ filter: /^@kubernetes\/client-node$/ }, async (args) => {
      if (args.pluginData === 'real') return undefined;
      const real = await build.resolve('@kubernetes/client-node', { kind: 'import-statement', resolveDir: args.resolveDir, pluginData: 'real' });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: 'kubernetes-client-config-only' };
    });
    build.onLoad({ filter: /.*/, namespace: 'kubernetes-client-config-only' }, (args) => ({
      contents: `import './polyfill.js';\nexport { ${clientExports.join(', ')} } from './config.js';\n`,
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
  },
};

// The package.json fields oclif reads, compiled in. The help class is passed to the runner
// directly (src/cli/embedded.ts), so its path is left out.
export function embeddedPackage(pjson) {
  const { helpClass: _helpClass, ...oclif } = pjson.oclif;
  return { name: pjson.name, version: pjson.version, oclif };
}

// esbuild wraps each lazily evaluated module as `__commonJS({"node_modules/x.js"(exports, module)
// {...}})` (or __esm): an object literal whose one key is the module's path. V8 links every such
// literal's shape to one root shape, and inserting ~1500 distinct keys there is quadratic (~15 ms
// at start-up). The helpers only read the key to call the function, so one shared key does the
// same without the cost.
export function shareWrapperKeys(code) {
  const wrappers = code.match(/\b(?:__commonJS|__esm)\(\{/g)?.length ?? 0;
  let rewritten = 0;
  const result = code.replace(/\b(__commonJS|__esm)\(\{(\s*)"(?:[^"\\]|\\.)*"\(/g, (_, helper, space) => {
    rewritten++;
    return `${helper}({${space}m(`;
  });
  if (wrappers === 0 || rewritten !== wrappers) {
    throw new Error(`scripts/package/bundle.mjs: rewrote ${rewritten} of ${wrappers} module wrappers; esbuild's output changed`);
  }
  return result;
}

// esbuild escapes non-ASCII characters everywhere but in regular expression literals (and, unminified,
// comments). One such character makes V8 hold the whole bundle as a two-byte string: twice the
// memory and a slower decode on every start. \uXXXX means the same in a string, a template, a
// regular expression and an identifier; after a backslash it would not, so that fails the build.
export function asciiOnly(code) {
  return code.replace(/(\\*)([^\x00-\x7f])/g, (_, backslashes, character) => {
    if (backslashes.length % 2 === 1) throw new Error(`scripts/package/bundle.mjs: an escaped non-ASCII character (${JSON.stringify(character)}) cannot be rewritten as \\u`);
    return `${backslashes}\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

// minify: false keeps the bundle readable, with each module's path as a comment, for profiling.
// entry: src/cli/bundle-entry.ts starts the CLI (the single executable); src/cli/npm-entry.ts
// exports it for bin/ (the npm install, see npm-bundle.mjs). Writes outfile and clientChunk beside it.
export async function bundle({ repository, pjson, outfile, minify = true, entry = 'src/cli/bundle-entry.ts' }) {
  await checkClientImports(repository);
  const common = {
    absWorkingDir: repository,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    minifyWhitespace: minify,
    minifySyntax: minify,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  };
  const [main, client] = await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: [entry],
      outfile,
      define: {
        SVC_TRACE_PACKAGE: JSON.stringify(embeddedPackage(pjson)),
        // React's production build; the development build is twice the size and warns at run time.
        'process.env.NODE_ENV': '"production"',
        // oclif checks its own package.json's engines with semver at import; the executable carries
        // its Node, and the package.json is not there to read.
        'process.env.OCLIF_DISABLE_ENGINE_WARNING': '"1"',
      },
      // oclif requires typescript only to read a tsconfig.json in development; the embedded runner
      // never gets there. Left as a require that would fail, not 9 MB in the bundle.
      external: ['typescript'],
      plugins: [synchronousYoga, kubernetesClientOutside, narrowStringWidth, lazyPackages(['yaml']), dependencyRewrites],
    }),
    esbuild.build({
      ...common,
      entryPoints: ['@kubernetes/client-node'],
      outfile: path.join(path.dirname(outfile), clientChunk),
      plugins: [kubernetesClientConfigOnly],
    }),
  ]);
  await Promise.all([
    writeFile(outfile, asciiOnly(shareWrapperKeys(main.outputFiles[0].text))),
    writeFile(path.join(path.dirname(outfile), clientChunk), asciiOnly(client.outputFiles[0].text)),
  ]);
  return {
    inputs: { ...main.metafile.inputs, ...client.metafile.inputs },
    outputs: { ...main.metafile.outputs, ...client.metafile.outputs },
  };
}
