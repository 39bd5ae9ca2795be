// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {stdError} from "forge-std/StdError.sol";
import {Test} from "forge-std/Test.sol";

import {VerifierRegistry} from "../src/VerifierRegistry.sol";
import {IVerifierRegistry} from "../src/interfaces/IVerifierRegistry.sol";
import {VerifierRegistryHandler} from "./handlers/VerifierRegistryHandler.sol";
import {MockGroth16Verifier} from "./mocks/MockGroth16Verifier.sol";

contract VerifierRegistryTest is Test {
    bytes32 internal constant CIRCUIT_ID = keccak256("mlp-d64-h16-c10-n32");
    bytes32 internal constant OTHER_ID = keccak256("mlp-d64-h0-c10-n32");
    bytes32 internal constant VK_HASH = keccak256("verification_key.json");
    uint8 internal constant N_PUBLIC = 5;

    address internal owner = makeAddr("owner");
    address internal stranger = makeAddr("stranger");
    address internal newOwner = makeAddr("newOwner");

    VerifierRegistry internal registry;
    address internal verifier;
    address internal otherVerifier;

    function setUp() public {
        registry = new VerifierRegistry(owner);
        verifier = address(new MockGroth16Verifier(true));
        otherVerifier = address(new MockGroth16Verifier(false));
        vm.warp(1_750_000_000);
    }

    function _register(bytes32 circuitId, address verifier_) internal {
        vm.prank(owner);
        registry.register(circuitId, verifier_, VK_HASH, N_PUBLIC);
    }

    // ---------------------------------------------------------------- constructor

    function test_constructor_setsOwner() public view {
        assertEq(registry.owner(), owner);
        assertEq(registry.pendingOwner(), address(0));
        assertEq(registry.count(), 0);
    }

    function test_constructor_revertsOnZeroOwner() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableInvalidOwner.selector, address(0)));
        new VerifierRegistry(address(0));
    }

    // ---------------------------------------------------------------- register

    function test_register_storesEntry() public {
        _register(CIRCUIT_ID, verifier);

        IVerifierRegistry.Verifier memory entry = registry.get(CIRCUIT_ID);
        assertEq(entry.verifier, verifier);
        assertEq(entry.vkHash, VK_HASH);
        assertEq(entry.nPublic, N_PUBLIC);
        assertEq(entry.registeredAt, uint64(block.timestamp));
        assertFalse(entry.deprecated);
        assertTrue(registry.isActive(CIRCUIT_ID));
    }

    function test_register_emitsVerifierRegistered() public {
        vm.expectEmit(true, true, false, true, address(registry));
        emit IVerifierRegistry.VerifierRegistered(CIRCUIT_ID, verifier, VK_HASH, N_PUBLIC);
        _register(CIRCUIT_ID, verifier);
    }

    function test_register_appendsCircuitIdsInOrder() public {
        _register(CIRCUIT_ID, verifier);
        _register(OTHER_ID, otherVerifier);

        assertEq(registry.count(), 2);
        assertEq(registry.circuitIdAt(0), CIRCUIT_ID);
        assertEq(registry.circuitIdAt(1), OTHER_ID);
    }

    function test_register_allowsOneVerifierForTwoIds() public {
        _register(CIRCUIT_ID, verifier);
        _register(OTHER_ID, verifier);

        assertEq(registry.get(CIRCUIT_ID).verifier, verifier);
        assertEq(registry.get(OTHER_ID).verifier, verifier);
    }

    function test_register_revertsWhenCallerNotOwner() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        vm.prank(stranger);
        registry.register(CIRCUIT_ID, verifier, VK_HASH, N_PUBLIC);
    }

    function test_register_revertsOnZeroCircuitId() public {
        vm.expectRevert(IVerifierRegistry.VerifierRegistry__ZeroCircuitId.selector);
        vm.prank(owner);
        registry.register(bytes32(0), verifier, VK_HASH, N_PUBLIC);
    }

    function test_register_revertsOnZeroAddress() public {
        vm.expectRevert(IVerifierRegistry.VerifierRegistry__ZeroAddress.selector);
        vm.prank(owner);
        registry.register(CIRCUIT_ID, address(0), VK_HASH, N_PUBLIC);
    }

    function test_register_revertsOnAddressWithoutCode() public {
        vm.expectRevert(abi.encodeWithSelector(IVerifierRegistry.VerifierRegistry__NoCode.selector, stranger));
        vm.prank(owner);
        registry.register(CIRCUIT_ID, stranger, VK_HASH, N_PUBLIC);
    }

    function test_register_revertsOnZeroPublicSignals() public {
        vm.expectRevert(IVerifierRegistry.VerifierRegistry__ZeroPublicSignals.selector);
        vm.prank(owner);
        registry.register(CIRCUIT_ID, verifier, VK_HASH, 0);
    }

    function test_register_revertsOnDuplicateId() public {
        _register(CIRCUIT_ID, verifier);

        vm.expectRevert(
            abi.encodeWithSelector(IVerifierRegistry.VerifierRegistry__AlreadyRegistered.selector, CIRCUIT_ID)
        );
        vm.prank(owner);
        registry.register(CIRCUIT_ID, otherVerifier, bytes32(uint256(1)), N_PUBLIC + 1);

        // The first entry is untouched.
        assertEq(registry.get(CIRCUIT_ID).verifier, verifier);
        assertEq(registry.count(), 1);
    }

    function test_register_revertsOnDeprecatedId() public {
        _register(CIRCUIT_ID, verifier);
        vm.prank(owner);
        registry.deprecate(CIRCUIT_ID);

        vm.expectRevert(
            abi.encodeWithSelector(IVerifierRegistry.VerifierRegistry__AlreadyRegistered.selector, CIRCUIT_ID)
        );
        vm.prank(owner);
        registry.register(CIRCUIT_ID, otherVerifier, VK_HASH, N_PUBLIC);
    }

    // ---------------------------------------------------------------- deprecate

    function test_deprecate_marksInactiveAndKeepsEntry() public {
        _register(CIRCUIT_ID, verifier);
        uint64 registeredAt = uint64(block.timestamp);
        vm.warp(block.timestamp + 1 days);

        vm.prank(owner);
        registry.deprecate(CIRCUIT_ID);

        assertFalse(registry.isActive(CIRCUIT_ID));
        IVerifierRegistry.Verifier memory entry = registry.get(CIRCUIT_ID);
        assertTrue(entry.deprecated);
        assertEq(entry.verifier, verifier);
        assertEq(entry.vkHash, VK_HASH);
        assertEq(entry.nPublic, N_PUBLIC);
        assertEq(entry.registeredAt, registeredAt);
        assertEq(registry.count(), 1);
    }

    function test_deprecate_emitsVerifierDeprecated() public {
        _register(CIRCUIT_ID, verifier);

        vm.expectEmit(true, false, false, true, address(registry));
        emit IVerifierRegistry.VerifierDeprecated(CIRCUIT_ID);
        vm.prank(owner);
        registry.deprecate(CIRCUIT_ID);
    }

    function test_deprecate_leavesOtherIdsActive() public {
        _register(CIRCUIT_ID, verifier);
        _register(OTHER_ID, verifier);

        vm.prank(owner);
        registry.deprecate(CIRCUIT_ID);

        assertFalse(registry.isActive(CIRCUIT_ID));
        assertTrue(registry.isActive(OTHER_ID));
    }

    function test_deprecate_revertsWhenCallerNotOwner() public {
        _register(CIRCUIT_ID, verifier);

        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        vm.prank(stranger);
        registry.deprecate(CIRCUIT_ID);
    }

    function test_deprecate_revertsWhenNotRegistered() public {
        vm.expectRevert(abi.encodeWithSelector(IVerifierRegistry.VerifierRegistry__NotRegistered.selector, CIRCUIT_ID));
        vm.prank(owner);
        registry.deprecate(CIRCUIT_ID);
    }

    function test_deprecate_revertsWhenAlreadyDeprecated() public {
        _register(CIRCUIT_ID, verifier);
        vm.startPrank(owner);
        registry.deprecate(CIRCUIT_ID);

        vm.expectRevert(
            abi.encodeWithSelector(IVerifierRegistry.VerifierRegistry__AlreadyDeprecated.selector, CIRCUIT_ID)
        );
        registry.deprecate(CIRCUIT_ID);
        vm.stopPrank();
    }

    // ---------------------------------------------------------------- views

    function test_get_revertsWhenNotRegistered() public {
        vm.expectRevert(abi.encodeWithSelector(IVerifierRegistry.VerifierRegistry__NotRegistered.selector, CIRCUIT_ID));
        registry.get(CIRCUIT_ID);
    }

    function test_isActive_returnsFalseWhenNotRegistered() public view {
        assertFalse(registry.isActive(CIRCUIT_ID));
    }

    function test_circuitIdAt_revertsWhenOutOfBounds() public {
        _register(CIRCUIT_ID, verifier);

        vm.expectRevert(stdError.indexOOBError);
        registry.circuitIdAt(1);
    }

    // ---------------------------------------------------------------- ownership (two steps)

    function test_transferOwnership_onlySetsPendingOwner() public {
        vm.expectEmit(true, true, false, false, address(registry));
        emit Ownable2Step.OwnershipTransferStarted(owner, newOwner);
        vm.prank(owner);
        registry.transferOwnership(newOwner);

        assertEq(registry.owner(), owner);
        assertEq(registry.pendingOwner(), newOwner);
        // The old owner keeps its powers until the new one accepts.
        _register(CIRCUIT_ID, verifier);
    }

    function test_transferOwnership_revertsWhenCallerNotOwner() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        vm.prank(stranger);
        registry.transferOwnership(stranger);
    }

    function test_acceptOwnership_transfersOwnership() public {
        vm.prank(owner);
        registry.transferOwnership(newOwner);

        vm.expectEmit(true, true, false, false, address(registry));
        emit Ownable.OwnershipTransferred(owner, newOwner);
        vm.prank(newOwner);
        registry.acceptOwnership();

        assertEq(registry.owner(), newOwner);
        assertEq(registry.pendingOwner(), address(0));

        vm.prank(newOwner);
        registry.register(CIRCUIT_ID, verifier, VK_HASH, N_PUBLIC);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, owner));
        vm.prank(owner);
        registry.register(OTHER_ID, verifier, VK_HASH, N_PUBLIC);
    }

    function test_acceptOwnership_revertsWhenCallerNotPendingOwner() public {
        vm.prank(owner);
        registry.transferOwnership(newOwner);

        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        vm.prank(stranger);
        registry.acceptOwnership();
        assertEq(registry.owner(), owner);
    }

    // ---------------------------------------------------------------- fuzz

    function testFuzz_register_storesAnyValidEntry(
        bytes32 circuitId,
        bytes32 vkHash,
        uint8 nPublic,
        uint32 delay
    ) public {
        vm.assume(circuitId != bytes32(0));
        nPublic = uint8(bound(nPublic, 1, type(uint8).max));
        vm.warp(block.timestamp + delay);

        vm.expectEmit(true, true, false, true, address(registry));
        emit IVerifierRegistry.VerifierRegistered(circuitId, verifier, vkHash, nPublic);
        vm.prank(owner);
        registry.register(circuitId, verifier, vkHash, nPublic);

        IVerifierRegistry.Verifier memory entry = registry.get(circuitId);
        assertEq(entry.verifier, verifier);
        assertEq(entry.vkHash, vkHash);
        assertEq(entry.nPublic, nPublic);
        assertEq(entry.registeredAt, uint64(block.timestamp));
        assertTrue(registry.isActive(circuitId));
    }

    function testFuzz_register_revertsWhenCallerNotOwner(address caller) public {
        vm.assume(caller != owner);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, caller));
        vm.prank(caller);
        registry.register(CIRCUIT_ID, verifier, VK_HASH, N_PUBLIC);
    }

    function testFuzz_register_revertsOnAddressWithoutCode(address target) public {
        vm.assume(target != address(0) && target.code.length == 0);
        vm.expectRevert(abi.encodeWithSelector(IVerifierRegistry.VerifierRegistry__NoCode.selector, target));
        vm.prank(owner);
        registry.register(CIRCUIT_ID, target, VK_HASH, N_PUBLIC);
    }

    function testFuzz_register_neverOverwrites(bytes32 circuitId, bytes32 vkHash, uint8 nPublic) public {
        vm.assume(circuitId != bytes32(0));
        nPublic = uint8(bound(nPublic, 1, type(uint8).max));
        _register(circuitId, verifier);

        vm.expectRevert(
            abi.encodeWithSelector(IVerifierRegistry.VerifierRegistry__AlreadyRegistered.selector, circuitId)
        );
        vm.prank(owner);
        registry.register(circuitId, otherVerifier, vkHash, nPublic);
        assertEq(registry.get(circuitId).verifier, verifier);
        assertEq(registry.get(circuitId).vkHash, VK_HASH);
    }

    function testFuzz_deprecate_revertsWhenNotRegistered(bytes32 circuitId) public {
        vm.expectRevert(abi.encodeWithSelector(IVerifierRegistry.VerifierRegistry__NotRegistered.selector, circuitId));
        vm.prank(owner);
        registry.deprecate(circuitId);
    }
}

