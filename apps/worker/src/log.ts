// The worker's logger: one JSON line per event (event name + small fields) through a replaceable
// sink, so tests can capture lines and production can ship them. Never log secrets or dataset bytes.
export type LogLevel = "info" | "warn" | "error";
export type LogFields = Record<string, string | number | boolean | bigint | null | undefined>;
export type LogSink = (level: LogLevel, event: string, fields: LogFields) => void;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export const consoleSink: LogSink = (level, event, fields) => {
  const line = JSON.stringify({ level, event, ...fields, at: new Date().toISOString() }, (_k, v: unknown) =>
    typeof v === "bigint" ? v.toString() : v,
  );
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.info(line);
};

export function createLogger(sink: LogSink = consoleSink): Logger {
  return {
    info: (event, fields = {}) => sink("info", event, fields),
    warn: (event, fields = {}) => sink("warn", event, fields),
    error: (event, fields = {}) => sink("error", event, fields),
  };
}

export const silentLogger: Logger = createLogger(() => {});
