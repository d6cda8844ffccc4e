/**
 * A small GPT: a decoder-only Transformer trained to predict the next character of a text.
 * Characters are embedded, learned position embeddings added, and a stack of pre-norm
 * Transformer layers with a CAUSAL mask (position t sees positions 0…t only) feeds a linear
 * layer over the vocabulary. Trained with cross-entropy on random windows of the training text.
 *
 * The text is the Brown corpus (examples/lib/brown.ts: 500 files of edited American English,
 * 15 genres), its words joined by spaces, one sentence per line, the corpus' `` and '' quote
 * marks written as ". The vocabulary is the training files' characters; the held-out files (the
 * corpus' fixed split) are never trained on, and a character they hold that training never saw
 * reads as the one unknown symbol. We report held-out bits per character against a unigram model
 * (character frequencies alone), print text sampled with a temperature, and save the attention
 * weights of a held-out window as heat maps.
 *
 * Run: npx tsx examples/gpt-char.ts            (writes out/gpt-attention.png)
 */
import { manualSeed, nn, noGrad, optim, rand, randint, tensor, viz, type Tensor } from 'tsgrad';
import { brownSplit, plainText, readBrown } from './lib/brown.js';
import { isMain } from './lib/is-main.js';
import { savePng } from './lib/save-png.js';

/** Sizes and rates of one run. */
export interface CharGptConfig {
  context: number;
  dModel: number;
  heads: number;
  layers: number;
  dropout: number;
  batchSize: number;
  steps: number;
  lr: number;
  seed: number;
}

/** The full run. */
export const charGptConfig: CharGptConfig = { context: 64, dModel: 64, heads: 4, layers: 2, dropout: 0.1, batchSize: 16, steps: 600, lr: 3e-3, seed: 7 };

/** The corpus and its character vocabulary. */
export interface CharCorpus {
  /** The training characters, sorted, then UNKNOWN_CHAR. */
  vocab: string[];
  train: Int32Array;
  heldOut: Int32Array;
}

/** Stands for a held-out character that the training text never holds (the last vocabulary entry). */
export const UNKNOWN_CHAR = '\uFFFD';

/** A file's text as the model reads it: Brown's `` and '' quote marks as ". */
function corpusText(files: Parameters<typeof plainText>[0]): string {
  return plainText(files).replace(/``|''/g, '"');
}

/** Reads the Brown corpus, builds the vocabulary from the training files and encodes both parts of the fixed split. */
export function loadCorpus(): CharCorpus {
  const split = brownSplit(readBrown());
  const train = Array.from(corpusText(split.train));
  const vocab = [...[...new Set(train)].sort(), UNKNOWN_CHAR];
  const index = new Map(vocab.map((c, i) => [c, i]));
  const unknown = vocab.length - 1;
  const encode = (chars: string[]) => Int32Array.from(chars, (c) => index.get(c) ?? unknown);
  return { vocab, train: encode(train), heldOut: encode(Array.from(corpusText(split.heldOut))) };
}

export class CharGPT extends nn.Module {
  readonly context: number;
  tok_embed: nn.Embedding;
  pos_embed: nn.Parameter;
  blocks: nn.TransformerEncoder;
  lm_head: nn.Linear;

  constructor(vocabSize: number, c: CharGptConfig) {
    super();
    this.context = c.context;
    this.tok_embed = new nn.Embedding(vocabSize, c.dModel);
    this.pos_embed = new nn.Parameter(nn.sinusoidalPositionalEncoding(c.context, c.dModel).mul(0.1));
    const layer = new nn.TransformerEncoderLayer(c.dModel, c.heads, {
      dimFeedforward: 4 * c.dModel, dropout: c.dropout, activation: 'gelu', batchFirst: true, normFirst: true,
    });
    this.blocks = new nn.TransformerEncoder(layer, c.layers, { norm: new nn.LayerNorm(c.dModel) });
    this.lm_head = new nn.Linear(c.dModel, vocabSize);
  }

  /** ids [N, T] (T ≤ context) → embedded tokens [N, T, d]. */
  embed(ids: Tensor): Tensor {
    return this.tok_embed.forward(ids).add(this.pos_embed.narrow(0, 0, ids.shape[1]));
  }

