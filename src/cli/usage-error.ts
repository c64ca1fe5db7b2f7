/**
 * A mistake on the command line (an unknown option, a number out of range, input that is not a JSON
 * object, an unknown action): runCli prints the message with the command's usage and exits 2, before
 * any connection is read or anything is sent to Okta.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
