/**
 * `fetchSafetensors(url)`: download a safetensors file and load it, as a browser or server app
 * loads weights. It uses the runtime's global `fetch` (browsers, Node 18+, Deno, Bun, Workers) or
 * the one passed as `fetchFunc`, refuses an HTTP failure with its status, and reads the body
 * into one fresh ArrayBuffer, so with `zeroCopy: true` every F32/F64/I32 tensor of a file from
 * the reference writer is a view into it and peak memory stays near the file's size.
 */

import type { Tensor } from '../tensor/tensor.js';
import { checkOptions, optionKeys } from '../options.js';
import { loadSafetensors, responseBytes, type LoadOptions, type ResponseLike } from './safetensors.js';

/** A `fetch`-compatible function: the global `fetch` fits. */
export type FetchFunction = (url: string, init?: object) => Promise<ResponseLike>;

/** Options of `fetchSafetensors`: those of `loadSafetensors`, and how to fetch. */
export interface FetchOptions extends LoadOptions {
  /** The second argument of `fetch` (headers, credentials, `signal` to abort, …). */
  requestInit?: object;
  /** The fetch to use instead of the global `fetch` (one with retries, a test double, a runtime without a global one). */
  fetchFunc?: FetchFunction;
}

const FETCH_KEYS = optionKeys<FetchOptions>({ maxHeaderBytes: true, zeroCopy: true, requestInit: true, fetchFunc: true });

/**
 * Fetches `url` and loads its bytes as safetensors. Rejects with an Error naming the URL and the
 * HTTP status when the response is not ok, with FormatError when the body is not a valid file,
 * and with the fetch's own error when the request fails.
 *
 * @example const state = await io.fetchSafetensors('/weights/model.safetensors', { zeroCopy: true })
 */
export async function fetchSafetensors(url: string, options: FetchOptions = {}): Promise<Record<string, Tensor>> {
  const op = 'fetchSafetensors';
  checkOptions(op, options, FETCH_KEYS);
  if (typeof url !== 'string') throw new TypeError(`${op}: expected the URL as a string, got ${url === null ? 'null' : typeof url}`);
  const { requestInit, fetchFunc, ...loadOptions } = options;
  const globalFetch = (globalThis as { fetch?: unknown }).fetch;
  const doFetch = (fetchFunc ?? globalFetch) as FetchFunction | undefined;
  if (typeof doFetch !== 'function') throw new TypeError(`${op}: this runtime has no global fetch; pass one as fetchFunc`);
  const response = await doFetch(url, requestInit);
  return loadSafetensors(await responseBytes(op, response, url), loadOptions);
}