  /** ids [N, T] → next-character logits [N, T, vocab]; position t sees ids 0…t only. */
  override forward(ids: Tensor): Tensor {
    const mask = nn.generateSquareSubsequentMask(ids.shape[1]);
    return this.lm_head.forward(this.blocks.forward(this.embed(ids), { mask }));
  }

  /** Per layer, the head-averaged causal attention weights [N, T, T] (pre-norm: attention reads norm1(x)). */
  attentionMaps(ids: Tensor): Tensor[] {
    return noGrad(() => {
      const mask = nn.generateSquareSubsequentMask(ids.shape[1]);
      let x = this.embed(ids);
      const maps: Tensor[] = [];
      for (const layer of this.blocks.layers) {
        const n = layer.norm1.forward(x);
        const [, w] = layer.self_attn.forward(n, n, n, { attnMask: mask });
        if (w) maps.push(w);
        x = layer.forward(x, { srcMask: mask });
      }
      return maps;
    });
  }
}

/** Windows of `length` ids starting at `starts`: [starts.length, length]. */
function windows(ids: Int32Array, starts: ArrayLike<number>, length: number): Tensor {
  const out = new Int32Array(starts.length * length);
  for (let b = 0; b < starts.length; b++) out.set(ids.subarray(starts[b], starts[b] + length), b * length);
  return tensor(out, { shape: [starts.length, length] });
}

/**
 * Mean cross-entropy in bits per character over `ids`, in consecutive windows of the context
 * length, `batchSize` windows per forward pass; `maxChars` caps how much of `ids` is read.
 */
export function bitsPerChar(model: CharGPT, ids: Int32Array, maxChars = 100_000, batchSize = 64): number {
  model.eval();
  const T = model.context;
  const starts: number[] = [];
  for (let s = 0; s + T + 1 <= Math.min(ids.length, maxChars + 1); s += T) starts.push(s);
  let nats = 0;
  noGrad(() => {
    for (let b = 0; b < starts.length; b += batchSize) {
      const part = starts.slice(b, b + batchSize);
      const logits = model.forward(windows(ids, part, T));
      const y = windows(ids, part.map((s) => s + 1), T);
      nats += nn.functional.crossEntropy(logits.reshape([-1, logits.shape[2]]), y.reshape([-1])).item() * part.length;
    }
  });
  model.train();
  return nats / starts.length / Math.LN2;
}

/** Bits per character of the held-out characters `bitsPerChar` scores, under the training text's character frequencies (add-one smoothed). */
export function unigramBitsPerChar(corpus: CharCorpus, maxChars = 100_000, context = charGptConfig.context): number {
  const counts = new Float64Array(corpus.vocab.length).fill(1);
  for (const id of corpus.train) counts[id]++;
  const total = counts.reduce((a, b) => a + b, 0);
  // The characters `bitsPerChar` predicts: positions 1 … (whole windows of `context`).
  const n = Math.floor((Math.min(corpus.heldOut.length, maxChars + 1) - 1) / context) * context;
  let bits = 0;
  for (let i = 1; i <= n; i++) bits -= Math.log2(counts[corpus.heldOut[i]] / total);
  return bits / n;
}

/** What a run reports. */
export interface CharGptResult {
  model: CharGPT;
  corpus: CharCorpus;
  /** Training loss (nats) of each step. */
  losses: number[];
  heldOutBits: number;
  unigramBits: number;
}

