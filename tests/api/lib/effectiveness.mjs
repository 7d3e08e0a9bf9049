// What tests that plant effectiveness results with SQL share (issue 10). Not a test file.
import { rows as sql } from './sql.mjs';

/**
 * Waits (at most 30 s) until no effectiveness_refresh job is running or due, so that a run of the
 * method (which replaces every result) cannot overwrite results planted after it.
 */
export async function effectivenessJobsSettled(server) {
  for (let i = 0; i < 150; i++) {
    const [[n]] = sql(server, "SELECT COUNT(*) FROM jobs WHERE kind = 'effectiveness_refresh' AND (state = 'running' "
      + `OR (state = 'queued' AND run_at <= ${Math.floor(Date.now() / 1000) + 5}))`);
    if (Number(n) === 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('an effectiveness_refresh job is still due or running after 30 s');
}
