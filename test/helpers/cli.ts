/** Running the CLI in this process, with its output, environment and files in memory. */
import { runCli } from '../../src/cli/run-cli.js';

/**
 * Runs `okta-actions <argv>` with the given environment and files (a map of path to text; written files
 * land there too), and returns its exit code and what it printed. `whileRunning` is what a test does
 * while a long-running command (the sandbox) serves; it stops when that is done.
 */
export async function cli(
  argv: string[],
  env: Record<string, string> = {},
  files: Record<string, string> = {},
  { whileRunning }: { whileRunning?: (stdout: string) => Promise<void> } = {},
) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env,
    readFile: async (path) => {
      if (path in files) return files[path]!;
      throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    },
    writeFile: async (path, text) => {
      files[path] = text;
    },
    // A long-running command (the sandbox) stops as soon as the test is done with it.
    untilStopped: async () => whileRunning?.(stdout),
  });
  return { code, stdout, stderr };
}
