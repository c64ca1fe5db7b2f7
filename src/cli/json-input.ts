/**
 * The JSON a person hands the CLI (an action's input, a connection), from an option's text or a file.
 * Both must be JSON objects; anything else is a UsageError that says what was found, before any
 * connection is read or anything is sent.
 */
import { UsageError } from './usage-error.js';

/** Where the text came from and what it should be, for the messages: "--input", "the input". */
export interface JsonSource {
  what: string;
  where: string;
}

/** Reads a file the CLI was pointed at; a file that cannot be read is a UsageError with the reason. */
export async function readTextFile(
  path: string,
  readFile: (path: string) => Promise<string>,
): Promise<string> {
  let text: string;
  try {
    text = await readFile(path);
  } catch (error) {
    throw new UsageError(
      `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  // Windows PowerShell's `>` writes UTF-16; read as UTF-8 it is every other character a NUL.
  if (text.includes('\u0000')) {
    throw new UsageError(`${path} is not UTF-8 text (it looks like UTF-16); save it as UTF-8.`);
  }
  return withoutByteOrderMark(text);
}

/** Parses text that must hold a JSON object ({...}). */
export function parseJsonObject(text: string, source: JsonSource): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${source.where} is not valid JSON: ${syntaxProblem((error as Error).message, text)}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(
      `${capitalized(source.what)} must be a JSON object ({...}), got ${kindOf(value)} (in ${source.where}).`,
    );
  }
  return value as Record<string, unknown>;
}

/**
 * Windows editors save UTF-8 with a byte order mark (Notepad, PowerShell's `Out-File -Encoding utf8`);
 * it marks the encoding, it is not content, and JSON.parse refuses it.
 */
function withoutByteOrderMark(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/**
 * V8's message without the text it quotes around the mistake (which can be an API token or a password),
 * and with the position as a line and column a person can find in an editor.
 */
function syntaxProblem(message: string, text: string): string {
  const words = message.replace(/, (?:\.\.\.)?".*$/s, '');
  const at = /^(.*) in JSON at position (\d+)/s.exec(words);
  if (!at) return words;
  const before = text.slice(0, Number(at[2]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${at[1]} (line ${line}, column ${column})`;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'string' ? 'a string' : typeof value === 'number' ? 'a number' : `${value}`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
