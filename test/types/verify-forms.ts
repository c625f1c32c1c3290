// Type tests for the verify forms and options: checked by `tsc -p test/tsconfig.json` and by test/strategy-types.test.ts.
import type { Request } from 'express';
import {
  type EventpopProfile,
  type EventpopTokenParams,
  type EventpopVerifyCallback,
  type EventpopVerifyFunctionWithParams,
  type EventpopVerifyFunctionWithRequestAndParams,
  Strategy,
} from '../../lib';

/** Compiles only when `value` is assignable to `T`. */
export function expectType<T>(value: T): T {
  return value;
}

/** Compiles only when `value` is not `any` (which `expectType` alone would let through). */
export function expectNotAny<V>(value: V, ..._notAny: 0 extends 1 & V ? [never] : []): V {
  return value;
}

const options = { clientID: 'id', clientSecret: 'secret', callbackURL: '/auth/eventpop/callback' };

// (accessToken, refreshToken, profile, done)
new Strategy(options, (accessToken, refreshToken, profile, done) => {
  expectType<string>(expectNotAny(accessToken));
  expectType<string>(expectNotAny(refreshToken));
  expectType<EventpopProfile>(expectNotAny(profile));
  expectType<EventpopVerifyCallback>(expectNotAny(done));
  expectType<'eventpop'>(profile.provider);
  expectType<string>(profile.id);
  expectType<string>(profile.displayName);
  expectType<string | undefined>(profile.name?.givenName);
  expectType<string | undefined>(profile.name?.familyName);
  expectType<string | undefined>(profile.emails?.[0].value);
  expectType<string | undefined>(profile.photos?.[0].value);
  // @ts-expect-error name is optional: read it with ?.
  profile.name.givenName;
  // @ts-expect-error the profile id is a string, not Eventpop's number
  expectType<number>(profile.id);
  // @ts-expect-error the 4-parameter form has no params
  profile.expires_in;
  done(null, { id: profile.id });
});

// (accessToken, refreshToken, params, profile, done). TypeScript fixes an unannotated callback's
// parameter types from the first overload it tries (microsoft/TypeScript#31867, a design limitation),
// so the forms with params are typed through their exported type, or with annotated parameters.
const withParams: EventpopVerifyFunctionWithParams = (accessToken, refreshToken, params, profile, done) => {
  expectType<string>(expectNotAny(accessToken));
  expectType<string>(expectNotAny(refreshToken));
  expectType<EventpopTokenParams>(expectNotAny(params));
  expectType<EventpopProfile>(expectNotAny(profile));
  expectType<EventpopVerifyCallback>(expectNotAny(done));
  expectType<number | undefined>(params.expires_in);
  expectType<string | undefined>(params.scope);
  expectType<number | undefined>(params.created_at);
  expectType<string>(params.access_token);
  expectType<string>(params.token_type);
  // @ts-expect-error params is the token response, not the profile
  params.displayName;
  // @ts-expect-error expires_in is a number of seconds
  expectType<string>(params.expires_in);
  // @ts-expect-error the refresh token is passed on its own, not in params
  params.refresh_token;
  done(null, false, { message: 'not invited' });
};
new Strategy(options, withParams);
new Strategy(
  options,
  (
    _accessToken: string,
    _refreshToken: string,
    params: EventpopTokenParams,
    profile: EventpopProfile,
    done: EventpopVerifyCallback,
  ) => done(null, { id: profile.id, expiresIn: params.expires_in }),
);

// (req, accessToken, refreshToken, profile, done) with passReqToCallback: true
new Strategy({ ...options, passReqToCallback: true }, (req, accessToken, refreshToken, profile, done) => {
  expectType<Request>(expectNotAny(req));
  expectType<string>(expectNotAny(accessToken));
  expectType<string>(expectNotAny(refreshToken));
  expectType<EventpopProfile>(expectNotAny(profile));
  expectType<EventpopVerifyCallback>(expectNotAny(done));
  done(null, { id: profile.id });
});

// (req, accessToken, refreshToken, params, profile, done) with passReqToCallback: true
const withRequestAndParams: EventpopVerifyFunctionWithRequestAndParams = (
  req,
  accessToken,
  refreshToken,
  params,
  profile,
  done,
) => {
  expectType<Request>(expectNotAny(req));
  expectType<string>(expectNotAny(accessToken));
  expectType<string>(expectNotAny(refreshToken));
  expectType<EventpopTokenParams>(expectNotAny(params));
  expectType<EventpopProfile>(expectNotAny(profile));
  expectType<number | undefined>(params.expires_in);
  // @ts-expect-error params is the token response, not the profile
  params.displayName;
  done(null, { id: profile.id });
};
new Strategy({ ...options, passReqToCallback: true }, withRequestAndParams);

// @ts-expect-error the forms with req need passReqToCallback: true
new Strategy(options, withRequestAndParams);

// An async verify is accepted (its rejection goes to done at runtime).
new Strategy(options, async (_accessToken, _refreshToken, profile, done) => {
  await Promise.resolve();
  done(null, { id: profile.id });
});

// Every option, typed.
new Strategy(
  {
    ...options,
    scope: ['public', 'organizer'],
    baseURL: 'http://127.0.0.1:4000',
    state: true,
    pkce: true,
    timeout: 5000,
    userAgent: 'my-app/1.0',
    customHeaders: { 'X-Trace': 'abc' },
    skipUserProfile: false,
    proxy: true,
    sessionKey: 'eventpop',
  },
  (_accessToken, _refreshToken, _profile, done) => done(),
);

// Wrong uses that must not compile.

const requestAsString = (
  req: string,
  _a: string,
  _r: string,
  _p: EventpopProfile,
  done: EventpopVerifyCallback,
) => done(null, { req });
// @ts-expect-error with passReqToCallback: true the first parameter is the request, not a string
new Strategy({ ...options, passReqToCallback: true }, requestAsString);

// @ts-expect-error clientSecret is required
new Strategy({ clientID: 'id', callbackURL: '/cb' }, (_a, _r, _p, done) => done());

// @ts-expect-error callbackURL is required
new Strategy({ clientID: 'id', clientSecret: 'secret' }, (_a, _r, _p, done) => done());

// @ts-expect-error scope is a string or an array of strings
new Strategy({ ...options, scope: 42 }, (_a, _r, _p, done) => done());

// @ts-expect-error timeout is a number of milliseconds
new Strategy({ ...options, timeout: '10s' }, (_a, _r, _p, done) => done());

// @ts-expect-error the verify callback is required
new Strategy(options);

const numericToken = (accessToken: number, _r: string, _p: EventpopProfile, done: EventpopVerifyCallback) =>
  done(null, { accessToken });
// @ts-expect-error the access token is a string
new Strategy(options, numericToken);
