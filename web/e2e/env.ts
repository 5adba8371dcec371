// Where the browser tests' server listens and keeps its data (emails land under mail/), and the
// platform admin that e2e/server.mjs creates with `createsuperuser` before it starts. E2E_PORT and
// E2E_DATA_DIR move the server, so two runs (with their own --output) can go side by side.
import { fileURLToPath } from 'node:url'

export const E2E_PORT = Number(process.env.E2E_PORT ?? 8123)
export const E2E_DATA_DIR =
  process.env.E2E_DATA_DIR ?? fileURLToPath(new URL('../test-results/e2e-data', import.meta.url))

export const E2E_SUPERUSER = {
  username: 'e2e_root',
  email: 'root@e2e.tessera.example',
  password: 'Quartz-Meadow-root-e2e-58',
}
