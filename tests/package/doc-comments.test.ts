/**
 * Every public name has a doc comment: each export of src/index.ts, each member of its
 * namespaces (nn, io, optim, …), recursively. Read with the TypeScript compiler itself.
 */
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const entry = join(import.meta.dirname, '..', '..', 'src', 'index.ts');

function undocumentedExports(): string[] {
  const program = ts.createProgram([entry], { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  if (!source) throw new Error('cannot read src/index.ts');
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error('src/index.ts has no exports');
  const missing: string[] = [];
  const seen = new Set<ts.Symbol>();
  const visit = (symbol: ts.Symbol, path: string): void => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    if (seen.has(target)) return;
    seen.add(target);
    const isNamespace = (target.flags & ts.SymbolFlags.ValueModule) !== 0 && !target.valueDeclaration?.getSourceFile().isDeclarationFile;
    if (isNamespace) {
      for (const member of checker.getExportsOfModule(target)) visit(member, `${path}.${member.getName()}`);
      return;
    }
    if (target.valueDeclaration?.getSourceFile().isDeclarationFile || target.declarations?.[0]?.getSourceFile().isDeclarationFile) return;
    const documented = target.getDocumentationComment(checker).length > 0 || (target.declarations ?? []).some((d) => ts.getJSDocCommentsAndTags(d).length > 0);
    if (!documented) missing.push(path);
  };
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) visit(symbol, symbol.getName());
  return missing;
}

describe('documentation', () => {
  it('gives every public name a doc comment', () => {
    expect(undocumentedExports()).toEqual([]);
  }, 120_000);
});
