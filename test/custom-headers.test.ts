// customHeaders: names and values Node would refuse on every request are refused at construction, as are the headers the package writes.
import { expect } from 'chai';
import { type EventpopStrategyOptions, refreshAccessToken, Strategy } from '../lib';
import {
  CLIENT,
  expectKind,
  makeStrategy,
  recordHeader,
  signIn,
  useNock,
  verifyUser,
} from './helpers/passport';

/** The TypeError constructing with these customHeaders throws (fails the test when none is thrown). */
function refusal(customHeaders: unknown): TypeError & { cause?: { code?: string } } {
  try {
    new Strategy({ ...CLIENT, customHeaders } as EventpopStrategyOptions, verifyUser);
  } catch (err) {
    expect(err).to.be.instanceOf(TypeError);
    return err as TypeError & { cause?: { code?: string } };
  }
  throw new Error('expected the constructor to throw');
}

describe('customHeaders', () => {
  for (const [name, label] of [
    ['X-Trace\r\nX-Injected', 'a line break'],
    ['X Trace', 'a space'],
    ['X-Trace:', 'a colon'],
    ['', 'nothing'],
    ['X-Tracé', 'a letter outside ASCII'],
  ] as const) {
    it(`refuses a header name with ${label}, naming it, with Node's ERR_INVALID_HTTP_TOKEN as cause`, () => {
      const err = refusal({ [name]: 'v' });
      expect(err.message)
        .to.include(`customHeaders[${JSON.stringify(name)}]`)
        .and.include('header name');
      expect(err.cause?.code).to.equal('ERR_INVALID_HTTP_TOKEN');
    });
  }

  for (const [value, label] of [
    ['a\u0000b', 'a NUL'],
    ['a\rb', 'a carriage return'],
    ['a\nb', 'a line feed'],
    ['a\u0007b', 'a bell'],
    ['ab\u2028', 'U+2028'],
  ] as const) {
    it(`refuses a header value with ${label}, naming the header, with Node's ERR_INVALID_CHAR as cause`, () => {
      const err = refusal({ 'X-Trace': value });
      expect(err.message).to.include('customHeaders["X-Trace"]').and.include('header value');
      expect(err.cause?.code).to.equal('ERR_INVALID_CHAR');
    });
  }

  it('keeps the value out of the message (it may be a key)', () => {
    expect(refusal({ 'X-Api-Key': 'k3y-SECRET\u0000' }).message).to.not.include('k3y-SECRET');
  });

  for (const name of [
    'Host',
    'authorization',
    'Content-Type',
    'Accept',
    'Content-Length',
    'Transfer-Encoding',
    'Connection',
    'Keep-Alive',
    'Upgrade',
    'TE',
    'Expect',
  ]) {
    it(`refuses ${name}, which the package writes itself, saying why`, () => {
      const err = refusal({ [name]: 'x' });
      expect(err.message).to.include(`customHeaders[${JSON.stringify(name)}] cannot be set:`);
    });
  }

  it('accepts a header named like an inherited property (constructor), as any other', () => {
    expect(() => new Strategy({ ...CLIENT, customHeaders: { constructor: 'x' } }, verifyUser)).to.not.throw();
  });

  it('refuses one header named twice in different cases', () => {
    expect(refusal({ 'X-Trace': 'a', 'x-trace': 'b' }).message).to.include('twice');
  });

  it('refuses the same names for the token helpers', async () => {
    const err = await refreshAccessToken(
      { ...CLIENT, customHeaders: { 'X Trace': 'v' } },
      'r'.repeat(64),
    ).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(TypeError);
  });

  describe('valid headers', () => {
    useNock();

    it('sends them on the token and profile requests', async () => {
      const seen = recordHeader('X-Trace');
      const { outcome } = await signIn(makeStrategy({ customHeaders: { 'X-Trace': 'abc\tdef ghi' } }));
      expectKind(outcome, 'success');
      expect(seen).to.deep.equal(['abc\tdef ghi', 'abc\tdef ghi']);
    });
  });
});
