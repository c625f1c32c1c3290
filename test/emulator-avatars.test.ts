// The emulator's generated avatars: GET /avatars/<userId>/<size>.svg, and avatar paths made absolute in /api/public/me.
import { request } from 'node:http';
import { expect } from 'chai';
import { fetchProfile } from '../lib';
import { createEmulator, type Emulator, type EmulatorUser } from '../lib/emulator/index';
import { get, login, me } from './fixtures/emulator/client';

const users: EmulatorUser[] = [
  { id: 4242, full_name: 'สมชาย ใจดี', avatar: '/avatars/4242/medium.svg' },
  { id: 7001, full_name: 'Somchai Jaidee', email: 'somchai@example.com' },
  { id: 7002, email: 'minimal@example.com' },
  { id: 7003, full_name: '<img src=x onerror=alert(1)>' },
  { id: 7004, full_name: '&co' },
  { id: 7006, full_name: 'เอกชัย ศรีสุข' },
  {
    id: 7005,
    avatar: 'https://cdn.example/a.png',
    avatars: { original: '//cdn.example/o.png', medium: '/avatars/7005/medium.svg', thumb: null, tiny: '' },
  },
];

/** The text of an avatar, after checking it answered 200. */
async function svgOf(emu: Emulator, path: string): Promise<string> {
  const res = await get(emu, path);
  expect(res.status, path).to.equal(200);
  return res.text();
}

/** The initials drawn in an avatar (the content of its <text>, still escaped). */
function drawn(svg: string): string | undefined {
  return /<text[^>]*>([^<]*)<\/text>/.exec(svg)?.[1];
}

