"use client";
// The create flow's prize-token choice: ETH, the local chain's development token (from the deployment
// record) or any ERC-20 by address, whose symbol and decimals are read from the token itself (never
// typed in), so every amount of the challenge is shown in the token's own units.
import { useState } from "react";
import { erc20Abi, getAddress, isAddress, type Address } from "viem";
import { useReadContracts } from "wagmi";
import { usePublicEnv } from "~/components/providers";

export interface PrizeToken {
  /** null for ETH. */
  address: Address | null;
  symbol: string;
  decimals: number;
}

export const ETH_TOKEN: PrizeToken = { address: null, symbol: "ETH", decimals: 18 };

type Mode = "eth" | "dev" | "erc20";

/** The API stores symbols of 1-16 letters or digits (packages/api challenge.createDraft). */
const SYMBOL = /^[A-Za-z0-9]{1,16}$/;

export function useTokenChoice() {
  const { devToken } = usePublicEnv();
  const [mode, setMode] = useState<Mode>("eth");
  const [pasted, setPasted] = useState("");
  const address = isAddress(pasted) ? getAddress(pasted) : undefined;
  const reads = useReadContracts({
    allowFailure: true,
    contracts: address
      ? [
          { address, abi: erc20Abi, functionName: "symbol" },
          { address, abi: erc20Abi, functionName: "decimals" },
        ]
      : [],
    query: { enabled: mode === "erc20" && address !== undefined },
  });
  const [symbolRead, decimalsRead] = reads.data ?? [];
  const read: PrizeToken | null =
    address && symbolRead?.status === "success" && decimalsRead?.status === "success"
      ? { address, symbol: String(symbolRead.result), decimals: Number(decimalsRead.result) }
      : null;

  let token: PrizeToken | null = null;
  let problem: string | null = null;
  if (mode === "eth") token = ETH_TOKEN;
  else if (mode === "dev") {
    if (devToken) token = devToken;
    else problem = "This chain has no development token: choose ETH or paste an ERC-20 address.";
  } else if (!address) problem = "Paste the ERC-20 token's address (0x followed by 40 hex digits).";
  else if (reads.isPending || reads.isFetching) problem = "Reading the token's symbol and decimals…";
  else if (!read)
    problem =
      "No ERC-20 at this address answered symbol() and decimals() on this chain: check the address and the network.";
  else if (!SYMBOL.test(read.symbol))
    problem = `The token's symbol "${read.symbol}" cannot be shown here (1-16 letters or digits only): choose another token.`;
  else if (read.decimals > 36) problem = `The token has ${read.decimals} decimals; at most 36 are supported.`;
  else token = read;

  return { mode, setMode, pasted, setPasted, token, problem, devToken, checking: reads.isFetching };
}

export type TokenChoice = ReturnType<typeof useTokenChoice>;

export function TokenField({ choice }: { choice: TokenChoice }) {
  const { mode, setMode, pasted, setPasted, token, problem, devToken } = choice;
  return (
    <div className="stack" data-testid="token-field">
      <div className="field">
        <label htmlFor="token-mode">Prize token</label>
        <select
          id="token-mode"
          className="input"
          value={mode}
          onChange={(e) => setMode(e.target.value as Mode)}
        >
          <option value="eth">ETH</option>
          {devToken ? (
            <option value="dev">
              {devToken.symbol} — {devToken.name} (local development token)
            </option>
          ) : null}
          <option value="erc20">Another ERC-20 (paste its address)</option>
        </select>
        {mode === "dev" && devToken ? (
          <span className="muted small">
            Worthless, local chain only; anvil&apos;s ten accounts each hold 1,000,000 {devToken.symbol}.{" "}
            <span className="mono">{devToken.address}</span>
          </span>
        ) : null}
      </div>
      {mode === "erc20" ? (
        <div className="field">
          <label htmlFor="token-address">Token address</label>
          <input
            id="token-address"
            className="input mono"
            autoComplete="off"
            spellCheck={false}
            placeholder="0x…"
            value={pasted}
            onChange={(e) => setPasted(e.target.value.trim())}
            aria-describedby="token-read"
            aria-invalid={pasted !== "" && problem !== null && !choice.checking ? true : undefined}
          />
          <span id="token-read" className={token ? "muted small" : "field-error"} role="status">
            {token
              ? `${token.symbol}, ${token.decimals} decimals (read from the token)`
              : pasted
                ? problem
                : null}
          </span>
        </div>
      ) : null}
      <p className="muted small">
        The pot, sponsors&apos; deposits, prizes and refunds are in{" "}
        <strong data-testid="token-summary">{token?.symbol ?? "the chosen token"}</strong>; the organiser bond
        is always ETH.
      </p>
    </div>
  );
}
