// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

import {VerifierRegistry} from "../../src/VerifierRegistry.sol";
import {IVerifierRegistry} from "../../src/interfaces/IVerifierRegistry.sol";
import {MockGroth16Verifier} from "../mocks/MockGroth16Verifier.sol";

/// @notice Drives the registry through random sequences of owner and non-owner calls and records what
///         *should* be stored in ghost variables, which the invariant suite compares with the contract.
/// @dev Circuit ids come from a small pool so that duplicates, deprecations of known ids and
///      overwrite attempts actually happen within a 50-call sequence.
contract VerifierRegistryHandler is CommonBase, StdUtils {
    uint256 internal constant ID_POOL = 16;

    VerifierRegistry public immutable registry;
    address public immutable owner;
    address[] internal _verifiers;

    // Ghost state: what the registry must contain.
    bytes32[] public ghostIds;
    mapping(bytes32 circuitId => IVerifierRegistry.Verifier entry) internal _ghostEntries;
    mapping(bytes32 circuitId => bool) public ghostDeprecated;
    uint256 public ghostOverwriteAttempts;
    uint256 public ghostUnexpectedSuccesses;

    constructor(VerifierRegistry registry_, address owner_) {
        registry = registry_;
        owner = owner_;
        for (uint256 i = 0; i < 4; i++) {
            _verifiers.push(address(new MockGroth16Verifier(i % 2 == 0)));
        }
    }

    function register(uint256 idSeed, uint256 verifierSeed, bytes32 vkHash, uint8 nPublic, uint32 warp) external {
        bytes32 circuitId = _id(idSeed);
        address verifier = _verifiers[bound(verifierSeed, 0, _verifiers.length - 1)];
        nPublic = uint8(bound(nPublic, 1, type(uint8).max));
        vm.warp(block.timestamp + warp);

        bool known = _ghostEntries[circuitId].verifier != address(0);
        vm.prank(owner);
        try registry.register(circuitId, verifier, vkHash, nPublic) {
            if (known) ghostUnexpectedSuccesses++;
            ghostIds.push(circuitId);
            _ghostEntries[circuitId] = IVerifierRegistry.Verifier({
                verifier: verifier,
                nPublic: nPublic,
                registeredAt: uint64(block.timestamp),
                deprecated: false,
                vkHash: vkHash
            });
        } catch {
            if (known) ghostOverwriteAttempts++;
            else ghostUnexpectedSuccesses++; // a fresh, valid registration must not fail
        }
    }

    function deprecate(uint256 idSeed) external {
        bytes32 circuitId = _id(idSeed);
        bool shouldSucceed = _ghostEntries[circuitId].verifier != address(0) && !ghostDeprecated[circuitId];
        vm.prank(owner);
        try registry.deprecate(circuitId) {
            if (!shouldSucceed) ghostUnexpectedSuccesses++;
            ghostDeprecated[circuitId] = true;
            _ghostEntries[circuitId].deprecated = true;
        } catch {
            if (shouldSucceed) ghostUnexpectedSuccesses++;
        }
    }

    /// @dev Anyone but the owner must be turned away, whatever they call.
    function strangerCalls(address stranger, uint256 idSeed, uint256 verifierSeed) external {
        if (stranger == owner) return;
        bytes32 circuitId = _id(idSeed);
        address verifier = _verifiers[bound(verifierSeed, 0, _verifiers.length - 1)];
        vm.startPrank(stranger);
        try registry.register(circuitId, verifier, bytes32(0), 5) {
            ghostUnexpectedSuccesses++;
        } catch {}
        try registry.deprecate(circuitId) {
            ghostUnexpectedSuccesses++;
        } catch {}
        vm.stopPrank();
    }

    function ghostCount() external view returns (uint256) {
        return ghostIds.length;
    }

    function ghostEntry(bytes32 circuitId) external view returns (IVerifierRegistry.Verifier memory) {
        return _ghostEntries[circuitId];
    }

    function _id(uint256 seed) internal pure returns (bytes32) {
        return keccak256(abi.encode("circuit", bound(seed, 0, ID_POOL - 1)));
    }
}
