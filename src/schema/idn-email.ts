/**
 * JSON Schema's `idn-email` format (draft-07), which ajv-formats lacks. A leaf module: the runtime's input
 * check and the sandbox's reading of Okta's API description both use it.
 */
import { domainToASCII } from 'node:url';

/** One dot-atom part of a local part: RFC 5322's atext, plus any non-ASCII character (RFC 6531 3.3). */
const LOCAL_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\u{10FFFF}-]+$/u;
/** A domain label as DNS has it once IDNA has mapped the domain to ASCII. */
const ASCII_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * An email address as RFC 6531 allows it: a local part of dot-separated atoms, whose characters may be any
 * non-ASCII ones, and a domain whose Unicode labels map to ASCII by IDNA (node:url's domainToASCII), with
 * at least two labels. Plain ASCII addresses pass as they did under `email`.
 */
export function isInternationalizedEmail(value: string): boolean {
  const at = value.lastIndexOf('@');
  if (at < 1 || at === value.length - 1 || Buffer.byteLength(value.slice(0, at)) > 64) return false;
  const atoms = value.slice(0, at).split('.');
  if (!atoms.every((atom) => LOCAL_ATOM.test(atom))) return false;
  const domain = domainToASCII(value.slice(at + 1));
  const labels = domain.split('.');
  return (
    domain.length > 0 &&
    domain.length <= 253 &&
    labels.length >= 2 &&
    labels.every((l) => ASCII_LABEL.test(l))
  );
}
