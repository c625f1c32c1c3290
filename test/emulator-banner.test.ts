// What the emulator's command line prints once listening: a URL a browser can open, whatever address it is bound to.
import { expect } from 'chai';
import { banner } from '../lib/emulator/banner';
import { type CommandLine, parseCommandLine } from '../lib/emulator/command-line';
import { defaultClient, defaultUsers } from '../lib/emulator/index';

/** The banner for these flags, as if the emulator had bound them and answered at `url`. */
function printed(url: string, flags: string[]): string[] {
  const cli = parseCommandLine(flags) as CommandLine;
  return banner({ url, clients: [defaultClient], users: defaultUsers }, cli).split('\n');
}

describe('the emulator CLI banner', () => {
  for (const [host, bound] of [
    ['0.0.0.0', 'http://0.0.0.0:4000'],
    ['::', 'http://[::]:4000'],
  ] as const) {
    it(`gives http://localhost:4000 to open when bound to ${host}, and says it listens on every interface`, () => {
      const lines = printed(bound, ['--host', host, '--control']);
      expect(lines[0]).to.equal('Eventpop emulator listening on http://localhost:4000');
      expect(lines[1]).to.equal(`  (bound to ${host}: every network interface. From another machine or a`);
      expect(lines.join('\n')).to.include('Authorize: http://localhost:4000/oauth/authorize');
      expect(lines.join('\n')).to.include('Control:   http://localhost:4000/_emulator/faults');
      expect(lines.join('\n'), 'no address a browser cannot open').not.to.match(/\/\/(0\.0\.0\.0|\[::\])/);
    });
  }

  it('gives the address it is bound to otherwise, with no note about interfaces', () => {
    const lines = printed('http://127.0.0.1:4000', ['--host', '127.0.0.1']);
    expect(lines[0]).to.equal('Eventpop emulator listening on http://127.0.0.1:4000');
    expect(lines[1]).to.equal('');
    expect(lines.join('\n')).not.to.include('every network interface');
    expect(lines.join('\n')).to.include('Token:     http://127.0.0.1:4000/oauth/token');
  });
});
