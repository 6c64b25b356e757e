// A tiny SMTP server on 127.0.0.1 that keeps every mail it is given, so a browser test
// can read the mail the real server sent (mail_mode = smtp) and follow its link.
// It speaks just enough ESMTP for libcurl: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
import { createServer } from 'node:net';

/** One received mail: envelope, headers (lower-case names), text body. */
function parseMail(from, to, raw) {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split + 4);
  const headers = {};
  // Folded header lines (starting with a blank) continue the previous header.
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { from, to, headers, subject: headers.subject || '', text: body.replace(/\r\n/g, '\n') };
}

function session(socket, onMail) {
  let buffer = '';
  let inData = false;
  let data = [];
  let from = null;
  let to = [];
  const reply = (line) => socket.write(line + '\r\n');

  const command = (line) => {
    const verb = line.split(' ', 1)[0].toUpperCase();
    const address = () => (/<([^>]*)>/.exec(line) || [])[1] ?? line.slice(line.indexOf(':') + 1).trim();
    switch (verb) {
      case 'EHLO': reply('250-sink.local'); reply('250 8BITMIME'); break;
      case 'HELO': reply('250 sink.local'); break;
      case 'MAIL': from = address(); to = []; reply('250 OK'); break;
      case 'RCPT': to.push(address().toLowerCase()); reply('250 OK'); break;
      case 'DATA': inData = true; data = []; reply('354 End data with <CR><LF>.<CR><LF>'); break;
      case 'RSET': from = null; to = []; reply('250 OK'); break;
      case 'NOOP': reply('250 OK'); break;
      case 'QUIT': reply('221 Bye'); socket.end(); break;
      default: reply('502 Command not implemented');
    }
  };

  const dataLine = (line) => {
    if (line === '.') {
      inData = false;
      onMail(parseMail(from, to, data.join('\r\n')));
      reply('250 OK queued');
      return;
    }
    data.push(line.startsWith('..') ? line.slice(1) : line); // undo dot-stuffing
  };

  socket.setEncoding('utf8');
  socket.on('data', (chunk) => {
    buffer += chunk;
    for (let end; (end = buffer.indexOf('\r\n')) >= 0;) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (inData) dataLine(line);
      else command(line);
    }
  });
  socket.on('error', () => {}); // a client that hangs up early is not the test's concern
  reply('220 sink.local ESMTP test sink');
}

export async function startSmtpSink() {
  const mails = [];
  const waiters = new Set();
  const sockets = new Set();
  const srv = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    session(socket, (mail) => {
      mails.push(mail);
      for (const w of waiters) w();
    });
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const matches = (m, to, subject) => (!to || m.to.includes(to.toLowerCase())) && (!subject || m.subject === subject);
  return {
    port: srv.address().port,
    mails,
    /** The first mail to `to` with `subject` (both optional), waiting for it up to `timeout` ms. */
    waitFor({ to, subject, timeout = 15000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = mails.find((x) => matches(x, to, subject));
          if (!m) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(m);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no mail to ${to} with subject "${subject}"; have ${JSON.stringify(mails.map((x) => [x.to, x.subject]))}`));
        }, timeout);
        if (!check()) waiters.add(check);
      });
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((r) => srv.close(r));
    },
  };
}

/** The link a watchparty mail asks to open ("Or open <url>"). */
export function mailLink(mail) {
  const m = /^Or open (\S+)$/m.exec(mail.text);
  if (!m) throw new Error(`no link in the mail:\n${mail.text}`);
  return m[1];
}