/** Trains the model on random training windows with AdamW and a cosine decay. */
export function trainCharGpt(c: CharGptConfig = charGptConfig, log?: (step: number, loss: number) => void): CharGptResult {
  manualSeed(c.seed);
  const corpus = loadCorpus();
  const model = new CharGPT(corpus.vocab.length, c);
  const opt = new optim.AdamW(model.parameters(), { lr: c.lr, weightDecay: 0.01 });
  const sched = new optim.lrScheduler.CosineAnnealingLR(opt, { tMax: c.steps, etaMin: c.lr * 0.05 });
  const losses: number[] = [];
  for (let step = 0; step < c.steps; step++) {
    const starts = randint(0, corpus.train.length - c.context - 1, [c.batchSize]).toTypedArray();
    const x = windows(corpus.train, starts, c.context);
    const y = windows(corpus.train, Array.from(starts, (s) => s + 1), c.context);
    const logits = model.forward(x);
    const loss = nn.functional.crossEntropy(logits.reshape([-1, logits.shape[2]]), y.reshape([-1]));
    opt.zeroGrad();
    loss.backward();
    nn.utils.clipGradNorm_(model.parameters(), 1);
    opt.step();
    sched.step();
    losses.push(loss.item());
    log?.(step, loss.item());
  }
  return { model, corpus, losses, heldOutBits: bitsPerChar(model, corpus.heldOut), unigramBits: unigramBitsPerChar(corpus, 100_000, c.context) };
}

/** `length` characters continuing `prompt`, each drawn from softmax(logits / temperature). */
export function sample(model: CharGPT, corpus: CharCorpus, prompt: string, length: number, temperature: number): string {
  model.eval();
  const index = new Map(corpus.vocab.map((ch, i) => [ch, i]));
  const ids = Array.from(prompt, (ch) => index.get(ch) ?? 0);
  noGrad(() => {
    for (let i = 0; i < length; i++) {
      const window = ids.slice(-model.context);
      const logits = model.forward(tensor(Int32Array.from(window), { shape: [1, window.length] }));
      const probs = logits.narrow(1, window.length - 1, 1).reshape([-1]).div(temperature).softmax(0).toTypedArray();
      let u = rand([1]).item();
      let next = probs.length - 1;
      for (let k = 0; k < probs.length; k++) {
        u -= probs[k];
        if (u < 0) {
          next = k;
          break;
        }
      }
      ids.push(next);
    }
  });
  model.train();
  return ids.slice(Array.from(prompt).length).map((i) => corpus.vocab[i]).join('');
}

/** Saves each layer's attention over one held-out window as a heat map, side by side. */
export function saveAttentionMaps(model: CharGPT, corpus: CharCorpus, path: string): void {
  model.eval();
  const T = Math.min(32, model.context);
  const maps = model.attentionMaps(windows(corpus.heldOut, [0], T));
  const tiles = maps.map((w) => viz.heatmap(w.reshape([T, T]), { scale: 6, min: 0, max: 1 }));
  const gap = 6;
  const width = tiles.reduce((a, t) => a + t.width + gap, -gap);
  const height = tiles[0].height;
  const pixels = new Uint8Array(width * height * 3).fill(255);
  let ox = 0;
  for (const t of tiles) {
    for (let y = 0; y < t.height; y++) pixels.set(t.pixels.subarray(y * t.width * 3, (y + 1) * t.width * 3), (y * width + ox) * 3);
    ox += t.width + gap;
  }
  savePng(path, { width, height, channels: 3, pixels });
  model.train();
}

if (isMain(import.meta.url)) {
  const start = Date.now();
  const c = charGptConfig;
  console.log(`char-level GPT (d ${c.dModel}, ${c.heads} heads, ${c.layers} layers, context ${c.context}) on the Brown corpus`);
  const r = trainCharGpt(c, (step, loss) => {
    if ((step + 1) % 50 === 0) console.log(`  step ${step + 1}: train loss ${(loss / Math.LN2).toFixed(3)} bits/char  (${((Date.now() - start) / 1000).toFixed(0)} s)`);
  });
  console.log(`vocabulary ${r.corpus.vocab.length} characters, ${r.corpus.train.length} training / ${r.corpus.heldOut.length} held-out`);
  console.log(`held-out (the first 100,000 characters): ${r.heldOutBits.toFixed(3)} bits/char (unigram baseline ${r.unigramBits.toFixed(3)} bits/char); ${((Date.now() - start) / 1000).toFixed(0)} s`);
  for (const temperature of [0.5, 1]) {
    console.log(`\nsample, temperature ${temperature}:\n${sample(r.model, r.corpus, 'The ', 300, temperature)}`);
  }
  saveAttentionMaps(r.model, r.corpus, 'out/gpt-attention.png');
  console.log('\nattention of each layer over a held-out window: out/gpt-attention.png');
}
