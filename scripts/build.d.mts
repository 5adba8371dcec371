// Types for build.mjs, so TypeScript programs (bench/run.ts, test/deploy/compose.test.ts) can import it.
/** Compiles src/ to `outdir` (default: dist/ beside src/). */
export function build(outdir?: string): Promise<void>
export function buildIfNeeded(): Promise<void>
