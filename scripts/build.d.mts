// Types for build.mjs, so TypeScript programs (bench/run.ts) can import it.
export function build(): void
export function buildIfNeeded(): void
