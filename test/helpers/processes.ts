// Child processes for tests: run one to its end, start one and wait for the line that says it is ready, stop it, find it a free port.
import { type ChildProcess, execFile, spawn } from 'node:child_process';

/** A started process and everything it has written so far. */
export interface Proc {
  readonly child: ChildProcess;
  /** Stopped by signalling its whole process group (see {@link StartOptions.group}). */
  readonly group?: boolean;
  /** Everything the process wrote to stdout and stderr. */
  output: string;
}

/** What a finished child process left behind. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment for a child: this one's, without NODE_OPTIONS (nothing this test process loaded,
 * such as tsx, leaks into it) and without npm's update and funding notices; `extra` on top, where a
 * key set to `undefined` is removed.
 */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    ...extra,
  };
  delete env.NODE_OPTIONS;
  for (const [key, value] of Object.entries(extra)) if (value === undefined) delete env[key];
  return env;
}

/** Runs a command without a shell and resolves (never rejects) once it exits or `timeoutMs` passes. */
export function runProcess(
  file: string,
  args: readonly string[],
  cwd: string,
  timeoutMs: number,
  env: NodeJS.ProcessEnv = childEnv(),
): Promise<RunResult> {
  return new Promise((done) => {
    execFile(
      file,
      args,
      { cwd, env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        done({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** How to start a process. */
export interface StartOptions {
  /** On top of {@link childEnv}'s environment; a key set to `undefined` is removed. */
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /**
   * Start it in a process group of its own, stopped as a group: for launchers such as `npx`, whose
   * real work runs in a grandchild that a signal to the launcher alone would leave running.
   */
  readonly group?: boolean;
  /** Milliseconds to wait for `ready`; default 15000. */
  readonly timeoutMs?: number;
}

/** A port that was free a moment ago on 127.0.0.1, for a process that must be told its port up front. */
export { unusedPort as freePort } from './listening';

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
  const env = childEnv(options.env);
  const group = options.group === true;
  const child = spawn(command, args, {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: group,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  const proc: Proc = { child, output: '', group };
  let stdout = '';
  const timeoutMs = options.timeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal(proc, 'SIGKILL');
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

/** Sends a signal to the process, or to its process group when it was started as one. */
function signal(proc: Proc, name: NodeJS.Signals): void {
  const { pid } = proc.child;
  if (proc.group && pid !== undefined) {
    try {
      process.kill(-pid, name);
    } catch {
      // The group is gone already.
    }
  } else proc.child.kill(name);
}

/** Stops a process (its group, if started as one) with SIGTERM, SIGKILL after 5 s; resolves once it has exited. */
export function stopProcess(proc: Proc | undefined): Promise<void> {
  if (!proc) return Promise.resolve();
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
    // The launcher may be gone while its group is not.
    if (proc.group) signal(proc, 'SIGKILL');
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => signal(proc, 'SIGKILL'), 5_000);
    proc.child.once('exit', () => {
      clearTimeout(timer);
      // Whatever the launcher left behind in its group goes too.
      if (proc.group) signal(proc, 'SIGKILL');
      resolve();
    });
    signal(proc, 'SIGTERM');
  });
}
