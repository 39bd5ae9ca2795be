// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

/// @notice Test-side Solidity implementation of the batch tree of briefs/batching.md (the TypeScript one
///         is packages/zk/src/batch-root.ts): leaves keccak256(keccak256(abi.encode(i, c_i))) in index
///         order, pairs (0,1), (2,3), … hashed with OpenZeppelin's commutative keccak, an odd last node
///         carried up, proofs bottom-up without the levels where a node had no sibling.
library BatchTree {
    function leaf(uint256 i, uint256 c) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(i, c))));
    }

    function _leaves(uint256[] memory commitments) private pure returns (bytes32[] memory level) {
        level = new bytes32[](commitments.length);
        for (uint256 i; i < commitments.length; ++i) {
            level[i] = leaf(i, commitments[i]);
        }
    }

    function _up(bytes32[] memory level) private pure returns (bytes32[] memory next) {
        next = new bytes32[]((level.length + 1) / 2);
        for (uint256 k; k < next.length; ++k) {
            uint256 left = 2 * k;
            next[k] = left + 1 < level.length ? Hashes.commutativeKeccak256(level[left], level[left + 1]) : level[left];
        }
    }

    /// @dev B = 1: the commitment itself; B >= 2: the Merkle root.
    function root(uint256[] memory commitments) internal pure returns (uint256) {
        if (commitments.length == 1) return commitments[0];
        bytes32[] memory level = _leaves(commitments);
        while (level.length > 1) {
            level = _up(level);
        }
        return uint256(level[0]);
    }

    function proof(uint256[] memory commitments, uint256 index) internal pure returns (bytes32[] memory out) {
        bytes32[] memory siblings = new bytes32[](16);
        uint256 n;
        if (commitments.length > 1) {
            bytes32[] memory level = _leaves(commitments);
            uint256 pos = index;
            while (level.length > 1) {
                uint256 sibling = pos ^ 1;
                if (sibling < level.length) siblings[n++] = level[sibling];
                level = _up(level);
                pos >>= 1;
            }
        }
        out = new bytes32[](n);
        for (uint256 k; k < n; ++k) {
            out[k] = siblings[k];
        }
    }
}
