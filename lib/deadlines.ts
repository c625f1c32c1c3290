// The deadlines of the requests in flight, watched by one Node timer instead of a timer per request.
import { performance } from 'node:perf_hooks';

/** One request's deadline, as {@link Deadlines.add} returns it. @internal */
export interface Deadline {
  /** `performance.now()` at which `expire` runs if the deadline is still pending. */
  readonly at: number;
  readonly expire: () => void;
  prev: Deadline | undefined;
  next: Deadline | undefined;
  pending: boolean;
}

/**
 * Deadlines kept in order in a linked list, with one Node timer armed for the earliest. A
 * `setTimeout`/`clearTimeout` pair per request makes Node create and destroy a timer list, and
 * re-arm libuv's timer, for every request when requests do not overlap (one login at a time):
 * about 3% of a login's CPU on Node 20 (docs/performance.md). Here a request that ends first only
 * leaves the list; the timer is left as it is, and when it fires with nothing due it is armed
 * again for the earliest deadline left. It keeps the process alive only while a deadline is
 * pending, as a pending request's own timer would.
 * @internal
 */
export class Deadlines {
  private head: Deadline | undefined;
  private tail: Deadline | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** When the timer fires (`performance.now()`); Infinity when it is not armed. */
  private firesAt = Number.POSITIVE_INFINITY;

  /** Runs `expire` in `ms` milliseconds unless the deadline is removed first. */
  add(ms: number, expire: () => void): Deadline {
    const at = performance.now() + ms;
    const deadline: Deadline = { at, expire, prev: undefined, next: undefined, pending: true };
    // Requests with one timeout arrive in deadline order: the walk stops at once.
    let after = this.tail;
    while (after !== undefined && after.at > at) after = after.prev;
    deadline.prev = after;
    deadline.next = after === undefined ? this.head : after.next;
    if (deadline.next === undefined) this.tail = deadline;
    else deadline.next.prev = deadline;
    if (after === undefined) this.head = deadline;
    else after.next = deadline;

    if (at < this.firesAt) this.arm(at);
    else if (this.head === this.tail) this.timer?.ref();
    return deadline;
  }

  /** Takes a deadline out; it will not expire. Removing it twice, or after it expired, does nothing. */
  remove(deadline: Deadline): void {
    if (!deadline.pending) return;
    deadline.pending = false;
    if (deadline.prev === undefined) this.head = deadline.next;
    else deadline.prev.next = deadline.next;
    if (deadline.next === undefined) this.tail = deadline.prev;
    else deadline.next.prev = deadline.prev;
    deadline.prev = undefined;
    deadline.next = undefined;
    // Armed but with nothing to wait for: the timer must not hold the process open.
    if (this.head === undefined) this.timer?.unref();
  }

  private arm(at: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.firesAt = at;
    this.timer = setTimeout(() => this.fire(), Math.max(0, Math.ceil(at - performance.now())));
  }

  private fire(): void {
    this.timer = undefined;
    this.firesAt = Number.POSITIVE_INFINITY;
    // Node's timers count from the event loop's cached clock, so this can run a little before the
    // earliest deadline; then it is armed again for what is left.
    const now = performance.now();
    while (this.head !== undefined && this.head.at <= now) {
      const due = this.head;
      this.remove(due);
      due.expire();
    }
    if (this.head !== undefined) this.arm(this.head.at);
  }
}
