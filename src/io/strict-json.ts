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

/** RFC 8259 number grammar, matched at the current position (sticky). */
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

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
  const parser = new StrictJsonParser(text, fail);
  parser.skipWhitespace();
  const value = parser.parseValue(0);
  parser.skipWhitespace();
  if (parser.pos !== text.length) parser.failHere('unexpected text after the JSON value');
  return value;
}

class StrictJsonParser {
  pos = 0;

  constructor(
    private readonly text: string,
    private readonly fail: (detail: string) => never,
  ) {}

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
    this.enter(depth);
    const members: JsonObject = new Map();
    if (this.code() === 0x7d) {
      this.pos++;
      return members;
    }
    do {
      if (this.code() !== 0x22) this.failHere('expected a string key');
      const keyPos = this.pos;
      const key = this.parseString();
      if (members.has(key)) this.fail(`duplicate key ${JSON.stringify(key)} at character ${keyPos}`);
      this.skipWhitespace();
      if (this.code() !== 0x3a) this.failHere("expected ':'");
      this.pos++;
      this.skipWhitespace();
      members.set(key, this.parseValue(depth));
    } while (!this.endOrComma(0x7d, "expected ',' or '}'"));
    return members;
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

  private parseNumber(): JsonNumber {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (match === null) return this.failHere('malformed number');
    this.pos += match[0].length;
    return { lexeme: match[0] };
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
