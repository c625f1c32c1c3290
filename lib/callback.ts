// Node-style callbacks for the login's own requests, and their promise form for everything else.

/** `(null, value)` on success; `(err)` (never null) on failure. @internal */
export type Callback<T> = (err: unknown, value?: T) => void;

/**
 * The callback for a step whose result `parse` turns into the caller's value: an error goes on
 * to `callback` as it is; a result goes on as `parse(result)`, or as what `parse` threw. The
 * callback runs outside the `try`, so that a throw from the caller's own code is not taken for a
 * parse failure and answered a second time.
 * @internal
 */
export function parsing<A, T>(callback: Callback<T>, parse: (input: A) => T): Callback<A> {
  return (err, input) => {
    if (err !== null) {
      callback(err);
      return;
    }
    let value: T;
    try {
      value = parse(input as A);
    } catch (failure) {
      callback(failure);
      return;
    }
    callback(null, value);
  };
}

/** A callback-taking operation as a promise: resolved on `(null, value)`, rejected otherwise. @internal */
export function promised<T>(start: (callback: Callback<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    start((err, value) => {
      if (err === null) resolve(value as T);
      else reject(err);
    });
  });
}
