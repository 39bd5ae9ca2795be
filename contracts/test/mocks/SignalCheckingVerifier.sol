// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice Stand-in for a snarkjs `Groth16Verifier` with five public signals that says yes only to
///         statements the test has declared valid: `verifyProof` returns true iff the exact signal vector
///         (same values, same order) was passed to `accept`. Proof points are ignored, as if every proof
///         were a valid (or malleated) proof of its statement, so tests of the escrow show that it
///         builds the right signals in the right order and keys replay on the statement, not the bytes.
contract SignalCheckingVerifier {
    mapping(bytes32 statement => bool) public valid;
    bool public acceptAll;

    function accept(uint256[5] calldata signals) external {
        valid[keccak256(abi.encode(signals))] = true;
    }

    function setAcceptAll(bool value) external {
        acceptAll = value;
    }

    function verifyProof(
        uint256[2] calldata,
        uint256[2][2] calldata,
        uint256[2] calldata,
        uint256[5] calldata pubSignals
    ) external view returns (bool) {
        return acceptAll || valid[keccak256(abi.encode(pubSignals))];
    }
}

/// @notice A verifier that reverts: the escrow must treat it as an invalid proof, not bubble it up.
contract RevertingVerifier {
    function verifyProof(
        uint256[2] calldata,
        uint256[2][2] calldata,
        uint256[2] calldata,
        uint256[5] calldata
    ) external pure returns (bool) {
        revert("boom");
    }
}
