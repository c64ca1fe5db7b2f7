/** The base cast's factors, sessions, tokens, consent grants and blocks. */
import type { SandboxOrg } from '../../org.js';
import type { SeededOrg } from '../../seeded-org.js';
import { appsOf } from '../apps/model.js';
import type { UserRecord } from '../users/model.js';
import {
  blockUser,
  credentialsOf,
  enrollFactor,
  grantConsent,
  issueOAuthToken,
  type OAuthClient,
  startSession,
} from './model.js';

const DEFAULT_AUTHORIZATION_SERVER = 'aus5sandboxDefault01';

/** The apps module's OIDC app of that name, so grants link to a real app; a stand-in if there is none. */
function oidcClientNamed(org: SandboxOrg, label: string): OAuthClient {
  const app = [...appsOf(org).byId.values()].find((a) => a.kind === 'oidc' && a.label === label);
  return app ? { id: app.id, name: app.label } : { id: org.ids.id('0oa'), name: label };
}

/** A phone number in the range set aside for fiction (555-01xx). */
function fictionalPhone(index: number): string {
  return `+1 415-555-01${String(10 + index).padStart(2, '0')}`;
}

interface Phone {
  name: string;
  platform: 'IOS' | 'ANDROID';
}

function enrollOktaVerify(org: SandboxOrg, user: UserRecord, phone: Phone, withFastPass: boolean): void {
  const login = user.profile.login;
  const device = {
    deviceType: phone.platform === 'IOS' ? 'SmartPhone_IPhone' : 'SmartPhone_Android',
    name: phone.name,
    platform: phone.platform,
    version: phone.platform === 'IOS' ? '17.4.1' : '14',
  };
  enrollFactor(org, user, { factorType: 'push', profile: { credentialId: login, ...device } });
  enrollFactor(org, user, { factorType: 'token:software:totp', profile: { credentialId: login } });
  if (withFastPass) enrollFactor(org, user, { factorType: 'signed_nonce', profile: device });
}

function enrollWebAuthn(org: SandboxOrg, user: UserRecord, authenticatorName: string): void {
  enrollFactor(org, user, {
    factorType: 'webauthn',
    profile: { credentialId: org.ids.id('', 43), authenticatorName },
  });
}

function consentTo(org: SandboxOrg, user: UserRecord, client: OAuthClient, scopeNames: string[]): void {
  for (const scopeName of scopeNames)
    grantConsent(org, user, { client, scopeName, authorizationServerId: DEFAULT_AUTHORIZATION_SERVER });
}

/**
 * Realistic enrollments for the active base users (the suspended and the staged user have none); sessions
 * for Jane (two, and a remembered laptop), Mei and Lukas; consent to the OIDC Expense Portal, with tokens,
 * for the people assigned to it (Lukas in Finance, the admin); a device-based block on Amara.
 */
export function seedCredentials(org: SandboxOrg, base: SeededOrg): void {
  const person = (login: string) => base.people[login];
  const expensePortal = oidcClientNamed(org, 'Expense Portal');
  const { admin } = base;
  enrollOktaVerify(org, admin, { name: "Admin's iPhone", platform: 'IOS' }, true);
  enrollWebAuthn(org, admin, 'YubiKey 5 NFC');
  consentTo(org, admin, expensePortal, ['openid']);

  const jane = person('jane.doe@example.com');
  if (jane) {
    enrollOktaVerify(org, jane, { name: "Jane's iPhone", platform: 'IOS' }, true);
    enrollFactor(org, jane, {
      factorType: 'sms',
      profile: { phoneNumber: fictionalPhone(1) },
      recovery: true,
    });
    startSession(org, jane);
    startSession(org, jane, 12);
    credentialsOf(org).rememberedDevices.set(jane.id, ["Jane's MacBook Pro"]);
  }
  const omar = person('omar.haddad@example.com');
  if (omar) {
    enrollFactor(org, omar, {
      factorType: 'token:software:totp',
      provider: 'GOOGLE',
      profile: { credentialId: omar.profile.login },
    });
    enrollWebAuthn(org, omar, 'MacBook Pro Touch ID');
  }
  const mei = person('mei.chen@example.com');
  if (mei) {
    enrollFactor(org, mei, {
      factorType: 'sms',
      profile: { phoneNumber: fictionalPhone(2) },
      recovery: true,
    });
    enrollFactor(org, mei, { factorType: 'email', profile: { email: mei.profile.login } });
    startSession(org, mei);
  }
  const lukas = person('lukas.weber@example.com');
  if (lukas) {
    enrollOktaVerify(org, lukas, { name: "Lukas's Pixel 8", platform: 'ANDROID' }, false);
    enrollFactor(org, lukas, {
      factorType: 'question',
      profile: { question: 'favorite_art_piece', questionText: 'What is your favorite piece of art?' },
    });
    startSession(org, lukas);
    consentTo(org, lukas, expensePortal, ['openid', 'profile', 'email', 'offline_access']);
    issueOAuthToken(org, lukas, expensePortal.id, 'refresh_token');
    issueOAuthToken(org, lukas, expensePortal.id, 'access_token');
  }
  const amara = person('amara.okafor@example.com');
  if (amara) {
    enrollFactor(org, amara, {
      factorType: 'call',
      profile: { phoneNumber: fictionalPhone(3) },
      recovery: true,
    });
    blockUser(org, amara, { type: 'DEVICE_BASED', appliesTo: 'UNKNOWN_DEVICES' });
  }
}
