/**
 * The two builds of a scenario script (build/bundle.ts): dist/k6/<name>.js runs on its own and
 * prints the house report block; dist/k6-runner/<name>.js, which the runner runs, leaves that code
 * out, so every VU compiles less, and says what it needs when run without the runner. Real k6 and
 * a real Realizar.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildAll } from '../../build/index.js';
import { bundleForRun } from '../../build/bundle.js';
import { parseRunConfig } from '../../src/node/config/index.js';
import { resolveK6, resolveRealizar } from '../../src/node/tools/tools.js';
import { freePort, removeDir, tempDir } from '../support/cli.js';
import { HEALTH_RUN } from '../support/plan-settings.js';

const K6_TIMEOUT_MS = 120_000;

describe('the scenario scripts, on their own and as the runner runs them', () => {
  let k6 = '';
  let baseUrl = '';
  let server: ChildProcess | null = null;
  let built: Awaited<ReturnType<typeof buildAll>>;

  before(async () => {
    built = await buildAll();
    const { cacheDir } = parseRunConfig(['--help'], []);
    k6 = (await resolveK6({ flagPath: null, cacheDir })).path;
    const realizar = await resolveRealizar({ cacheDir });
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    server = spawn(realizar.path, ['serve', '--demo', '--host', '127.0.0.1', '--port', String(port)], {
      stdio: 'ignore',
    });
    const deadline = Date.now() + 60_000;
    while (
      !(await fetch(`${baseUrl}/health`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      assert.ok(Date.now() < deadline, 'Realizar did not become healthy');
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  after(() => {
    server?.kill('SIGKILL');
  });

  const k6Run = (script: string, env: readonly string[]) =>
    spawnSync(
      k6,
      [
        'run',
        '--no-usage-report',
        '--address',
        '127.0.0.1:0',
        '-e',
        `BASE_URL=${baseUrl}`,
        ...env.flatMap((e) => ['-e', e]),
        script,
      ],
      {
        encoding: 'utf8',
        timeout: K6_TIMEOUT_MS,
        env: { ...process.env, K6_NO_COLOR: 'true' },
      },
    );

  /** A copy of the runner's health.js, as the test edited it, beside the runner's init file, run by k6. */
  async function runCopy(
    label: string,
    script: string,
    shape: { clients: number; requests: number },
    check: (r: ReturnType<typeof k6Run>, out: string) => Promise<void>,
  ): Promise<void> {
    const out = await tempDir(label);
    try {
      await writeFile(path.join(out, 'health.js'), script);
      await writeFile(
        path.join(out, 'scenario-init.js'),
        await readFile(path.join(built.runnerBundleDir, 'scenario-init.js'), 'utf8'),
      );
      const env = [`OUT_DIR=${out}`, `SHAPE_CLIENTS=${shape.clients}`, `SHAPE_REQUESTS=${shape.requests}`];
      const r = k6Run(path.join(out, 'health.js'), env);
      assert.equal(r.status, 0, r.stderr.slice(-3000));
      await check(r, out);
    } finally {
      await removeDir(out);
    }
  }

  it('dist/k6/health.js run by plain k6 prints the house report block', () => {
    const r = k6Run(path.join(built.bundleDir, 'health.js'), []);
    assert.equal(r.status, 0, r.stderr.slice(-3000));
    assert.match(r.stdout, /^--- health: /m);
  });

  it("the runner's build is the script less the report code, writing summary and plan to a given folder", async () => {
    const full = path.join(built.bundleDir, 'health.js');
    const lean = path.join(built.runnerBundleDir, 'health.js');
    const fullText = await readFile(full, 'utf8');
    const leanText = await readFile(lean, 'utf8');
    assert.match(fullText, /function renderScenario\(/);
    assert.doesNotMatch(leanText, /function renderScenario\(/);
    assert.doesNotMatch(leanText, /function convertScenario\(/);
    assert.ok(
      statSync(lean).size < statSync(full).size * 0.85,
      `${statSync(lean).size} bytes against ${statSync(full).size}`,
    );

    const out = await tempDir('bundles');
    try {
      const r = k6Run(lean, [`OUT_DIR=${out}`, 'GATE=acceptable', 'SCALE=1']);
      assert.equal(r.status, 0, r.stderr.slice(-3000));
      assert.doesNotMatch(r.stdout, /^--- health: /m);
      assert.ok(
        existsSync(path.join(out, 'summary.json')) && existsSync(path.join(out, 'plan.json')),
        'summary.json and plan.json written',
      );
    } finally {
      await removeDir(out);
    }
  });

  it("the runner's script leaves the plan to its init file, which only k6's first init evaluates", async () => {
    const lean = path.join(built.runnerBundleDir, 'health.js');
    const leanText = await readFile(lean, 'utf8');
    assert.doesNotMatch(leanText, /function resolvePlan\(/);
    assert.doesNotMatch(leanText, /function k6Thresholds\(/);
    const initText = await readFile(path.join(built.runnerBundleDir, 'scenario-init.js'), 'utf8');
    assert.match(initText, /function resolvePlan\(/);

    // A copy of both files whose init file says when it is evaluated: by the init k6 runs first and
    // by the one it runs handleSummary in (both VU 0), never by the 4 clients.
    const out = await tempDir('bundles-init');
    try {
      await writeFile(path.join(out, 'health.js'), leanText);
      await writeFile(
        path.join(out, 'scenario-init.js'),
        `console.log('init file evaluated by VU ' + __VU);\n${initText}`,
      );
      const r = k6Run(path.join(out, 'health.js'), [`OUT_DIR=${out}`, 'SHAPE_CLIENTS=4', 'SHAPE_REQUESTS=8']);
      assert.equal(r.status, 0, r.stderr.slice(-3000));
      const evaluated = r.stderr.match(/init file evaluated by VU \d+/g) ?? [];
      assert.ok(evaluated.length >= 1 && evaluated.length <= 2, evaluated.join('; '));
      assert.ok(
        evaluated.every((e) => e.endsWith('VU 0')),
        evaluated.join('; '),
      );
      const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as {
        metrics: Record<string, { values: Record<string, number> }>;
      };
      assert.equal(summary.metrics['http_reqs']?.values['count'], 8);
      const plan = JSON.parse(await readFile(path.join(out, 'plan.json'), 'utf8')) as { phases: { clients: number }[] };
      assert.equal(plan.phases[0]?.clients, 4);
    } finally {
      await removeDir(out);
    }
  });

  it("the runner's clients parse no thresholds; one's own scenario reads them on demand", async () => {
    const leanText = await readFile(path.join(built.runnerBundleDir, 'health.js'), 'utf8');
    // Copies whose clients say, at their first request, how their plan's thresholds reached them.
    const said = (text: string): string =>
      text.replace(
        /^var (health_default\d*) = scenario\.run;$/m,
        (_, name: string) =>
          `var ${name} = () => { if (__ITER === 0) console.log("client " + __VU + ": thresholds " + ` +
          '(!("thresholds" in scenario.plan) ? "absent, 0" : (Object.getOwnPropertyDescriptor(scenario.plan, ' +
          '"thresholds").get ? "on demand, " : "parsed, ") + scenario.plan.thresholds.rules.length) + " rules"); ' +
          'return scenario.run(); };',
      );
    const builtin = said(leanText);
    assert.notEqual(builtin, leanText, 'the default function marked');
    // The same scenario given as an object, as a scenario file of one's own gives it (src/k6/api/define.ts).
    const ownLike = said(
      leanText.replace(
        /^var scenario = builtinScenario\("health", (health_default\d*)\);$/m,
        (_, text: string) =>
          'var scenario = defineScenario({ ...require("./scenario-init.js").SCENARIO_SHAPES.health, ' +
          `thresholds: JSON.parse(${text}) });`,
      ),
    );
    assert.notEqual(ownLike, builtin, 'the scenario given as an object');
    for (const [copy, text, how] of [
      ['bundles-thresholds', builtin, 'absent'],
      ['bundles-thresholds-own', ownLike, 'on demand'],
    ] as const) {
      await runCopy(copy, text, { clients: 2, requests: 4 }, async (r, out) => {
        const plan = JSON.parse(await readFile(path.join(out, 'plan.json'), 'utf8')) as {
          thresholds: { rules: unknown[] };
        };
        assert.ok(plan.thresholds.rules.length > 0, 'plan.json has the thresholds');
        const lines = r.stderr.match(/client \d+: thresholds [a-z ]+, \d+ rules/g) ?? [];
        assert.equal(lines.length, 2, r.stderr.slice(-3000));
        const rules = how === 'absent' ? 0 : plan.thresholds.rules.length;
        for (const line of lines) assert.match(line, new RegExp(`${how}, ${rules} rules$`));
      });
    }
  });

  it("the runner's clients build only what their plan sends to: one validator, no route or metric table", async () => {
    const leanText = await readFile(path.join(built.runnerBundleDir, 'health.js'), 'utf8');
    for (const table of ['ROUTES', 'SERVERS', 'METRICS', 'SERVER_CLOCK_METRICS'])
      assert.doesNotMatch(leanText, new RegExp(`\\bvar ${table} = `), `${table} in the script`);
    // A copy whose generated validator modules each say when a VU evaluates them.
    const marked = leanText
      .replace(
        /("src\/generated\/api\/([a-z-]+)\.cjs"\(exports\) \{)/g,
        (_, head: string, name: string) => `${head} console.log("validator ${name} built by VU " + __VU);`,
      )
      .replace(/^function metric\(key\) \{/m, (head) => `${head} console.log("metric " + key + " made");`);
    assert.notEqual(marked.match(/ made"\);/g), null, 'the metric maker marked');
    assert.equal(marked.match(/ built by VU /g)?.length, 8, 'the eight response validators, each in a module');
    await runCopy('bundles-validators', marked, { clients: 4, requests: 8 }, async (r, out) => {
      const builds = r.stderr.match(/validator [a-z-]+ built by VU \d+/g) ?? [];
      // Each client that judged a body built the health validator, once; nothing else was built.
      assert.ok(builds.length >= 1 && builds.length <= 4, builds.join('; '));
      assert.ok(
        builds.every((b) => b.startsWith('validator health ') && !b.endsWith(' VU 0')),
        builds.join('; '),
      );
      assert.equal(new Set(builds).size, builds.length, builds.join('; '));
      const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as {
        metrics: Record<string, { values: Record<string, number> }>;
      };
      assert.equal(summary.metrics['request_failed']?.values['fails'], 8, 'every body judged good');
      const made = r.stderr.match(/metric [A-Za-z0-9]+ made/g) ?? [];
      assert.ok(made.length > 0, 'the clients made their metrics');
      const joins = made.filter((m) => m.startsWith('metric serverClock'));
      assert.deepEqual(joins, [], 'health checks make none of the join metrics');
    });
  });

  it("a run's own build leaves out what its plan lacks, and refuses a plan that needs more, naming it", async () => {
    const script = await bundleForRun('health', built.runnerBundleDir, null, HEALTH_RUN);
    assert.equal(path.basename(script), 'health.with-none.sends-realizar-health.js');
    const full = await readFile(path.join(built.runnerBundleDir, 'health.js'), 'utf8');
    const lean = await readFile(script, 'utf8');
    // One function of each feature: the workload's, the objectives', a drawn schedule's, the answers' join.
    for (const fn of ['runConversation', 'isGood', 'awaitDue', 'recordRequestClock', 'parseServerTiming']) {
      assert.match(full, new RegExp(`^function ${fn}\\(`, 'm'), `${fn} in the build with every feature`);
      assert.doesNotMatch(lean, new RegExp(`^function ${fn}\\(`, 'm'), `${fn} left out`);
    }
    // The other API's endpoints, and the validators of endpoints the run does not send.
    for (const part of [
      'function openaiEndpoint(',
      'exports.validateTokenizeResponse',
      'exports.validateOpenAIModelsResponse',
    ]) {
      assert.ok(full.includes(part), `${part} in the build with every feature`);
      assert.ok(!lean.includes(part), `${part} left out`);
    }
    assert.ok(lean.includes('exports.validateHealthResponse'), 'the health validator kept');
    const out = await tempDir('bundles-features');
    try {
      const shape = [`OUT_DIR=${out}`, 'SHAPE_CLIENTS=2', 'SHAPE_REQUESTS=4'];
      const ran = k6Run(script, shape);
      assert.equal(ran.status, 0, ran.stderr.slice(-3000));
      const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as {
        metrics: Record<string, { values: Record<string, number> }>;
      };
      assert.equal(summary.metrics['requests_ok']?.values['count'], 4, 'every request sent, judged and counted');
      const refused = k6Run(script, [...shape, 'GOODPUT=latency<200']);
      assert.notEqual(refused.status, 0);
      assert.match(
        refused.stderr,
        /this script of scenario health was bundled for a run without goodput, which its plan needs/,
      );
      assert.doesNotMatch(refused.stderr, /http_reqs/);
      const otherApi = k6Run(script, [...shape, 'API=openai']);
      assert.notEqual(otherApi.status, 0);
      assert.match(otherApi.stderr, /bundled for a run without the openai API, which its plan needs/);
    } finally {
      await removeDir(out);
    }
  });

  it("the runner's build without an output folder stops at once, naming -e OUT_DIR and the script to run", () => {
    const r = k6Run(path.join(built.runnerBundleDir, 'health.js'), []);
    assert.notEqual(r.status, 0);
    assert.match(
      r.stderr,
      new RegExp(
        /this build of scenario health is the runner's and needs -e OUT_DIR=<folder> /.source +
          /for its summary; run dist\/k6\/health\.js on its own/.source,
      ),
    );
    assert.doesNotMatch(r.stderr, /http_reqs/);
  });
});
