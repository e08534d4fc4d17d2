// esbuild plugins for the single executable's bundle.
//
// They make the dependency tree fit one CommonJS script, which is what a Node 24 single
// executable runs. CommonJS has no top-level await, and two dependencies use it:
//
// - yoga-layout 3 (ink's layout engine) starts its WebAssembly with `await loadYoga()`. Emscripten
//   lets the caller instantiate the module itself (`instantiateWasm`); doing that with the
//   synchronous WebAssembly.Module/Instance constructors runs Emscripten's start-up to the end
//   before loadYoga() returns, so the same Yoga object exists without awaiting anything.
// - ink's reconciler awaits React DevTools when DEV=true. A packaged binary has no DevTools to
//   connect to, so those development-only blocks are removed.
//
// And they take costs out of every start: modules that @oclif/core requires but this CLI does
// not use, and yaml (imported at the top of modules every command loads), are evaluated on first
// use instead; four slow first calls are avoided.
//
// Every rewrite must apply to at least one file, or the build fails: a dependency update that
// moves the code is noticed here rather than by a user.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dataUri = /"data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/;

function fail(message) {
  throw new Error(`scripts/package/plugins.mjs: ${message}; the dependency changed, update the rewrite`);
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

// Removes every `if (process.env['DEV'] === 'true') { ... }` block (balanced braces); undefined
// when there is none.
export function removeDevelopmentBlocks(source) {
  const opening = "if (process.env['DEV'] === 'true') {";
  let result = source;
  let removed = 0;
  for (let start = result.indexOf(opening); start !== -1; start = result.indexOf(opening, start)) {
    let depth = 0;
    let end = start + opening.length - 1;
    for (; end < result.length; end++) {
      if (result[end] === '{') depth++;
      else if (result[end] === '}' && --depth === 0) break;
    }
    if (depth !== 0) fail('unbalanced DEV block in ink');
    result = `${result.slice(0, start)}/* svc-trace bundle: React DevTools hook removed */${result.slice(end + 1)}`;
    removed++;
  }
  return removed > 0 ? result : undefined;
}

// `const x_1 = require("m");` or `const x_1 = __importDefault(require("m"));` becomes an object
// that requires m on the first `x_1.member`. Only when every other use of x_1 in the file is a
// member access, which is how TypeScript's CommonJS output uses imports; undefined otherwise.
export function lazyRequire(source, specifier) {
  const declaration = new RegExp(
    `^const (\\w+) = (__importDefault\\(|__importStar\\()?require\\(${escapeRegExp(JSON.stringify(specifier))}\\)\\)?;$`,
    'm',
  );
  const match = declaration.exec(source);
  if (!match) return undefined;
  const [line, name, helper = ''] = match;
  const before = source.slice(0, match.index);
  const after = source.slice(match.index + line.length);
  const uses = [...`${before}${after}`.matchAll(new RegExp(`\\b${escapeRegExp(name)}\\b(.)`, 'g'))];
  if (uses.some((use) => use[1] !== '.' && use[1] !== '[')) return undefined;
  const load = `${helper}require(${JSON.stringify(specifier)})${helper ? ')' : ''}`;
  return `${before}let ${name}$module; const ${name} = new Proxy({}, { get: (_, key) => (${name}$module ??= ${load})[key] });${after}`;
}

// `const x = new Intl.Segmenter(...);` at a module's top becomes an object that makes the segmenter
// on the first x.segment(): the first Intl.Segmenter of a process loads ICU's break rules (~24 ms).
// Only when every other use of x in the code is x.segment(; undefined otherwise.
export function lazySegmenter(source) {
  const match = /^const (\w+) = new Intl\.Segmenter\(([^)]*)\);$/m.exec(source);
  if (!match) return undefined;
  const [line, name, options] = match;
  const rest = source.slice(0, match.index) + source.slice(match.index + line.length);
  // A use followed by a space and a word is the name in a comment's prose.
  const uses = [...rest.matchAll(new RegExp(`\\b${name}\\b(.{0,9})`, 'g'))].filter((use) => !/^ [a-z]/.test(use[1]));
  if (uses.some((use) => !use[1].startsWith('.segment('))) return undefined;
  return source.replace(line, `let ${name}$instance; const ${name} = { segment: (text) => (${name}$instance ??= new Intl.Segmenter(${options})).segment(text) };`);
}

