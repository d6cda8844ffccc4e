/**
 * A strict JSON parser (RFC 8259) for safetensors headers. `JSON.parse` is not strict enough:
 * it silently keeps the last of duplicate keys, turns `16.0` and `1.6e1` into the integer 16,
 * and accepts lone surrogate escapes. This parser
 *  - rejects duplicate keys in every object (the format says "Duplicate keys are disallowed"),
 *  - keeps each number as its source lexeme so callers can demand plain integer lexemes,
 *  - keeps objects in `Map`s, so a key like `__proto__` is just a key (no prototype pollution),
 *  - rejects lone surrogates in `\u` escapes (they have no UTF-8 form),
 *  - caps nesting depth, so a header of `[[[[…` cannot overflow the call stack.
 * It runs in one linear pass; every failure goes through the caller's `fail` callback.
 */

/** A JSON number kept as its source text, e.g. `16`, `16.0`, `-1e3`. */
export interface JsonNumber {
  readonly lexeme: string;
}

/** A JSON object: its members in source order. */
export type JsonObject = Map<string, JsonValue>;

/** A parsed JSON value. */
export type JsonValue = string | boolean | null | JsonNumber | JsonObject | JsonValue[];

/** Deepest nesting of arrays/objects accepted (serde_json, the reference parser, stops at 128). */
export const MAX_JSON_DEPTH = 128;

/** Lexemes up to this long share one JsonNumber (a bounded set: at most 4 of 14 characters). */
const SHARED_LEXEME_LENGTH = 4;
const sharedNumbers = new Map<string, JsonNumber>();

/**
 * The keys of one object read so far: a short list (most objects have a few keys, and a Set per
 * object was a large part of a big header's cost), a Set once it grows.
 */
class KeySet {
  private list: string[] = [];
  private set: Set<string> | null = null;

  /** True when `key` was seen before; otherwise records it. */
  repeated(key: string): boolean {
    if (this.set !== null) return this.set.has(key) || (this.set.add(key), false);
    if (this.list.includes(key)) return true;
    this.list.push(key);
    if (this.list.length > 8) this.set = new Set(this.list);
    return false;
  }
}

