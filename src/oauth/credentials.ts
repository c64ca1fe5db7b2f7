/**
 * How the requests of a connection are authenticated: the connection layer builds these from a checked
 * connection, the authorizer turns them into each request's Authorization (and DPoP) header.
 */
import type { KeyObject } from 'node:crypto';
import type { JwsAlgorithm } from './jwt.js';

/** How requests of a connection are authenticated; only the client factory reads it. */
export type Credentials =
  | { kind: 'ssws'; token: string }
  | { kind: 'client_secret'; clientId: string; clientSecret: string; scopes: string[] }
  | {
      kind: 'private_key';
      clientId: string;
      key: KeyObject;
      algorithm: JwsAlgorithm;
      keyId: string | undefined;
      scopes: string[];
    }
  | {
      kind: 'access_token';
      accessToken: string;
      refreshToken: string | undefined;
      clientId: string | undefined;
      clientSecret: string | undefined;
      /** Epoch ms, when the host said. */
      expiresAt: number | undefined;
      scopes: string[] | undefined;
    };
