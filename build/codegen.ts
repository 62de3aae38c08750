/**
 * Code generation from the JSON Schemas in schemas/: each data shape is defined once, as a schema,
 * and everything else is derived from it here, at build time:
 *
 *   schemas/**.schema.json ─┬─ json-schema-to-typescript ─► src/generated/types.ts
 *                           └─ ajv standalone ─► src/generated/file-validators.cjs (+ .d.cts)
 *                                             └► src/generated/api/<schema>.cjs (+ .d.cts), one per response
 *
 * The validators are precompiled so that k6 never compiles a schema: k6 runs init code once per VU,
 * and ajv's compiler also needs `new Function`, which we do not want in the load generator's hot path.
 * They are emitted as CommonJS because ajv's standalone ESM output can still contain `require()` for
 * its runtime helpers; esbuild bundles the CommonJS for k6, and Node loads it natively.
 */
import { readdir, readFile, mkdir, stat, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { INSTALLED } from '../src/node/files/paths.js';
// ajv and json-schema-to-typescript (with its formatter) are loaded only when code is generated:
// every command checks staleness first, and loading them costs each start about a second of CPU and
// a hundred MB of memory (measured on the runner).

export const ROOT = path.resolve(import.meta.dirname, '..');
export const SCHEMA_DIR = path.join(ROOT, 'schemas');
export const GENERATED_DIR = path.join(ROOT, 'src', 'generated');

/**
 * The Node module of validators: exported name → schema $id. It reports every error, for messages that
 * list all that is wrong in a thresholds file.
 */
export const VALIDATOR_MODULES = {
  'file-validators': {
    allErrors: true,
    exports: {
      validateThresholdsFile: 'urn:realizar-k6:thresholds',
      validateScenarioPlan: 'urn:realizar-k6:plan',
      validateReport: 'urn:realizar-k6:report',
      validateK6Summary: 'urn:realizar-k6:k6-summary',
      validateK6OperatorTestRun: 'urn:realizar-k6:k6-operator-testrun',
      validateServerProfile: 'urn:realizar-k6:server-profile',
      validateSweepReport: 'urn:realizar-k6:sweep',
      validateRunContext: 'urn:realizar-k6:run',
      validateRunnerRecord: 'urn:realizar-k6:runner',
      validateWorkloadLine: 'urn:realizar-k6:workload-line',
      validateScenarioDeclaration: 'urn:realizar-k6:scenario-declaration',
    },
  },
} as const;

/**
 * What the load generator checks on every response, one module per schema (src/generated/api/<name>.cjs,
 * <name> the last part of its $id), each stopping at the first error (a response is good or bad, the k6
 * check needs no more). One module each, because k6 evaluates a script's top level in every VU: a VU
 * builds the validators of the endpoints it sends to, at their first use (src/k6/lib/validators.ts),
 * and no other.
 */
export const API_VALIDATORS = {
  validateHealthResponse: 'urn:realizar-k6:api:health',
  validateTokenizeResponse: 'urn:realizar-k6:api:tokenize',
  validateGenerateResponse: 'urn:realizar-k6:api:generate',
  validateBatchTokenizeResponse: 'urn:realizar-k6:api:batch-tokenize',
  validateBatchGenerateResponse: 'urn:realizar-k6:api:batch-generate',
  validateOpenAICompletionResponse: 'urn:realizar-k6:api:openai-completion',
  validateOpenAIChatCompletionResponse: 'urn:realizar-k6:api:openai-chat-completion',
  validateOpenAIModelsResponse: 'urn:realizar-k6:api:openai-models',
} as const;

/** The module of one API validator, under src/generated. */
export const apiValidatorModule = (id: string): string => `api/${id.slice(id.lastIndexOf(':') + 1)}`;

/** Every module of validators: path under src/generated (no extension) → its exports and ajv's allErrors. */
function validatorModules(): Array<{ module: string; allErrors: boolean; exports: Record<string, string> }> {
  return [
    ...Object.entries(VALIDATOR_MODULES).map(([module, m]) => ({ module, ...m })),
    ...Object.entries(API_VALIDATORS).map(([name, id]) => ({
      module: apiValidatorModule(id),
      allErrors: false,
      exports: { [name]: id },
    })),
  ];
}

interface SchemaFile {
  file: string;
  schema: Record<string, unknown> & { $id: string; title: string };
}

async function listSchemaFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listSchemaFiles(full)));
    else if (entry.name.endsWith('.schema.json')) out.push(full);
  }
  return out.sort();
}

async function loadSchemas(): Promise<SchemaFile[]> {
  const files = await listSchemaFiles(SCHEMA_DIR);
  const loaded: SchemaFile[] = [];
  for (const file of files) {
    const schema = JSON.parse(await readFile(file, 'utf8')) as SchemaFile['schema'];
    if (typeof schema.$id !== 'string' || typeof schema.title !== 'string') {
      throw new Error(
        `${path.relative(ROOT, file)}: a schema needs "$id" and "title" (the title names the TypeScript type)`,
      );
    }
    loaded.push({ file, schema });
  }
  return loaded;
}

/**
 * json-schema-to-typescript resolves $ref through files or URLs; our cross-schema refs are URNs.
 * So the schemas are folded into one document whose definitions are the schemas themselves, with
 * every $ref rewritten to point inside it. One pass, one file, no resolver.
 */
