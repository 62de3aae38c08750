/**
 * A scenario file of one's own (`npx realizar-k6 run ./loadtests/my-chat.ts`), read before anything
 * starts: bundled for its declaration (build/own-bundle.ts), run in a context of its own where
 * defineScenario hands the declaration over (src/k6/api/define.ts), then checked as the toolkit's
 * own scenarios are — the declaration against schemas/scenario-declaration.schema.json, its
 * thresholds (inline, beside the file as <name>.thresholds.json, or in --thresholds-dir) against
 * schemas/thresholds.schema.json, its endpoints' schemas compiled. Every mistake is a
 * ValidationError naming the file and the field; src/node/run/plans.ts then checks its plan with
 * the run's flags.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { ValidationError, type ValidationProblem } from '../../core/errors/ValidationError.js';
import { problemsOf } from '../../core/errors/schema-errors.js';
import type { ScenarioShape } from '../../core/plan/scenario-shapes.js';
import { BUILTIN_ENDPOINTS, checkThresholdsFile } from '../../core/rules/thresholds.js';
import type { DeclaredEndpoint, ScenarioDeclaration, ThresholdsFile } from '../../core/types.js';
import { validateScenarioDeclaration, validateThresholdsFile } from '../../generated/file-validators.cjs';
import type { OwnValidators } from '../../../build/own-bundle.js';
import { shown } from '../files/paths.js';
import { compileOwnValidators } from './own-validators.js';
import { listScenarios, loadThresholds } from '../run/scenarios.js';

export interface OwnScenario {
  /** The scenario file, absolute. */
  file: string;
  /** Its name: the file's base name. */
  name: string;
  shape: ScenarioShape;
  endpoints: DeclaredEndpoint[];
  thresholds: ThresholdsFile;
  /** Where the thresholds came from, for messages. */
  thresholdsSource: string;
  validators: OwnValidators | null;
}

const SCRIPT = /\.(ts|mts|js|mjs)$/;

/** A run's scenario argument that names a file rather than a built-in scenario. */
export function isScenarioFile(text: string): boolean {
  return text.includes('/') || text.includes(path.sep) || SCRIPT.test(text);
}

/** A scenario argument naming a file: the scenario's name (the file's base name) and the file, absolute. */
export function scenarioFileOf(text: string | undefined, cwd: string): { name: string; file: string } | null {
  if (text === undefined || !isScenarioFile(text)) return null;
  return { name: path.basename(text).replace(/\.[^.]*$/, ''), file: path.resolve(cwd, text) };
}

/** The hook the declaration comes through (src/k6/api/define.ts). */
const DECLARE_HOOK = '__realizarK6Declare';

function fail(source: string, problem: ValidationProblem): never {
  throw new ValidationError(source, [problem]);
}

/** Run the declaration's bundle; what defineScenario was given, as plain data. */
async function readDeclaration(file: string, source: string): Promise<unknown> {
  const { bundleForDeclaration } = await import('../../../build/own-bundle.js');
  const code = await bundleForDeclaration(file).catch((err: unknown) => {
    const first = (err as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> })
      .errors?.[0];
    if (first === undefined) throw err;
    const where = first.location == null ? '' : `${first.location.file}:${first.location.line}: `;
    return fail(source, { path: '', expected: 'a scenario file esbuild can bundle', found: `${where}${first.text}` });
  });
  const declared: unknown[] = [];
  const dir = path.dirname(file);
  const silent = { log() {}, info() {}, warn() {}, error() {}, debug() {} };
  const context = {
    [DECLARE_HOOK]: (d: unknown) => declared.push(JSON.parse(JSON.stringify(d))),
    __ENV: { ...process.env },
    __VU: 0,
    __ITER: 0,
    // k6's open(), relative to the script as k6 resolves it.
    open: (p: string, mode?: string) => readFileSync(path.resolve(dir, p), mode === 'b' ? undefined : 'utf8'),
    console: silent,
  };
  try {
    vm.runInNewContext(code, context, { filename: file, timeout: 10_000 });
  } catch (err) {
    const e = err as { name?: string; source?: string; problems?: ValidationProblem[]; message?: string };
    if (e?.name === 'ValidationError' && Array.isArray(e.problems))
      throw new ValidationError(`${source} (${e.source ?? 'defineScenario'})`, e.problems);
    fail(source, {
      path: '',
      expected: 'init code that runs (the file is read once before the run)',
      found: `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`,
    });
  }
  if (declared.length !== 1)
    fail(source, {
      path: '',
      expected: 'one call of defineScenario (from realizar-k6/k6)',
      found: `${declared.length}`,
    });
  return declared[0];
}

/** What the schema cannot say: endpoint names of its own, one body function each, a mix of known endpoints. */
function checkEndpoints(d: ScenarioDeclaration, source: string): string[] {
  const problems: ValidationProblem[] = [];
  const own: string[] = [];
  d.endpoints.forEach((e, i) => {
    if (BUILTIN_ENDPOINTS.includes(e.name) || own.includes(e.name))
      problems.push({
        path: `/endpoints/${i}/name`,
        expected: `a name of its own (not ${[...BUILTIN_ENDPOINTS, ...own].join(', ')})`,
        found: `'${e.name}'`,
      });
    own.push(e.name);
    if (e.body && e.prompted === true)
      problems.push({
        path: `/endpoints/${i}`,
        expected: "one body function: body (the request number) or prompted (the run's prompt and the number)",
        found: 'both',
      });
  });
  const known = [...BUILTIN_ENDPOINTS, ...own];
  d.mix.forEach((m, i) => {
    if (!known.includes(m.endpoint))
      problems.push({
        path: `/mix/${i}/endpoint`,
        expected: `an endpoint (${known.join(', ')})`,
        found: `'${m.endpoint}'`,
      });
  });
  if (problems.length > 0) throw new ValidationError(source, problems);
  return known;
}

