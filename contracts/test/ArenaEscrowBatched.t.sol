// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Vm} from "forge-std/Test.sol";

import {IArenaEscrow} from "../src/interfaces/IArenaEscrow.sol";
import {ArenaEscrowFixture} from "./ArenaEscrow.t.sol";
import {BatchTree} from "./utils/BatchTree.sol";

/// @notice Batched hidden splits (briefs/batching.md): creation rules, the Merkle check, the per-batch
///         replay key, summed scores and their ranking, with the signal-checking mock verifier; plus the
///         agreement of the TypeScript tree (test/fixtures/batch-roots.json) with Solidity and the escrow.
contract ArenaEscrowBatchedTest is ArenaEscrowFixture {
    uint256[] internal commitments;

    function _split(uint256 b) internal {
        delete commitments;
        for (uint256 i; i < b; ++i) {
            commitments.push(uint256(keccak256(abi.encode("batch", i))) % R);
        }
    }

    function _createBatched(uint256 b) internal returns (uint256 id) {
        _split(b);
        IArenaEscrow.ChallengeParams memory p = _params(address(0));
        p.testCommitment = BatchTree.root(commitments);
        // forge-lint: disable-next-line(unsafe-typecast)
        p.batchCount = uint16(b);
        vm.prank(organiser);
        id = escrow.createChallenge{value: BOND}(p);
    }

    function _batchSignals(
        uint256 id,
        address who,
        uint256 i,
        uint32 correct
    ) internal view returns (uint256[5] memory) {
        uint256 commitment = escrow.competitorOf(id, who).commitment;
        return [commitment, commitments[i], uint256(correct), id, uint256(uint160(who))];
    }

    function _submitBatch(uint256 id, address who, uint256 i, uint32 correct) internal {
        bytes32[] memory path = BatchTree.proof(commitments, i);
        vm.prank(who);
        escrow.submitProof(id, i, commitments[i], path, pA, pB, pC, correct);
    }

    function _proveBatch(uint256 id, address who, uint256 i, uint32 correct) internal {
        verifier.accept(_batchSignals(id, who, i, correct));
        _submitBatch(id, who, i, correct);
    }

    function _ready(uint256 b) internal returns (uint256 id) {
        id = _createBatched(b);
        _commit(id, alice, 1);
        _commit(id, bob, 2);
        _reveal(id);
    }

    // ---------------------------------------------------------------- createChallenge

    function test_createChallenge_storesBatchCount() public {
        uint256 id = _createBatched(5);
        IArenaEscrow.Challenge memory c = escrow.getChallenge(id);
        assertEq(c.batchCount, 5);
        assertEq(c.testCommitment, BatchTree.root(commitments));
    }

    function test_createChallenge_revertsOnZeroOrTooManyBatches() public {
        IArenaEscrow.ChallengeParams memory p = _params(address(0));
        p.batchCount = 0;
        vm.prank(organiser);
        vm.expectRevert(abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__InvalidBatchCount.selector, 0));
        escrow.createChallenge(p);
        p.batchCount = 4097;
        vm.prank(organiser);
        vm.expectRevert(abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__InvalidBatchCount.selector, 4097));
        escrow.createChallenge(p);
        p.batchCount = 4096;
        vm.prank(organiser);
        escrow.createChallenge(p);
    }

    /// A root is a keccak word, not a public signal: >= r is fine when batched, refused when not (E13).
    function test_createChallenge_acceptsRootAboveFieldOnlyWhenBatched() public {
        IArenaEscrow.ChallengeParams memory p = _params(address(0));
        p.testCommitment = type(uint256).max;
        vm.prank(organiser);
        vm.expectRevert(abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__NotInField.selector, type(uint256).max));
        escrow.createChallenge(p);
        p.batchCount = 2;
        vm.prank(organiser);
        escrow.createChallenge(p);
    }

    // ---------------------------------------------------------------- submitProof (batched)

    function test_submitProof_acceptsEachBatchOnceAndSumsScores() public {
        uint256 id = _ready(3);
        verifier.accept(_batchSignals(id, alice, 2, 4));
        verifier.accept(_batchSignals(id, alice, 0, 7));
        bytes32[] memory path = BatchTree.proof(commitments, 2);
        vm.expectEmit(address(escrow));
        emit IArenaEscrow.ProofAccepted(id, alice, 2, commitments[2], 4, 4, T0, false); // 4 < minCorrect 10
        vm.prank(alice);
        escrow.submitProof(id, 2, commitments[2], path, pA, pB, pC, 4);
        assertEq(escrow.leaderboard(id).length, 0);
        path = BatchTree.proof(commitments, 0);
        vm.expectEmit(address(escrow));
        emit IArenaEscrow.ProofAccepted(id, alice, 0, commitments[0], 7, 11, T0, true);
        vm.prank(alice);
        escrow.submitProof(id, 0, commitments[0], path, pA, pB, pC, 7);
        (bool scored, uint32 total) = escrow.scoreOf(id, alice);
        assertTrue(scored);
        assertEq(total, 11);
        assertEq(escrow.competitorOf(id, alice).batchesScored, 2);
        assertTrue(escrow.batchScored(id, alice, 0));
        assertFalse(escrow.batchScored(id, alice, 1));
        assertTrue(escrow.batchScored(id, alice, 2));
        assertFalse(escrow.batchScored(id, alice, 3)); // out of range
        assertEq(escrow.leaderboard(id)[0].correct, 11);
    }

    /// Z6 / E11 per batch: a second proof of the same batch (any bytes) is refused; other batches are not.
    function test_submitProof_revertsOnSecondProofOfSameBatch() public {
        uint256 id = _ready(2);
        _proveBatch(id, alice, 1, 5);
        verifier.accept(_batchSignals(id, alice, 1, 6));
        bytes32[] memory path = BatchTree.proof(commitments, 1);
        uint256[2] memory otherA = [uint256(9), 9];
        vm.prank(alice);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__AlreadyScored.selector);
        escrow.submitProof(id, 1, commitments[1], path, otherA, pB, pC, 6);
        _proveBatch(id, alice, 0, 5);
        _proveBatch(id, bob, 1, 5); // another competitor, same batch
    }

    function test_submitProof_revertsOnBatchIndexOutOfRange() public {
        uint256 id = _ready(2);
        bytes32[] memory path = BatchTree.proof(commitments, 1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__BatchOutOfRange.selector, 2, 2));
        escrow.submitProof(id, 2, commitments[1], path, pA, pB, pC, 5);
    }

    function test_submitProof_revertsOnWrongCommitmentOrPath() public {
        uint256 id = _ready(4);
        bytes32[] memory path = BatchTree.proof(commitments, 1);
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__InvalidBatchProof.selector, 1));
        escrow.submitProof(id, 1, commitments[2], path, pA, pB, pC, 5); // another batch's commitment
        vm.expectRevert(abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__InvalidBatchProof.selector, 2));
        escrow.submitProof(id, 2, commitments[1], path, pA, pB, pC, 5); // right leaf, other index
        path[0] = bytes32(uint256(path[0]) ^ 1);
        vm.expectRevert(abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__InvalidBatchProof.selector, 1));
        escrow.submitProof(id, 1, commitments[1], path, pA, pB, pC, 5);
        vm.stopPrank();
    }

    /// The inner node (a keccak of two leaves) is not a leaf: no second-preimage via a shorter path.
    function test_submitProof_revertsOnInnerNodeAsLeaf() public {
        uint256 id = _ready(4);
        bytes32[] memory full = BatchTree.proof(commitments, 0);
        bytes32 inner = keccak256(abi.encode(BatchTree.leaf(0, commitments[0]), BatchTree.leaf(1, commitments[1])));
        bytes32[] memory shorter = new bytes32[](1);
        shorter[0] = full[1];
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__InvalidBatchProof.selector, 0));
        escrow.submitProof(id, 0, uint256(inner) % R, shorter, pA, pB, pC, 5);
    }

    function test_submitProof_revertsOnUnbatchedFormForBatchedChallenge() public {
        uint256 id = _ready(2);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__InvalidBatchProof.selector, 0));
        escrow.submitProof(id, pA, pB, pC, 5);
    }

    /// With one batch the 8-argument form must name the test commitment itself and carry no path.
    function test_submitProof_oneBatchFormChecksCommitmentAndEmptyPath() public {
        uint256 id = _create(address(0));
        _commit(id, alice, 1);
        _reveal(id);
        bytes32[] memory none = new bytes32[](0);
        bytes32[] memory one = new bytes32[](1);
        verifier.accept(_signals(id, alice, 42));
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__InvalidBatchProof.selector, 0));
        escrow.submitProof(id, 0, TEST_COMMITMENT + 1, none, pA, pB, pC, 42);
        vm.expectRevert(abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__InvalidBatchProof.selector, 0));
        escrow.submitProof(id, 0, TEST_COMMITMENT, one, pA, pB, pC, 42);
        vm.expectRevert(abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__BatchOutOfRange.selector, 1, 1));
        escrow.submitProof(id, 1, TEST_COMMITMENT, none, pA, pB, pC, 42);
        escrow.submitProof(id, 0, TEST_COMMITMENT, none, pA, pB, pC, 42);
        vm.stopPrank();
        assertTrue(escrow.batchScored(id, alice, 0));
    }

    /// E13 / Z7: a batch commitment >= r is refused before the verifier (even with a matching leaf).
    function test_submitProof_revertsOnBatchCommitmentNotInField() public {
        _split(2);
        commitments[1] += R; // the organiser's tree contains an out-of-field leaf
        IArenaEscrow.ChallengeParams memory p = _params(address(0));
        p.testCommitment = BatchTree.root(commitments);
        p.batchCount = 2;
        vm.prank(organiser);
        uint256 id = escrow.createChallenge(p);
        _commit(id, alice, 1);
        _reveal(id);
        bytes32[] memory path = BatchTree.proof(commitments, 1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__NotInField.selector, commitments[1]));
        escrow.submitProof(id, 1, commitments[1], path, pA, pB, pC, 5);
    }

    /// Batches >= 120 use the overflow bitmap; the largest split (4096 batches, 12 siblings) works.
    function test_submitProof_highBatchIndicesOfLargestSplit() public {
        uint256 id = _ready(4096);
        uint256[4] memory idx = [uint256(119), 120, 255, 4095];
        for (uint256 k; k < idx.length; ++k) {
            _proveBatch(id, alice, idx[k], 3);
            assertTrue(escrow.batchScored(id, alice, idx[k]));
        }
        assertFalse(escrow.batchScored(id, alice, 256));
        assertEq(BatchTree.proof(commitments, 4095).length, 12);
        bytes32[] memory path = BatchTree.proof(commitments, 4095);
        verifier.accept(_batchSignals(id, alice, 4095, 3));
        vm.prank(alice);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__AlreadyScored.selector);
        escrow.submitProof(id, 4095, commitments[4095], path, pA, pB, pC, 3);
        (, uint32 total) = escrow.scoreOf(id, alice);
        assertEq(total, 12);
    }

    /// A later batch moves the competitor's row up (scores only grow); the board stays sorted, one row each.
    function test_submitProof_laterBatchMovesRowUp() public {
        uint256 id = _createBatched(2);
        address[4] memory who = [makeAddr("p1"), makeAddr("p2"), makeAddr("p3"), makeAddr("p4")];
        for (uint256 i; i < 4; ++i) {
            _commit(id, who[i], i + 1);
        }
        _reveal(id);
        _proveBatch(id, who[0], 0, 30);
        _proveBatch(id, who[1], 0, 20);
        _proveBatch(id, who[2], 0, 15);
        _proveBatch(id, who[3], 0, 12); // off the 3-row board
        _proveBatch(id, who[2], 1, 10); // 25: second place
        IArenaEscrow.LeaderboardEntry[] memory board = escrow.leaderboard(id);
        assertEq(board.length, 3);
        assertEq(board[0].competitor, who[0]);
        assertEq(board[1].competitor, who[2]);
        assertEq(board[1].correct, 25);
        assertEq(board[2].competitor, who[1]);
        _proveBatch(id, who[3], 1, 19); // 31: from off the board to first place
        board = escrow.leaderboard(id);
        assertEq(board[0].competitor, who[3]);
        assertEq(board[0].correct, 31);
        assertEq(board[1].competitor, who[0]);
        assertEq(board[2].competitor, who[2]);
        _proveBatch(id, who[1], 1, 0); // 20 + 0: stays off the board, no duplicate row
        board = escrow.leaderboard(id);
        for (uint256 r; r < 3; ++r) {
            assertTrue(board[r].competitor != who[1]);
        }
    }

    /// Random batch scores: every competitor's total is the sum, and the board is their top 3 in order.
    function testFuzz_submitProof_boardRanksSums(uint8[12] memory scores) public {
        uint256 id = _createBatched(3);
        address[4] memory who = [makeAddr("p1"), makeAddr("p2"), makeAddr("p3"), makeAddr("p4")];
        for (uint256 i; i < 4; ++i) {
            _commit(id, who[i], i + 1);
        }
        _reveal(id);
        uint256[4] memory sums;
        for (uint256 k; k < 12; ++k) {
            uint256 i = k % 4;
            _proveBatch(id, who[i], k / 4, scores[k]);
            sums[i] += scores[k];
        }
        IArenaEscrow.LeaderboardEntry[] memory board = escrow.leaderboard(id);
        uint256 qualified;
        for (uint256 i; i < 4; ++i) {
            (, uint32 total) = escrow.scoreOf(id, who[i]);
            assertEq(total, sums[i]);
            if (sums[i] >= 10) ++qualified;
        }
        assertEq(board.length, qualified < 3 ? qualified : 3);
        for (uint256 r; r < board.length; ++r) {
            assertGe(board[r].correct, 10);
            if (r > 0) assertGe(board[r - 1].correct, board[r].correct);
            // Nobody left off the board beats the last row.
            for (uint256 i; i < 4; ++i) {
                (, uint32 total) = escrow.scoreOf(id, who[i]);
                bool listed;
                for (uint256 q; q < board.length; ++q) {
                    if (board[q].competitor == who[i]) listed = true;
                }
                if (!listed) assertLe(total, board[board.length - 1].correct);
            }
        }
    }

    /// Settlement uses the summed scores: the batched winner is paid its rank's share.
    function test_claimPrize_paysBySummedScore() public {
        uint256 id = _createBatched(2);
        _fundEth(id, sponsor1, 10 ether);
        _commit(id, alice, 1);
        _commit(id, bob, 2);
        _reveal(id);
        _proveBatch(id, alice, 0, 6);
        _proveBatch(id, bob, 0, 9);
        _proveBatch(id, alice, 1, 6); // alice 12, bob 9 (< minCorrect 10: unranked)
        vm.warp(PROVE_DL);
        vm.prank(alice);
        escrow.claimPrize(id);
        assertEq(alice.balance, 5 ether);
        vm.prank(bob);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__NothingToClaim.selector);
        escrow.claimPrize(id);
        vm.prank(sponsor1);
        escrow.claimRefund(id);
        assertEq(sponsor1.balance, 1000 ether - 10 ether + 5 ether);
    }

    // ---------------------------------------------------------------- TypeScript ↔ Solidity agreement

    /// Every root and proof in batch-roots.json (written by the TS SDK) equals the Solidity tree's, every
    /// proof passes OpenZeppelin's MerkleProof, and the escrow accepts each batch of a TS-rooted challenge.
    function test_batchRoots_typescriptAndSolidityAgree() public {
        string memory json = vm.readFile("test/fixtures/batch-roots.json");
        uint256 cases;
        for (; vm.keyExistsJson(json, string.concat(".cases[", vm.toString(cases), "]")); ++cases) {
            string memory at = string.concat(".cases[", vm.toString(cases), "]");
            uint256[] memory cs = vm.parseJsonUintArray(json, string.concat(at, ".commitments"));
            assertEq(vm.parseJsonUint(json, string.concat(at, ".batchCount")), cs.length);
            uint256 root = uint256(vm.parseJsonBytes32(json, string.concat(at, ".root")));
            assertEq(root, BatchTree.root(cs), "root");
            for (uint256 i; i < cs.length; ++i) {
                string memory pathAt = string.concat(at, ".proofs[", vm.toString(i), "]");
                bytes32[] memory tsPath = cs.length == 1 ? new bytes32[](0) : vm.parseJsonBytes32Array(json, pathAt);
                assertEq(keccak256(abi.encode(tsPath)), keccak256(abi.encode(BatchTree.proof(cs, i))), "proof");
                if (cs.length > 1) assertTrue(MerkleProof.verify(tsPath, bytes32(root), BatchTree.leaf(i, cs[i])));
            }
        }
        assertEq(cases, 11);
    }

    function test_batchRoots_escrowAcceptsEveryBatchOfTypescriptTree() public {
        string memory json = vm.readFile("test/fixtures/batch-roots.json");
        string memory at = ".cases[10]"; // B = 17: odd nodes carried up at two levels
        uint256[] memory cs = vm.parseJsonUintArray(json, string.concat(at, ".commitments"));
        assertEq(cs.length, 17);
        IArenaEscrow.ChallengeParams memory p = _params(address(0));
        p.testCommitment = uint256(vm.parseJsonBytes32(json, string.concat(at, ".root")));
        p.batchCount = 17;
        vm.prank(organiser);
        uint256 id = escrow.createChallenge(p);
        _commit(id, alice, 1);
        _reveal(id);
        verifier.setAcceptAll(true);
        for (uint256 i; i < cs.length; ++i) {
            bytes32[] memory path = vm.parseJsonBytes32Array(json, string.concat(at, ".proofs[", vm.toString(i), "]"));
            vm.prank(alice);
            escrow.submitProof(id, i, cs[i], path, pA, pB, pC, 1);
        }
        assertEq(escrow.competitorOf(id, alice).correct, 17);
        assertEq(escrow.competitorOf(id, alice).batchesScored, 17);
    }

    /// The board against a reference model, K = 10: 14 competitors (commit-time ties) send random batch
    /// scores (0 included, minCorrect 10) in a random order, so rows enter, move up, fall off and come
    /// back; after every proof the board equals the top 10 of all qualifying sums, sorted by (correct
    /// desc, commit time asc, address asc), and `ranked` says whether the competitor is on it. At the end
    /// every row's prize is its rank's share and nobody else has one.
    function testFuzz_submitProof_tenRankBoardMatchesReferenceModel(uint256 seed) public {
        IArenaEscrow.ChallengeParams memory p = _params(address(0));
        _split(4);
        p.testCommitment = BatchTree.root(commitments);
        p.batchCount = 4;
        p.payoutBps = new uint16[](10);
        for (uint256 r; r < 10; ++r) {
            // forge-lint: disable-next-line(unsafe-typecast)
            p.payoutBps[r] = uint16(1450 - 100 * r); // 1450, 1350, …, 550: every rank pays differently
        }
        vm.prank(organiser);
        uint256 id = escrow.createChallenge{value: BOND}(p);
        _fundEth(id, sponsor1, 10 ether);
        IArenaEscrow.LeaderboardEntry[14] memory all;
        for (uint256 i; i < 14; ++i) {
            // a permutation, so address order differs from commit order
            // forge-lint: disable-next-line(unsafe-typecast)
            all[i].competitor = address(uint160(0x3000 + ((i * 5) % 14)));
            vm.warp(T0 + (i % 3));
            _commit(id, all[i].competitor, i + 1);
            all[i].committedAt = uint64(T0 + (i % 3));
        }
        _reveal(id);
        uint256[14] memory done; // batches sent per competitor
        for (uint256 step; step < 40; ++step) {
            seed = uint256(keccak256(abi.encode(seed, step)));
            uint256 i = seed % 14;
            if (done[i] == 4) continue;
            // forge-lint: disable-next-line(unsafe-typecast)
            uint32 correct = uint32((seed >> 8) % 9); // 0..8: several batches to reach minCorrect 10
            verifier.accept(_batchSignals(id, all[i].competitor, done[i], correct));
            all[i].correct += correct;
            vm.recordLogs();
            _submitBatch(id, all[i].competitor, done[i], correct);
            ++done[i];
            bool listed = _checkBoard(id, all, all[i].competitor) != UNRANKED;
            Vm.Log[] memory logs = vm.getRecordedLogs();
            bytes memory data = logs[logs.length - 1].data; // ProofAccepted: `ranked` is its last word
            assertEq(data[data.length - 1] != 0, listed, "ProofAccepted.ranked");
        }
        vm.warp(PROVE_DL);
        IArenaEscrow.LeaderboardEntry[] memory board = escrow.leaderboard(id);
        for (uint256 i; i < 14; ++i) {
            uint256 rank = _checkBoard(id, all, all[i].competitor);
            uint256 share = rank == UNRANKED ? 0 : (10 ether * uint256(p.payoutBps[rank])) / 10_000;
            (uint256 prize, uint256 refund, uint256 bond) = escrow.claimableOf(id, all[i].competitor);
            assertEq(prize, share, "prize by rank");
            assertEq(refund + bond, 0, "competitors are not sponsors; the bond is the organiser's");
        }
        assertLe(board.length, 10);
    }

    uint256 internal constant UNRANKED = type(uint256).max;

    /// Asserts the board is the reference top 10 of `all`; returns the rank of `who`, or UNRANKED.
    function _checkBoard(
        uint256 id,
        IArenaEscrow.LeaderboardEntry[14] memory all,
        address who
    ) internal view returns (uint256 rank) {
        rank = UNRANKED;
        // Reference: qualifying entries, selection-sorted by the ranking rule.
        IArenaEscrow.LeaderboardEntry[14] memory ref;
        uint256 n;
        for (uint256 i; i < 14; ++i) {
            if (all[i].correct >= 10) ref[n++] = all[i];
        }
        for (uint256 a; a < n; ++a) {
            for (uint256 b = a + 1; b < n; ++b) {
                if (_ranksAbove(ref[b], ref[a])) (ref[a], ref[b]) = (ref[b], ref[a]);
            }
        }
        IArenaEscrow.LeaderboardEntry[] memory board = escrow.leaderboard(id);
        assertEq(board.length, n < 10 ? n : 10, "board size");
        for (uint256 r; r < board.length; ++r) {
            assertEq(board[r].competitor, ref[r].competitor, "row competitor");
            assertEq(board[r].correct, ref[r].correct, "row correct");
            assertEq(board[r].committedAt, ref[r].committedAt, "row commit time");
            if (board[r].competitor == who) rank = r;
        }
    }

    function _ranksAbove(
        IArenaEscrow.LeaderboardEntry memory a,
        IArenaEscrow.LeaderboardEntry memory b
    ) internal pure returns (bool) {
        if (a.correct != b.correct) return a.correct > b.correct;
        if (a.committedAt != b.committedAt) return a.committedAt < b.committedAt;
        return a.competitor < b.competitor;
    }
}
