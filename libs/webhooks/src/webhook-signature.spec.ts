import { createHmac } from 'node:crypto';
import { signatureHeader, verifySignature } from './webhook-signature';

describe('webhook signatures', () => {
  const body = JSON.stringify({ id: 'e1', type: 'tool.created', createdAt: '2026-12-04T00:00:00.000Z', data: {} });

  it('signs "<t>.<raw body>" with HMAC-SHA256, one v1 per valid secret', () => {
    const header = signatureHeader(['new-secret', 'old-secret'], 1764806400, body);
    const expected = (secret: string) => createHmac('sha256', secret).update(`1764806400.${body}`).digest('hex');
    expect(header).toBe(`t=1764806400,v1=${expected('new-secret')},v1=${expected('old-secret')}`);
    expect(verifySignature(header, body, 'new-secret', 1764806400)).toBe(true);
    expect(verifySignature(header, body, 'old-secret', 1764806400 + 60)).toBe(true);
  });

  it('refuses another secret, a changed body and a stale timestamp', () => {
    const header = signatureHeader(['secret'], 1764806400, body);
    expect(verifySignature(header, body, 'other', 1764806400)).toBe(false);
    expect(verifySignature(header, body + ' ', 'secret', 1764806400)).toBe(false);
    expect(verifySignature(header, body, 'secret', 1764806400 + 301)).toBe(false);
    expect(verifySignature('v1=abc', body, 'secret', 1764806400)).toBe(false);
  });
});
