/**
 * The JSON Schemas of a scenario file's own endpoints, compiled before the run by ajv into
 * standalone validators (CommonJS, as build/codegen.ts makes the built-in ones), which the bundler
 * puts into the k6 script: k6 never compiles a schema, and a schema ajv refuses is named before
 * anything starts.
 */
import { ValidationError } from '../../core/errors/ValidationError.js';
import type { DeclaredEndpoint } from '../../core/types.js';
import type { OwnValidators } from '../../../build/own-bundle.js';

export async function compileOwnValidators(
  endpoints: readonly DeclaredEndpoint[],
  source: string,
): Promise<OwnValidators | null> {
  const withSchema = endpoints.flatMap((e, i) => (e.schema === undefined ? [] : [{ e, i, schema: e.schema }]));
  if (withSchema.length === 0) return null;
  // Loaded only here: most runs have no schema of their own to compile.
  const { default: Ajv } = await import('ajv');
  const { default: standaloneCode } = await import('ajv/dist/standalone/index.js');
  // A misspelt keyword is an error, not a check skipped in silence; ajv's stricter rules about
  // well-formed schemas (a `type` beside every `properties`, say) are left to the schema's author.
  // First error only, as the built-in validators (a response is good or bad). Formats are not
  // checked: ajv knows none without a plugin.
  const ajv = new Ajv.default({
    code: { source: true },
    allErrors: false,
    strictSchema: true,
    strictNumbers: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    validateFormats: false,
  });
  const exports: Record<string, string> = {};
  for (const { e, i, schema } of withSchema) {
    const key = `urn:realizar-k6:own:${e.name}`;
    try {
      ajv.addSchema(schema, key);
      // Compiles now: a schema ajv refuses is said here, naming the endpoint.
      ajv.getSchema(key);
    } catch (err) {
      throw new ValidationError(source, [
        {
          path: `/endpoints/${i}/schema`,
          expected: `a JSON Schema (draft-07) for the responses of endpoint ${e.name}`,
          found: (err as Error).message,
        },
      ]);
    }
    exports[e.name] = `v${i}`;
  }
  const ids = Object.fromEntries(Object.entries(exports).map(([name, id]) => [id, `urn:realizar-k6:own:${name}`]));
  return { code: standaloneCode.default(ajv, ids), exports };
}
