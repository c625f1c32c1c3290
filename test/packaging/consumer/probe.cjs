// Run inside the scratch project: loads the installed package with require() and prints what it sees, as JSON.
const OAuth2Strategy = require('passport-oauth2');
const main = require('passport-eventpop');
const emulator = require('passport-eventpop/emulator');

const kinds = (mod) => Object.fromEntries(Object.entries(mod).map(([key, value]) => [key, typeof value]));
const strategy = new main.Strategy(
  { clientID: 'client-id', clientSecret: 'client-secret', callbackURL: '/auth/eventpop/callback' },
  (_accessToken, _refreshToken, _profile, done) => done(null, false),
);

console.log(
  JSON.stringify({
    resolved: require.resolve('passport-eventpop'),
    exports: kinds(main),
    emulator: kinds(emulator),
    strategyName: strategy.name,
    extendsOAuth2Strategy: strategy instanceof OAuth2Strategy,
    tokenErrorIsError: new main.TokenError('refused', 'invalid_grant') instanceof Error,
  }),
);
