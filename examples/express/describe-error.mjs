// Maps a failed login, refresh or unreadable form to what a person can read and an HTTP status; never the error's secrets or stack.
import { AuthorizationError, EventpopAPIError, InternalOAuthError, TokenError } from '../../dist/index.mjs';

/**
 * @typedef {object} Problem
 * @property {number} status HTTP status for the page
 * @property {string} title
 * @property {string} message what happened and what to do, for a person
 * @property {string} kind the error's class name
 * @property {string | undefined} code machine-readable reason (OAuth error code, Node error code, API code)
 * @property {number | undefined} [retryAfter] seconds, for a rate limit
 */

const GENERIC = {
  status: 500,
  title: 'Something went wrong',
  message: 'The app hit an unexpected problem. Please try again.',
};

/**
 * Describes an error from the login or refresh flow. Only fixed sentences and the errors'
 * machine-readable codes reach the page: the messages may name internal URLs.
 * @param {unknown} err
 * @returns {Problem}
 */
export function describeError(err) {
  if (err instanceof TokenError) {
    const code = typeof err.code === 'string' ? err.code : undefined;
    if (code === 'invalid_grant') {
      return {
        status: 400,
        title: 'Your Eventpop sign-in has expired',
        message:
          'Eventpop did not accept the sign-in: it was already used, revoked or is too old. Please sign in again.',
        kind: 'TokenError',
        code,
      };
    }
    return {
      status: 502,
      title: 'Eventpop refused this app',
      message:
        'Eventpop refused to finish the sign-in for this app. If it keeps happening, the app is misconfigured.',
      kind: 'TokenError',
      code,
    };
  }
  if (err instanceof EventpopAPIError) {
    const base = { kind: 'EventpopAPIError', code: err.code };
    switch (err.code) {
      case 'rate_limited':
        return {
          ...base,
          status: 503,
          title: 'Eventpop is busy',
          message: 'Eventpop asked us to slow down. Please wait a minute and sign in again.',
          retryAfter: err.retryAfter,
        };
      case 'invalid_token':
      case 'insufficient_scope':
        return {
          ...base,
          status: 502,
          title: 'Eventpop did not share your profile',
          message:
            'Eventpop signed you in but would not share your profile or tickets with this app. Please sign in again.',
        };
      default:
        return {
          ...base,
          status: 502,
          title: 'Eventpop is having trouble',
          message: 'Eventpop sent an answer we could not use. Please try again in a moment.',
        };
    }
  }
  if (err instanceof InternalOAuthError) {
    const code = /** @type {{ code?: unknown }} */ (err).code;
    if (code === 'ETIMEDOUT') {
      return {
        status: 504,
        title: 'Eventpop is taking too long',
        message: 'Eventpop did not answer in time. Please try again in a moment.',
        kind: 'InternalOAuthError',
        code,
      };
    }
    return {
      status: 502,
      title: 'Could not reach Eventpop',
      message: 'We could not get a usable answer from Eventpop. Please try again in a moment.',
      kind: 'InternalOAuthError',
      code: typeof code === 'string' ? code : undefined,
    };
  }
  if (err instanceof AuthorizationError) {
    return {
      status: 400,
      title: 'Eventpop could not sign you in',
      message: 'Eventpop sent you back with an error instead of signing you in. Please try again.',
      kind: 'AuthorizationError',
      code: typeof err.code === 'string' ? err.code : undefined,
    };
  }
  const request = describeRequestError(err);
  if (request !== undefined) return request;
  return { ...GENERIC, kind: 'Error', code: undefined };
}

/** What the body parser's refusals (http-errors with `expose`, status 4xx) tell the person who sent the form. */
const REQUEST_PROBLEMS = {
  413: {
    title: 'That form was too large',
    message:
      "The app's forms hold a few short fields; this one was larger than it accepts. Go back and try again.",
  },
  415: {
    title: 'That form was sent in an encoding the app does not read',
    message: 'The app reads forms sent as UTF-8 text. Go back and try again.',
  },
  400: {
    title: 'That form could not be read',
    message: 'The form arrived incomplete or garbled. Go back, reload the page and try again.',
  },
};

/**
 * A request the app could not read (body-parser's 400, 413 and 415), with its own status instead of a 500.
 * @param {unknown} err
 * @returns {Problem | undefined}
 */
function describeRequestError(err) {
  const { status, expose, type } = /** @type {{ status?: unknown, expose?: unknown, type?: unknown }} */ (
    err ?? {}
  );
  if (expose !== true || typeof status !== 'number' || status < 400 || status > 499) return undefined;
  const text = REQUEST_PROBLEMS[status] ?? REQUEST_PROBLEMS[400];
  return { status, ...text, kind: 'request', code: typeof type === 'string' ? type : `http_${status}` };
}
