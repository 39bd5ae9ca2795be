// The api's one logger. Structured lines (event name + small fields) through a replaceable sink, so
// tests can capture every line the api writes (the custody canary tests do) and production can ship
// them as JSON. Never pass dataset contents, salts, keys, tokens or signatures as fields.
export type LogLevel = "info" | "warn" | "error";
export type LogFields = Record<string, string | number | boolean | null | undefined>;
export type LogSink = (level: LogLevel, event: string, fields: LogFields) => void;

const consoleSink: LogSink = (level, event, fields) => {
  const line = JSON.stringify({ level, event, ...fields, at: new Date().toISOString() });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.info(line);
};

let sink: LogSink = consoleSink;

/** Replaces the sink (tests); returns a function that restores the previous one. */
export function setLogSink(next: LogSink): () => void {
  const previous = sink;
  sink = next;
  return () => {
    sink = previous;
  };
}

export const log = {
  info: (event: string, fields: LogFields = {}) => sink("info", event, fields),
  warn: (event: string, fields: LogFields = {}) => sink("warn", event, fields),
  error: (event: string, fields: LogFields = {}) => sink("error", event, fields),
};
