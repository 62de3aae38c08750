/**
 * The response validators, each built in a VU the first time a body of its kind is judged. They are
 * ajv's standalone code, one generated module per schema of schemas/api (build/codegen.ts), which
 * esbuild wraps so that a module's top level runs at its first `require`: k6 evaluates a script's top
 * level in every VU, and every validator built there cost each VU its functions and schema objects
 * (docs/performance.md), whether the run sent to that endpoint or not.
 */
import type {
  BatchGenerateResponse,
  BatchTokenizeResponse,
  GenerateResponse,
  HealthResponse,
  OpenAIChatCompletionResponse,
  OpenAICompletionResponse,
  OpenAIModelsResponse,
  TokenizeResponse,
} from '../../generated/types.js';

/** k6's CommonJS require; in a bundle, esbuild's call of the module's wrapper. */
declare function require(id: string): unknown;

/** Each response schema (schemas/api/<name>.schema.json) and the body it describes. */
export interface ResponseBodies {
  health: HealthResponse;
  tokenize: TokenizeResponse;
  generate: GenerateResponse;
  'batch-tokenize': BatchTokenizeResponse;
  'batch-generate': BatchGenerateResponse;
  'openai-completion': OpenAICompletionResponse;
  'openai-chat-completion': OpenAIChatCompletionResponse;
  'openai-models': OpenAIModelsResponse;
}
export type ResponseSchema = keyof ResponseBodies;

type Validate = (data: unknown) => boolean;

/**
 * A schema's validator, loaded in a VU at its first use. One object per schema, each naming its
 * module literally: esbuild bundles a module only where an endpoint the script carries uses its
 * validator (src/core/plan/client-features.ts), and each module it bundles costs every VU its wrapper.
 */
export interface Validator<S extends ResponseSchema> {
  schema: S;
  load: () => Validate;
}

/** Each generated module's exports. */
type Health = typeof import('../../generated/api/health.cjs');
type Tokenize = typeof import('../../generated/api/tokenize.cjs');
type Generate = typeof import('../../generated/api/generate.cjs');
type BatchTokenize = typeof import('../../generated/api/batch-tokenize.cjs');
type BatchGenerate = typeof import('../../generated/api/batch-generate.cjs');
type Completion = typeof import('../../generated/api/openai-completion.cjs');
type ChatCompletion = typeof import('../../generated/api/openai-chat-completion.cjs');
type Models = typeof import('../../generated/api/openai-models.cjs');

export const HEALTH: Validator<'health'> = {
  schema: 'health',
  load: () => (require('../../generated/api/health.cjs') as Health).validateHealthResponse,
};
export const TOKENIZE: Validator<'tokenize'> = {
  schema: 'tokenize',
  load: () => (require('../../generated/api/tokenize.cjs') as Tokenize).validateTokenizeResponse,
};
export const GENERATE: Validator<'generate'> = {
  schema: 'generate',
  load: () => (require('../../generated/api/generate.cjs') as Generate).validateGenerateResponse,
};
export const BATCH_TOKENIZE: Validator<'batch-tokenize'> = {
  schema: 'batch-tokenize',
  load: () => (require('../../generated/api/batch-tokenize.cjs') as BatchTokenize).validateBatchTokenizeResponse,
};
export const BATCH_GENERATE: Validator<'batch-generate'> = {
  schema: 'batch-generate',
  load: () => (require('../../generated/api/batch-generate.cjs') as BatchGenerate).validateBatchGenerateResponse,
};
export const OPENAI_COMPLETION: Validator<'openai-completion'> = {
  schema: 'openai-completion',
  load: () => (require('../../generated/api/openai-completion.cjs') as Completion).validateOpenAICompletionResponse,
};
export const OPENAI_CHAT_COMPLETION: Validator<'openai-chat-completion'> = {
  schema: 'openai-chat-completion',
  load: () =>
    (require('../../generated/api/openai-chat-completion.cjs') as ChatCompletion).validateOpenAIChatCompletionResponse,
};
export const OPENAI_MODELS: Validator<'openai-models'> = {
  schema: 'openai-models',
  load: () => (require('../../generated/api/openai-models.cjs') as Models).validateOpenAIModelsResponse,
};

const built: { [S in ResponseSchema]?: Validate } = {};

/** Whether `body` is what the schema promises; its validator is built on the first call, in this VU. */
export function matches<S extends ResponseSchema>(v: Validator<S>, body: unknown): body is ResponseBodies[S] {
  return (built[v.schema] ??= v.load())(body);
}
