// The SES emulator's front door, on SES_PORT: aws-ses-v2-local answers the SESv2 sends, its inbox
// (GET /, GET /store) and SES v1 SendEmail/SendRawEmail, but leaves any other SES v1 call hanging
// (`aws ses get-send-quota` waited 3 minutes for a read timeout) and answers unknown SESv2 calls with a
// bare `<UnknownOperationException/>`. This answers the v1 calls the CLI commonly makes, and turns
// everything else into an immediate error that says what the sandbox does implement.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';

const implemented =
  'The sandbox SES (aws-ses-v2-local) implements sesv2 send-email, list-email-identities and the email templates, ' +
  'ses send-email, send-raw-email, get-send-quota and list-identities; sent mail is at GET /store';

const xml = (body: string) =>
  `<?xml version="1.0"?>\n${body.replace('<ResponseMetadata/>', `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>`)}`;

/** SES v1 query-protocol answers for the read calls people try first. */
const v1Answers: Record<string, (sender: string) => string> = {
  GetSendQuota: () =>
    `<GetSendQuotaResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><GetSendQuotaResult><Max24HourSend>200.0</Max24HourSend><MaxSendRate>1.0</MaxSendRate><SentLast24Hours>0.0</SentLast24Hours></GetSendQuotaResult><ResponseMetadata/></GetSendQuotaResponse>`,
  ListIdentities: (sender) =>
    `<ListIdentitiesResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><ListIdentitiesResult><Identities><member>${sender}</member></Identities></ListIdentitiesResult><ResponseMetadata/></ListIdentitiesResponse>`,
  GetAccountSendingEnabled: () =>
    `<GetAccountSendingEnabledResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><GetAccountSendingEnabledResult><Enabled>true</Enabled></GetAccountSendingEnabledResult><ResponseMetadata/></GetAccountSendingEnabledResponse>`,
};

function v1Error(response: ServerResponse, action: string): void {
  response.writeHead(400, { 'content-type': 'text/xml' });
  response.end(
    xml(
      `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>UnsupportedOperation</Code><Message>${action} is not supported by the SES emulator. ${implemented}.</Message></Error><ResponseMetadata/></ErrorResponse>`,
    ),
  );
}

export async function startSesFront(options: {
  port: number;
  host: string;
  /** aws-ses-v2-local's own origin, e.g. http://127.0.0.1:41234. */
  target: string;
  sender: () => string;
}): Promise<{ port: number; stop(): Promise<void> }> {
  const target = new URL(options.target);
  const forward = (incoming: IncomingMessage, body: Buffer, outgoing: ServerResponse) => {
    const upstream = request(
      {
        hostname: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: target.host, 'content-length': String(body.length) },
      },
      (answer) => {
        // An SESv2 call the emulator has no route for: say so in the SDK's error format, at once.
        if (answer.statusCode === 404 && (incoming.url ?? '').startsWith('/v2/')) {
          answer.resume();
          outgoing.writeHead(400, {
            'content-type': 'application/json',
            'x-amzn-errortype': 'UnsupportedOperation',
          });
          outgoing.end(
            JSON.stringify({
              message: `${incoming.method} ${incoming.url} is not supported by the SES emulator. ${implemented}.`,
            }),
          );
          return;
        }
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end('The SES emulator did not answer');
    });
    upstream.end(body);
  };

  const server: Server = createServer(async (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const isV1 =
      incoming.method === 'POST' &&
      (incoming.url ?? '/') === '/' &&
      String(incoming.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded');
    if (isV1) {
      const action = new URLSearchParams(body.toString('utf8')).get('Action') ?? '(none)';
      if (action === 'SendEmail' || action === 'SendRawEmail') return forward(incoming, body, outgoing);
      const answer = v1Answers[action];
      if (!answer) return v1Error(outgoing, action);
      outgoing.writeHead(200, { 'content-type': 'text/xml' });
      return outgoing.end(xml(answer(options.sender())));
    }
    if (incoming.method === 'GET' && (incoming.url ?? '').split('?')[0] === '/v2/email/identities') {
      outgoing.writeHead(200, { 'content-type': 'application/json' });
      return outgoing.end(
        JSON.stringify({
          EmailIdentities: [
            {
              IdentityType: 'EMAIL_ADDRESS',
              IdentityName: options.sender(),
              SendingEnabled: true,
              VerificationStatus: 'SUCCESS',
            },
          ],
        }),
      );
    }
    return forward(incoming, body, outgoing);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
