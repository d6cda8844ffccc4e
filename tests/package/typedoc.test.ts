/**
 * The API reference builds cleanly: TypeDoc, with the options `npm run docs` uses (typedoc.json:
 * the three entries, validation on), converts and validates the project with 0 warnings and 0
 * errors. Nothing is written (the same as `typedoc --emit none`). A type used in a public
 * signature but not exported, or a broken `{@link}`, fails here with TypeDoc's own message.
 */
import { join } from 'node:path';
import { Application, Logger, LogLevel, ReflectionKind, TSConfigReader, TypeDocReader } from 'typedoc';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

/** Keeps every warning and error TypeDoc reports, with its level. */
class CollectingLogger extends Logger {
  readonly messages: string[] = [];
  override log(message: string, level: LogLevel): void {
    if (level >= LogLevel.Warn) this.messages.push(`[${LogLevel[level]}] ${message}`);
  }
}

describe('API reference (TypeDoc)', () => {
  it('converts and validates the three entries with 0 warnings and 0 errors', async () => {
    const logger = new CollectingLogger();
    const app = await Application.bootstrapWithPlugins({ options: join(root, 'typedoc.json') }, [new TypeDocReader(), new TSConfigReader()]);
    const bootstrapProblems = app.logger.errorCount + app.logger.warningCount;
    app.logger = logger;
    const project = await app.convert();
    if (project) app.validate(project);

    expect(bootstrapProblems, 'typedoc.json options were rejected (rerun `npx typedoc --emit none` to see why)').toBe(0);
    expect(project, `TypeDoc could not convert the project:\n${logger.messages.join('\n')}`).toBeDefined();
    expect(logger.messages, `TypeDoc reported:\n${logger.messages.join('\n')}\n`).toEqual([]);
    expect(logger.warningCount + logger.validationWarningCount + logger.errorCount).toBe(0);
    // The reference covers the whole surface, not an empty project that trivially has no warnings.
    const names = new Set(project?.getReflectionsByKind(ReflectionKind.All).map((r) => r.getFullName()));
    for (const name of ['index.Tensor.matmul', 'index.nn.Linear', 'index.optim.lrScheduler.StepLR', 'node.loadFile', 'gpu.createGpujsBackend']) {
      expect(names).toContain(name);
    }
  }, 120_000);
});
