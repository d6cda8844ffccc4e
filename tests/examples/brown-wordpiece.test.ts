/**
 * The Brown corpus reader (examples/lib/brown.ts) and the word-piece tokenizer
 * (examples/lib/wordpiece.ts): parsing, the universal tag map, the fixed split by file, and the
 * tokenizer's round trip, determinism and training-only vocabulary.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  brownSplit, parseTagged, readBrown, readCategories, universalTag, wordsOf, UNIVERSAL_TAGS, type BrownFile,
} from '../../examples/lib/brown.js';
import { CLS_ID, SPECIAL_TOKENS, trainWordPiece, UNK_ID, WordPieceTokenizer } from '../../examples/lib/wordpiece.js';

const corpus = readBrown();

describe('examples/lib/brown', () => {
  it('parses word/tag lines, the tag after the last slash', () => {
    const s = parseTagged('\n\n\tThe/at 1/2/cd inch/nn ./.\n\n\tOK/uh\n');
    expect(s).toEqual([{ words: ['The', '1/2', 'inch', '.'], tags: ['at', 'cd', 'nn', '.'] }, { words: ['OK'], tags: ['uh'] }]);
    expect(() => parseTagged('word')).toThrow(/not word\/tag/);
  });

  it('maps Brown tags to the 12 universal tags', () => {
    const cases: [string, string][] = [
      ['nn-tl', 'NOUN'], ['np$', 'NOUN'], ['ppss+bem', 'PRON'], ['md*', 'VERB'], ['bedz', 'VERB'], ['jjt', 'ADJ'],
      ['ql', 'ADV'], ['*', 'ADV'], ['at', 'DET'], ['in-hl', 'ADP'], ['cd', 'NUM'], ['cs', 'CONJ'], ['to', 'PRT'],
      ["''", '.'], ['--', '.'], ['fw-nn', 'X'], ['uh', 'X'], ['nn-tl-hl', 'NOUN'],
    ];
    for (const [brown, universal] of cases) expect(universalTag(brown), brown).toBe(universal);
    const seen = new Set(corpus.flatMap((f) => f.sentences.flatMap((s) => s.tags.map(universalTag))));
    expect([...seen].sort()).toEqual([...UNIVERSAL_TAGS].sort());
  });

  it('reads the 500 files with their 15 genres; the split is fixed, disjoint and holds out every genre', () => {
    expect(corpus.length).toBe(500);
    expect(readCategories().get('ca01')).toBe('news');
    const words = corpus.reduce((n, f) => n + f.sentences.reduce((m, s) => m + s.words.length, 0), 0);
    expect(words).toBeGreaterThan(1_100_000);
    const split = brownSplit(corpus);
    expect(split.genres).toHaveLength(15);
    const train = new Set(split.train.map((f) => f.name));
    const held = split.heldOut.map((f) => f.name);
    expect(held.some((n) => train.has(n))).toBe(false);
    expect(train.size + held.length).toBe(500);
    expect(held.length).toBeGreaterThanOrEqual(45);
    expect(held.length).toBeLessThanOrEqual(60);
    expect(new Set(split.heldOut.map((f) => f.genre)).size).toBe(15);
    expect(held.slice(0, 5)).toEqual(['ca05', 'ca15', 'ca25', 'ca35', 'cb05']);
    expect(brownSplit(corpus).heldOut.map((f) => f.name)).toEqual(held);
  });
});

describe('examples/lib/wordpiece', () => {
  const split = brownSplit(corpus);
  const trainingWords = wordsOf(split.train.slice(0, 8));
  const vocab = trainWordPiece(trainingWords, { vocabSize: 400 });
  const tokenizer = new WordPieceTokenizer(vocab);

  it('starts with the special tokens, reaches the size asked, and merges frequent pieces', () => {
    expect(vocab.slice(0, SPECIAL_TOKENS.length)).toEqual([...SPECIAL_TOKENS]);
    expect(vocab).toHaveLength(400);
    expect(new Set(vocab).size).toBe(400);
    expect(vocab).toContain('the');
    expect(tokenizer.encodeWord('The')).toEqual([vocab.indexOf('the')]);
  });

  it('round-trips any word of known characters (lower-cased)', () => {
    const alphabet = [...new Set(trainingWords.join('').toLowerCase())];
    const word = fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 14 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 8 }), (words) => {
        expect(tokenizer.decode(tokenizer.encode(words))).toEqual(words.map((w) => w.toLowerCase()));
      }),
      { seed: 20, numRuns: 200 },
    );
    const sentence = split.heldOut[0].sentences[3].words.filter((w) => Array.from(w.toLowerCase()).every((c) => alphabet.includes(c)));
    expect(tokenizer.decode([CLS_ID, ...tokenizer.encode(sentence)])).toEqual(sentence.map((w) => w.toLowerCase()));
  });

  it('is deterministic: the same vocabulary from the same words in any order', () => {
    expect(trainWordPiece(trainingWords, { vocabSize: 400 })).toEqual(vocab);
    expect(trainWordPiece([...trainingWords].reverse(), { vocabSize: 400 })).toEqual(vocab);
  });

  it('learns from the training words alone: a held-out-only character is unknown', () => {
    const heldOut: BrownFile = { name: 'zz01', genre: 'news', sentences: [{ words: ['ζeta', 'the'], tags: ['nn', 'at'] }] };
    const trainOnly = trainWordPiece(wordsOf(split.train.slice(0, 8)), { vocabSize: 400 });
    expect(trainOnly).toEqual(vocab);
    expect(vocab.some((p) => p.includes('ζ'))).toBe(false);
    const t = new WordPieceTokenizer(trainOnly);
    expect(t.encode(heldOut.sentences[0].words)).toEqual([UNK_ID, vocab.indexOf('the')]);
    expect(t.decode([UNK_ID])).toEqual(['[UNK]']);
  });
});
