/**
 * A word-piece tokenizer (BERT's scheme, uncased): a word is lower-cased and split into pieces
 * from a fixed vocabulary, the first piece as it is (`play`), each following piece marked `##`
 * (`##ing`). Encoding is greedy longest-match-first from the left; a word holding a character the
 * vocabulary lacks becomes the single token [UNK].
 *
 * The vocabulary is learned by byte-pair merges over the training words: every character seen in
 * training enters as a piece (`c` at the start of a word, `##c` inside), then the most frequent
 * adjacent pair of pieces (counted over the training words, weighted by word frequency) is merged
 * into a new piece, again and again until the vocabulary has the size asked for. Ties break by the
 * pieces' text, so the same words always give the same vocabulary. Since every single character
 * of the alphabet is a piece, any word of known characters round-trips: `decode(encode(w))` is
 * `w.toLowerCase()`.
 */

/** Special tokens, at the start of every vocabulary in this order (ids 0…4). */
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
/** Padding id. */
export const PAD_ID = 0;
/** Id of a word with an unknown character. */
export const UNK_ID = 1;
/** Id of the classification token at the start of a sequence. */
export const CLS_ID = 2;
/** Id of the separator at the end of a sequence. */
export const SEP_ID = 3;
/** Id of the masked-language-modelling mask. */
export const MASK_ID = 4;

/** Marks a piece that continues a word. */
const CONTINUATION = '##';

/** Options of `trainWordPiece`. */
export interface WordPieceTrainOptions {
  /** Target vocabulary size, special tokens and alphabet included. */
  vocabSize: number;
  /** Characters seen fewer times than this in training are left out of the alphabet (default 1). */
  minCharCount?: number;
}

/** Word frequencies of a word list, lower-cased. */
function countWords(words: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const w of words) {
    const lower = w.toLowerCase();
    counts.set(lower, (counts.get(lower) ?? 0) + 1);
  }
  return counts;
}

/** The key of an adjacent pair of piece ids. */
const pairKey = (a: number, b: number): string => `${a} ${b}`;

/**
 * A word-piece vocabulary learned from `trainingWords` alone (see the file comment). Returns the
 * pieces in id order: the special tokens, the alphabet, then the merged pieces in merge order.
 */
export function trainWordPiece(trainingWords: Iterable<string>, opts: WordPieceTrainOptions): string[] {
  const wordCounts = countWords(trainingWords);
  const charCounts = new Map<string, number>();
  for (const [w, n] of wordCounts) for (const ch of w) charCounts.set(ch, (charCounts.get(ch) ?? 0) + n);
  const minCount = opts.minCharCount ?? 1;
  const alphabet = [...charCounts].filter(([, n]) => n >= minCount).map(([ch]) => ch).sort();
  const pieces: string[] = [...SPECIAL_TOKENS];
  const idOf = new Map<string, number>();
  const add = (piece: string): number => {
    const existing = idOf.get(piece);
    if (existing !== undefined) return existing;
    idOf.set(piece, pieces.length);
    pieces.push(piece);
    return pieces.length - 1;
  };
  for (const ch of alphabet) add(ch);
  for (const ch of alphabet) add(CONTINUATION + ch);

  // Each distinct word as a list of piece ids; words with a character outside the alphabet are skipped.
  const known = new Set(alphabet);
  const words: number[][] = [];
  const freqs: number[] = [];
  for (const [w, n] of [...wordCounts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const chars = Array.from(w);
    if (!chars.every((ch) => known.has(ch))) continue;
    words.push(chars.map((ch, i) => idOf.get(i === 0 ? ch : CONTINUATION + ch) as number));
    freqs.push(n);
  }

  // Pair counts, and which words hold each pair, kept up to date merge by merge.
  const pairCounts = new Map<string, number>();
  const pairWords = new Map<string, Set<number>>();
  const countPairs = (w: number, sign: 1 | -1): void => {
    const ids = words[w];
    for (let i = 0; i + 1 < ids.length; i++) {
      const key = pairKey(ids[i], ids[i + 1]);
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + sign * freqs[w]);
      if (sign > 0) {
        let holders = pairWords.get(key);
        if (!holders) pairWords.set(key, (holders = new Set()));
        holders.add(w);
      }
    }
  };
  for (let w = 0; w < words.length; w++) countPairs(w, 1);

  while (pieces.length < opts.vocabSize) {
    let best = '';
    let bestCount = 0;
    let bestText = '';
    for (const [key, n] of pairCounts) {
      if (n < bestCount || n <= 0) continue;
      const [a, b] = key.split(' ').map(Number);
      const text = pieces[a] + ' ' + pieces[b];
      if (n > bestCount || text < bestText) {
        best = key;
        bestCount = n;
        bestText = text;
      }
    }
    if (bestCount < 2) break; // no pair occurs twice: further pieces would each serve one word
    const [a, b] = best.split(' ').map(Number);
    const merged = add(pieces[a] + pieces[b].slice(CONTINUATION.length));
    for (const w of pairWords.get(best) ?? []) {
      countPairs(w, -1);
      const ids = words[w];
      const out: number[] = [];
      for (let i = 0; i < ids.length; i++) {
        if (i + 1 < ids.length && ids[i] === a && ids[i + 1] === b) {
          out.push(merged);
          i++;
        } else out.push(ids[i]);
      }
      words[w] = out;
      countPairs(w, 1);
    }
    pairCounts.delete(best);
    pairWords.delete(best);
  }
  return pieces;
}

