// What a management command is: a help line and a run that answers the exit status. cli.ts picks one
// by name.
import type { Config } from '../platform/config.js'

export type Command = { help: string; run(config: Config, args: string[]): Promise<number> }

/** A command-line mistake: printed as is, exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}
