// The emulator's default data: one demo client and two users (one complete, one minimal).
import type { EmulatorClient, EmulatorUser } from './store';

/**
 * The client the emulator registers when `clients` is not given: a confidential client with one
 * redirect URI, the shape Eventpop issues (one callback URL per application).
 */
export const defaultClient: Readonly<EmulatorClient> = Object.freeze({
  clientId: 'demo-client',
  clientSecret: 'demo-secret',
  redirectUris: Object.freeze(['http://localhost:3000/auth/eventpop/callback']),
  name: 'Eventpop Demo',
  confidential: true,
});

/**
 * The users the emulator offers on its sign-in page when `users` is not given: the first has every
 * field Eventpop's `/api/public/me` returns (with a Thai name, and avatars on the emulator's own
 * `/avatars/` route, which `/api/public/me` answers as absolute URLs), the second only `id` and
 * `email`, like an account that never filled in its profile.
 */
export const defaultUsers: readonly Readonly<EmulatorUser>[] = Object.freeze([
  Object.freeze({
    id: 4242,
    full_name: 'สมชาย ใจดี',
    email: 'somchai@example.com',
    // Served by the emulator itself, so the demo shows a picture without network.
    avatar: '/avatars/4242/medium.svg',
    avatars: Object.freeze({
      original: '/avatars/4242/original.svg',
      medium: '/avatars/4242/medium.svg',
      thumb: '/avatars/4242/thumb.svg',
      tiny: '/avatars/4242/tiny.svg',
    }),
    birthday: '1990-04-13',
    gender: 'male',
    phone: '+66812345678',
  }),
  Object.freeze({ id: 4343, email: 'minimal@example.com' }),
]);
