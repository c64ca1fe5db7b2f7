/**
 * Secret canary for the OAuth connection types: a client secret, RSA (PEM) and EC (JWK) private keys, and
 * a person's access and refresh tokens go in; none may come out in results, errors, anything thrown,
 * anything written (console, stdout/stderr, warnings) or the sandbox's System Log.
 *
 * Runs: every action with a working example on each OAuth connection type (one app with a client secret,
 * one signing with an RSA key and bound to DPoP, one signing with an EC key, one person's sign-in whose
 * access token has expired, so every run refreshes it), then the ways a token request or an API call can
 * fail, for a few actions and testConnection.
 *
 * Allowed: the new tokens of a refresh, in meta.connectionUpdate (the host must store them). The canaries,
 * the tokens the host handed over, are never among them.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type ActionKey, execute, manifest, testConnection } from '../src/index.js';
import { DEFAULT_SANDBOX_OAUTH_CLIENT, type Sandbox, startSandbox } from '../src/sandbox/index.js';
import { ADMIN_LOGIN } from '../src/sandbox/seed.js';
import { type Examples, JANE, sandboxExamples } from './helpers/action-examples.js';
import { CANARY_HOST, captureWrites, evidenceOf, leaksIn, needlesOf, outcome } from './helpers/canary.js';
import { inPool } from './helpers/pool.js';
import { signInWithPkce } from './sandbox/oauth-client.js';

// Random in the middle: the canary also looks for each secret's characters 6 to 18, which must not be a word.
const CLIENT_SECRET = 'Canary7Hk3Lp8Qz2Rv6Wx9Yb4Nm1JcSecretD5';
const WRONG_CLIENT_SECRET = 'Canary2Tg5Dc8Vb2Nm6Kl9Qw3Er7YwRongX4';
/** An API token pasted into the client secret field: refused, and not quoted back. */
const PASTED_API_TOKEN = '00Canary9P4sT3dInT0Th3F1eld9Xy7QpAsTeD5zKw';
const INPUT_SECRET = 'CanaryPw-3Hb8Vc5Nx1Qa';

const RSA = generateKeyPairSync('rsa', { modulusLength: 2048 });
const RSA_PEM = RSA.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const RSA_PUBLIC_JWK = { ...RSA.publicKey.export({ format: 'jwk' }), kid: 'canary-rsa', alg: 'RS256' } as {
  kty: string;
  [member: string]: unknown;
};
/** A key the app does not know: its assertion is refused (invalid_client). */
const STRANGER_PEM = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ format: 'pem', type: 'pkcs8' })
  .toString();

/** The PEM's base64 lines (each 64 characters): any of them in the open is a leak. */
const pemLines = (pem: string) => pem.split('\n').filter((line) => line.length === 64);

/** The person's tokens of the current test (made per sandbox), to look for after it. */
let personTokens: string[] = [];

const STATIC_SECRETS = [
  CLIENT_SECRET,
  WRONG_CLIENT_SECRET,
  PASTED_API_TOKEN,
  INPUT_SECRET,
  DEFAULT_SANDBOX_OAUTH_CLIENT.privateKeyJwk.d,
  ...pemLines(RSA_PEM),
  ...pemLines(STRANGER_PEM),
];
const needles = () => needlesOf([...STATIC_SECRETS, ...personTokens]);

captureWrites(needles);

// The failure runs keep the canary's short limits; the successful runs get room, so a busy machine (8
// sandboxes at once, RSA signing) cannot turn them into timeouts.
const HOST = CANARY_HOST;
const ROOMY_HOST = {
  ...CANARY_HOST,
  requestTimeoutMs: 10_000,
  maxRetries: 2,
  maxWaitMs: 5_000,
  actionTimeoutMs: 60_000,
};
const examples: Examples = sandboxExamples(INPUT_SECRET);
const keys = manifest.actions.map((action) => action.key as ActionKey);
const newSandbox = () => startSandbox({ rateLimit: { perMinute: 100_000 } });

/** Every Okta API scope any action needs: what the canary apps are granted and ask for. */
const ALL_SCOPES = [
  ...new Set(manifest.actions.flatMap((a) => a.scopes).filter((s) => s.startsWith('okta.'))),
];

type ConnectionKind = 'client secret' | 'RSA key, DPoP' | 'EC key (JWK)' | "a person's expired token";

