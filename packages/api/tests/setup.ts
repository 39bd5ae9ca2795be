// Quiet the api's logger during tests (tests that assert on log lines install their own sink).
import { setLogSink } from "../src/log.ts";

setLogSink(() => {});
