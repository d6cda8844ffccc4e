/**
 * The exercise kit's shared pieces: reading exercises/tasks.json (tasks, their prerequisites,
 * in ladder order) and turning marked solutions into stubs.
 *
 * A solution in the source is a block of whole lines
 *     // BEGIN SOLUTION m1 — Mul.backward: what to implement
 *     …the body…
 *     // END SOLUTION
 * The student edition replaces each such block with `void` uses of the names only the body read
 * (its function's parameters and locals, the file's imports and helpers — so `noUnused*` still
 * passes, and they hint at what the body needs) and `throw new NotImplementedError('m1: …')`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

/** One task of the ladder, as tasks.json lists it. */
export interface Task {
  id: string;
  title: string;
  points: number;
  /** Source files holding this task's marked solutions. */
  files: string[];
  /** Test files (under exercises/tests/) that grade the task. */
  tests: string[];
  /** Tasks whose code this task's tests run through. */
  prerequisites: string[];
}

/** The tasks of `<root>/exercises/tasks.json`, checked: known prerequisites, listed before their dependents. */
export function loadTasks(root: string): Task[] {
  const parsed = JSON.parse(readFileSync(join(root, 'exercises', 'tasks.json'), 'utf8')) as { tasks: Task[] };
  const seen = new Set<string>();
  for (const t of parsed.tasks) {
    for (const p of t.prerequisites) {
      if (!seen.has(p)) throw new Error(`tasks.json: ${t.id} needs ${p}, which is not listed before it`);
    }
    seen.add(t.id);
  }
  return parsed.tasks;
}

/** `id` and everything it needs, transitively, in ladder order. */
export function withPrerequisites(tasks: readonly Task[], id: string): Task[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  if (!byId.has(id)) throw new Error(`unknown task ${id} (tasks: ${tasks.map((t) => t.id).join(', ')})`);
  const wanted = new Set<string>();
  const visit = (t: string): void => {
    if (wanted.has(t)) return;
    wanted.add(t);
    for (const p of byId.get(t)?.prerequisites ?? []) visit(p);
  };
  visit(id);
  return tasks.filter((t) => wanted.has(t.id));
}

const BEGIN = /^(\s*)\/\/ BEGIN SOLUTION (\S+)(?: — (.*))?$/;
const END = /^\s*\/\/ END SOLUTION\s*$/;

/** A marked block: its task, the text after the task id, and its lines (0-based, markers included). */
export interface SolutionBlock {
  task: string;
  what: string;
  indent: string;
  first: number;
  last: number;
}

/** The marked blocks of a file's text; throws on a BEGIN without END or a nested BEGIN. */
export function solutionBlocks(text: string, file: string): SolutionBlock[] {
  const lines = text.split('\n');
  const blocks: SolutionBlock[] = [];
  let open: SolutionBlock | null = null;
  lines.forEach((line, i) => {
    const begin = BEGIN.exec(line);
    if (begin) {
      if (open) throw new Error(`${file}:${i + 1}: BEGIN SOLUTION inside the block opened at line ${open.first + 1}`);
      open = { task: begin[2], what: begin[3] ?? 'the marked body', indent: begin[1], first: i, last: -1 };
    } else if (END.test(line)) {
      if (!open) throw new Error(`${file}:${i + 1}: END SOLUTION without BEGIN SOLUTION`);
      open.last = i;
      blocks.push(open);
      open = null;
    }
  });
  if (open !== null) throw new Error(`${file}: BEGIN SOLUTION at line ${(open as SolutionBlock).first + 1} has no END SOLUTION`);
  return blocks;
}

/** Whether `node` is an identifier read as a value (not a property name, not inside a type). */
function isValueIdentifier(node: ts.Node): node is ts.Identifier {
  if (!ts.isIdentifier(node)) return false;
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.name === node) return false;
  for (let p: ts.Node | undefined = parent; p; p = p.parent) if (ts.isTypeNode(p)) return false;
  return true;
}

/** Names bound by a parameter or variable name (plain or destructured). */
function boundNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : boundNames(e.name)));
}

/** Names the file's top level declares as values: value imports, functions, classes, variables. */
function topLevelValues(sf: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s) && s.importClause && !s.importClause.isTypeOnly) {
      const { name, namedBindings } = s.importClause;
      if (name) names.add(name.text);
      if (namedBindings && ts.isNamedImports(namedBindings)) {
        for (const e of namedBindings.elements) if (!e.isTypeOnly) names.add(e.name.text);
      }
    } else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name) {
      names.add(s.name.text);
    } else if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) for (const n of boundNames(d.name)) names.add(n);
    }
  }
  return names;
}