/** Encodes words to ids and ids back to words with a fixed word-piece vocabulary. */
export class WordPieceTokenizer {
  /** The pieces in id order. */
  readonly vocab: readonly string[];
  readonly #ids: Map<string, number>;
  readonly #longest: number;
  readonly #cache = new Map<string, number[]>();

  constructor(vocab: readonly string[]) {
    SPECIAL_TOKENS.forEach((t, i) => {
      if (vocab[i] !== t) throw new Error(`WordPieceTokenizer: id ${i} must be ${t}, got ${String(vocab[i])}`);
    });
    this.vocab = vocab;
    this.#ids = new Map(vocab.map((p, i) => [p, i]));
    this.#longest = Math.max(...vocab.map((p) => Array.from(p).length));
  }

  /** Number of pieces. */
  get size(): number {
    return this.vocab.length;
  }

  /** The ids of one word: greedy longest match from the left; [UNK] alone when some part matches nothing. */
  encodeWord(word: string): number[] {
    const lower = word.toLowerCase();
    const cached = this.#cache.get(lower);
    if (cached) return cached;
    const chars = Array.from(lower);
    const ids: number[] = [];
    for (let start = 0; start < chars.length; ) {
      let found = -1;
      let end = Math.min(chars.length, start + this.#longest);
      for (; end > start; end--) {
        const piece = (start > 0 ? CONTINUATION : '') + chars.slice(start, end).join('');
        const id = this.#ids.get(piece);
        if (id !== undefined) {
          found = id;
          break;
        }
      }
      if (found < 0) {
        ids.length = 0;
        ids.push(UNK_ID);
        break;
      }
      ids.push(found);
      start = end;
    }
    this.#cache.set(lower, ids);
    return ids;
  }

  /** The ids of a word list, word after word. */
  encode(words: readonly string[]): number[] {
    return words.flatMap((w) => this.encodeWord(w));
  }

  /** The words of an id list: a `##` piece joins the word before it; special tokens other than [UNK] are dropped. */
  decode(ids: readonly number[]): string[] {
    const words: string[] = [];
    for (const id of ids) {
      const piece = this.vocab[id];
      if (piece === undefined) throw new RangeError(`WordPieceTokenizer.decode: id ${id} outside the vocabulary of ${this.size}`);
      if (id !== UNK_ID && id < SPECIAL_TOKENS.length) continue;
      if (piece.startsWith(CONTINUATION) && words.length > 0 && piece.length > CONTINUATION.length) words[words.length - 1] += piece.slice(CONTINUATION.length);
      else words.push(piece);
    }
    return words;
  }
}