async function connectionFor(sandbox: Sandbox, kind: ConnectionKind): Promise<Record<string, unknown>> {
  const base = { apiAddress: sandbox.url };
  switch (kind) {
    case 'client secret': {
      const app = sandbox.oauth.addClient({
        clientSecret: CLIENT_SECRET,
        tokenEndpointAuthMethod: 'client_secret_basic',
        grantTypes: ['client_credentials'],
        scopes: ALL_SCOPES,
        apiServiceIntegration: true,
      });
      return {
        ...base,
        type: 'oauth_client_secret',
        clientId: app.clientId,
        clientSecret: CLIENT_SECRET,
        scopes: ALL_SCOPES,
      };
    }
    case 'RSA key, DPoP': {
      const app = sandbox.oauth.addClient({
        tokenEndpointAuthMethod: 'private_key_jwt',
        jwks: [RSA_PUBLIC_JWK],
        grantTypes: ['client_credentials'],
        scopes: ALL_SCOPES,
        dpop: true,
      });
      return {
        ...base,
        type: 'oauth_private_key',
        clientId: app.clientId,
        privateKey: RSA_PEM,
        keyId: 'canary-rsa',
        scopes: ALL_SCOPES,
      };
    }
    case 'EC key (JWK)': {
      const app = sandbox.oauth.addClient({
        tokenEndpointAuthMethod: 'private_key_jwt',
        jwks: [
          {
            kty: 'EC',
            crv: 'P-256',
            kid: 'sandbox-service-key-1',
            x: DEFAULT_SANDBOX_OAUTH_CLIENT.privateKeyJwk.x,
            y: DEFAULT_SANDBOX_OAUTH_CLIENT.privateKeyJwk.y,
          },
        ],
        grantTypes: ['client_credentials'],
        scopes: ALL_SCOPES,
      });
      const jwk = JSON.stringify(DEFAULT_SANDBOX_OAUTH_CLIENT.privateKeyJwk);
      return {
        ...base,
        type: 'oauth_private_key',
        clientId: app.clientId,
        privateKey: jwk,
        scopes: ALL_SCOPES,
      };
    }
    case "a person's expired token": {
      const { clientId, accessToken, refreshToken } = await signIn(sandbox);
      sandbox.oauth.expireAccessTokens();
      return { ...base, type: 'oauth_access_token', accessToken, refreshToken, clientId };
    }
  }
}

/** The admin signs in through a public client (authorization code with PKCE); the tokens become canaries. */
async function signIn(sandbox: Sandbox) {
  const signedIn = await signInWithPkce(sandbox, {
    scope: `openid profile email offline_access ${ALL_SCOPES.join(' ')}`,
    login: ADMIN_LOGIN,
    appScopes: ALL_SCOPES,
  });
  personTokens.push(signedIn.accessToken, signedIn.refreshToken!);
  return signedIn;
}

const KINDS: ConnectionKind[] = [
  'client secret',
  'RSA key, DPoP',
  'EC key (JWK)',
  "a person's expired token",
];

describe('OAuth canary: every action on every OAuth connection type', () => {
  for (const kind of KINDS) {
    it(kind, async () => {
      personTokens = [];
      const failed: string[] = [];
      const leaks = await inPool(keys, 8, async (key) => {
        const sandbox = await newSandbox();
        try {
          const connection = await connectionFor(sandbox, kind);
          const input = await examples[key](sandbox as never);
          const ran = await outcome(() => execute(key, { connection, input }, ROOMY_HOST));
          const result = ran.result as { ok?: boolean; error?: { code?: string; message?: string } };
          const personOnly = key === 'get-user-info' && kind !== "a person's expired token";
          if (!result?.ok && !(personOnly && result?.error?.code === 'UNSUPPORTED'))
            failed.push(`${key}: ${result?.error?.code} ${result?.error?.message ?? ran.thrown}`);
          return leaksIn(evidenceOf(`${kind} ${key}`, ran, sandbox), needles());
        } finally {
          await sandbox.close();
        }
      });
      // The runs must really work, or the secrets would not go where they are meant to go.
      expect(failed, failed.join('\n')).toEqual([]);
      expect(leaks.flat(), leaks.flat().join('\n')).toEqual([]);
    }, 120_000);
  }

  it('testConnection on each type', async () => {
    personTokens = [];
    for (const kind of KINDS) {
      const sandbox = await newSandbox();
      try {
        const ran = await outcome(async () => testConnection(await connectionFor(sandbox, kind), ROOMY_HOST));
        expect(ran.result, `${kind}: ${JSON.stringify(ran).slice(0, 800)}`).toMatchObject({ ok: true });
        expect(leaksIn(evidenceOf(`testConnection ${kind}`, ran, sandbox), needles())).toEqual([]);
      } finally {
        await sandbox.close();
      }
    }
  });
});

interface OAuthFailure {
  name: string;
  code: string;
  kind: ConnectionKind;
  /** Changes the sandbox or the connection so that the run fails this way. */
  arrange: (sandbox: Sandbox, connection: Record<string, unknown>) => Record<string, unknown>;
}

const tokenFault =
  (fault: Parameters<Sandbox['faults']['add']>[0]['fault']): OAuthFailure['arrange'] =>
  (sandbox, connection) => {
    sandbox.faults.add({ path: '/oauth2/v1/token', fault });
    return connection;
  };

