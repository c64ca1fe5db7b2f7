/**
 * The sandbox's source stays in small files and short functions (issue 13): no file over 500 lines, no
 * function over 80, counted from its signature to its closing brace. The generated JSON is not source.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SANDBOX = join(import.meta.dirname, '../../src/sandbox');
const MAX_FILE_LINES = 500;
const MAX_FUNCTION_LINES = 80;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `file:line name (n lines)` for each function longer than the limit. */
function longFunctions(path: string, text: string): string[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const lineOf = (position: number) => source.getLineAndCharacterOfPosition(position).line;
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const lines = lineOf(node.getEnd()) - lineOf(node.getStart(source)) + 1;
      const named = node.name ?? (node.parent as { name?: ts.Node }).name;
      const name = named?.getText(source) ?? '(anonymous)';
      if (lines > MAX_FUNCTION_LINES)
        found.push(
          `${relative(SANDBOX, path)}:${lineOf(node.getStart(source)) + 1} ${name} (${lines} lines)`,
        );
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the sandbox source', () => {
  const files = sourceFiles(SANDBOX).map((path) => ({ path, text: readFileSync(path, 'utf8') }));

  it('is read from a tree that has its resource families and server in it', () => {
    const names = files.map(({ path }) => relative(SANDBOX, path));
    expect(names).toEqual(expect.arrayContaining(['server.ts', 'resources/apps/routes.ts']));
  });

  it(`has no file over ${MAX_FILE_LINES} lines`, () => {
    const long = files
      .map(({ path, text }) => ({ path: relative(SANDBOX, path), lines: text.split('\n').length - 1 }))
      .filter(({ lines }) => lines > MAX_FILE_LINES);
    expect(long).toEqual([]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines`, () => {
    expect(files.flatMap(({ path, text }) => longFunctions(path, text))).toEqual([]);
  });
});
