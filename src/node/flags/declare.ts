/**
 * Flags, declared once. A command is a list of flag groups (target, output, gate, ...) shared by the
 * commands that mean the same thing by them, as k6 composes a command's flag set from shared option
 * sets. From one declaration come:
 * - the parser (`parseFlags`): unknown flags, a switch given a value, a flag given twice (also
 *   across REALIZAR_K6_OPTIONS and the command line) are errors naming the flag;
 * - the usage text (`usageText`), which the options blocks of the docs are checked against;
 * - and, through `FlagValues`, the guarantee that parsing and declaration cannot drift: each
 *   command's config builder must read every flag it declares (`done()`), as esbuild's
 *   getFlag/checkForInvalidFlags pair does, so a declared flag nobody reads is a bug caught by
 *   the tests, and a flag that is read must have been declared.
 */
import { describeValue } from '../../core/errors/describe.js';
import { ValidationError } from '../../core/errors/ValidationError.js';

export interface Flag {
  /** '--port' */
  name: string;
  /** Other spellings accepted for the same flag ('--clients' for '--concurrency'). */
  aliases?: readonly string[];
  /** The value's placeholder in the usage text ('N', 'URL'); absent: a switch. */
  arg?: string;
  /** May be given more than once; its values are kept in order. */
  repeatable?: boolean;
  /** One line, or several joined by '\n'. */
  help: string;
}

export interface FlagGroup {
  /** Shown as a heading in the usage text when a command has several groups. */
  title: string;
  flags: readonly Flag[];
}

export interface Command {
  /** 'npm run k6:sweep'; the first usage line is built from it. */
  usage: readonly string[];
  /** Text between the usage lines and the options. */
  intro?: string;
  /** Positional arguments this command takes: their description in errors. */
  positionals: { min: number; max: number; what: string };
  groups: readonly FlagGroup[];
  /** Lines after the options (environment variables, exit codes). */
  epilogue?: string;
}

export function flagsOf(command: Command): Flag[] {
  return command.groups.flatMap((g) => g.flags);
}

function invalid(source: string, expected: string, found: unknown): never {
  throw new ValidationError(source, [
    { path: '', expected, found: typeof found === 'string' && found.startsWith('it ') ? found : describeValue(found) },
  ]);
}

interface Given {
  flag: Flag;
  /** The spelling used ('--clients'), for errors. */
  spelled: string;
  values: string[];
  /** Where it came from: 'the command line' or an environment variable. */
  from: string;
}

/** The parsed command line: typed getters that record which flags a builder read. */
export class FlagValues {
  readonly positionals: readonly string[];
  readonly #given: Map<string, Given>;
  readonly #declared: Map<string, Flag>;
  readonly #read = new Set<string>();

  constructor(declared: Map<string, Flag>, given: Map<string, Given>, positionals: string[]) {
    this.#declared = declared;
    this.#given = given;
    this.positionals = positionals;
  }

