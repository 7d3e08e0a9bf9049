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
