// What a management command is: a help line and a run that answers the exit status. cli.ts picks one
// by name and prints a UsageError it throws.
import { type ParseArgsConfig, parseArgs } from 'node:util'
import type { Config } from '../platform/config.js'

export type Command = { help: string; run(config: Config, args: string[]): Promise<number> }

/** A command-line mistake: printed as is, exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** A command's `--flags` (nothing else on the line); an unknown or malformed one is a UsageError. */
export function readFlags<Options extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: Options,
  usage: string,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${usage}`)
  }
}
