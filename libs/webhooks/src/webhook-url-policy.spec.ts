import { ipv6Bytes, isPrivateAddress, webhookUrlProblem } from './webhook-url-policy';

describe('webhook URL policy (SSRF)', () => {
  it.each([
    'http://hooks.example.com/x',
    'https://127.0.0.1/x',
    'https://10.1.2.3/x',
    'https://172.20.0.1/x',
    'https://192.168.1.1/x',
    'https://169.254.169.254/latest/meta-data',
    'https://0.0.0.0/x',
    'https://100.64.0.1/x',
    'https://localhost/x',
    'https://LOCALHOST./x',
    'https://api.localhost/x',
    'https://metadata.google.internal/x',
    'https://printer.local/x',
    'https://intranet/x',
    'https://[::1]/x',
    'https://[::]/x',
    'https://[::ffff:127.0.0.1]/x',
    'https://[::ffff:7f00:1]/x',
    'https://[::ffff:169.254.169.254]/x',
    'https://[fe80::1]/x',
    'https://[fd00:ec2::254]/x',
    'https://[fc00::1]/x',
    'https://[64:ff9b::a9fe:a9fe]/x',
    'https://[2002:7f00:1::]/x',
    'https://2130706433/x',
    'https://0x7f000001/x',
    'https://0177.0.0.1/x',
    'https://127.1/x',
    'https://user:pass@hooks.example.com/x',
    'ftp://hooks.example.com/x',
    'not a url',
    `https://hooks.example.com/${'a'.repeat(2000)}`,
  ])('refuses %s without WEBHOOKS_ALLOW_PRIVATE', (url) => {
    expect(webhookUrlProblem(url, false)).not.toBeNull();
  });

  it.each([
    'https://hooks.example.com/stackgate',
    'https://8.8.8.8/x',
    'https://[2606:4700::1111]/x',
    'https://hooks.example.com:8443/a?b=c',
  ])('accepts %s', (url) => expect(webhookUrlProblem(url, false)).toBeNull());

  it('allows http:// and loopback with WEBHOOKS_ALLOW_PRIVATE, never other schemes', () => {
    expect(webhookUrlProblem('http://127.0.0.1:8080/hook', true)).toBeNull();
    expect(webhookUrlProblem('http://localhost:8080/hook', true)).toBeNull();
    expect(webhookUrlProblem('file:///etc/passwd', true)).not.toBeNull();
  });

  it('classifies resolved addresses (the delivery-time check)', () => {
    for (const address of [
      '127.0.0.1',
      '10.0.0.1',
      '::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      'fe80::1%eth0',
      'fd12::1',
      'ff02::1',
      'garbage',
    ])
      expect(isPrivateAddress(address)).toBe(true);
    for (const address of ['93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(isPrivateAddress(address)).toBe(false);
  });

  it('expands IPv6 literals', () => {
    expect(ipv6Bytes('::1')).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(ipv6Bytes('::ffff:1.2.3.4')?.slice(10)).toEqual([0xff, 0xff, 1, 2, 3, 4]);
    expect(ipv6Bytes('2001:db8::8:800:200c:417a')?.slice(0, 4)).toEqual([0x20, 0x01, 0x0d, 0xb8]);
  });
});