/** Thresholds from --thresholds-dir, else inline, else <name>.thresholds.json beside the file. */
async function thresholdsOf(o: {
  d: ScenarioDeclaration;
  file: string;
  name: string;
  source: string;
  endpoints: readonly string[];
  thresholdsDir: string | null;
}): Promise<{ thresholds: ThresholdsFile; source: string }> {
  const beside = path.join(path.dirname(o.file), `${o.name}.thresholds.json`);
  const file =
    o.thresholdsDir !== null ? path.join(o.thresholdsDir, `${o.name}.json`) : existsSync(beside) ? beside : null;
  if (o.thresholdsDir !== null || (o.d.thresholds === undefined && file !== null)) {
    return { thresholds: await loadThresholds(o.name, file!, o.endpoints), source: shown(file!) };
  }
  if (o.d.thresholds === undefined)
    fail(o.source, {
      path: '/thresholds',
      expected: `thresholds: inline in defineScenario, or in ${shown(beside)}`,
      found: 'neither',
    });
  const inline = { scenario: o.name, ...o.d.thresholds };
  const at = (problems: ValidationProblem[]): ValidationProblem[] =>
    problems.map((p) => ({ ...p, path: `/thresholds${p.path}` }));
  if (!validateThresholdsFile(inline))
    throw new ValidationError(o.source, at(problemsOf(validateThresholdsFile.errors ?? [], inline)));
  const problems = checkThresholdsFile(inline, o.name, o.endpoints);
  if (problems.length > 0) throw new ValidationError(o.source, at(problems));
  // Later checks (a rule's phase against the plan, src/core/plan/plan.ts) point into them by this name.
  return { thresholds: inline, source: `${o.source}, its thresholds` };
}

async function load(file: string, thresholdsDir: string | null): Promise<OwnScenario> {
  const source = shown(file);
  if (!existsSync(file)) fail(source, { path: '', expected: 'a scenario file (.ts or .js)', found: 'no such file' });
  const name = path.basename(file).replace(SCRIPT, '');
  if (!/^[a-z][a-z0-9-]*$/.test(name))
    fail(source, {
      path: '',
      expected: "a file name of lowercase letters, digits and dashes ending in .ts or .js (it is the scenario's name)",
      found: `'${path.basename(file)}'`,
    });
  const builtIn = await listScenarios();
  if (builtIn.includes(name))
    fail(source, {
      path: '',
      expected: `a name no built-in scenario has (${builtIn.join(', ')})`,
      found: `'${name}'`,
    });
  const data = await readDeclaration(file, source);
  if (!validateScenarioDeclaration(data))
    throw new ValidationError(source, problemsOf(validateScenarioDeclaration.errors ?? [], data));
  const endpoints = checkEndpoints(data, source);
  const { thresholds, source: thresholdsSource } = await thresholdsOf({
    d: data,
    file,
    name,
    source,
    endpoints,
    thresholdsDir,
  });
  return {
    file,
    name,
    shape: {
      name,
      description: data.description,
      mix: data.mix,
      mixable: data.mixable,
      phases: data.phases,
      ...(data.stream ? { stream: true as const } : {}),
    },
    endpoints: data.endpoints,
    thresholds,
    thresholdsSource,
    validators: await compileOwnValidators(data.endpoints, source),
  };
}

const loaded = new Map<string, Promise<OwnScenario>>();

/** The scenario file, read and checked once per process (the run's command and its plan both ask). */
export function loadOwnScenario(file: string, thresholdsDir: string | null): Promise<OwnScenario> {
  const key = `${path.resolve(file)}\n${thresholdsDir ?? ''}`;
  let p = loaded.get(key);
  if (p === undefined) loaded.set(key, (p = load(path.resolve(file), thresholdsDir)));
  return p;
}

/** Its k6 scripts: bundleDir/<name>.js (run on its own, k6 cloud) and the runner's build. */
export async function bundleOwn(own: OwnScenario, bundleDirs: { bundleDir: string; runnerBundleDir: string }) {
  const { bundleOwnScenario } = await import('../../../build/own-bundle.js');
  const common = { file: own.file, name: own.name, thresholds: own.thresholds, validators: own.validators };
  return {
    script: await bundleOwnScenario({ ...common, outDir: bundleDirs.bundleDir, houseBlock: true }),
    runnerScript: await bundleOwnScenario({ ...common, outDir: bundleDirs.runnerBundleDir, houseBlock: false }),
  };
}

/** The k6 script, house block included, of a built-in scenario or a scenario file: k6 cloud, the k6-operator. */
export async function bundledScript(scenario: string, file: string | null): Promise<string> {
  const own = file === null ? null : await loadOwnScenario(file, null);
  const { buildAll } = await import('../../../build/index.js');
  const built = await buildAll({ scenarios: [scenario] });
  return own === null ? path.join(built.bundleDir, `${scenario}.js`) : (await bundleOwn(own, built)).script;
}
