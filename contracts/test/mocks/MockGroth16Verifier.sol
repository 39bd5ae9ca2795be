// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice Stand-in for a snarkjs `Groth16Verifier` with five public signals: it only needs code at
///         its address for the registry's checks, and a fixed answer so tests can tell instances apart.
contract MockGroth16Verifier {
    bool private immutable _answer;

    constructor(bool answer) {
        _answer = answer;
    }

    function verifyProof(
        uint256[2] calldata,
        uint256[2][2] calldata,
        uint256[2] calldata,
        uint256[5] calldata
    ) external view returns (bool) {
        return _answer;
    }
}
