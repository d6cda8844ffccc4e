/**
 * The geometry of a 2-d sliding window, shared by convolution and pooling: window (i, j) of a
 * plane of inH × inW starts at row i·strideH − padTop and column j·strideW − padLeft and spans
 * kH × kW taps; outH × outW windows in all. Rows and columns outside the plane are padding.
 */
export interface Window2d {
  /** Height of the input plane. */
  inH: number;
  /** Width of the input plane. */
  inW: number;
  /** Window (kernel) height. */
  kH: number;
  /** Window (kernel) width. */
  kW: number;
  /** Height of out: the number of window rows. */
  outH: number;
  /** Width of out: the number of window columns. */
  outW: number;
  /** Vertical stride. */
  strideH: number;
  /** Horizontal stride. */
  strideW: number;
  /** Padding rows above the plane (those below follow from outH). */
  padTop: number;
  /** Padding columns left of the plane (those right follow from outW). */
  padLeft: number;
}
