// Request/answer messages between the benchmark's parent and its child processes (emulator, apps).

/**
 * In a child: answers each `{ id, type, payload }` message with `{ id, result }` or `{ id, error }`.
 * @param {Record<string, (payload: any) => unknown>} handlers
 */
export function serve(handlers) {
  process.on('message', async (message) => {
    const { id, type, payload } = message;
    try {
      const handler = handlers[type];
      if (!handler) throw new Error(`unknown message type ${type}`);
      const result = await handler(payload);
      process.send({ id, result });
    } catch (err) {
      process.send({ id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  });
}

/**
 * In the parent: a function that sends a message to `child` and resolves with its answer. Every call
 * is bounded by `timeoutMs`; a child that exits fails the calls still waiting.
 * @param {import('node:child_process').ChildProcess} child
 * @param {string} label name used in errors
 */
export function connect(child, label, timeoutMs = 120_000) {
  let next = 0;
  const pending = new Map();
  child.on('message', (message) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    clearTimeout(waiter.timer);
    if (message.error) waiter.reject(new Error(`${label}: ${message.error}`));
    else waiter.resolve(message.result);
  });
  child.on('exit', (code, signal) => {
    for (const waiter of pending.values()) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(`${label} exited (${code ?? signal})`));
    }
    pending.clear();
  });
  return (type, payload) =>
    new Promise((resolve, reject) => {
      const id = ++next;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${label}: no answer to ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, { resolve, reject, timer });
      child.send({ id, type, payload });
    });
}

/** Waits for a forked child's first message of the given type (bounded). */
export function ready(child, label, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${label} did not start within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (message) => {
      if (message?.type !== 'ready') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with ${code} before it was ready`));
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}
