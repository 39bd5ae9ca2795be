// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Test} from "forge-std/Test.sol";

import {ArenaEscrow} from "../src/ArenaEscrow.sol";
import {VerifierRegistry} from "../src/VerifierRegistry.sol";
import {IArenaEscrow} from "../src/interfaces/IArenaEscrow.sol";
import {MlpD4H3C3N4Verifier} from "../src/verifiers/MlpD4H3C3N4Verifier.sol";

/// @notice The generated verifier of the CI circuit (mlp-d4-h3-c3-n4) and the escrow against real Groth16
///         proofs written by scripts/fixtures.ts with the TypeScript SDK (test/fixtures/proofs.json):
///         challenge 1 has one batch, challenge 2 has B = 2 batches under a Merkle root. Every negative
///         case starts from the real proof, so a failure can only come from what the test changed.
contract RealVerifierTest is Test {
    uint256 internal constant R =
        21_888_242_871_839_275_222_246_405_745_257_275_088_548_364_400_416_034_343_698_204_186_575_808_495_617;
    uint256 internal constant Q =
        21_888_242_871_839_275_222_246_405_745_257_275_088_696_311_157_297_823_662_689_037_894_645_226_208_583;
    bytes32 internal constant CIRCUIT_ID = keccak256("mlp-d4-h3-c3-n4");
    uint64 internal constant T0 = 1_750_000_000;
    uint64 internal constant COMMIT_DL = T0 + 1 days;

    struct Proof {
        uint256[2] a;
        uint256[2][2] b;
        uint256[2] c;
    }

    VerifierRegistry internal registry;
    MlpD4H3C3N4Verifier internal verifier;
    ArenaEscrow internal escrow;
    string internal json;
    address internal submitter;
    address internal organiser = makeAddr("organiser");
    address internal bob = makeAddr("bob");
    uint256 internal modelCommitment;

    function setUp() public {
        vm.warp(T0);
        json = vm.readFile("test/fixtures/proofs.json");
        submitter = vm.parseJsonAddress(json, ".submitter");
        modelCommitment = vm.parseJsonUint(json, ".modelCommitment");
        assertEq(vm.parseJsonString(json, ".circuitId"), "mlp-d4-h3-c3-n4");

        verifier = new MlpD4H3C3N4Verifier();
        registry = new VerifierRegistry(address(this));
        registry.register(CIRCUIT_ID, address(verifier), keccak256("vk"), 5);
        escrow = new ArenaEscrow(registry);

        // The fixture's proofs are bound to challenge ids 1 and 2 (created in this order).
        assertEq(_create(vm.parseJsonUint(json, ".single.testCommitment"), 1), 1);
        assertEq(_create(vm.parseJsonUint(json, ".batched.root"), 2), 2);
        for (uint256 id = 1; id <= 2; ++id) {
            vm.prank(submitter);
            escrow.commit(id, modelCommitment);
            vm.prank(bob);
            escrow.commit(id, modelCommitment); // Bob copies the commitment, hoping to reuse the proof
        }
        vm.warp(COMMIT_DL);
        vm.startPrank(organiser);
        escrow.reveal(1, "ipfs://split-1");
        escrow.reveal(2, "ipfs://split-2");
        vm.stopPrank();
    }

    function _create(uint256 testCommitment, uint16 batchCount) internal returns (uint256) {
        uint16[] memory bps = new uint16[](1);
        bps[0] = 10_000;
        IArenaEscrow.ChallengeParams memory p = IArenaEscrow.ChallengeParams({
            circuitId: CIRCUIT_ID,
            testCommitment: testCommitment,
            batchCount: batchCount,
            commitDeadline: COMMIT_DL,
            revealDeadline: T0 + 2 days,
            proveDeadline: T0 + 3 days,
            token: address(0),
            minCorrect: 1,
            payoutBps: bps,
            metadataHash: bytes32(0)
        });
        vm.prank(organiser);
        return escrow.createChallenge(p);
    }

    function _proof(string memory at) internal view returns (Proof memory p) {
        uint256[] memory a = vm.parseJsonUintArray(json, string.concat(at, ".pA"));
        uint256[] memory b0 = vm.parseJsonUintArray(json, string.concat(at, ".pB[0]"));
        uint256[] memory b1 = vm.parseJsonUintArray(json, string.concat(at, ".pB[1]"));
        uint256[] memory c = vm.parseJsonUintArray(json, string.concat(at, ".pC"));
        p.a = [a[0], a[1]];
        p.b = [[b0[0], b0[1]], [b1[0], b1[1]]];
        p.c = [c[0], c[1]];
    }

    function _signals() internal view returns (uint256[5] memory s) {
        uint256[] memory list = vm.parseJsonUintArray(json, ".single.publicSignals");
        assertEq(list.length, 5);
        s = [list[0], list[1], list[2], list[3], list[4]];
    }

    function _correct(string memory at) internal view returns (uint32) {
        return uint32(vm.parseJsonUint(json, string.concat(at, ".correct")));
    }

    function _submitSingle(address who, Proof memory p, uint32 correct) internal {
        vm.prank(who);
        escrow.submitProof(1, p.a, p.b, p.c, correct);
    }

    /// (-A, -B, C): negating both G1 point A and G2 point B keeps e(A, B) and so the proof valid (Z6).
    function _malleate(Proof memory p) internal pure returns (Proof memory m) {
        m.a = [p.a[0], Q - p.a[1]];
        m.b = [p.b[0], [Q - p.b[1][0], Q - p.b[1][1]]];
        m.c = p.c;
    }

    // ---------------------------------------------------------------- the verifier alone

    function test_verifyProof_acceptsFixtureProof() public view {
        Proof memory p = _proof(".single");
        assertTrue(verifier.verifyProof(p.a, p.b, p.c, _signals()));
    }

    /// Z7: every public signal + r (the same value mod r) is refused by the generated verifier.
    function test_verifyProof_rejectsEachPublicInputPlusR() public view {
        Proof memory p = _proof(".single");
        uint256[5] memory s = _signals();
        for (uint256 i; i < 5; ++i) {
            uint256[5] memory aliased = s;
            aliased[i] = s[i] + R;
            assertFalse(verifier.verifyProof(p.a, p.b, p.c, aliased));
        }
    }

    function test_verifyProof_rejectsOtherSignals() public view {
        Proof memory p = _proof(".single");
        uint256[5] memory s = _signals();
        s[2] += 1; // claims one more correct answer
        assertFalse(verifier.verifyProof(p.a, p.b, p.c, s));
    }

    /// Z6: the malleated proof is a valid proof of the same statement (so the escrow must not key on bytes).
    function test_verifyProof_acceptsMalleatedProof() public view {
        Proof memory p = _malleate(_proof(".single"));
        assertTrue(verifier.verifyProof(p.a, p.b, p.c, _signals()));
    }

    // ---------------------------------------------------------------- the escrow, one batch

    function test_submitProof_acceptsRealProofAndScores() public {
        Proof memory p = _proof(".single");
        uint32 correct = _correct(".single");
        uint256 t = vm.parseJsonUint(json, ".single.testCommitment");
        vm.expectEmit(address(escrow));
        emit IArenaEscrow.ProofAccepted(1, submitter, 0, t, correct, correct, T0, true);
        uint256 gasBefore = gasleft();
        _submitSingle(submitter, p, correct);
        // Also pinned in .gas-snapshot; the README's budget for the standard circuit is 300k.
        assertLt(gasBefore - gasleft(), 300_000);
        (bool scored, uint32 got) = escrow.scoreOf(1, submitter);
        assertTrue(scored);
        assertEq(got, correct);
        assertEq(escrow.leaderboard(1)[0].competitor, submitter);
    }

    function test_submitProof_revertsOnTamperedProof() public {
        Proof memory p = _proof(".single");
        uint32 correct = _correct(".single");
        Proof memory t = _proof(".single");
        t.c[0] ^= 1;
        vm.expectRevert(IArenaEscrow.ArenaEscrow__InvalidProof.selector);
        _submitSingle(submitter, t, correct);
        t = _proof(".single");
        t.b[0] = [p.b[0][1], p.b[0][0]]; // B's Fp2 coordinates in snarkjs' order instead of the EVM's
        vm.expectRevert(IArenaEscrow.ArenaEscrow__InvalidProof.selector);
        _submitSingle(submitter, t, correct);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__InvalidProof.selector);
        _submitSingle(submitter, p, correct + 1); // a higher score than proven
        _submitSingle(submitter, p, correct); // the untouched proof still works
    }

    /// Z8: Bob replays the submitter's calldata (even with the same commitment): the submitter signal is Bob.
    function test_submitProof_revertsWhenAnotherSenderReplaysProof() public {
        Proof memory p = _proof(".single");
        uint32 correct = _correct(".single");
        vm.expectRevert(IArenaEscrow.ArenaEscrow__InvalidProof.selector);
        _submitSingle(bob, p, correct);
        _submitSingle(submitter, p, correct);
        assertTrue(escrow.competitorOf(1, submitter).scored);
        assertFalse(escrow.competitorOf(1, bob).scored);
    }

    /// Z6 / E11: after the original, a malleated (valid) proof of the same statement is refused by the replay key.
    function test_submitProof_revertsOnMalleatedProofAfterOriginal() public {
        Proof memory p = _proof(".single");
        uint32 correct = _correct(".single");
        _submitSingle(submitter, p, correct);
        Proof memory m = _malleate(p);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__AlreadyScored.selector);
        _submitSingle(submitter, m, correct);
    }

    /// A proof for challenge 1 does not transfer to challenge 2 (the id is a public signal).
    function test_submitProof_revertsOnProofForAnotherChallenge() public {
        Proof memory p = _proof(".single");
        bytes32[] memory none = new bytes32[](0);
        uint256 c0 = vm.parseJsonUint(json, ".batched.batches[0].commitment");
        bytes32[] memory path0 = vm.parseJsonBytes32Array(json, ".batched.batches[0].merkleProof");
        vm.prank(submitter);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__InvalidProof.selector);
        escrow.submitProof(2, 0, c0, path0, p.a, p.b, p.c, _correct(".single"));
        // And the 8-argument form on the one-batch challenge is the same statement.
        uint256 t = vm.parseJsonUint(json, ".single.testCommitment");
        vm.prank(submitter);
        escrow.submitProof(1, 0, t, none, p.a, p.b, p.c, _correct(".single"));
        assertTrue(escrow.batchScored(1, submitter, 0));
    }

    // ---------------------------------------------------------------- the escrow, two batches

    function _submitBatch(address who, uint256 i) internal {
        string memory at = string.concat(".batched.batches[", vm.toString(i), "]");
        Proof memory p = _proof(at);
        uint256 c = vm.parseJsonUint(json, string.concat(at, ".commitment"));
        bytes32[] memory path = vm.parseJsonBytes32Array(json, string.concat(at, ".merkleProof"));
        vm.prank(who);
        escrow.submitProof(2, i, c, path, p.a, p.b, p.c, _correct(at));
    }

    function test_submitProof_sumsRealProofsOfBothBatches() public {
        uint32 c0 = _correct(".batched.batches[0]");
        uint32 c1 = _correct(".batched.batches[1]");
        uint256 commitment1 = vm.parseJsonUint(json, ".batched.batches[1].commitment");
        vm.expectEmit(address(escrow));
        emit IArenaEscrow.ProofAccepted(2, submitter, 1, commitment1, c1, c1, T0, true);
        _submitBatch(submitter, 1);
        _submitBatch(submitter, 0);
        (bool scored, uint32 total) = escrow.scoreOf(2, submitter);
        assertTrue(scored);
        assertEq(total, c0 + c1);
        assertEq(escrow.competitorOf(2, submitter).batchesScored, 2);
        assertEq(escrow.leaderboard(2)[0].correct, c0 + c1);
        assertTrue(escrow.batchScored(2, submitter, 0) && escrow.batchScored(2, submitter, 1));
    }

    function test_submitProof_revertsOnReplayedBatch() public {
        _submitBatch(submitter, 0);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__AlreadyScored.selector);
        _submitBatch(submitter, 0);
    }

    /// Batch 0's commitment and Merkle path presented as batch 1: the leaf encodes its index.
    function test_submitProof_revertsOnBatchUnderAnotherIndex() public {
        Proof memory p = _proof(".batched.batches[0]");
        uint256 c = vm.parseJsonUint(json, ".batched.batches[0].commitment");
        bytes32[] memory path = vm.parseJsonBytes32Array(json, ".batched.batches[0].merkleProof");
        vm.prank(submitter);
        vm.expectRevert(abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__InvalidBatchProof.selector, 1));
        escrow.submitProof(2, 1, c, path, p.a, p.b, p.c, _correct(".batched.batches[0]"));
    }

    /// Batch 1's real proof offered with batch 0's (valid) Merkle leaf: the circuit's test commitment differs.
    function test_submitProof_revertsOnProofOfAnotherBatch() public {
        Proof memory p = _proof(".batched.batches[1]");
        uint256 c = vm.parseJsonUint(json, ".batched.batches[0].commitment");
        bytes32[] memory path = vm.parseJsonBytes32Array(json, ".batched.batches[0].merkleProof");
        vm.prank(submitter);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__InvalidProof.selector);
        escrow.submitProof(2, 0, c, path, p.a, p.b, p.c, _correct(".batched.batches[1]"));
    }

    /// Z7 on the batch commitment: c + r never reaches the verifier.
    function test_submitProof_revertsOnBatchCommitmentPlusR() public {
        Proof memory p = _proof(".batched.batches[0]");
        uint256 c = vm.parseJsonUint(json, ".batched.batches[0].commitment");
        bytes32[] memory path = vm.parseJsonBytes32Array(json, ".batched.batches[0].merkleProof");
        vm.prank(submitter);
        vm.expectRevert(abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__NotInField.selector, c + R));
        escrow.submitProof(2, 0, c + R, path, p.a, p.b, p.c, _correct(".batched.batches[0]"));
    }

    function test_submitProof_revertsWhenAnotherSenderReplaysBatch() public {
        vm.expectRevert(IArenaEscrow.ArenaEscrow__InvalidProof.selector);
        _submitBatch(bob, 0);
    }
}
