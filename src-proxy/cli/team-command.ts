// `switchyard team status`: asks the gateway running on this data folder for its team's picture.

import { connectToRunningServer } from './control-file.js';
import { UsageError, type CliIo } from './io.js';
import { describeTeam } from './wording.js';

export async function teamCommand(args: string[], dataDir: string, io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'status' || rest.length > 0) throw new UsageError('Usage: switchyard team status');
  const running = await connectToRunningServer(dataDir);
  if (!running) {
    io.err(`switchyard: no switchyard serve is running on ${dataDir}; start one (with --redis to join a team) and ask again.`);
    return 1;
  }
  const status = await running.api.getStatus();
  for (const line of describeTeam(status.team, Date.now())) io.out(line);
  return 0;
}
