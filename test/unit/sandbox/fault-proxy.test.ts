import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFaultRates, startFaultProxy } from '../../../infra/sandbox/fault-proxy.ts';

describe('SANDBOX_FAULTS', () => {
  it('reads a share per service', () => {
    expect(parseFaultRates('ses:0.3,sqs-send:0.1, sms:0.2')).toEqual({ ses: 0.3, 'sqs-send': 0.1, sms: 0.2 });
    expect(parseFaultRates(undefined)).toEqual({});
    expect(parseFaultRates('')).toEqual({});
  });

  it.each(['dynamodb:0.5', 'ses:1.5', 'ses:', 'ses', 'ses:abc', 'ses:0.1:2'])(
    'refuses %s with a reason',
    (text) => {
      expect(() => parseFaultRates(text)).toThrow(/SANDBOX_FAULTS/);
    },
  );
});

describe('the fault proxy', () => {
  let emulator: Server;
  let target: string;
  const received: string[] = [];
  beforeAll(async () => {
    emulator = createServer((request, response) => {
      received.push(`${request.method} ${request.url} ${request.headers['x-amz-target'] ?? ''}`.trim());
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => emulator.listen(0, '127.0.0.1', () => resolve()));
    const address = emulator.address();
    target = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    emulator.closeAllConnections();
    await new Promise((resolve) => emulator.close(resolve));
  });

  it('fails only SQS sends, in the JSON error shape the SDK parses, and forwards everything else', async () => {
    const proxy = await startFaultProxy({ service: 'sqs-send', target, failureRate: 1 });
    try {
      const call = (action: string) =>
        fetch(`${proxy.endpoint}/`, {
          method: 'POST',
          headers: { 'x-amz-target': `AmazonSQS.${action}`, 'content-type': 'application/x-amz-json-1.0' },
          body: '{}',
        });
      const send = await call('SendMessageBatch');
      expect(send.status).toBe(500);
      expect(send.headers.get('x-amzn-query-error')).toBe('InternalError;Receiver');
      expect(await send.json()).toMatchObject({ __type: 'com.amazonaws.sqs#InternalError' });
      expect((await call('ReceiveMessage')).status).toBe(200);
      expect(received).toEqual(['POST / AmazonSQS.ReceiveMessage']);
      expect(proxy.stats()).toEqual({ calls: 1, failed: 1 });
    } finally {
      await proxy.stop();
    }
  });

  it('fails the given share of SES calls as throttling or server errors', async () => {
    const draws = [0.1, 0, 0.9, 0.5, 0.2, 0.7];
    const proxy = await startFaultProxy({
      service: 'ses',
      target,
      failureRate: 0.3,
      random: () => draws.shift() ?? 0.99,
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) {
        const response = await fetch(`${proxy.endpoint}/v2/email/outbound-emails`, {
          method: 'POST',
          body: '{}',
        });
        statuses.push(response.status);
        if (response.status === 429)
          expect(response.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
      }
      // 0.1 fails and 0 picks the 429; 0.9 and 0.5 pass; 0.2 fails and 0.7 picks the 500.
      expect(statuses).toEqual([429, 200, 200, 500]);
      expect(proxy.stats()).toEqual({ calls: 4, failed: 2 });
      // The emulator's own pages are never failed.
      expect((await fetch(`${proxy.endpoint}/store`)).status).toBe(200);
    } finally {
      await proxy.stop();
    }
  });
});
