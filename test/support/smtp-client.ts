// The smallest SMTP client a test needs: one message to the sandbox's SMTP_PORT, each reply checked.
import { Socket } from 'node:net';

export async function sendMail(
  port: number,
  envelope: { from: string; to: string[] },
  raw: string,
): Promise<void> {
  const socket = new Socket();
  const lines: string[] = [];
  let waiting: (() => void) | null = null;
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    let end = buffer.indexOf('\r\n');
    while (end >= 0) {
      lines.push(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\r\n');
    }
    waiting?.();
  });
  /** The next complete reply (the last line of a multi-line one has a space after the code). */
  const reply = async (): Promise<string> => {
    for (;;) {
      const index = lines.findIndex((line) => /^\d{3} /.test(line));
      if (index >= 0) return lines.splice(0, index + 1).at(-1)!;
      await new Promise<void>((resolve) => {
        waiting = resolve;
      });
    }
  };
  const expectReply = async (command: string | null, code: string) => {
    if (command !== null) socket.write(`${command}\r\n`);
    const answer = await reply();
    if (!answer.startsWith(code)) throw new Error(`SMTP ${command ?? 'greeting'}: ${answer}`);
  };
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.connect(port, '127.0.0.1', () => resolve());
  });
  try {
    await expectReply(null, '220');
    await expectReply('EHLO test.example', '250');
    await expectReply(`MAIL FROM:<${envelope.from}>`, '250');
    for (const to of envelope.to) await expectReply(`RCPT TO:<${to}>`, '250');
    await expectReply('DATA', '354');
    // Dot-stuffing: a line starting with "." gets a second one.
    socket.write(`${raw.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..')}\r\n.\r\n`);
    await expectReply(null, '250');
    await expectReply('QUIT', '221');
  } finally {
    socket.destroy();
  }
}
