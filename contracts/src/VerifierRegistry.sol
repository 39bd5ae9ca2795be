// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";

import {IVerifierRegistry} from "./interfaces/IVerifierRegistry.sol";

/// @title VerifierRegistry
/// @notice Append-only registry of Groth16 verifiers per circuit id; see {IVerifierRegistry}.
/// @dev Ownership moves in two steps (transfer, then accept) so a typo cannot hand the registry to an
///      address nobody controls. The owner can add and deprecate entries but never edit or delete one:
///      challenges snapshot the verifier address at creation and must not be affected by later changes.
contract VerifierRegistry is IVerifierRegistry, Ownable2Step {
    /// @dev circuitId => entry. `verifier == address(0)` means no entry (register rejects the zero address).
    mapping(bytes32 circuitId => Verifier entry) private _verifiers;
    /// @dev Registration order, for enumeration; only ever pushed to.
    bytes32[] private _circuitIds;

    /// @param initialOwner The account allowed to register and deprecate verifiers.
    constructor(address initialOwner) Ownable(initialOwner) {}

    /// @inheritdoc IVerifierRegistry
    function register(bytes32 circuitId, address verifier, bytes32 vkHash, uint8 nPublic) external onlyOwner {
        if (circuitId == bytes32(0)) revert VerifierRegistry__ZeroCircuitId();
        if (verifier == address(0)) revert VerifierRegistry__ZeroAddress();
        if (verifier.code.length == 0) revert VerifierRegistry__NoCode(verifier);
        if (nPublic == 0) revert VerifierRegistry__ZeroPublicSignals();
        if (_verifiers[circuitId].verifier != address(0)) revert VerifierRegistry__AlreadyRegistered(circuitId);

        _verifiers[circuitId] = Verifier({
            verifier: verifier,
            nPublic: nPublic,
            registeredAt: uint64(block.timestamp),
            deprecated: false,
            vkHash: vkHash
        });
        _circuitIds.push(circuitId);
        emit VerifierRegistered(circuitId, verifier, vkHash, nPublic);
    }

    /// @inheritdoc IVerifierRegistry
    function deprecate(bytes32 circuitId) external onlyOwner {
        Verifier storage entry = _verifiers[circuitId];
        if (entry.verifier == address(0)) revert VerifierRegistry__NotRegistered(circuitId);
        if (entry.deprecated) revert VerifierRegistry__AlreadyDeprecated(circuitId);

        entry.deprecated = true;
        emit VerifierDeprecated(circuitId);
    }

    /// @inheritdoc IVerifierRegistry
    function get(bytes32 circuitId) external view returns (Verifier memory entry) {
        entry = _verifiers[circuitId];
        if (entry.verifier == address(0)) revert VerifierRegistry__NotRegistered(circuitId);
    }

    /// @inheritdoc IVerifierRegistry
    function isActive(bytes32 circuitId) external view returns (bool active) {
        Verifier storage entry = _verifiers[circuitId];
        return entry.verifier != address(0) && !entry.deprecated;
    }

    /// @inheritdoc IVerifierRegistry
    function count() external view returns (uint256) {
        return _circuitIds.length;
    }

    /// @inheritdoc IVerifierRegistry
    function circuitIdAt(uint256 index) external view returns (bytes32) {
        return _circuitIds[index];
    }
}
