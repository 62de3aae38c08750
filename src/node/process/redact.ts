/**
 * Defence in depth for secrets in child output: k6 is not expected to print the cloud token, but
 * whatever it prints passes through here before it reaches the terminal or a log file. A stream can
 * split a secret across two chunks, so the last (longest secret − 1) characters are held back until
 * the next chunk or the end.
 */
export const REDACTED = '[redacted]';

export interface Redactor {
  /** Redacted text that is safe to emit now (may be shorter than what came in). */
  push(chunk: string): string;
  /** Whatever was held back, redacted. */
  end(): string;
}

export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s !== '') out = out.split(s).join(REDACTED);
  return out;
}

export function createRedactor(secrets: readonly string[]): Redactor {
  const live = secrets.filter((s) => s !== '');
  const hold = Math.max(0, ...live.map((s) => s.length - 1));
  let pending = '';
  return {
    push(chunk: string): string {
      pending = redactText(pending + chunk, live);
      if (pending.length <= hold) return '';
      const out = pending.slice(0, pending.length - hold);
      pending = pending.slice(pending.length - hold);
      return out;
    },
    end(): string {
      const out = redactText(pending, live);
      pending = '';
      return out;
    },
  };
}