function foldForTypes(schemas: SchemaFile[]): Record<string, unknown> {
  const nameOfId = new Map(schemas.map((s) => [s.schema.$id, s.schema.title]));
  const rewrite = (node: unknown, owner: string): unknown => {
    if (Array.isArray(node)) return node.map((n) => rewrite(n, owner));
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (key === '$id' || key === '$schema') continue;
      if (key === '$ref' && typeof value === 'string') {
        const [id = '', fragment = ''] = value.split('#');
        const inside = fragment.startsWith('/') ? fragment : '';
        if (id === '' && inside !== '') out[key] = `#/definitions/${owner}${inside}`;
        else if (nameOfId.has(id)) out[key] = `#/definitions/${nameOfId.get(id)}${inside}`;
        else throw new Error(`unresolvable $ref ${value} in schema ${owner}`);
        continue;
      }
      out[key] = rewrite(value, owner);
    }
    return out;
  };
  const definitions: Record<string, unknown> = {};
  for (const { schema } of schemas) definitions[schema.title] = rewrite(schema, schema.title);
  return {
    title: 'GeneratedRoot',
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(schemas.map((s) => [s.schema.title, { $ref: `#/definitions/${s.schema.title}` }])),
    definitions,
  };
}

const HEADER = '/* Generated by build/codegen.ts from schemas/. Do not edit: change the schema and rebuild. */\n';

/** Atomic, so a reader (tsc, esbuild, a parallel run) never sees half a file. */
async function writeAtomic(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, file);
}

export async function generate(): Promise<void> {
  const { default: Ajv } = await import('ajv');
  const { default: standaloneCode } = await import('ajv/dist/standalone/index.js');
  const { compile } = await import('json-schema-to-typescript');
  const schemas = await loadSchemas();
  await mkdir(GENERATED_DIR, { recursive: true });

  // Types.
  const ts = await compile(foldForTypes(schemas) as never, 'GeneratedRoot', {
    bannerComment: HEADER,
    additionalProperties: false,
    unreachableDefinitions: true,
    strictIndexSignatures: true,
    // minItems would turn arrays into tuple types that ordinary array code cannot produce.
    ignoreMinAndMaxItems: true,
    format: true,
  });
  // The synthetic root only exists to reach every definition.
  const types = ts.replace(/export interface GeneratedRoot \{[\s\S]*?\n\}\n/, '');
  await writeAtomic(path.join(GENERATED_DIR, 'types.ts'), types);

  // Validators.
  const titleOfId = new Map(schemas.map((s) => [s.schema.$id, s.schema.title]));
  await mkdir(path.join(GENERATED_DIR, 'api'), { recursive: true });
  for (const { module, allErrors, exports } of validatorModules()) {
    const ajv = new Ajv.default({ code: { source: true }, allErrors, strict: true });
    // json-schema-to-typescript's keyword for a type a schema cannot spell (an open set of names).
    ajv.addKeyword('tsType');
    for (const { schema } of schemas) ajv.addSchema(schema);
    const code = standaloneCode.default(ajv, { ...exports });
    await writeAtomic(path.join(GENERATED_DIR, `${module}.cjs`), HEADER + code);

    const declared = Object.entries(exports).map(([name, id]) => {
      const title = titleOfId.get(id);
      if (!title) throw new Error(`validator ${name}: no schema has $id ${id}`);
      return `export declare const ${name}: GeneratedValidator<${title}>;`;
    });
    const titles = [...new Set(Object.values(exports).map((id) => titleOfId.get(id)!))].sort();
    const up = module.includes('/') ? '../' : './';
    await writeAtomic(
      path.join(GENERATED_DIR, `${module}.d.cts`),
      `${HEADER}import type { ${titles.join(', ')} } from '${up}types.js';
import type { GeneratedValidator } from '${up}validator.js';

${declared.join('\n')}
`,
    );
  }
  await writeAtomic(
    path.join(GENERATED_DIR, 'validator.ts'),
    `${HEADER}
/** One ajv error, as ajv reports it (the fields this toolkit reads). */
export interface GeneratedValidationError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** An ajv standalone validate function: a type guard that leaves its errors on itself. */
export interface GeneratedValidator<T> {
  (data: unknown): data is T;
  errors?: GeneratedValidationError[] | null;
}
`,
  );
}

/** True when a generated file is missing or older than a schema (or than this file). */
export async function isStale(): Promise<boolean> {
  const outputs = [
    'types.ts',
    'validator.ts',
    ...validatorModules().flatMap(({ module }) => [`${module}.cjs`, `${module}.d.cts`]),
  ].map((f) => path.join(GENERATED_DIR, f));
  let oldestOutput = Infinity;
  for (const out of outputs) {
    const s = await stat(out).catch(() => null);
    if (!s) return true;
    oldestOutput = Math.min(oldestOutput, s.mtimeMs);
  }
  const inputs = [...(await listSchemaFiles(SCHEMA_DIR)), import.meta.filename];
  for (const input of inputs) {
    if ((await stat(input)).mtimeMs > oldestOutput) return true;
  }
  return false;
}

export async function generateIfStale(): Promise<boolean> {
  // An installed package carries the code generated when it was packed, and nothing is written
  // into node_modules.
  if (INSTALLED) return false;
  if (!(await isStale())) return false;
  await generate();
  return true;
}
