// Bundles the CLI into one CommonJS script for the single executable (a Node 24 SEA runs CommonJS)
// and for the npm install (npm-bundle.mjs):
// oclif and the commands are evaluated at start-up; yaml, ink/React/yoga (tree and -w),
// ws (forward) and the Kubernetes client (exec/OIDC credentials) only when first used — esbuild
// wraps what our code imports with import() in functions that run on first import.

import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { dependencyRewrites, lazyPackages, synchronousYoga } from './plugins.mjs';

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

const kubernetesClientConfigOnly = {
  name: 'kubernetes-client-config-only',
  setup(build) {
    build.onResolve({ filter: /^@kubernetes\/client-node$/ }, async (args) => {
      if (args.pluginData === 'real') return undefined;
      const real = await build.resolve('@kubernetes/client-node', { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'real' });
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

// minify: false keeps the bundle readable, with each module's path as a comment, for profiling.
// entry: src/cli/bundle-entry.ts starts the CLI (the single executable); src/cli/npm-entry.ts
// exports it for bin/ (the npm install, see npm-bundle.mjs).
export async function bundle({ repository, pjson, outfile, minify = true, entry = 'src/cli/bundle-entry.ts' }) {
  await checkClientImports(repository);
  const result = await esbuild.build({
    absWorkingDir: repository,
    entryPoints: [entry],
    outfile,
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
    plugins: [synchronousYoga, kubernetesClientConfigOnly, lazyPackages(['yaml']), dependencyRewrites],
  });
  const [output] = result.outputFiles;
  await writeFile(outfile, shareWrapperKeys(output.text));
  return result.metafile;
}
