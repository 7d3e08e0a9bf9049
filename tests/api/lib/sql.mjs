// Runs SQL directly against a test database (a --db value: sqlite:PATH or a postgres:// URL)
// with the databases' own command-line clients, for tests that must plant or inspect rows the
// API cannot (e.g. rows from the past). Not a test file: node --test only runs *.test.mjs.
import { execFileSync } from 'node:child_process';

/** Runs `statement`; returns its rows, each an array of text values. */
export function sql(db, statement) {
  const out = db.startsWith('sqlite:')
    ? execFileSync('sqlite3', ['-batch', '-noheader', '-separator', '\t', '-cmd', '.timeout 10000', db.slice('sqlite:'.length), statement],
      { encoding: 'utf8' })
    : execFileSync('psql', [db, '-X', '-q', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', statement], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

/** The single value of a one-row, one-column query, as a number. */
export function sqlNumber(db, statement) {
  const rows = sql(db, statement);
  if (rows.length !== 1 || rows[0].length !== 1) throw new Error(`${statement}: ${JSON.stringify(rows)}`);
  return Number(rows[0][0]);
}

/** sql() on a started server's database (its --db): the rows, each an array of text values. */
export const rows = (server, statement) => sql(server.db, statement);
