/**
 * Server-Sent Events, parsed as the WHATWG spec says: events end at a blank line, `data:` lines
 * join with "\n", `event:` names the type (default "message"), lines starting with ":" are
 * comments, and CRLF, LF or CR all end a line. Incremental, because a network chunk may hold several
 * events or stop in the middle of one.
 *
 * Self-contained (no reference outside its own body, no class): the streamed-request engine sends
 * its source text to the browser page, where streams are timed (src/k6/lib/stream/scheduler.ts).
 */
export interface SseEvent {
  event: string;
  data: string;
}

export interface SseParser {
  /** Feed a chunk; returns the events it completed. */
  push(chunk: string): SseEvent[];
}

export function createSseParser(): SseParser {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  return {
    push(chunk: string): SseEvent[] {
      buffer += chunk;
      const out: SseEvent[] = [];
      for (;;) {
        const m = /\r\n|\n|\r/.exec(buffer);
        // A lone CR at the end may be the first half of CRLF: wait for the next chunk.
        if (m === null || (m[0] === '\r' && m.index === buffer.length - 1)) break;
        const line = buffer.slice(0, m.index);
        buffer = buffer.slice(m.index + m[0].length);
        if (line === '') {
          if (data.length > 0) out.push({ event: event === '' ? 'message' : event, data: data.join('\n') });
          event = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        let value = colon === -1 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      return out;
    },
  };
}
