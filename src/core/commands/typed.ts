/**
 * How a person types a toolkit command, for the commands the toolkit tells them to type next: in its checkout
 * through the npm scripts (`npm run report -- DIR`), in a project that installed the package through its bin
 * (`npx realizar-k6 report DIR`), where no such npm script exists.
 */
export type Spelling = 'npm' | 'npx';

/** The bin's commands told to a person, and the npm script of each. */
const NPM_SCRIPTS = { report: 'report', cloud: 'k6:cloud' } as const;
export type TypedName = keyof typeof NPM_SCRIPTS;

/** The command `name` with `args`, as typed with `spelling`. */
export function typedCommand(spelling: Spelling, name: TypedName, args: string): string {
  return spelling === 'npm' ? `npm run ${NPM_SCRIPTS[name]} -- ${args}` : `npx realizar-k6 ${name} ${args}`;
}
