/**
 * Fit y = 3x − 1 with raw tensors and backward(): the smallest complete use of autograd.
 * Run: npx tsx examples/autograd-line.ts
 */
import { manualSeed, noGrad, rand, randn, zeros } from 'tsgrad';

manualSeed(0);
const x = rand([100, 1]).mul(4).sub(2);
const y = x.mul(3).sub(1).add(randn([100, 1]).mul(0.1));

const w = zeros([1, 1], { requiresGrad: true });
const b = zeros([1], { requiresGrad: true });
for (let step = 0; step <= 200; step++) {
  const loss = x.matmul(w).add(b).sub(y).pow(2).mean();
  w.grad = null;
  b.grad = null;
  loss.backward();
  noGrad(() => {
    w.sub_(w.grad!.mul(0.1));
    b.sub_(b.grad!.mul(0.1));
  });
  if (step % 50 === 0) console.log(`step ${step}: loss ${loss.item().toFixed(5)}`);
}
console.log(`w = ${w.item().toFixed(3)} (true 3), b = ${b.item().toFixed(3)} (true -1)`);