/// @notice Stateful properties over random call sequences (see VerifierRegistryHandler).
contract VerifierRegistryInvariantTest is Test {
    VerifierRegistry internal registry;
    VerifierRegistryHandler internal handler;
    address internal owner = makeAddr("owner");

    function setUp() public {
        registry = new VerifierRegistry(owner);
        handler = new VerifierRegistryHandler(registry, owner);
        targetContract(address(handler));
    }

    /// Every registration, and only those, is counted and enumerable in order.
    function invariant_countEqualsGhostCount() public view {
        assertEq(registry.count(), handler.ghostCount());
        for (uint256 i = 0; i < handler.ghostCount(); i++) {
            assertEq(registry.circuitIdAt(i), handler.ghostIds(i));
        }
    }

    /// An entry never changes once registered, except for the one-way deprecated flag.
    function invariant_entriesAreImmutable() public view {
        for (uint256 i = 0; i < handler.ghostCount(); i++) {
            bytes32 circuitId = handler.ghostIds(i);
            IVerifierRegistry.Verifier memory expected = handler.ghostEntry(circuitId);
            IVerifierRegistry.Verifier memory actual = registry.get(circuitId);
            assertEq(actual.verifier, expected.verifier, "verifier changed");
            assertEq(actual.vkHash, expected.vkHash, "vkHash changed");
            assertEq(actual.nPublic, expected.nPublic, "nPublic changed");
            assertEq(actual.registeredAt, expected.registeredAt, "registeredAt changed");
            assertEq(actual.deprecated, handler.ghostDeprecated(circuitId), "deprecated flag wrong");
            assertEq(registry.isActive(circuitId), !handler.ghostDeprecated(circuitId), "isActive wrong");
        }
    }

    /// No call succeeded that should have failed (overwrites, double deprecation, strangers) or the
    /// reverse, and ownership never moved.
    function invariant_noUnexpectedOutcomes() public view {
        assertEq(handler.ghostUnexpectedSuccesses(), 0);
        assertEq(registry.owner(), owner);
    }
}
