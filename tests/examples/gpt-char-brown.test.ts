/**
 * examples/gpt-char.ts reads the Brown corpus: the vocabulary is the training files' characters
 * plus one unknown symbol, the held-out files are encoded with it, and the unigram baseline scores
 * exactly the characters the model is scored on.
 */
import { describe, expect, it } from 'vitest';
import { UNKNOWN_CHAR, loadCorpus, unigramBitsPerChar } from '../../examples/gpt-char.js';

describe('examples/gpt-char on the Brown corpus', () => {
  const corpus = loadCorpus();

  it('builds the vocabulary from the training files, with one unknown symbol last', () => {
    expect(corpus.vocab[corpus.vocab.length - 1]).toBe(UNKNOWN_CHAR);
    const chars = corpus.vocab.slice(0, -1);
    expect([...chars].sort()).toEqual(chars);
    expect(chars).toContain('e');
    expect(chars).not.toContain('`');
    expect(corpus.train.length).toBeGreaterThan(5_000_000);
    expect(corpus.heldOut.length).toBeGreaterThan(500_000);
    const used = new Set(corpus.train);
    expect(used.has(corpus.vocab.length - 1)).toBe(false);
    expect(used.size).toBe(corpus.vocab.length - 1);
    const text = Array.from(corpus.heldOut.subarray(0, 40), (i) => corpus.vocab[i]).join('');
    expect(text).toMatch(/^[A-Za-z]/);
  });

  it('scores a unigram baseline of 4 to 5 bits per character on the held-out text', () => {
    const bits = unigramBitsPerChar(corpus, 100_000, 64);
    expect(bits).toBeGreaterThan(4);
    expect(bits).toBeLessThan(5);
  });
});
