/**
 * Errors of the safetensors reader and writer. Each reader failure is named after the reference
 * implementation's `SafeTensorError` variant (HeaderTooSmall, InvalidOffset, …) so messages can be
 * searched for; checks the reference does not have get names in the same style.
 */

import { FormatError } from '../errors.js';

/** The reader's checks, in the order it runs them. */
export type ReadCheck =
  | 'NotAUint8Array'
  | 'HeaderTooSmall'
  | 'HeaderTooLarge'
  | 'InvalidHeaderLength'
  | 'InvalidHeader'
  | 'InvalidHeaderDeserialization'
  | 'InvalidOffset'
  | 'ValidationOverflow'
  | 'MisalignedSlice'
  | 'TensorInvalidInfo'
  | 'MetadataIncompleteBuffer'
  | 'UnsupportedDType'
  | 'ValueOutOfRange';

/** Throws the FormatError of a failed reader check: `loadSafetensors: <check>: <detail>`. */
export function readFailure(check: ReadCheck, detail: string): never {
  throw new FormatError(`loadSafetensors: ${check}: ${detail}`);
}

/** Throws the FormatError of a file the writer cannot form: `saveSafetensors: <detail>`. */
export function writeFailure(detail: string): never {
  throw new FormatError(`saveSafetensors: ${detail}`);
}

/** A name as messages print it: JSON-quoted, cut to 80 characters so a hostile name stays readable. */
export function quoteName(name: string): string {
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
}
