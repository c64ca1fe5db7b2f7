/** What the CLI reads and writes, given by its caller (main.ts: the process; tests: memory). */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  readFile: (path: string) => Promise<string>;
  writeFile: (path: string, text: string) => Promise<void>;
  /** Resolves when a long-running command should stop (the sandbox: on Ctrl-C / SIGTERM). */
  untilStopped: () => Promise<void>;
}
