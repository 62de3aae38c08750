import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors/ValidationError.js';
import { isLoopback } from '../../src/core/target/loopback.js';
import { parseRunConfig } from '../../src/node/config/index.js';

const AVAILABLE = ['health', 'tokenize', 'spike'];
const parse = (...argv: string[]) => parseRunConfig(argv, AVAILABLE, { HOME: '/home/u' }, '/work');

function refusal(argv: string[]): ValidationError {
  try {
    parse(...argv);
  } catch (err) {
    assert.ok(err instanceof ValidationError, String(err));
    return err;
  }
  assert.fail(`${argv.join(' ')} was accepted`);
}

describe('command-line options', () => {
  it('default to the seed: a server started on 127.0.0.1:8080, the acceptable gate, full size', () => {
    const c = parse('spike');
    assert.deepEqual(
      {
        scenarios: c.scenarios,
        manage: c.manageServer,
        url: c.baseUrl,
        gate: c.gate,
        scale: c.scale,
        out: c.outDir,
        cache: c.cacheDir,
      },
      {
        scenarios: ['spike'],
        manage: true,
        url: 'http://127.0.0.1:8080',
        gate: 'acceptable',
        scale: 1,
        out: '/work/reports',
        cache: '/home/u/.cache/realizar-k6',
      },
    );
  });

  it("'all' runs every scenario in order, 'seed' only the seed's", () => {
    assert.deepEqual(parse('all').scenarios, AVAILABLE);
    assert.deepEqual(parse('seed').scenarios, ['health', 'tokenize', 'spike']);
  });

  it('measure the floor before streamed scenarios unless --no-calibrate', () => {
    assert.equal(parse('health').calibrate, true);
    assert.equal(parse('health', '--calibrate').calibrate, true);
    assert.equal(parse('health', '--no-calibrate').calibrate, false);
  });

  it('--no-server with --port targets that port', () => {
    const c = parse('health', '--no-server', '--port', '9000');
    assert.equal(c.manageServer, false);
    assert.equal(c.baseUrl, 'http://127.0.0.1:9000');
  });

  it('--base-url sets host and port, and a cache folder can be chosen by REALIZAR_K6_CACHE', () => {
    const c = parseRunConfig(
      ['health', '--base-url=http://[::1]:7000/'],
      AVAILABLE,
      { REALIZAR_K6_CACHE: '/tmp/c' },
      '/work',
    );
    assert.deepEqual([c.host, c.port, c.baseUrl, c.cacheDir], ['::1', 7000, 'http://[::1]:7000', '/tmp/c']);
  });

  const refused: Array<[string, string[], string, RegExp]> = [
    ['an unknown scenario', ['healthz'], 'scenario', /one of health, tokenize, spike, seed, all/],
    ['no scenario', [], 'scenario', /one of/],
    ['an unknown flag', ['health', '--verbose'], '--verbose', /a known option/],
    ['a port out of range', ['health', '--port', '70000'], '--port', /1 to 65535/],
    ['a flag without its value', ['health', '--port'], '--port', /a value after the flag/],
    ['a scale of zero', ['health', '--scale', '0'], '--scale', /0 < n <= 1/],
    ['an unknown gate', ['health', '--gate', 'strict'], '--gate', /'acceptable' or 'target'/],
    ['a bad mix', ['spike', '--mix', 'health=x'], '--mix', /endpoint\[=weight\]/],
    ['a base URL that is not http', ['health', '--base-url', 'ftp://x'], '--base-url', /http/],
    [
      '--port that disagrees with --base-url',
      ['health', '--base-url', 'http://127.0.0.1:9000', '--port', '9001'],
      '--port',
      /9000/,
    ],
    ['--server-cmd with --no-server', ['health', '--no-server', '--server-cmd', 'x'], '--server-cmd', /no --no-server/],
    ['a value given to a switch', ['health', '--no-server=yes'], '--no-server', /no value/],
  ];
  for (const [name, argv, source, expected] of refused) {
    it(`refuse ${name}, naming ${source}`, () => {
      const err = refusal(argv);
      assert.equal(err.source, source);
      assert.match(err.problems[0]!.expected, expected);
    });
  }
});

describe('loopback targets', () => {
  for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1'])
    it(`${host} is on this machine`, () => assert.ok(isLoopback(host)));
  for (const host of ['10.0.0.1', '192.168.1.1', 'example.com', '0.0.0.0'])
    it(`${host} is not`, () => assert.ok(!isLoopback(host)));
});

describe('options from REALIZAR_K6_OPTIONS', () => {
  it('are added to the command line', () => {
    const c = parseRunConfig(['health'], AVAILABLE, { REALIZAR_K6_OPTIONS: ' --scale 0.5  --gate target ' }, '/work');
    assert.deepEqual([c.scale, c.gate], [0.5, 'target']);
  });

  it('clash with the same flag on the command line instead of one silently winning', () => {
    assert.throws(
      () => parseRunConfig(['health', '--scale', '1'], AVAILABLE, { REALIZAR_K6_OPTIONS: '--scale 0.5' }, '/work'),
      /--scale: expected the flag once/,
    );
  });

  it('may not name a scenario', () => {
    assert.throws(
      () => parseRunConfig(['health'], AVAILABLE, { REALIZAR_K6_OPTIONS: 'spike' }, '/work'),
      /REALIZAR_K6_OPTIONS: expected options only/,
    );
  });
});

describe('--segments', () => {
  it('splits each scenario over N k6 processes, 1 (not split) by default', () => {
    assert.equal(parse('spike').segments, 1);
    assert.equal(parse('spike', '--segments', '4').segments, 4);
  });

  it('takes 2 to 64 processes, with or without samples (the runners are merged from their windows)', () => {
    assert.match(
      refusal(['spike', '--segments', '1']).message,
      /--segments: expected a whole number from 2 to 64, found '1'/,
    );
    assert.match(refusal(['spike', '--segments', '65']).message, /from 2 to 64/);
    const split = parse('spike', '--segments', '2', '--no-samples');
    assert.deepEqual([split.segments, split.samples], [2, false]);
  });
});

describe('per-request samples', () => {
  it("are off by default: k6's own one-second windows stand in for them; --no-samples says the same", () => {
    assert.equal(parse('spike').samples, false);
    assert.equal(parse('spike', '--no-samples').samples, false);
  });

  it('are written with --samples, and refused beside --no-samples', () => {
    assert.equal(parse('spike', '--samples').samples, true);
    assert.match(
      refusal(['spike', '--samples', '--no-samples']).message,
      /--samples: expected either --samples or --no-samples \(the default\), not both/,
    );
  });

  it("are written when --k6-out takes k6's remote-write output, which the windows would need", () => {
    assert.equal(parse('spike', '--k6-out', 'experimental-prometheus-rw').samples, true);
    assert.equal(parse('spike', '--k6-out', 'json=out.json').samples, false);
    assert.equal(parse('spike', '--k6-out', 'experimental-prometheus-rw', '--no-samples').samples, false);
  });
});
