// The deadlines of requests in flight, kept by one timer: each runs at its time and never once removed, and the process exits when none is pending.

import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { expect } from 'chai';
import { Deadlines } from '../lib/deadlines';
import { childEnv, runProcess } from './helpers/processes';

/** Resolves with the time at which `deadlines` ran a deadline of `ms`, and the time it was added. */
function timed(deadlines: Deadlines, ms: number): { added: number; ran: Promise<number> } {
  const added = performance.now();
  return { added, ran: new Promise((resolve) => deadlines.add(ms, () => resolve(performance.now()))) };
}

/** Runs `script` in a new Node process with `Deadlines` in scope; what it printed and its exit code. */
function inChild(script: string) {
  const source = path.join(__dirname, '..', 'lib', 'deadlines.ts');
  const code = `const { Deadlines } = require(${JSON.stringify(source)}); const deadlines = new Deadlines(); ${script}`;
  return runProcess(process.execPath, ['--import', 'tsx', '-e', code], __dirname, 15_000, childEnv());
}

describe('request deadlines, in one timer', () => {
  it('runs a deadline once its time has passed, not before', async () => {
    const { added, ran } = timed(new Deadlines(), 30);
    expect((await ran) - added).to.be.at.least(30);
  });

  it('runs deadlines in the order they fall due, whatever the order they were added in', async () => {
    const deadlines = new Deadlines();
    const order: number[] = [];
    const all = [60, 20, 40].map(
      (ms) => new Promise<void>((resolve) => deadlines.add(ms, () => resolve(void order.push(ms)))),
    );
    await Promise.all(all);
    expect(order).to.deep.equal([20, 40, 60]);
  });

  it('runs an earlier deadline added after a later one at its own time', async () => {
    const deadlines = new Deadlines();
    const late = deadlines.add(5_000, () => {});
    const { added, ran } = timed(deadlines, 20);
    expect((await ran) - added).to.be.within(20, 2_000);
    deadlines.remove(late);
  });

  it('never runs a deadline that was removed, and still runs the others', async () => {
    const deadlines = new Deadlines();
    let removedRan = false;
    const removed = deadlines.add(10, () => {
      removedRan = true;
    });
    deadlines.remove(removed);
    deadlines.remove(removed);
    await timed(deadlines, 40).ran;
    expect(removedRan).to.equal(false);
  });

  it('lets the process exit at once when no deadline is pending', async () => {
    const run = await inChild(`deadlines.remove(deadlines.add(60000, () => {})); console.log('done');`);
    expect(run).to.include({ code: 0 });
    expect(run.stdout.trim()).to.equal('done');
  });

  it('keeps the process alive while a deadline is pending, also after all had been removed once', async () => {
    const run = await inChild(
      // The timer is still armed for the first deadline when the second, later one is added.
      `deadlines.remove(deadlines.add(50, () => {})); deadlines.add(100, () => console.log('expired'));`,
    );
    expect(run).to.include({ code: 0 });
    expect(run.stdout.trim()).to.equal('expired');
  });
});
