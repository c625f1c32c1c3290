// Child processes for tests: start one and wait for the line that says it is ready, stop it, find a free port for it.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A started process and everything it has written so far. */
export interface Proc {
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr. */
  output: string;
}

/** How to start a process. */
export interface StartOptions {
  /** Added to this process's environment; a key set to `undefined` is removed. */
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Milliseconds to wait for `ready`; default 15000. */
  readonly timeoutMs?: number;
}

/** A port that was free a moment ago on 127.0.0.1, for a process that must be told its port up front. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Spawns a process (no shell) and resolves once its stdout matches `ready`, with the match; rejects
 * with what it printed if it exits first or takes longer than the timeout (the process is then killed).
 */
export function startProcess(
  command: string,
  args: readonly string[],
  ready: RegExp,
  options: StartOptions = {},
): Promise<[Proc, RegExpMatchArray]> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  const child = spawn(command, args, {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  const proc: Proc = { child, output: '' };
  let stdout = '';
  const timeoutMs = options.timeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} did not start within ${timeoutMs} ms:\n${proc.output}`));
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      proc.output += chunk.toString();
      const match = stdout.match(ready);
      if (match) {
        clearTimeout(timer);
        resolve([proc, match]);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      proc.output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before it was ready:\n${proc.output}`));
    });
  });
}

/** Stops a process with SIGTERM (SIGKILL after 5 s) and resolves once it has exited. */
export function stopProcess(proc: Proc | undefined): Promise<void> {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.child.kill('SIGKILL'), 5_000);
    proc.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.child.kill('SIGTERM');
  });
}
