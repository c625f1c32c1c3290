// Token request bodies written without URLSearchParams: the same bytes as URLSearchParams writes, for any text.
import { expect } from 'chai';
import fc from 'fast-check';
import { formBody, formEncode } from '../lib/form';

// Any UTF-16 code unit, lone surrogates included, weighted towards the characters the two
// encoders treat differently.
const unit = fc.oneof(
  fc.constantFrom(
    ' ',
    '!',
    "'",
    '(',
    ')',
    '~',
    '*',
    '-',
    '.',
    '_',
    '+',
    '%',
    '&',
    '=',
    '/',
    '\ud800',
    '\udfff',
  ),
  fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
  fc.constantFrom('ก', 'é', '😀'),
);
const text = fc.string({ unit });

describe('form encoding of token requests', () => {
  it('writes any value as URLSearchParams writes it', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(formEncode(value)).to.equal(new URLSearchParams({ v: value }).toString().slice(2));
      }),
      { numRuns: 2_000 },
    );
  });

  it('writes a lone surrogate as U+FFFD, as URLSearchParams does', () => {
    expect(formEncode('a\ud800b')).to.equal('a%EF%BF%BDb');
  });

  it('writes a body of fields and then the client credentials as URLSearchParams writes it', () => {
    fc.assert(
      fc.property(fc.dictionary(text, text), text, text, (fields, id, secret) => {
        const expected = new URLSearchParams([
          ...Object.entries(fields).filter(([name]) => name !== 'client_id' && name !== 'client_secret'),
          ['client_id', id],
          ['client_secret', secret],
        ]);
        expect(formBody(fields, { clientID: id, clientSecret: secret })).to.equal(expected.toString());
      }),
      { numRuns: 500 },
    );
  });

  it('writes each body of one client as URLSearchParams writes it, as the values change from body to body', () => {
    const client = { clientID: 'demo client', clientSecret: 'se+cr/et=' };
    const callbackURL = 'http://localhost:3000/auth/eventpop/callback';
    fc.assert(
      fc.property(fc.oneof(text, fc.constant(callbackURL)), text, (redirect, code) => {
        const fields = { grant_type: 'authorization_code', redirect_uri: redirect, code };
        const expected = new URLSearchParams({
          ...fields,
          client_id: client.clientID,
          client_secret: client.clientSecret,
        });
        expect(formBody(fields, client)).to.equal(expected.toString());
      }),
      { numRuns: 500 },
    );
  });

  it("lets the client's credentials replace fields of the same names", () => {
    const body = formBody({ code: 'c', client_id: 'spoofed' }, { clientID: 'id', clientSecret: 's' });
    expect(body).to.equal('code=c&client_id=id&client_secret=s');
  });
});
