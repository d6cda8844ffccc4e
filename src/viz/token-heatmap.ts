/**
 * A text heat map: tokens as HTML spans shaded by a score each (attributions of a text model,
 * attention to a token). Positive scores are red, negative blue, the opacity |score|/max|score|.
 */
import { ShapeError } from '../errors.js';
import { checkOptions, optionKeys } from '../options.js';
import { Tensor } from '../tensor/tensor.js';

/** Options of `tokenHeatmapHtml`. */
export interface TokenHeatmapOptions {
  /** Return a whole HTML document (true) or a `<div>` to embed [false]. */
  standalone?: boolean;
  /** A heading above the tokens (escaped) [none]. */
  title?: string;
}

/** `text` with the characters HTML gives meaning to escaped. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/**
 * HTML showing each token on a background coloured by its score (a number[] or 1-d tensor, one
 * per token): red rgba(220, 38, 38, a) for positive, blue rgba(37, 99, 235, a) for negative, with
 * a = |score|/max|score|; each span's title holds the score. Tokens are HTML-escaped.
 *
 * @example writeFileSync('out/tokens.html', viz.tokenHeatmapHtml(['the', 'cat'], [0.1, 0.9], { standalone: true }))
 */
export function tokenHeatmapHtml(tokens: readonly string[], scores: Tensor | readonly number[], opts: TokenHeatmapOptions = {}): string {
  checkOptions('tokenHeatmapHtml', opts, optionKeys<TokenHeatmapOptions>({ standalone: true, title: true }));
  if (scores instanceof Tensor && scores.ndim !== 1) throw new ShapeError(`tokenHeatmapHtml: scores must be 1-d (one per token), got ${scores.ndim}-d`);
  const values = scores instanceof Tensor ? Array.from(scores.toTypedArray()) : Array.from(scores);
  if (values.length !== tokens.length) throw new ShapeError(`tokenHeatmapHtml: ${tokens.length} tokens but ${values.length} scores`);
  const peak = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const spans = tokens.map((token, i) => {
    const v = values[i];
    const a = peak > 0 ? Math.abs(v) / peak : 0;
    const rgb = v >= 0 ? '220, 38, 38' : '37, 99, 235';
    return `<span title="${v.toPrecision(4)}" style="background: rgba(${rgb}, ${a.toFixed(3)}); padding: 1px 2px; border-radius: 3px">${escapeHtml(token)}</span>`;
  });
  const heading = opts.title === undefined ? '' : `<h3>${escapeHtml(opts.title)}</h3>`;
  const body = `<div class="token-heatmap" style="font-family: monospace; line-height: 1.8">${heading}${spans.join(' ')}</div>`;
  return opts.standalone ? `<!doctype html>\n<html><head><meta charset="utf-8"><title>token heat map</title></head><body>${body}</body></html>\n` : body;
}
