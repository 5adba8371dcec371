// Where the browser tests' server listens and keeps its data (emails land under mail/).
import { fileURLToPath } from 'node:url'

export const E2E_PORT = Number(process.env.E2E_PORT ?? 8123)
export const E2E_DATA_DIR = fileURLToPath(new URL('../test-results/e2e-data', import.meta.url))
