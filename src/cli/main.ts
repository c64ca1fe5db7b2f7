#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { runCli } from './run-cli.js';

const exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  readFile: (path) => readFile(path, 'utf8'),
});
process.exitCode = exitCode;
