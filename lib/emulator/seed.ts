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
 * field Eventpop's `/api/public/me` returns (with a Thai name), the second only `id` and `email`,
 * like an account that never filled in its profile.
 */
export const defaultUsers: readonly Readonly<EmulatorUser>[] = Object.freeze([
  Object.freeze({
    id: 4242,
    full_name: 'สมชาย ใจดี',
    email: 'somchai@example.com',
    avatar: 'https://example.com/eventpop-emulator/avatars/4242/medium.png',
    avatars: Object.freeze({
      original: 'https://example.com/eventpop-emulator/avatars/4242/original.png',
      medium: 'https://example.com/eventpop-emulator/avatars/4242/medium.png',
      thumb: 'https://example.com/eventpop-emulator/avatars/4242/thumb.png',
      tiny: 'https://example.com/eventpop-emulator/avatars/4242/tiny.png',
    }),
    birthday: '1990-04-13',
    gender: 'male',
    phone: '+66812345678',
  }),
  Object.freeze({ id: 4343, email: 'minimal@example.com' }),
]);
