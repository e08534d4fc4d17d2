// Whether argv asks for list mode (`kubectl svc-trace [-A] [-n NS] [-f PATH...]`, no SERVICE or entry),
// read before anything is loaded, so that launch.js can start list mode with a smaller young generation.
// A guess that is wrong in either direction changes only memory and a process start, never what the
// command does: both ways run the same CLI with the same argv.

// The trace command's flags that take a value (commands/trace.ts; a unit test compares the two).
// -f takes every word after it up to the next flag (`-` is stdin), as oclif reads a flag with `multiple: true`.
export const valueFlags = new Set([
  '-n', '--namespace', '--context', '--kubeconfig', '--request-timeout', '--color', '-o', '--output', '--fail-on',
  '--from', '--from-namespace', '--port', '--probe-limit', '--probe-timeout',
]);
export const multipleValueFlags = new Set(['-f', '--filename']);

const subcommands = new Set(['explain', 'assert', 'forward', 'expose']);
const help = new Set(['--help', '-h', '--version', '-v']);

export function isListMode(executable, argv) {
  if (executable !== 'trace' || subcommands.has(argv[0])) return false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') return i === argv.length - 1; // what follows is SERVICE
    if (help.has(word)) return false;
    if (!word.startsWith('-') || word === '-') return false; // SERVICE, ingress/NAME, ...
    if (valueFlags.has(word)) i += 1;
    else if (multipleValueFlags.has(word)) while (i + 1 < argv.length && (argv[i + 1] === '-' || !argv[i + 1].startsWith('-'))) i += 1;
  }
  return true;
}
