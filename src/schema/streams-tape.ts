/**
 * The JSON of one user's streams from the tape the streams printer recorded (streams-printer.ts): each leaf's
 * serialised value, each list's length and each column's kept text, in the plan's order, the number of
 * streams last. Printed as JSON.stringify would print the executor's result.
 */
import type { KeptColumn } from '../resolvers/kept-columns.js';
import type { PlannedField, StreamsPlan } from './streams-plan.js';

/** JSON text and byte ranges of kept text, in order, joined once into one buffer. */
class JsonBytes {
  readonly #parts: Array<string | Buffer> = [];
  readonly #bounds: number[] = [];
  #text = '';
  #length = 0;

  text(text: string): void {
    this.#text += text;
  }

  column(kept: Exclude<KeptColumn, { index: number }>): void {
    this.#text += '[';
    this.#flush();
    for (let i = 0; i < kept.buffers.length; i += 1) {
      const start = kept.bounds[2 * i] as number;
      const end = kept.bounds[2 * i + 1] as number;
      this.#parts.push(kept.buffers[i] as Buffer);
      this.#bounds.push(start, end);
      this.#length += end - start;
    }
    this.#text = ']';
  }

  bytes(): Buffer {
    this.#flush();
    const bytes = Buffer.allocUnsafe(this.#length);
    let written = 0;
    for (let i = 0; i < this.#parts.length; i += 1) {
      const part = this.#parts[i] as string | Buffer;
      if (typeof part === 'string') written += bytes.write(part, written);
      else written += part.copy(bytes, written, this.#bounds[2 * i], this.#bounds[2 * i + 1]);
    }
    return bytes;
  }

  #flush(): void {
    if (this.#text === '') return;
    this.#parts.push(this.#text);
    this.#bounds.push(0, 0);
    this.#length += Buffer.byteLength(this.#text);
    this.#text = '';
  }
}

/** Prints the objects of `fields` from the tape at `at`; returns where the next object's values begin. */
function printObject(fields: readonly PlannedField[], tape: readonly unknown[], at: number, out: JsonBytes) {
  let next = at;
  out.text('{');
  for (const field of fields) {
    out.text(field.prefix);
    if (field.kind === 'typename') out.text(field.json);
    else if (field.kind === 'leaf') out.text(JSON.stringify(tape[next++]));
    else if (field.kind === 'column') out.column(tape[next++] as Exclude<KeptColumn, { index: number }>);
    else if (field.kind === 'object') next = printObject(field.fields, tape, next, out);
    else {
      const count = tape[next++] as number;
      out.text('[');
      for (let i = 0; i < count; i += 1) {
        if (i > 0) out.text(',');
        next = printObject(field.fields, tape, next, out);
      }
      out.text(']');
    }
  }
  out.text('}');
  return next;
}

export function printTape(plan: StreamsPlan, tape: readonly unknown[], size: number): Buffer {
  const out = new JsonBytes();
  const count = tape[size - 1] as number;
  let at = 0;
  out.text('[');
  for (let i = 0; i < count; i += 1) {
    if (i > 0) out.text(',');
    at = printObject(plan.fields, tape, at, out);
  }
  out.text(']');
  return out.bytes();
}