describe('emulator: GET /avatars/<userId>/<size>.svg', () => {
  let emu: Emulator;
  before(async () => {
    emu = await createEmulator({ users, profileRateLimit: 0 });
  });
  after(() => emu.close());

  it('answers an SVG image with a day of public caching and nosniff', async () => {
    const res = await get(emu, '/avatars/7001/medium.svg');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('image/svg+xml');
    expect(res.headers.get('cache-control')).to.equal('public, max-age=86400');
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
  });

  it('answers a whole <svg> document in the SVG namespace', async () => {
    const svg = await svgOf(emu, '/avatars/7001/medium.svg');
    expect(svg).to.match(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>/);
    expect(svg.trimEnd()).to.match(/<\/svg>$/);
  });

  it('serves the four sizes of Eventpop’s avatars object, each at its own width', async () => {
    const widths: string[] = [];
    for (const size of ['original', 'medium', 'thumb', 'tiny']) {
      const svg = await svgOf(emu, `/avatars/7001/${size}.svg`);
      widths.push(/^<svg[^>]* width="(\d+)"/.exec(svg)?.[1] ?? '');
    }
    expect(widths).to.deep.equal(['512', '256', '128', '48']);
  });

  it('draws the initials of a Latin name (first and last word)', async () => {
    expect(drawn(await svgOf(emu, '/avatars/7001/thumb.svg'))).to.equal('SJ');
  });

  it('draws the first character of a Thai name', async () => {
    expect(drawn(await svgOf(emu, '/avatars/4242/thumb.svg'))).to.equal('ส');
  });

  it('draws the first consonant of a Thai name that starts with a leading vowel', async () => {
    expect(drawn(await svgOf(emu, '/avatars/7006/thumb.svg'))).to.equal('อ');
  });

  it('draws the first letter of the email when the user has no name', async () => {
    expect(drawn(await svgOf(emu, '/avatars/7002/thumb.svg'))).to.equal('M');
  });

  it('escapes the initials: a name starting with markup draws &#60;', async () => {
    const svg = await svgOf(emu, '/avatars/7003/thumb.svg');
    expect(drawn(svg)).to.equal('&#60;');
    expect(svg).not.to.include('<img');
  });

  it('escapes an ampersand initial as &#38;', async () => {
    expect(drawn(await svgOf(emu, '/avatars/7004/thumb.svg'))).to.equal('&#38;');
  });

  it('paints one colour per user, the same at every size', async () => {
    const fill = (svg: string) => /<rect[^>]* fill="(#[0-9a-f]{6})"/.exec(svg)?.[1];
    const a = fill(await svgOf(emu, '/avatars/7001/tiny.svg'));
    expect(a).to.match(/^#[0-9a-f]{6}$/);
    expect(fill(await svgOf(emu, '/avatars/7001/original.svg'))).to.equal(a);
    expect(fill(await svgOf(emu, '/avatars/7002/tiny.svg'))).not.to.equal(a);
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await fetch(`${emu.url}/avatars/7001/medium.svg`, { method: 'HEAD' });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('image/svg+xml');
    expect(await res.text()).to.equal('');
  });

  it('answers an unknown user with 404', async () => {
    const res = await get(emu, '/avatars/9999/medium.svg');
    expect(res.status).to.equal(404);
    expect(await res.json()).to.deep.equal({ status: 404, error: 'Not Found' });
  });

  it('answers an unknown size with 404', async () => {
    expect((await get(emu, '/avatars/7001/huge.svg')).status).to.equal(404);
  });

  it('answers POST with 404 (the route is GET only)', async () => {
    expect((await fetch(`${emu.url}/avatars/7001/medium.svg`, { method: 'POST' })).status).to.equal(404);
  });
});

describe('emulator: avatar URLs in /api/public/me', () => {
  let emu: Emulator;
  before(async () => {
    emu = await createEmulator({ users, profileRateLimit: 0, allowedHosts: ['emulator'] });
  });
  after(() => emu.close());

  async function userOf(id: number): Promise<EmulatorUser> {
    const res = await me(emu, (await login(emu, {}, id)).access_token);
    return ((await res.json()) as { user: EmulatorUser }).user;
  }

  it('answers an avatar given as a path as an absolute URL on the emulator', async () => {
    expect((await userOf(4242)).avatar).to.equal(`${emu.url}/avatars/4242/medium.svg`);
  });

  it('leaves absolute, protocol-relative, null and empty avatar values as given', async () => {
    const user = await userOf(7005);
    expect(user.avatar).to.equal('https://cdn.example/a.png');
    expect(user.avatars).to.deep.equal({
      original: '//cdn.example/o.png',
      medium: `${emu.url}/avatars/7005/medium.svg`,
      thumb: null,
      tiny: '',
    });
  });

  /** `/api/public/me` sent with this `Host` header; resolves with the user's `avatar`. */
  async function avatarWithHost(host: string): Promise<unknown> {
    const { access_token } = await login(emu, {}, 4242);
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(
        `${emu.url}/api/public/me`,
        { headers: { host, authorization: `Bearer ${access_token}` } },
        (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject).end();
    });
    return (JSON.parse(body) as { user: EmulatorUser }).user.avatar;
  }

  it('names the host the client called it by (Host: localhost gives localhost URLs)', async () => {
    expect(await avatarWithHost(`localhost:${emu.port}`)).to.equal(
      `http://localhost:${emu.port}/avatars/4242/medium.svg`,
    );
  });

  it('names a host it was allowed to answer (docker-compose: Host: emulator:4000)', async () => {
    expect(await avatarWithHost('emulator:4000')).to.equal('http://emulator:4000/avatars/4242/medium.svg');
  });

  it('keeps the path in emu.users (only the answer is absolute)', () => {
    expect(emu.users[0]?.avatar).to.equal('/avatars/4242/medium.svg');
  });

  it("gives the strategy's profile a photo it keeps: the emulator's http URL", async () => {
    const { access_token } = await login(emu, {}, 4242);
    const profile = await fetchProfile(
      { clientID: 'demo-client', clientSecret: 'demo-secret', baseURL: emu.url },
      access_token,
    );
    expect(profile.photos).to.deep.equal([{ value: `${emu.url}/avatars/4242/medium.svg` }]);
  });

  it('serves the picture the profile photo names', async () => {
    const res = await me(emu, (await login(emu, {}, 4242)).access_token);
    const { user } = (await res.json()) as { user: EmulatorUser };
    const picture = await fetch(user.avatar ?? '');
    expect(picture.headers.get('content-type')).to.equal('image/svg+xml');
  });
});
