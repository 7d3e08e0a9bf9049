// A small SMTP server for the tests (node's net module): speaks enough SMTP for libcurl (EHLO or
// HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and records each message it accepts. `refuse` set to
// a 5xx reply makes it answer MAIL FROM with it, so that a sender's delivery fails.
import { createServer } from 'node:net';

/** Decodes RFC 2047 encoded-words (B and Q, UTF-8) in a header value. */
export function decodeHeader(value) {
  return value.replace(/\r?\n[ \t]/g, ' ').replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=(\s+(?==\?))?/gi, (_, enc, text) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));
}

/** Headers (lower-case names, unfolded raw values) and the decoded body of a raw message. */
export function parseMessage(raw) {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split), bodyText = raw.slice(split + 4);
  const headers = {};
  for (const line of head.split(/\r\n(?![ \t])/)) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const body = /base64/i.test(headers['content-transfer-encoding'] || '')
    ? Buffer.from(bodyText.replace(/\s+/g, ''), 'base64').toString('utf8') : bodyText;
  return { headers, subject: decodeHeader(headers.subject || ''), body };
}

/** Starts the sink on 127.0.0.1 (a free port). Returns { url, messages, refuse, close() }. */
export async function startSmtpSink() {
  const sink = { messages: [], refuse: null, sessions: 0 };
  const server = createServer((socket) => {
    sink.sessions += 1;
    socket.setEncoding('utf8');
    let buffer = '', inData = false, data = '', from = null, to = [];
    const reply = (line) => socket.write(line + '\r\n');
    reply('220 sink.test ESMTP ready');
    socket.on('data', (chunk) => {
      buffer += chunk;
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          const atStart = data === '' && buffer.startsWith('.\r\n');
          if (end < 0 && !atStart) return;
          const cut = atStart ? 0 : end + 2;
          data += buffer.slice(0, cut);
          buffer = buffer.slice(cut + 3);
          inData = false;
          const raw = data.replace(/^\.\./gm, '.');
          sink.messages.push({ from, to, raw, ...parseMessage(raw) });
          data = '';
          reply('250 2.0.0 queued');
          continue;
        }
        const nl = buffer.indexOf('\r\n');
        if (nl < 0) return;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') reply('250-sink.test\r\n250-8BITMIME\r\n250 SIZE 10485760');
        else if (verb === 'HELO') reply('250 sink.test');
        else if (verb === 'MAIL') {
          if (sink.refuse) { reply(sink.refuse); continue; }
          from = /<([^>]*)>/.exec(line)?.[1] ?? null;
          to = [];
          reply('250 2.1.0 ok');
        } else if (verb === 'RCPT') { to.push(/<([^>]*)>/.exec(line)?.[1]); reply('250 2.1.5 ok'); }
        else if (verb === 'DATA') { inData = true; data = ''; reply('354 end data with <CR><LF>.<CR><LF>'); }
        else if (verb === 'RSET') { from = null; to = []; reply('250 ok'); }
        else if (verb === 'NOOP') reply('250 ok');
        else if (verb === 'QUIT') { reply('221 bye'); socket.end(); return; }
        else reply('502 5.5.2 command not implemented');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  sink.url = `smtp://127.0.0.1:${server.address().port}`;
  sink.close = () => new Promise((ok) => server.close(ok));
  /** Waits until `n` messages have arrived (or throws after ms). */
  sink.waitFor = async (n, ms = 15000) => {
    const deadline = Date.now() + ms;
    while (sink.messages.length < n) {
      if (Date.now() > deadline) throw new Error(`${sink.messages.length} of ${n} message(s) arrived in ${ms} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return sink.messages;
  };
  return sink;
}
