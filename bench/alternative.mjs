// The hand-written alternative the benchmark compares against: the passport-oauth2 pattern tutorials show.
//
// A plain OAuth2Strategy whose userProfile calls this._oauth2.get(profileURL, accessToken, cb), as
// the passport-github/-google tutorials and most blog posts do. Like them it does not call
// useAuthorizationHeaderforGET(true), so node-oauth sends the token as ?access_token= in the URL
// (Eventpop accepts it; it also ends up in access logs); the strategy phase (bench/strategy-app.mjs)
// calls it, as the careful version of the tutorial does. It has no timeout (node-oauth has none).
// It is given `state: true`, which many tutorials omit, so that both contenders do the same session
// work and the comparison measures the strategies, not a missing CSRF check.
import OAuth2Strategy from 'passport-oauth2';

const { InternalOAuthError } = OAuth2Strategy;

/** An Eventpop strategy as a user would write it by hand on top of passport-oauth2. */
export class HandWrittenEventpopStrategy extends OAuth2Strategy {
  /**
   * @param {OAuth2Strategy.StrategyOptions & { profileURL: string }} options
   * @param {OAuth2Strategy.VerifyFunction} verify
   */
  constructor(options, verify) {
    super(options, verify);
    this.name = 'eventpop';
    this._profileURL = options.profileURL;
  }

  userProfile(accessToken, done) {
    this._oauth2.get(this._profileURL, accessToken, (err, body) => {
      if (err) return done(new InternalOAuthError('Failed to fetch user profile', err));
      try {
        const json = JSON.parse(body);
        const user = json.user ?? json;
        const profile = {
          provider: 'eventpop',
          id: String(user.id),
          displayName: user.full_name,
          emails: user.email ? [{ value: user.email }] : undefined,
          photos: user.avatar ? [{ value: user.avatar }] : undefined,
          _raw: body,
          _json: json,
        };
        done(null, profile);
      } catch (e) {
        done(e);
      }
    });
  }
}

/**
 * The alternative's options as a tutorial writes them, for an emulator whose token and profile
 * endpoints are at `tokenBase`: the three endpoints spelled out, `scope` and `state: true`.
 */
export function alternativeOptions({ clientID, clientSecret, callbackURL, authorizationURL, tokenBase }) {
  return {
    clientID,
    clientSecret,
    callbackURL,
    authorizationURL,
    tokenURL: `${tokenBase}/oauth/token`,
    profileURL: `${tokenBase}/api/public/me`,
    scope: 'public',
    state: true,
  };
}
