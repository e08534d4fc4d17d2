// Runs the CLI from the single executable: package.json, the commands and the help class are
// compiled in, so oclif reads no package.json and looks for no commands, plugins or help on disk.

import { Config, Plugin, ux, type Command, type HelpBase, type Interfaces } from '@oclif/core';
import { normalizeArgv } from '@oclif/core/help';
import { helpAddition, versionAddition } from '@oclif/core/run';

export interface Embedded {
  pjson: Interfaces.PJSON;
  commands: Record<string, Command.Class>;
  help: new (config: Interfaces.Config, options?: Partial<Interfaces.HelpOptions>) => HelpBase;
}

export async function loadEmbeddedConfig(root: string, embedded: Embedded): Promise<Config> {
  const plugin = new Plugin({ root, pjson: embedded.pjson, isRoot: true, ignoreManifest: true });
  // The explicit command strategy imports `oclif.commands.target` once and caches its export;
  // seeding that cache hands oclif the bundled commands instead of a file to import.
  Object.assign(plugin, { commandCache: embedded.commands });
  await plugin.load();
  return Config.load({
    root,
    pjson: embedded.pjson,
    plugins: new Map([[plugin.name, plugin]]),
    userPlugins: false,
    devPlugins: false,
  });
}

// What oclif's run() does for this CLI (no hooks, no topics), with the help class passed in
// rather than imported from the path in package.json.
export async function runEmbedded(argv: string[], root: string, embedded: Embedded): Promise<void> {
  const config = await loadEmbeddedConfig(root, embedded);
  if (versionAddition(argv, config)) {
    ux.stdout(config.userAgent);
    return;
  }
  if (helpAddition(argv, config)) {
    await new embedded.help(config, config.pjson.oclif.helpOptions).showHelp(argv);
    return;
  }
  const [id, ...rest] = normalizeArgv(config, argv);
  await config.runCommand(id!, rest);
}
