/** The Prometheus text parser's reading of one line (prometheus.ts): a cursor, and the problem it throws. */

export const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';

/** Thrown inside a line's parser and turned into a PrometheusParseError with the line's number. */
export class LineProblem {
  constructor(readonly reason: string) {}
}

/** A cursor over one line; every read either advances or throws a LineProblem. */
export class Cursor {
  pos = 0;
  constructor(readonly text: string) {}

  get current(): string | undefined {
    return this.text[this.pos];
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  /** Skips blanks and tabs; returns how many were skipped. */
  skipBlanks(): number {
    const start = this.pos;
    while (isBlank(this.current)) this.pos++;
    return this.pos - start;
  }

  match(re: RegExp): string | null {
    const m = re.exec(this.text.slice(this.pos));
    if (m === null) return null;
    this.pos += m[0].length;
    return m[0];
  }

  /** The next run of non-blank characters ('' at the end of the line). */
  token(): string {
    const start = this.pos;
    while (!this.atEnd() && !isBlank(this.current)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  rest(): string {
    return this.text.slice(this.pos);
  }

  expect(char: string, what: string): void {
    if (this.current !== char) throw new LineProblem(`expected ${what}, found ${this.describeHere()}`);
    this.pos++;
  }

  describeHere(): string {
    return this.atEnd() ? 'the end of the line' : JSON.stringify(this.rest().slice(0, 20));
  }
}
