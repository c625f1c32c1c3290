// The demo's log lines: one JSON object per line, so that text from a request or from Eventpop cannot forge a line.

/**
 * Writes one event as a single line of JSON. Values that came from outside (an `error_description`,
 * an error's message) are JSON strings, so a `\r\n` in them is written as the two characters `\r\n`,
 * never as a line break, and a log reader that splits on lines sees exactly one entry per event.
 * @param {Pick<Console, 'error' | 'warn'>} logger
 * @param {'error' | 'warn'} level
 * @param {string} event a fixed name, e.g. `sign_in_rejected`
 * @param {Record<string, unknown>} [fields]
 */
export function logEvent(logger, level, event, fields = {}) {
  logger[level](JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }));
}
