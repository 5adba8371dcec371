// Types for build.mjs, so TypeScript programs (bench/run.ts) can import it.
export function build(): Promise<void>
export function buildIfNeeded(): Promise<void>
