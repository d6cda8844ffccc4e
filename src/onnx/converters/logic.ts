/**
 * Comparisons, logical ops and casts to int32/bool: no gradient, so not Functions, but reported
 * to the trace (`reportUntrackedOp`) so a mask built from an input is computed in the graph.
 * Comparison operands are cast to their promoted dtype (ONNX compares one type); logical ops
 * read their operands as bool (nonzero is true), as tsgrad does.
 */
import { promoteTypes, type DType } from '../../kernels/dtype.js';
import type { Converter, ConvertContext } from './context.js';

function comparison(opType: string, negate = false): Converter {
  return (c: ConvertContext) => {
    const dtype = promoteTypes(c.tensor(0).dtype, c.tensor(1).dtype);
    const out = c.graph.node(opType, [c.inputAs(0, dtype), c.inputAs(1, dtype)]);
    return negate ? c.graph.node('Not', [out]) : out;
  };
}

function logical(opType: string): Converter {
  return (c) => c.graph.node(opType, [c.inputAs(0, 'bool'), c.inputAs(1, 'bool')]);
}

/** The comparison, logical and cast converters, by op name. */
export const logicConverters: Readonly<Record<string, Converter>> = {
  Eq: comparison('Equal'),
  Ne: comparison('Equal', true),
  Lt: comparison('Less'),
  Le: comparison('LessOrEqual'),
  Gt: comparison('Greater'),
  Ge: comparison('GreaterOrEqual'),
  LogicalAnd: logical('And'),
  LogicalOr: logical('Or'),
  LogicalNot: (c) => c.graph.node('Not', [c.inputAs(0, 'bool')]),
  Cast: (c) => c.inputAs(0, c.arg<DType>(1)),
};
