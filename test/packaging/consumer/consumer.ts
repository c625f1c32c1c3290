// A user's TypeScript file: every verify form, the profile's fields, the typed errors and the emulator subpath.

import type { Request } from 'express';
import {
  AuthorizationError,
  EventpopAPIError,
  type EventpopAPIErrorCode,
  type EventpopProfile,
  EventpopStrategy,
  type EventpopStrategyOptions,
  type EventpopTokenParams,
  type EventpopVerifyCallback,
  type EventpopVerifyFunctionWithParams,
  InternalOAuthError,
  Strategy,
  TokenError,
} from 'passport-eventpop';
import { createEmulator, type Emulator, type EmulatorOptions } from 'passport-eventpop/emulator';

const options: EventpopStrategyOptions = {
  clientID: 'client-id',
  clientSecret: 'client-secret',
  callbackURL: 'https://app.example/auth/eventpop/callback',
  scope: ['public'],
  timeout: 5000,
};

/** What the application keeps of a user. */
interface AppUser {
  id: string;
  name: string;
  givenName: string | undefined;
  familyName: string | undefined;
  email: string | undefined;
  photo: string | undefined;
  phone: string | undefined;
  gender: string | undefined;
  birthday: string | undefined;
  raw: string;
}

function toUser(profile: EventpopProfile): AppUser {
  const provider: 'eventpop' = profile.provider;
  return {
    id: `${provider}:${profile.id}`,
    name: profile.displayName,
    givenName: profile.name?.givenName,
    familyName: profile.name?.familyName,
    email: profile.emails?.[0].value,
    photo: profile.photos?.[0].value,
    phone: profile.phoneNumbers?.[0].value,
    gender: profile.gender,
    birthday: profile.birthday,
    raw: profile._raw,
  };
}

export const withProfile = new Strategy(options, (accessToken, refreshToken, profile, done) => {
  const token: string = accessToken;
  const refresh: string = refreshToken;
  done(null, token && refresh ? toUser(profile) : false);
});

// TypeScript fixes an unannotated callback's parameter types at the first overload it tries (the
// 4-argument one), so the forms with `params` are written as users must write them: with a typed
// const or annotated parameters (the unannotated forms fail with TS7006 under strict).
const verifyWithParams: EventpopVerifyFunctionWithParams = (
  accessToken,
  refreshToken,
  params,
  profile,
  done,
) => {
  const expiresIn: number | undefined = params.expires_in;
  done(null, { ...toUser(profile), expiresIn, token: accessToken, refresh: refreshToken });
};
export const withParams = new EventpopStrategy(options, verifyWithParams);

export const withRequest = new Strategy(
  { ...options, passReqToCallback: true },
  (req, accessToken, refreshToken, profile, done) => {
    const agent: string | undefined = req.headers['user-agent'];
    done(null, { ...toUser(profile), agent, token: accessToken, refresh: refreshToken });
  },
);

export const withRequestAndParams = new Strategy(
  { ...options, passReqToCallback: true },
  (
    req: Request,
    accessToken: string,
    refreshToken: string,
    params: EventpopTokenParams,
    profile: EventpopProfile,
    done: EventpopVerifyCallback,
  ) => {
    done(null, {
      ...toUser(profile),
      path: req.path,
      scope: params.scope,
      token: accessToken,
      refresh: refreshToken,
    });
  },
);

export const asyncVerify = new Strategy(options, async (_accessToken, _refreshToken, profile, done) => {
  const user = await Promise.resolve(toUser(profile));
  done(null, user);
});

export const name: string = withProfile.name;

/** Turns any error the strategy can pass on into a line for the log, using only typed fields. */
export function describeError(err: unknown): string {
  if (err instanceof TokenError) return `token refused: ${err.code} (${err.status})`;
  if (err instanceof AuthorizationError) return `authorization failed: ${err.code} (${err.status})`;
  if (err instanceof EventpopAPIError) {
    const code: EventpopAPIErrorCode = err.code;
    const wait: number | undefined = err.retryAfter;
    return `Eventpop API: ${code} (${err.status}) retry after ${wait ?? '-'}s`;
  }
  if (err instanceof InternalOAuthError) {
    const code: string | undefined = err.code;
    const status: number | undefined = err.status;
    return `Eventpop unreachable: ${code ?? '-'} ${status ?? '-'} ${String(err.cause)}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** Starts the local Eventpop, points a strategy at it, injects a fault and stops it. */
export async function againstTheEmulator(): Promise<string> {
  const emulatorOptions: EmulatorOptions = {
    port: 0,
    clients: [
      {
        clientId: 'client-id',
        clientSecret: 'client-secret',
        redirectUris: ['http://127.0.0.1:3000/auth/eventpop/callback'],
        name: 'Demo app',
      },
    ],
    autoApprove: true,
  };
  const emu: Emulator = await createEmulator(emulatorOptions);
  const strategy = new Strategy({ ...options, baseURL: emu.url }, (_a, _r, profile, done) =>
    done(null, toUser(profile)),
  );
  emu.inject('token', { status: 500, body: { error: 'server_error' }, times: 1 });
  emu.clearFaults();
  const seen = emu.requests.length + emu.users.length;
  await emu.close();
  return `${strategy.name} ${seen}`;
}
