/**
 * The validators of a scenario file's own endpoints, compiled from their JSON Schemas by the runner
 * and bundled in under this name (build/own-bundle.ts); empty in any other bundle.
 */
declare module 'realizar-k6:own-validators' {
  const validators: Readonly<Record<string, ((data: unknown) => boolean) | undefined>>;
  export default validators;
}
