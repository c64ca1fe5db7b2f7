/**
 * What a connection's name may be: short, and safe to show in a tool's schema (an enum) and in messages.
 * Its own module, so that the CLI checks names without loading the server.
 */
export const CONNECTION_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

export const CONNECTION_NAME_RULE =
  'letters, digits, ".", "_" and "-", starting with a letter or digit, at most 63 characters';