  #flag(name: string): Flag {
    const flag = this.#declared.get(name);
    // A builder asking for an undeclared flag is a bug in this toolkit, not the user's fault.
    if (flag === undefined) throw new Error(`flag ${name} is read but not declared for this command`);
    this.#read.add(flag.name);
    return flag;
  }

  /** The switch was given. */
  has(name: string): boolean {
    this.#flag(name);
    return this.#given.has(name);
  }

  /** The value of a flag, or undefined; with a parser, the parsed value (its errors name the spelling used). */
  text(name: string): string | undefined {
    this.#flag(name);
    return this.#given.get(name)?.values[0];
  }

  value<T>(name: string, parse: (spelled: string, text: string) => T): T | undefined;
  value<T>(name: string, parse: (spelled: string, text: string) => T, fallback: T): T;
  value<T>(name: string, parse: (spelled: string, text: string) => T, fallback?: T): T | undefined {
    this.#flag(name);
    const g = this.#given.get(name);
    return g === undefined ? fallback : parse(g.spelled, g.values[0]!);
  }

  /** Every value of a repeatable flag, in order. */
  list(name: string): string[] {
    this.#flag(name);
    return [...(this.#given.get(name)?.values ?? [])];
  }

  /** The spelling the user typed ('--clients' or '--concurrency'), for messages. */
  spelled(name: string): string {
    this.#flag(name);
    return this.#given.get(name)?.spelled ?? name;
  }

  /** Every declared flag was read by the builder (see the header): a bug otherwise. */
  done(): void {
    const unread = [...this.#declared.keys()].filter((n) => !this.#read.has(n));
    if (unread.length > 0) throw new Error(`declared but never read: ${unread.join(', ')}`);
  }
}

/**
 * Parse `argv` against the command's declaration. `extra` are more arguments from an environment
 * variable (REALIZAR_K6_OPTIONS): options only, and none may repeat one of argv's.
 */
export function parseFlags(
  command: Command,
  argv: readonly string[],
  extra?: { variable: string; text: string },
): FlagValues {
  const declared = new Map<string, Flag>();
  const spellings = new Map<string, Flag>();
  for (const f of flagsOf(command)) {
    declared.set(f.name, f);
    for (const s of [f.name, ...(f.aliases ?? [])]) spellings.set(s, f);
  }
  const known = (): string => [...spellings.keys()].sort().join(', ');
  const given = new Map<string, Given>();
  const positionals: string[] = [];

  const take = (args: readonly string[], from: string): void => {
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      if (!arg.startsWith('--') || arg === '--') {
        if (from !== 'the command line')
          invalid(from, 'options only (--flag or --flag value), no positional argument', arg);
        if (arg !== '--') positionals.push(arg);
        continue;
      }
      const eq = arg.indexOf('=');
      const spelled = eq === -1 ? arg : arg.slice(0, eq);
      const flag = spellings.get(spelled);
      if (flag === undefined)
        invalid(spelled, `a known option (${known()})`, from === 'the command line' ? arg : `${arg} in ${from}`);
      let value: string | null = null;
      if (flag.arg === undefined) {
        if (eq !== -1) invalid(spelled, 'no value (it is a switch)', arg.slice(eq + 1));
      } else {
        const v = eq === -1 ? args[++i] : arg.slice(eq + 1);
        if (v === undefined) invalid(spelled, `a value after the flag (${spelled} ${flag.arg})`, undefined);
        value = v;
      }
      const before = given.get(flag.name);
      if (before !== undefined && !flag.repeatable) {
        const where = before.from === from ? `it twice in ${from}` : `it in ${before.from} and in ${from}`;
        invalid(
          spelled,
          before.spelled === spelled
            ? 'the flag once'
            : `the flag once (${before.spelled} and ${spelled} are the same flag)`,
          where,
        );
      }
      if (before !== undefined) before.values.push(value!);
      else given.set(flag.name, { flag, spelled, values: value === null ? [] : [value], from });
    }
  };
  take(argv, 'the command line');
  if (extra !== undefined)
    take(
      extra.text.split(/\s+/).filter((a) => a !== ''),
      extra.variable,
    );

  const { min, max, what } = command.positionals;
  const helping = given.has('--help');
  if (!helping && (positionals.length < min || positionals.length > max)) {
    invalid(
      'arguments',
      max === 0 ? 'options only' : what,
      positionals.length === 0 ? undefined : positionals.join(' '),
    );
  }
  return new FlagValues(declared, given, positionals);
}

const COLUMN = 25;

/** The usage text of a command: what --help prints and what the docs show. */
export function usageText(command: Command): string {
  const lines: string[] = command.usage.map((u, i) => `${i === 0 ? 'usage: ' : '       '}${u}`);
  if (command.intro !== undefined) lines.push('', command.intro);
  const titled = command.groups.length > 1;
  for (const group of command.groups) {
    lines.push('', titled ? `${group.title}:` : 'options:');
    for (const f of group.flags) {
      const spelling = [f.name, ...(f.aliases ?? [])]
        .map((s) => (f.arg === undefined ? s : `${s} ${f.arg}`))
        .join(', ');
      const [first, ...rest] = f.help.split('\n');
      const head = `  ${spelling}`;
      if (head.length < COLUMN - 1) lines.push(`${head.padEnd(COLUMN)}${first}`);
      else lines.push(head, `${' '.repeat(COLUMN)}${first}`);
      for (const r of rest) lines.push(`${' '.repeat(COLUMN)}${r}`);
    }
  }
  if (command.epilogue !== undefined) lines.push('', command.epilogue);
  return lines.join('\n');
}
