// XLSX workbooks for the upload tests, written by openpyxl (/usr/bin/python3: the system
// Python, which has it), independently of the server's reader. Not a test file.
import { spawnSync } from 'node:child_process';

const SCRIPT = `
import datetime, io, json, sys
import openpyxl
spec = json.load(sys.stdin)
wb = openpyxl.Workbook()
ws = wb.active
ws.title = spec.get("title", "Sheet1")
for row in spec["rows"]:
    out = []
    for v in row:
        if isinstance(v, dict) and "date" in v:
            out.append(datetime.date.fromisoformat(v["date"]))
        else:
            out.append(v)
    ws.append(out)
for title in spec.get("more_sheets", []):
    wb.create_sheet(title).append(["not read"])
buf = io.BytesIO()
wb.save(buf)
sys.stdout.buffer.write(buf.getvalue())
`;

/**
 * The bytes of an XLSX workbook whose first sheet holds `rows` (arrays of strings, numbers,
 * booleans, null for an empty cell, or {date: 'YYYY-MM-DD'} for a date cell).
 */
export function makeXlsx(rows, { title, moreSheets = [] } = {}) {
  const r = spawnSync('/usr/bin/python3', ['-c', SCRIPT], {
    input: JSON.stringify({ rows, title, more_sheets: moreSheets }), maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error('openpyxl failed: ' + r.stderr.toString());
  return r.stdout;
}

const READ = `
import io, json, sys
import openpyxl
wb = openpyxl.load_workbook(io.BytesIO(sys.stdin.buffer.read()))
print(json.dumps({ws.title: [[c.value for c in r] for r in ws.iter_rows()] for ws in wb.worksheets},
                 ensure_ascii=False, default=str))
`;

/** Every sheet of the XLSX `bytes` as {title: rows of cell values}, read by openpyxl. */
export function readXlsx(bytes) {
  const r = spawnSync('/usr/bin/python3', ['-c', READ], { input: bytes, maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`openpyxl could not read the workbook: ${r.stderr}`);
  return JSON.parse(r.stdout.toString('utf8'));
}
