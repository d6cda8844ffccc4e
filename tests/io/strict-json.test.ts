import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStrictJson, type JsonValue } from '../../src/io/strict-json.js';

class SyntaxFailure extends Error {}
const fail = (detail: string): never => {
  throw new SyntaxFailure(detail);
};
const parse = (text: string) => parseStrictJson(text, fail);

/** Converts our parse tree to what JSON.parse gives, to compare the two on valid input. */
function toPlain(value: JsonValue): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [k, toPlain(v)]));
  if (Array.isArray(value)) return value.map(toPlain);
  return Number(value.lexeme);
}

describe('parseStrictJson', () => {
  it('agrees with JSON.parse on JSON without duplicate keys', () => {
    fc.assert(
      fc.property(fc.json({ depthSize: 'small', noUnicodeString: false }), (text) => {
        fc.pre(!text.includes('__proto__'));
        expect(toPlain(parse(text))).toEqual(JSON.parse(text));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('keeps number lexemes and object order', () => {
    const value = parse(' {"b": [1.0, -0, 2e3], "a": {}} ');
    expect(value).toEqual(new Map<string, JsonValue>([
      ['b', [{ lexeme: '1.0' }, { lexeme: '-0' }, { lexeme: '2e3' }]],
      ['a', new Map()],
    ]));
  });

  it('decodes escapes, including surrogate pairs', () => {
    expect(parse('"a\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"')).toBe('a"\\/\b\f\n\r\té\u{1F600}');
  });

  it('keeps __proto__ as an ordinary key', () => {
    const value = parse('{"__proto__":{"polluted":true}}');
    expect(value instanceof Map && [...value.keys()]).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it.each([
    ['{"a":1,"a":2}', /duplicate key "a" at character 7/],
    ['"\\ud800"', /lone high surrogate/],
    ['"\\ud800\\u0041"', /lone high surrogate/],
    ['"\\udc00"', /lone low surrogate/],
    ['"\\x"', /invalid escape/],
    ['"\\u12G4"', /invalid \\u escape/],
    ['"a\nb"', /unescaped control character/],
    ['"abc', /unterminated string/],
    ['{"a" 1}', /expected ':'/],
    ['{"a":1 "b":2}', /expected ',' or '}'/],
    ['[1 2]', /expected ',' or ']'/],
    ['{,}', /expected a string key/],
    ['[1,]', /expected a JSON value/],
    ['{"a":1,}', /expected a string key/],
    ['-', /malformed number/],
    ['01', /unexpected text after the JSON value/],
    ['{} {}', /unexpected text after the JSON value/],
    ['tru', /expected a JSON value/],
    ['', /expected a JSON value at character 0 \(found end of header\)/],
    ['\u00a0{}', /expected a JSON value/],
    [`${'['.repeat(129)}${']'.repeat(129)}`, /nesting deeper than 128/],
  ])('rejects %j', (text, message) => {
    expect(() => parse(text)).toThrow(SyntaxFailure);
    expect(() => parse(text)).toThrow(message);
  });

  it('accepts nesting of exactly 128 levels', () => {
    expect(() => parse(`${'['.repeat(128)}${']'.repeat(128)}`)).not.toThrow();
  });
});
