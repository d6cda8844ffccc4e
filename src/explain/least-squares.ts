/**
 * Small dense linear algebra in float64 for the surrogate models of KernelSHAP and LIME.
 */

/**
 * Solves A·v = b for a symmetric positive semi-definite A [n, n] (row-major) by Gaussian
 * elimination with partial pivoting. A pivot that vanishes (a direction no sample informs) is
 * regularised: a relative ridge of 1e-12·trace(A)/n keeps the system solvable, giving that
 * direction a value near zero instead of NaN.
 */
export function solveSymmetric(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const v = Float64Array.from(b);
  let trace = 0;
  for (let i = 0; i < n; i++) trace += m[i * n + i];
  const ridge = 1e-12 * (trace > 0 ? trace / n : 1);
  for (let i = 0; i < n; i++) m[i * n + i] += ridge;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r * n + col]) > Math.abs(m[pivot * n + col])) pivot = r;
    if (pivot !== col) {
      for (let c = 0; c < n; c++) [m[col * n + c], m[pivot * n + c]] = [m[pivot * n + c], m[col * n + c]];
      [v[col], v[pivot]] = [v[pivot], v[col]];
    }
    const p = m[col * n + col];
    for (let r = col + 1; r < n; r++) {
      const factor = m[r * n + col] / p;
      if (factor === 0) continue;
      for (let c = col; c < n; c++) m[r * n + c] -= factor * m[col * n + c];
      v[r] -= factor * v[col];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = v[r];
    for (let c = r + 1; c < n; c++) s -= m[r * n + c] * v[c];
    v[r] = s / m[r * n + r];
  }
  return v;
}

/**
 * Weighted ridge regression with an unpenalised intercept: minimises
 *   Σₖ wₖ (yₖ − b − Σⱼ Xₖⱼ cⱼ)² + alpha·Σⱼ cⱼ²
 * over c (and b), for X [rows, cols] row-major. Centring X and y on their weighted means removes
 * the intercept; then (Xcᵀ W Xc + alpha·I) c = Xcᵀ W yc. Returns c.
 */
export function weightedRidge(x: Float64Array, y: Float64Array, w: Float64Array, rows: number, cols: number, alpha: number): Float64Array {
  let total = 0;
  for (let k = 0; k < rows; k++) total += w[k];
  const meanX = new Float64Array(cols);
  let meanY = 0;
  for (let k = 0; k < rows; k++) {
    meanY += w[k] * y[k];
    for (let j = 0; j < cols; j++) meanX[j] += w[k] * x[k * cols + j];
  }
  meanY /= total;
  for (let j = 0; j < cols; j++) meanX[j] /= total;
  const gram = new Float64Array(cols * cols);
  const rhs = new Float64Array(cols);
  const centred = new Float64Array(cols);
  for (let k = 0; k < rows; k++) {
    if (w[k] === 0) continue;
    for (let j = 0; j < cols; j++) centred[j] = x[k * cols + j] - meanX[j];
    const yc = y[k] - meanY;
    for (let i = 0; i < cols; i++) {
      const wi = w[k] * centred[i];
      rhs[i] += wi * yc;
      for (let j = i; j < cols; j++) gram[i * cols + j] += wi * centred[j];
    }
  }
  for (let i = 0; i < cols; i++) {
    gram[i * cols + i] += alpha;
    for (let j = 0; j < i; j++) gram[i * cols + j] = gram[j * cols + i];
  }
  return solveSymmetric(gram, rhs, cols);
}