function replaceText(find, replace) {
  return (source) => (source.includes(find) ? source.replace(find, replace) : undefined);
}

// Text that is its own grapheme clusters, each one column wide: ASCII and the symbols the tree
// draws (box drawing, arrows, check marks). Checked against string-width when the bundle is built
// (narrowStringWidth).
const narrowText = '[\\u0020-\\u007e\\u00b7\\u2014\\u2026\\u2190-\\u2193\\u2139\\u2500-\\u257f\\u25cb\\u26a0\\u2714\\u2716\\u276f]';

const oclifLib = /[\\/]@oclif[\\/]core[\\/]lib[\\/].*\.js$/;

// Plugin discovery by glob and by dependency name, package.json lookup, ejs templates, stack
// cleaning, spinners, flags from stdin, performance marks, the Windows shell probe.
const lazyModules = [
  'tinyglobby',
  'minimatch',
  'lilconfig',
  'ejs',
  'clean-stack',
  'cli-spinners',
  'node:readline',
  'node:perf_hooks',
  'node:child_process',
];

export const rewrites = [
  {
    what: "ink's React DevTools hook (top-level await)",
    file: /[\\/]ink[\\/]build[\\/]reconciler\.js$/,
    rewrite: removeDevelopmentBlocks,
  },
  {
    // The wasm now lives in the synchronous yoga entry; drop the second copy and the
    // import.meta.url it is resolved against (meaningless in a single executable).
    what: "yoga-layout's base64 wasm",
    file: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/,
    rewrite: (source) =>
      dataUri.test(source) && source.includes('import.meta.url')
        ? source.replace(dataUri, '"data:application/octet-stream;base64,"').replace('import.meta.url', 'undefined')
        : undefined,
  },
  {
    // localeCompare loads ICU's collation data (~10 ms) to sort two command ids.
    what: "oclif's command sort",
    file: /[\\/]@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/,
    rewrite: replaceText('.sort((a, b) => a.id.localeCompare(b.id))', '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))'),
  },
  {
    // Help passes every string through ejs, which compiles each with new Function (~20 ms for
    // one help page); a string without template tags renders as itself.
    what: "oclif's help templates",
    file: /[\\/]@oclif[\\/]core[\\/]lib[\\/]help[\\/]util\.js$/,
    rewrite: replaceText(
      'return ejs_1.default.render(t, context);',
      "return t.includes('<%') || t.includes('%>') ? ejs_1.default.render(t, context) : t;",
    ),
  },
  {
    // string-width 4 (oclif's help) compiles emoji-regex, a 10 kB pattern, on its
    // first call; every emoji sequence has a non-ASCII character, so ASCII text skips it.
    what: "string-width's emoji pattern",
    file: /[\\/]string-width[\\/]index\.js$/,
    rewrite: replaceText("string = string.replace(emojiRegex(), '  ');", "if (/[^\\x00-\\x7F]/.test(string)) string = string.replace(emojiRegex(), '  ');"),
  },
  {
    what: "Intl.Segmenter made at import (ink, wrap-ansi, slice-ansi, ansi-tokenize)",
    file: /[\\/](ink[\\/]build[\\/]line-update|wrap-ansi[\\/]index|slice-ansi[\\/]tokenize-ansi|ansi-tokenize[\\/]build[\\/]tokenize)\.js$/,
    rewrite: lazySegmenter,
  },
  {
    // wrap-ansi skips the segmenter for printable ASCII; the tree's symbols are as simple.
    what: "wrap-ansi's one-column text",
    file: /[\\/]ink[\\/]node_modules[\\/]wrap-ansi[\\/]index\.js$/,
    rewrite: replaceText('const ASCII_PRINTABLE_REGEX = /^[ -~]*$/;', `const ASCII_PRINTABLE_REGEX = /^${narrowText}*$/;`),
  },
  {
    // ink's output tokenizes every line it draws; in one-column text and ANSI escapes (controls,
    // each its own grapheme) every character is a grapheme, so the segmenter can be skipped.
    what: "ansi-tokenize's graphemes of one-column text",
    file: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/,
    rewrite: replaceText(
      'for (const { segment, index } of segmenter.segment(str)) {',
      `for (const { segment, index } of (/^${narrowText.slice(0, -1)}\\u001b\\u009b]*$/.test(str) ? Array.from(str, (segment, index) => ({ segment, index })) : segmenter.segment(str))) {`,
    ),
  },
  {
    // oclif asks wsl-utils only whether this is WSL, which wsl-utils re-exports from is-wsl; wsl-utils
    // itself loads child_process (and dgram, net) and powershell-utils for its other exports.
    what: "oclif's WSL check",
    file: /[\\/]@oclif[\\/]core[\\/]lib[\\/]util[\\/]os\.js$/,
    rewrite: replaceText("return (await import('wsl-utils')).isWsl ? 'wsl'", "return (await import('is-wsl')).default ? 'wsl'"),
  },
  ...lazyModules.map((specifier) => ({
    what: `@oclif/core's require of ${specifier}`,
    file: oclifLib,
    rewrite: (source) => lazyRequire(source, specifier),
  })),
];

