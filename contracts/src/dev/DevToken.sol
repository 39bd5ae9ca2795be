// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title DevToken
/// @notice DEVELOPMENT ONLY: "zkArena Dev USD" (zkUSD, 18 decimals), a worthless ERC-20 for the local
///         chain, so that ERC-20 challenges (approve + fund, refunds, prizes in a token) can be tried and
///         tested without a real token. contracts/scripts/deploy.mjs deploys it on anvil (chain 31337)
///         only and never anywhere else.
/// @dev Anyone may mint any amount (`mint`): it is a faucet, which is exactly why it must never hold
///      value. The constructor mints `amountEach` to every address of `holders` (anvil's ten public
///      accounts) so that a fresh local stack has funded sponsors without an extra transaction.
contract DevToken is ERC20 {
    constructor(address[] memory holders, uint256 amountEach) ERC20("zkArena Dev USD", "zkUSD") {
        for (uint256 i = 0; i < holders.length; ++i) {
            _mint(holders[i], amountEach);
        }
    }

    /// @notice Faucet: mints `amount` to `to`. Development only (see the contract's notice).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