const FAILURES: OAuthFailure[] = [
  {
    name: 'a wrong client secret',
    code: 'UNAUTHORIZED',
    kind: 'client secret',
    arrange: (_, c) => ({ ...c, clientSecret: WRONG_CLIENT_SECRET }),
  },
  {
    name: 'an API token pasted as the client secret',
    code: 'INVALID_CONNECTION',
    kind: 'client secret',
    arrange: (_, c) => ({ ...c, clientSecret: PASTED_API_TOKEN }),
  },
  {
    name: 'a key the app does not know',
    code: 'UNAUTHORIZED',
    kind: 'RSA key, DPoP',
    arrange: (_, c) => ({ ...c, privateKey: STRANGER_PEM }),
  },
  {
    name: 'the token endpoint answers 500',
    code: 'UPSTREAM',
    kind: 'RSA key, DPoP',
    arrange: tokenFault({ kind: 'status', status: 500 }),
  },
  {
    name: 'the token endpoint answers malformed JSON',
    code: 'UPSTREAM',
    kind: 'client secret',
    arrange: tokenFault({ kind: 'malformed-json' }),
  },
  {
    name: 'the token endpoint resets the connection',
    code: 'NETWORK',
    kind: 'EC key (JWK)',
    arrange: tokenFault({ kind: 'reset' }),
  },
  {
    // Okta does not quote a secret back; a proxy might. Redaction is the last line of defence.
    name: "the token endpoint's error quotes the client secret back",
    code: 'UNAUTHORIZED',
    kind: 'client secret',
    arrange: tokenFault({
      kind: 'status',
      status: 401,
      body: { error: 'invalid_client', error_description: `client_secret ${CLIENT_SECRET} is not valid` },
    }),
  },
  {
    name: 'the refresh token was revoked too',
    code: 'UNAUTHORIZED',
    kind: "a person's expired token",
    arrange: (sandbox, c) => {
      sandbox.oauth.revokeAll();
      return c;
    },
  },
  {
    name: "the API's error quotes the person's access token back",
    code: 'INVALID_INPUT',
    kind: "a person's expired token",
    arrange: (sandbox, c) => {
      const quoted = String(c.accessToken);
      sandbox.faults.add({
        path: '/api/v1/',
        fault: {
          kind: 'status',
          status: 400,
          body: {
            errorCode: 'E0000001',
            errorSummary: `Api validation failed: token ${quoted}`,
            errorLink: 'E0000001',
            errorId: 'oaeCanaryEcho0000002',
            errorCauses: [{ errorSummary: `token ${quoted}` }],
          },
        },
      });
      return c;
    },
  },
];

const FAILING_ACTIONS: Array<ActionKey | 'testConnection'> = [
  'get-user',
  'list-users',
  'create-user',
  'suspend-user',
  'call-okta-api',
  'testConnection',
];

describe('OAuth canary: failures', () => {
  for (const failure of FAILURES) {
    it(failure.name, async () => {
      personTokens = [];
      const leaks = await inPool(FAILING_ACTIONS, 6, async (key) => {
        const sandbox = await newSandbox();
        try {
          const connection = failure.arrange(sandbox, await connectionFor(sandbox, failure.kind));
          const input = key === 'testConnection' ? {} : await examples[key](sandbox as never);
          const ran = await outcome(() =>
            key === 'testConnection'
              ? testConnection(connection, HOST)
              : execute(key, { connection, input }, HOST),
          );
          const result = ran.result as {
            ok?: boolean;
            error?: { code?: string };
            details?: { code?: string };
          };
          const code = key === 'testConnection' ? result?.details?.code : result?.error?.code;
          const wrongWay =
            result?.ok !== false || code !== failure.code
              ? [`${key} did not fail with ${failure.code}: ${JSON.stringify(ran).slice(0, 600)}`]
              : [];
          return [...wrongWay, ...leaksIn(evidenceOf(`${failure.name} ${key}`, ran, sandbox), needles())];
        } finally {
          await sandbox.close();
        }
      });
      expect(leaks.flat(), leaks.flat().join('\n')).toEqual([]);
    }, 60_000);
  }
});

// A sanity check of the canary itself: a leak is found where one is put.
it('the OAuth canary finds a secret when one leaks', () => {
  personTokens = ['person-access-token-canary-value'];
  const evidence = [
    { where: 'a', text: `x ${CLIENT_SECRET.slice(0, 20)} y` },
    { where: 'b', text: pemLines(RSA_PEM)[3]! },
    { where: 'c', text: 'PERSON-ACCESS-TOKEN-CANARY-VALUE' },
    { where: 'd', text: `nothing here but ${JANE}` },
  ];
  const where = new Set(leaksIn(evidence, needles()).map((leak) => leak.split(':')[0]));
  expect([...where]).toEqual(['a', 'b', 'c']);
  personTokens = [];
});