/** The position after the run of ASCII digits starting at `pos`. */
function skipDigits(text: string, pos: number): number {
  let at = pos;
  for (;;) {
    const c = text.charCodeAt(at);
    if (!(c >= 0x30 && c <= 0x39)) return at;
    at++;
  }
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/**
 * Parses `text` as one JSON value surrounded by optional JSON whitespace (space, tab, LF, CR).
 * `fail(detail)` is called, and must throw, on the first syntax error, duplicate key, lone
 * surrogate escape or excess nesting; `detail` names the problem and its character position.
 */
export function parseStrictJson(text: string, fail: (detail: string) => never): JsonValue {
  const parser = new StrictJsonReader(text, fail);
  const value = parser.readValue(0);
  parser.end();
  return value;
}

/**
 * A cursor over strict JSON text for readers that build their own values instead of a tree (a
 * safetensors header of a million entries would otherwise cost a Map per entry). The same checks
 * as `parseStrictJson`, in text order; every failure goes through `fail`.
 *
 *     const r = new StrictJsonReader('{"a":1}', fail);
 *     if (r.atObject()) r.readObject(1, (key) => use(key, r.readValue(1)));
 *     r.end();
 */
export class StrictJsonReader {
  pos = 0;

  constructor(
    private readonly text: string,
    private readonly fail: (detail: string) => never,
  ) {}

  /** Skips whitespace; true when the next value is an object. */
  atObject(): boolean {
    this.skipWhitespace();
    return this.code() === 0x7b;
  }

  /** Reads the next value (after whitespace) as a tree; `depth` counts the enclosing arrays/objects. */
  readValue(depth: number): JsonValue {
    this.skipWhitespace();
    return this.parseValue(depth);
  }

  /**
   * Reads the object at the cursor (`depth` is its own nesting level, 1 for the root), calling
   * `member(key)` with the cursor at each member's value, which it must read (`readValue`, or
   * `readObject` when `atObject()`). Duplicate keys fail.
   */
  readObject(depth: number, member: (key: string) => void): void {
    this.skipWhitespace();
    if (this.code() !== 0x7b) this.failHere("expected '{'");
    const seen = new KeySet();
    this.readMembers(depth, seen, member);
  }

  /** Checks that only whitespace follows the value read. */
  end(): void {
    this.skipWhitespace();
    if (this.pos !== this.text.length) this.failHere('unexpected text after the JSON value');
  }

  failHere(problem: string): never {
    const found = this.pos < this.text.length ? JSON.stringify(this.text[this.pos]) : 'end of header';
    return this.fail(`${problem} at character ${this.pos} (found ${found})`);
  }

  skipWhitespace(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      pos++;
    }
    this.pos = pos;
  }

  private code(): number {
    return this.text.charCodeAt(this.pos); // NaN at the end of the text
  }

  parseValue(depth: number): JsonValue {
    const c = this.code();
    if (c === 0x7b) return this.parseObject(depth + 1); // {
    if (c === 0x5b) return this.parseArray(depth + 1); // [
    if (c === 0x22) return this.parseString(); // "
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.parseNumber(); // - or a digit
    if (this.text.startsWith('true', this.pos)) return this.literal(4, true);
    if (this.text.startsWith('false', this.pos)) return this.literal(5, false);
    if (this.text.startsWith('null', this.pos)) return this.literal(4, null);
    return this.failHere('expected a JSON value');
  }

  private literal<T extends boolean | null>(length: number, value: T): T {
    this.pos += length;
    return value;
  }

  private enter(depth: number): void {
    if (depth > MAX_JSON_DEPTH) this.failHere(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
    this.pos++; // the opening bracket
    this.skipWhitespace();
  }

  /** After a member or item: consumes ',' (returns false) or the closing bracket (returns true). */
  private endOrComma(close: number, expected: string): boolean {
    this.skipWhitespace();
    const c = this.code();
    if (c === close) {
      this.pos++;
      return true;
    }
    if (c !== 0x2c) this.failHere(expected);
    this.pos++;
    this.skipWhitespace();
    return false;
  }

  private parseObject(depth: number): JsonObject {
    const members: JsonObject = new Map();
    this.readMembers(depth, { repeated: (key) => members.has(key) }, (key) => members.set(key, this.parseValue(depth)));
    return members;
  }

  /** The members of the object at the cursor: `member(key)` reads each value; `seen` catches repeats. */
  private readMembers(depth: number, seen: { repeated(key: string): boolean }, member: (key: string) => void): void {
    this.enter(depth);
    if (this.code() === 0x7d) {
      this.pos++;
      return;
    }
    do {
      if (this.code() !== 0x22) this.failHere('expected a string key');
      const keyPos = this.pos;
      const key = this.parseString();
      if (seen.repeated(key)) this.fail(`duplicate key ${JSON.stringify(key)} at character ${keyPos}`);
      this.skipWhitespace();
      if (this.code() !== 0x3a) this.failHere("expected ':'");
      this.pos++;
      this.skipWhitespace();
      member(key);
    } while (!this.endOrComma(0x7d, "expected ',' or '}'"));
  }

  private parseArray(depth: number): JsonValue[] {
    this.enter(depth);
    const items: JsonValue[] = [];
    if (this.code() === 0x5d) {
      this.pos++;
      return items;
    }
    do items.push(this.parseValue(depth));
    while (!this.endOrComma(0x5d, "expected ',' or ']'"));
    return items;
  }

  /**
   * Scans one number by the RFC 8259 grammar −?(0|[1-9]d*)(.d+)?([eE][+−]?d+)? without a regex
   * (a match array per number was most of the cost of a header of a million entries). Short
   * lexemes (`0`, `12`) share one frozen JsonNumber each, so `[0,0]` allocates nothing new.
   */
  private parseNumber(): JsonNumber {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    if (text.charCodeAt(pos) === 0x2d) pos++; // -
    const first = text.charCodeAt(pos);
    if (first === 0x30) pos++;
    else if (first >= 0x31 && first <= 0x39) pos = skipDigits(text, pos + 1);
    else return this.failHere('malformed number');
    if (text.charCodeAt(pos) === 0x2e) {
      const after = skipDigits(text, pos + 1); // .
      if (after === pos + 1) return this.failHere('malformed number');
      pos = after;
    }
    const e = text.charCodeAt(pos);
    if (e === 0x65 || e === 0x45) {
      let at = pos + 1;
      const sign = text.charCodeAt(at);
      if (sign === 0x2b || sign === 0x2d) at++;
      const after = skipDigits(text, at);
      if (after === at) return this.failHere('malformed number');
      pos = after;
    }
    this.pos = pos;
    const lexeme = text.slice(start, pos);
    if (lexeme.length > SHARED_LEXEME_LENGTH) return { lexeme };
    let shared = sharedNumbers.get(lexeme);
    if (shared === undefined) {
      shared = Object.freeze({ lexeme });
      sharedNumbers.set(lexeme, shared);
    }
    return shared;
  }

  /** Parses a string starting at its opening quote; copies unescaped runs in one slice each. */
  parseString(): string {
    const text = this.text;
    this.pos++; // opening quote
    let out = '';
    let runStart = this.pos;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === 0x22) break; // closing quote
      if (Number.isNaN(c)) this.failHere('unterminated string');
      if (c < 0x20) this.failHere('unescaped control character in string');
      if (c === 0x5c) {
        out += text.slice(runStart, this.pos);
        out += this.parseEscape();
        runStart = this.pos;
      } else {
        this.pos++;
      }
    }
    out += text.slice(runStart, this.pos);
    this.pos++; // closing quote
    return out;
  }

  /** Parses one escape starting at its backslash; a `\u` high surrogate must pair with a low one. */
  private parseEscape(): string {
    const kind = this.text[this.pos + 1];
    if (kind !== 'u') {
      const short = kind === undefined ? undefined : SHORT_ESCAPES[kind];
      if (short === undefined) this.failHere('invalid escape');
      this.pos += 2;
      return short;
    }
    const unit = this.hexUnit();
    if (unit >= 0xdc00 && unit <= 0xdfff) this.fail(`lone low surrogate escape at character ${this.pos - 6}`);
    if (unit < 0xd800 || unit > 0xdbff) return String.fromCharCode(unit);
    if (this.text[this.pos] !== '\\' || this.text[this.pos + 1] !== 'u') {
      this.fail(`lone high surrogate escape at character ${this.pos - 6}`);
    }
    const low = this.hexUnit();
    if (low < 0xdc00 || low > 0xdfff) this.fail(`lone high surrogate escape at character ${this.pos - 12}`);
    return String.fromCharCode(unit, low);
  }

  /** Reads `\uXXXX` at the current position and returns the code unit. */
  private hexUnit(): number {
    const hex = this.text.slice(this.pos + 2, this.pos + 6);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.failHere('invalid \\u escape');
    this.pos += 6;
    return parseInt(hex, 16);
  }
}