export const dependencyRewrites = {
  name: 'dependency-rewrites',
  setup(build) {
    const applied = new Set();
    const filter = new RegExp(rewrites.map((rewrite) => rewrite.file.source).join('|'));
    build.onLoad({ filter }, async (args) => {
      let source = await readFile(args.path, 'utf8');
      let changed = false;
      for (const rewrite of rewrites) {
        if (!rewrite.file.test(args.path)) continue;
        const result = rewrite.rewrite(source);
        if (result === undefined) continue; // another version of the package, or not this file
        source = result;
        changed = true;
        applied.add(rewrite);
      }
      return changed ? { contents: source, loader: 'js' } : undefined;
    });
    build.onEnd((result) => {
      if (result.errors.length > 0) return;
      for (const rewrite of rewrites) if (!applied.has(rewrite)) fail(`${rewrite.what}: nothing to rewrite`);
    });
  },
};

// yoga-layout's entry, replaced: the same exports, initialised synchronously.
function yogaEntry(wasmBase64) {
  return `
import loadYoga from '../binaries/yoga-wasm-base64-esm.js';
import wrapAssembly from './wrapAssembly.js';
export * from './generated/YGEnums.js';

const wasm = new WebAssembly.Module(Buffer.from(${JSON.stringify(wasmBase64)}, 'base64'));
const yoga = {
  instantiateWasm(imports, receiveInstance) {
    receiveInstance(new WebAssembly.Instance(wasm, imports));
    return {};
  },
};
loadYoga(yoga);
if (!yoga.calledRun) throw new Error('yoga-layout did not start synchronously');
export default wrapAssembly(yoga);
`;
}

