#!/usr/bin/env node
// Production trusted setup for one circuit (DESIGN.md "Trust setup", threat Z12): a phase-2
// ceremony on a public phase-1 file. Each subcommand is one step, so a CLI or a coordinator
// service can wrap them; every step appends to ceremony/<id>/transcript.json.
//
//   node scripts/ceremony.mjs new        <id> --ptau <file> [--ptau-hash <blake2b>] [--dir <d>]
//   node scripts/ceremony.mjs contribute <id> --name <who> [--entropy <text> | --entropy-file <f>] [--dir <d>]
//   node scripts/ceremony.mjs beacon     <id> --hash <hex> [--iterations 10] [--dir <d>]
//   node scripts/ceremony.mjs verify     <id> --ptau <file> [--verifier <deployed .sol>] [--dir <d>]
//   node scripts/ceremony.mjs pin        <id> [--dir <d>]      (writes the production block into circuits.json)
//
// --ptau is a Hermez / Perpetual Powers of Tau prepared file (powersOfTau28_hez_final_<PP>.ptau);
// its blake2b must equal the published hash (scripts/ptau-hashes.mjs) unless --ptau-hash names
// another. Without --entropy, the contributor types it on stdin (one line).
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline/promises";
import { parseArgs } from "node:util";
import {
  ceremonyBeacon,
  ceremonyContribute,
  ceremonyNew,
  ceremonyPin,
  ceremonyVerify,
  releaseCurves,
} from "./lib.mjs";

const USAGE = `usage: node scripts/ceremony.mjs <new|contribute|beacon|verify|pin> <circuit-id> [options]
  new         --ptau <file> [--ptau-hash <blake2b-512 hex>]
  contribute  --name <contributor> [--entropy <text> | --entropy-file <file>]   (else read from stdin)
  beacon      --hash <public hex, e.g. a future block hash> [--iterations <exp, 10..63>]
  verify      --ptau <file> [--verifier <Solidity verifier to check against the key>]
  pin         (after verify: pins the vkHash in circuits.json)
  every step: [--dir <ceremony folder>] (default circuits/ceremony/<id>)`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    ptau: { type: "string" },
    "ptau-hash": { type: "string" },
    name: { type: "string" },
    entropy: { type: "string" },
    "entropy-file": { type: "string" },
    hash: { type: "string" },
    iterations: { type: "string" },
    verifier: { type: "string" },
    dir: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});

const [command, id] = positionals;
if (values.help || !command || !id) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}
const dir = values.dir ? path.resolve(values.dir) : undefined;
const need = (flag) => {
  const v = values[flag];
  if (v === undefined) throw new Error(`${command} needs --${flag}\n${USAGE}`);
  return v;
};

async function readEntropy() {
  if (values.entropy !== undefined) return values.entropy;
  if (values["entropy-file"] !== undefined) return fs.readFileSync(values["entropy-file"], "utf8").trim();
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  const line = await rl.question("Type random text (your secret entropy; it is not stored): ");
  rl.close();
  return line.trim();
}

try {
  switch (command) {
    case "new":
      await ceremonyNew(id, {
        ptau: path.resolve(need("ptau")),
        ...(values["ptau-hash"] ? { ptauHash: values["ptau-hash"] } : {}),
        dir,
      });
      break;
    case "contribute":
      await ceremonyContribute(id, { name: need("name"), entropy: await readEntropy(), dir });
      break;
    case "beacon":
      await ceremonyBeacon(id, {
        hash: need("hash"),
        iterationsExp: values.iterations === undefined ? 10 : Number(values.iterations),
        dir,
      });
      break;
    case "verify":
      await ceremonyVerify(id, {
        ptau: path.resolve(need("ptau")),
        ...(values.verifier ? { verifierFile: path.resolve(values.verifier) } : {}),
        dir,
      });
      break;
    case "pin":
      await ceremonyPin(id, { dir });
      break;
    default:
      throw new Error(`unknown subcommand ${command}\n${USAGE}`);
  }
  await releaseCurves();
  process.exit(0);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  await releaseCurves();
  process.exit(1);
}