/**
 * The file's text with the blocks of `tasks` stubbed (see the file comment), and the tasks it
 * stubbed. `errorsModule` is the path of src/errors.ts, for the import of NotImplementedError.
 */
export function stubSolutions(text: string, file: string, tasks: ReadonlySet<string>, errorsModule: string): { text: string; stubbed: SolutionBlock[] } {
  const blocks = solutionBlocks(text, file).filter((b) => tasks.has(b.task));
  if (blocks.length === 0) return { text, stubbed: [] };
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lines = text.split('\n');
  const lineStart: number[] = [];
  lines.reduce((pos, line, i) => ((lineStart[i] = pos), pos + line.length + 1), 0);
  const spans = blocks.map((b) => ({ start: lineStart[b.first], end: lineStart[b.last] + lines[b.last].length }));
  const inBlock = (pos: number) => spans.some((s) => pos >= s.start && pos < s.end);

  const identifiers: ts.Identifier[] = [];
  const functions: ts.FunctionLikeDeclaration[] = [];
  const walk = (node: ts.Node): void => {
    // Every identifier: outside the blocks, declarations and type uses count as uses too.
    if (ts.isIdentifier(node)) identifiers.push(node);
    if (ts.isFunctionLike(node) && 'body' in node && node.body) functions.push(node as ts.FunctionLikeDeclaration);
    ts.forEachChild(node, walk);
  };
  walk(sf);
  const topLevel = topLevelValues(sf);
  const usesOutside = (name: string, from: number, to: number) =>
    identifiers.filter((id) => id.text === name && id.getStart() >= from && id.getStart() < to && !inBlock(id.getStart())).length;

  const stubs = blocks.map((b, k) => {
    const { start, end } = spans[k];
    const fn = functions.filter((f) => f.getStart() <= start && f.end >= end).sort((x, y) => y.getStart() - x.getStart())[0];
    if (!fn) throw new Error(`${file}:${b.first + 1}: a SOLUTION block must sit inside a function body`);
    const locals = new Set<string>(fn.parameters.flatMap((p) => boundNames(p.name)));
    const visitLocals = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && node.getStart() < start) for (const n of boundNames(node.name)) locals.add(n);
      ts.forEachChild(node, visitLocals);
    };
    if (fn.body) visitLocals(fn.body);
    const read = [...new Set(identifiers.filter((id) => id.getStart() >= start && id.getStart() < end && isValueIdentifier(id)).map((id) => id.text))];
    const unusedAfter = read.filter((name) =>
      locals.has(name) ? usesOutside(name, fn.getStart(), fn.end) <= 1 : topLevel.has(name) && usesOutside(name, 0, text.length) <= 1,
    );
    // Parameters the block never read still need a use when nothing else reads them.
    for (const p of fn.parameters.flatMap((q) => boundNames(q.name))) {
      if (!unusedAfter.includes(p) && usesOutside(p, fn.getStart(), fn.end) <= 1) unusedAfter.push(p);
    }
    // Parameters in signature order, then locals, then the file's names, each in order of declaration.
    const params = fn.parameters.flatMap((q) => boundNames(q.name));
    const rank = (name: string) => {
      const p = params.indexOf(name);
      if (p >= 0) return p;
      const inFn = identifiers.find((id) => id.text === name && id.getStart() >= fn.getStart() && id.getStart() < fn.end && !topLevel.has(name));
      return inFn ? 1_000 + inFn.getStart() : 1e12 + (identifiers.find((id) => id.text === name)?.getStart() ?? 0);
    };
    unusedAfter.sort((x, y) => rank(x) - rank(y));
    const message = `${b.task}: ${b.what}`.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
    const body = [
      `${b.indent}// ${b.task}: write this body (see exercises/README.md).`,
      ...(unusedAfter.length > 0 ? [`${b.indent}${unusedAfter.map((n) => `void ${n};`).join(' ')}`] : []),
      `${b.indent}throw new NotImplementedError('${message}');`,
    ];
    return { b, body };
  });

  for (const { b, body } of [...stubs].reverse()) lines.splice(b.first, b.last - b.first + 1, ...body);
  let spec = relative(dirname(file), errorsModule).replace(/\\/g, '/').replace(/\.ts$/, '.js');
  if (!spec.startsWith('.')) spec = `./${spec}`;
  const importLine = `import { NotImplementedError } from '${spec}'; // thrown by the stubs below: delete it with the last one`;
  const lastImport = sf.statements.filter(ts.isImportDeclaration).at(-1);
  const at = lastImport ? sf.getLineAndCharacterOfPosition(lastImport.end).line + 1 : 0;
  lines.splice(at, 0, importLine);
  return { text: lines.join('\n'), stubbed: blocks };
}
