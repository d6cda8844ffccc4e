/**
 * Every public name has a doc comment: each export of the five entries (src/index.ts,
 * src/node/index.ts, src/gpu.ts, src/learn/index.ts, src/onnx/index.ts), each member of their namespaces (nn, nn.functional, nn.init,
 * nn.utils, optim.lrScheduler, io, …) recursively, each public member of an exported class (the
 * Tensor methods each op file in src/autograd/functions/ attaches included) and each member of an
 * exported interface. Read with the TypeScript compiler itself.
 *
 * A member counts as documented when its own declaration carries a `/** … *\/` comment, or when
 * it overrides or implements a documented member of a base class or interface (the editor and
 * TypeDoc show the inherited text) — except `forward`: Module's generic text says nothing of what
 * a layer computes, so every layer's forward states its own shapes. Private, protected and
 * `@internal` members are not public.
 */
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const src = join(import.meta.dirname, '..', '..', 'src');
const entries = ['index.ts', join('node', 'index.ts'), 'gpu.ts', join('learn', 'index.ts'), join('onnx', 'index.ts')].map((file) => join(src, file));

/** What the walk found: every public name it checked, and those without a doc comment. */
interface DocReport {
  checked: string[];
  missing: string[];
}

function isFromLibrary(symbol: ts.Symbol): boolean {
  const declarations = symbol.declarations ?? [];
  return declarations.length === 0 || declarations.every((d) => d.getSourceFile().isDeclarationFile);
}

function isInternal(symbol: ts.Symbol): boolean {
  return (symbol.declarations ?? []).some((d) => ts.getJSDocTags(d).some((tag) => tag.tagName.text === 'internal'));
}

function isNonPublicMember(symbol: ts.Symbol): boolean {
  if (symbol.getName().startsWith('#')) return true;
  return (symbol.declarations ?? []).some((d) => (ts.getCombinedModifierFlags(d) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0);
}

function walkPublicNames(): DocReport {
  const program = ts.createProgram(entries, {
    module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: ['node'], noEmit: true,
  });
  const checker = program.getTypeChecker();
  const report: DocReport = { checked: [], missing: [] };
  const seen = new Set<ts.Symbol>();
  // Members inherited by a subclass come back as fresh symbols (instantiated for its `this`
  // type); their declarations are the base class's, so each is checked once.
  const seenMembers = new Set<ts.Declaration>();

  const hasOwnComment = (symbol: ts.Symbol): boolean =>
    (symbol.declarations ?? []).some((d) => ts.getJSDocCommentsAndTags(d).length > 0);
  const isDocumented = (symbol: ts.Symbol): boolean => hasOwnComment(symbol) || symbol.getDocumentationComment(checker).length > 0;

  const check = (symbol: ts.Symbol, path: string, ownCommentRequired = false): void => {
    report.checked.push(path);
    if (!(ownCommentRequired ? hasOwnComment(symbol) : isDocumented(symbol))) report.missing.push(path);
  };

  /** `name`, or `[Symbol.iterator]` for a well-known symbol (which the compiler names `__@iterator@12`). */
  const memberName = (member: ts.Symbol): string => {
    const name = member.getName();
    return name.startsWith('__@') ? `[Symbol.${name.split('@')[1]}]` : name;
  };

  /** Public members of a class or interface type (instance side), and of the constructor (static side). */
  const visitMembers = (symbol: ts.Symbol, path: string): void => {
    const instance = checker.getDeclaredTypeOfSymbol(symbol);
    const members: [ts.Symbol, string][] = checker.getPropertiesOfType(instance).map((m) => [m, `${path}#${memberName(m)}`]);
    if (symbol.flags & ts.SymbolFlags.Class) {
      const statics = checker.getPropertiesOfType(checker.getTypeOfSymbol(symbol)).filter((m) => m.getName() !== 'prototype');
      members.push(...statics.map((m): [ts.Symbol, string] => [m, `${path}.${memberName(m)}`]));
    }
    for (const [member, memberPath] of members) {
      const declaration = member.declarations?.[0];
      if (!declaration || seenMembers.has(declaration) || isFromLibrary(member) || isNonPublicMember(member) || isInternal(member)) continue;
      seenMembers.add(declaration);
      check(member, memberPath, member.getName() === 'forward');
    }
  };

  const visit = (symbol: ts.Symbol, path: string): void => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    if (seen.has(target) || isFromLibrary(target)) return;
    seen.add(target);
    if (target.flags & ts.SymbolFlags.ValueModule) {
      for (const member of checker.getExportsOfModule(target)) visit(member, `${path}.${member.getName()}`);
      return;
    }
    check(target, path);
    if (target.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface)) visitMembers(target, path);
  };

  for (const entry of entries) {
    const source = program.getSourceFile(entry);
    if (!source) throw new Error(`cannot read ${entry}`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`${entry} has no exports`);
    for (const symbol of checker.getExportsOfModule(moduleSymbol)) visit(symbol, symbol.getName());
  }
  return report;
}

describe('documentation', () => {
  const report = walkPublicNames();

  it('walks the public names, Tensor methods and namespace members included', () => {
    // Guards the walk itself: a change that stopped it from reaching members would pass vacuously.
    for (const name of ['Tensor#matmul', 'Tensor#sum', 'Tensor#T', 'Tensor#backward', 'Tensor#item', 'nn.Module#forward',
      'nn.functional.conv2d', 'nn.init.kaimingUniform_', 'nn.utils.clipGradNorm_', 'optim.lrScheduler.StepLR',
      'optim.Optimizer#step', 'data.DataLoader', 'loadFile', 'createGpujsBackend']) {
      expect(report.checked).toContain(name);
    }
    expect(report.checked).not.toContain('nn.Module#bufferStore'); // private
  });

  it('gives every public name, class member, Tensor method and namespace member a doc comment', () => {
    expect(report.missing.length, `${report.missing.length} undocumented:\n${report.missing.join('\n')}\n`).toBe(0);
  });
});