export const synchronousYoga = {
  name: 'synchronous-yoga',
  setup(build) {
    build.onResolve({ filter: /^yoga-layout$/ }, async (args) => {
      if (args.pluginData === 'real') return undefined;
      // Resolve the real entry (respecting the package's exports) to find its directory.
      const real = await build.resolve('yoga-layout', { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'real' });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: 'synchronous-yoga' };
    });
    build.onLoad({ filter: /.*/, namespace: 'synchronous-yoga' }, async (args) => {
      const original = await readFile(args.path, 'utf8');
      if (!original.includes('await loadYoga()')) fail('yoga-layout entry no longer awaits loadYoga()');
      const binary = await readFile(path.join(path.dirname(args.path), '..', 'binaries', 'yoga-wasm-base64-esm.js'), 'utf8');
      const match = dataUri.exec(binary);
      if (!match) fail('yoga-layout binary has no base64 wasm data URI');
      return { contents: yogaEntry(match[1]), loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

// CommonJS packages that our modules import at their top but use only on some paths (yaml: -o
// yaml and -f). Importers see an exports object of getters, the way esbuild already hands a
// CommonJS module to ESM code, so the package is evaluated on the first named-import use.
export function lazyPackages(names) {
  const filter = new RegExp(`^(${names.map(escapeRegExp).join('|')})$`);
  return {
    name: 'lazy-packages',
    setup(build) {
      build.onResolve({ filter }, async (args) => {
        if (args.pluginData === 'real') return undefined;
        const real = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'real' });
        if (real.errors.length > 0) return { errors: real.errors };
        return { path: real.path, namespace: 'lazy-package' };
      });
      build.onLoad({ filter: /.*/, namespace: 'lazy-package' }, (args) => {
        const names = Object.keys(createRequire(args.path)(args.path));
        if (names.length === 0) fail(`${args.path} exports nothing by name`);
        return {
          contents: [
            'let loaded;',
            `const load = () => (loaded ??= require(${JSON.stringify(args.path)}));`,
            `for (const name of ${JSON.stringify(names)}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });`,
          ].join('\n'),
          loader: 'js',
          resolveDir: path.dirname(args.path),
        };
      });
    },
  };
}

// string-width 8 (ink's, slice-ansi's, cli-truncate's) builds an Intl.Segmenter and three Unicode
// property patterns (RGI_Emoji among them) as it is imported: ~20 ms of every tree, the default
// output on a terminal. The tree's text is ASCII and a few symbols one column wide, and such a
// string's width is its length, ANSI colours aside; the wrapper answers that and loads the real
// module for any other text or option. Each symbol is checked against the real module when the
// bundle is built.

async function checkNarrowText(realPath) {
  const { default: realWidth } = await import(pathToFileURL(realPath).href);
  const characters = [];
  for (let code = 0x20; code <= 0x2fff; code++) {
    const character = String.fromCharCode(code);
    if (new RegExp(narrowText).test(character)) characters.push(character);
  }
  const wrong = characters.filter((character) => realWidth(character) !== 1);
  if (wrong.length > 0 || realWidth(characters.join('')) !== characters.length) fail(`string-width counts ${JSON.stringify(wrong.join(''))} wider than one column`);
  // None joins a neighbour into one grapheme (none is a mark, a joiner or a regional indicator).
  const both = characters.join('') + characters.reverse().join('');
  if ([...new Intl.Segmenter().segment(both)].length !== both.length) fail('a one-column character joins its neighbour into one grapheme');
}

export const narrowStringWidth = {
  name: 'narrow-string-width',
  setup(build) {
    const wrapped = new Set();
    build.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData === 'real') return undefined;
      const real = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'real' });
      if (real.errors.length > 0) return { errors: real.errors };
      const { version } = JSON.parse(await readFile(path.join(path.dirname(real.path), 'package.json'), 'utf8'));
      if (!version.startsWith('8.')) return undefined;
      return { path: real.path, namespace: 'narrow-string-width' };
    });
    build.onLoad({ filter: /.*/, namespace: 'narrow-string-width' }, async (args) => {
      await checkNarrowText(args.path);
      wrapped.add(args.path);
      return {
        contents: `
import stripAnsi from 'strip-ansi';
const narrow = /^${narrowText}*$/;
let realWidth;
export default function stringWidth(input, options) {
  const escapes = typeof input === 'string' && (input.includes('\\u001b') || input.includes('\\u009b'));
  if (typeof input === 'string' && options?.ambiguousIsNarrow !== false && !(escapes && options?.countAnsiEscapeCodes)) {
    const text = escapes ? stripAnsi(input) : input;
    if (narrow.test(text)) return text.length;
  }
  realWidth ??= require(${JSON.stringify(args.path)}).default;
  return realWidth(input, options);
}
`,
        loader: 'js',
        resolveDir: path.dirname(args.path),
      };
    });
    build.onEnd((result) => {
      if (result.errors.length === 0 && wrapped.size === 0) fail('no string-width 8 to wrap');
    });
  },
};
