// The job worker and scheduler. Jobs, the outbox and the schedule land with the jobs issue; until then
// there is nothing to run, and the web process does all the work.
export async function main(): Promise<void> {
  console.error(
    'tessera worker: there are no background jobs yet; the web process (npm start) does all the work.',
  )
  process.exitCode = 1
}
