#!/usr/bin/env node
/**
 * The size limits of docs/ARCHITECTURE.md: no source file over 500 lines, no function over 80, outside
 * generated code. Source is src/, actions/ and scripts/ (tests and benchmarks are reported, not held to
 * it). Prints the largest file and the longest function of each, fails (exit 1) when a limit is passed.
 * Functions are found with TypeScript's own parser: declarations, methods, function expressions and
 * arrow functions, measured from their first line to their last.
 *
 *   node scripts/check-structure.mjs [--all]   (--all lists every file and function over the limits)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const MAX_FILE_LINES = 500;
export const MAX_FUNCTION_LINES = 80;
const ENFORCED = ['src', 'actions', 'scripts'];
const REPORTED = ['test', 'bench'];
const CODE = /\.(ts|mts|mjs|cjs|js)$/;
const GENERATED = [/\.gen\.ts$/, /^src\/generated\//, /^src\/sandbox\/generated\//, /\.d\.mts$/];

function filesUnder(dir) {
  const out = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') out.push(...filesUnder(path));
    } else if (CODE.test(entry.name) && !GENERATED.some((pattern) => pattern.test(path))) out.push(path);
  }
  return out;
}

/** Every function of a file with its name (or what it is assigned to) and its length in lines. */
export function functionsOf(path, text) {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const lineOf = (position) => source.getLineAndCharacterOfPosition(position).line + 1;
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = lineOf(node.getStart(source));
      const end = lineOf(node.getEnd());
      found.push({ name: nameOf(node), line: start, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function nameOf(node) {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  const parent = node.parent;
  if (
    parent &&
    (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) &&
    ts.isIdentifier(parent.name)
  )
    return parent.name.text;
  if (parent && ts.isCallExpression(parent)) return `callback of ${parent.expression.getText().slice(0, 40)}`;
  return '(anonymous)';
}

function measure(dirs) {
  const files = dirs.flatMap((dir) =>
    statSync(join(root, dir), { throwIfNoEntry: false }) ? filesUnder(dir) : [],
  );
  return files.map((path) => {
    const text = readFileSync(join(root, path), 'utf8');
    return {
      path: relative(root, join(root, path)),
      lines: text.split('\n').length,
      functions: functionsOf(path, text),
    };
  });
}

function largest(measured) {
  const file = measured.reduce((a, b) => (b.lines > a.lines ? b : a));
  const fn = measured
    .flatMap((f) => f.functions.map((fun) => ({ ...fun, path: f.path })))
    .reduce((a, b) => (b.lines > a.lines ? b : a));
  return { file, fn };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const all = process.argv.includes('--all');
  const enforced = measure(ENFORCED);
  const bigFiles = enforced.filter((f) => f.lines > MAX_FILE_LINES);
  const longFunctions = enforced.flatMap((f) =>
    f.functions.filter((fun) => fun.lines > MAX_FUNCTION_LINES).map((fun) => ({ ...fun, path: f.path })),
  );
  const { file, fn } = largest(enforced);
  console.log(`source (${ENFORCED.join(', ')}): ${enforced.length} files`);
  console.log(`  largest file: ${file.path} (${file.lines} lines; limit ${MAX_FILE_LINES})`);
  console.log(
    `  longest function: ${fn.name} in ${fn.path}:${fn.line} (${fn.lines} lines; limit ${MAX_FUNCTION_LINES})`,
  );
  const reported = measure(REPORTED);
  const other = largest(reported);
  console.log(`tests and benchmarks (${REPORTED.join(', ')}; reported only): ${reported.length} files`);
  console.log(`  largest file: ${other.file.path} (${other.file.lines} lines)`);
  console.log(
    `  longest function: ${other.fn.name} in ${other.fn.path}:${other.fn.line} (${other.fn.lines} lines)`,
  );
  for (const f of all ? bigFiles : bigFiles.slice(0, 20))
    console.log(`  over the file limit: ${f.path} (${f.lines})`);
  for (const f of all ? longFunctions : longFunctions.slice(0, 20))
    console.log(`  over the function limit: ${f.name} in ${f.path}:${f.line} (${f.lines})`);
  if (bigFiles.length + longFunctions.length > 0) {
    console.log(
      `FAILED: ${bigFiles.length} files over ${MAX_FILE_LINES} lines, ${longFunctions.length} functions over ${MAX_FUNCTION_LINES}`,
    );
    process.exitCode = 1;
  } else console.log('ok: every source file and function within the limits');
}
