import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  aliasDomainFrom,
  CONNECTIONS_PER_HOST,
  hostResolverRule,
  originsInUse,
  slotOrigins,
  STREAM_ALIAS_DOMAIN,
} from '../../src/core/stream/hosts.js';
import { BROWSER_PAGE_TIMEOUT_SEC } from '../../src/core/contract.js';
import { browserEnv } from '../../src/node/k6/k6.js';

describe('host names for concurrent streams', () => {
  it('maps every name under the alias domain to the server, keeping the port the URL gives', () => {
    assert.equal(hostResolverRule('http://127.0.0.1:8080'), `MAP *.${STREAM_ALIAS_DOMAIN} 127.0.0.1`);
    assert.equal(hostResolverRule('http://[::1]:9000/'), `MAP *.${STREAM_ALIAS_DOMAIN} [::1]`);
    assert.equal(hostResolverRule('https://localhost'), `MAP *.${STREAM_ALIAS_DOMAIN} localhost`);
  });

  it('reads the alias domain back from the browser flags, and nothing from flags without the rule', () => {
    const args = `disable-gpu,host-resolver-rules=${hostResolverRule('http://127.0.0.1:8080')},disable-web-security`;
    assert.equal(aliasDomainFrom(args), STREAM_ALIAS_DOMAIN);
    assert.equal(aliasDomainFrom('disable-gpu,no-sandbox'), null);
    assert.equal(aliasDomainFrom(undefined), null);
  });

  it('never puts more than 6 streams on one host', () => {
    const origins = slotOrigins('http://127.0.0.1:8080', 32, 'x.test');
    assert.equal(origins.length, 32);
    const { origins: hosts, perOrigin } = originsInUse(origins);
    assert.equal(hosts.length, Math.ceil(32 / CONNECTIONS_PER_HOST));
    assert.ok(perOrigin.every((n) => n <= CONNECTIONS_PER_HOST));
    assert.equal(
      perOrigin.reduce((a, b) => a + b, 0),
      32,
    );
    assert.equal(origins[0], 'http://s0.x.test:8080');
    assert.equal(origins[31], 'http://s5.x.test:8080');
  });

  it("uses the server's own origin for every stream without an alias domain", () => {
    assert.deepEqual(slotOrigins('http://[::1]:9000/v1', 3, null), [
      'http://[::1]:9000',
      'http://[::1]:9000',
      'http://[::1]:9000',
    ]);
    assert.throws(() => slotOrigins('ftp://x', 1, null), /not an http\(s\) URL/);
  });
});

describe("the browser a streamed run's k6 starts", () => {
  const withEnv = <T>(value: string | undefined, f: () => T): T => {
    const saved = process.env['K6_BROWSER_TIMEOUT'];
    if (value === undefined) delete process.env['K6_BROWSER_TIMEOUT'];
    else process.env['K6_BROWSER_TIMEOUT'] = value;
    try {
      return f();
    } finally {
      if (saved === undefined) delete process.env['K6_BROWSER_TIMEOUT'];
      else process.env['K6_BROWSER_TIMEOUT'] = saved;
    }
  };

  it('resolves the alias domain to the server and gives Chromium 60 s to open a page', () => {
    const env = withEnv(undefined, () => browserEnv('http://127.0.0.1:8080'));
    assert.equal(env['K6_BROWSER_TIMEOUT'], `${BROWSER_PAGE_TIMEOUT_SEC}s`);
    assert.equal(env['K6_BROWSER_TIMEOUT'], '60s');
    assert.match(env['K6_BROWSER_ARGS']!, new RegExp(`host-resolver-rules=MAP \\*\\.${STREAM_ALIAS_DOMAIN}`));
  });

  it("keeps the user's own K6_BROWSER_TIMEOUT", () => {
    assert.equal(withEnv('2m', () => browserEnv())['K6_BROWSER_TIMEOUT'], '2m');
    assert.equal(withEnv('', () => browserEnv())['K6_BROWSER_TIMEOUT'], '60s');
  });
});
