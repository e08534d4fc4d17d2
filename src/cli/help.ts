// Help that shows usage as users type it: `kubectl svc-trace [SERVICE]` (trace is the default
// command, not a word to type) and `kubectl svc-explain SERVICE` when run as svc-explain.

import { CommandHelp, Help } from '@oclif/core';
import type { Command } from '@oclif/core';

class UsageAsTyped extends CommandHelp {
  protected override usage(): string {
    const usage = super.usage().replace('svc-trace trace ', 'svc-trace ');
    return process.env.SVC_TRACE_EXECUTABLE === 'explain' ? usage.replace('svc-trace explain ', 'svc-explain ') : usage;
  }
}

export default class SvcTraceHelp extends Help {
  protected override getCommandHelpClass(command: Command.Loadable): CommandHelp {
    return new UsageAsTyped(command, this.config, this.opts);
  }
}
