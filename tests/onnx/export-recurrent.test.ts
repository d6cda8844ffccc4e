/**
 * Recurrent layers, exported unrolled over the sequence: LSTM (2 layers, bidirectional,
 * batch first), GRU and RNN, outputs and final states checked in ONNX Runtime at two batch sizes.
 */
import { describe, expect, it } from 'vitest';
import { manualSeed, nn, randn } from 'tsgrad';
import { exportOnnx } from 'tsgrad/onnx';
import { agreement, decodeModel } from './run-onnx';

const tolerance = 1e-4;

describe('exportOnnx: recurrent layers in ONNX Runtime', () => {
  it('a 2-layer bidirectional LSTM (batch first): output and final h, c agree; the states keep their batch axis 1', async () => {
    manualSeed(20);
    const lstm = new nn.LSTM(5, 6, { numLayers: 2, bidirectional: true, batchFirst: true });
    lstm.eval();
    const diff = await agreement(lstm, [randn([3, 4, 5])], [[randn([3, 4, 5])], [randn([1, 4, 5])], [randn([6, 4, 5])]]);
    console.log(`LSTM max |ONNX Runtime − tsgrad| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(tolerance);
    const graph = decodeModel(exportOnnx(lstm, [randn([3, 4, 5])])).graph!;
    const dims = (i: number) => graph.output?.[i].type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue));
    expect(dims(0)).toEqual(['batch', 4, 12]);
    expect(dims(1)).toEqual([4, 'batch', 6]);
    expect(dims(2)).toEqual([4, 'batch', 6]);
  });

  it('a GRU and an RNN (relu) agree, with given initial states', async () => {
    manualSeed(21);
    const gru = new nn.GRU(4, 5, { numLayers: 2 });
    const rnn = new nn.RNN(4, 3, { nonlinearity: 'relu', bidirectional: true });
    gru.eval();
    rnn.eval();
    const gruDiff = await agreement(gru, [randn([6, 2, 4]), randn([2, 2, 5])], [[randn([6, 2, 4]), randn([2, 2, 5])], [randn([6, 5, 4]), randn([2, 5, 5])]], {
      dynamicAxes: { input_0: { 1: 'batch' }, input_1: { 1: 'batch' } },
    });
    const rnnDiff = await agreement(rnn, [randn([3, 2, 4])], [[randn([3, 2, 4])], [randn([3, 7, 4])]], { dynamicAxes: { input: { 1: 'batch' } } });
    console.log(`GRU max |ONNX Runtime − tsgrad| = ${gruDiff.toExponential(2)}; RNN ${rnnDiff.toExponential(2)}`);
    expect(gruDiff).toBeLessThan(tolerance);
    expect(rnnDiff).toBeLessThan(tolerance);
  });

  it('an LSTM with a projection (projSize) agrees', async () => {
    manualSeed(22);
    const lstm = new nn.LSTM(4, 6, { projSize: 3, numLayers: 2 });
    lstm.eval();
    const diff = await agreement(lstm, [randn([5, 2, 4])], [[randn([5, 2, 4])], [randn([5, 4, 4])]], { dynamicAxes: { input: { 1: 'batch' } } });
    console.log(`LSTM (projSize) max |ONNX Runtime − tsgrad| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(tolerance);
  });

  it('LSTMCell and GRUCell (default zero states) agree', async () => {
    manualSeed(23);
    const lstmCell = new nn.LSTMCell(4, 5);
    const gruCell = new nn.GRUCell(4, 5);
    lstmCell.eval();
    gruCell.eval();
    const lstmDiff = await agreement(lstmCell, [randn([2, 4])], [[randn([2, 4])], [randn([6, 4])]]);
    const gruDiff = await agreement(gruCell, [randn([2, 4])], [[randn([2, 4])], [randn([6, 4])]]);
    console.log(`LSTMCell max |ONNX Runtime − tsgrad| = ${lstmDiff.toExponential(2)}; GRUCell ${gruDiff.toExponential(2)}`);
    expect(lstmDiff).toBeLessThan(tolerance);
    expect(gruDiff).toBeLessThan(tolerance);
  });
});
