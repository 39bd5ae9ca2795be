// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

import {ArenaEscrow} from "../../src/ArenaEscrow.sol";
import {IArenaEscrow} from "../../src/interfaces/IArenaEscrow.sol";
import {SignalCheckingVerifier} from "../mocks/SignalCheckingVerifier.sol";
import {FeeOnTransferERC20} from "../mocks/Tokens.sol";
import {BatchTree} from "../utils/BatchTree.sol";

/// @notice Drives four challenges (two in ETH, one in a 1%-fee token, one in ETH with a hidden split of
///         B = 3 batches under a Merkle root) through random sequences of fund / commit / reveal / prove
///         (per batch on the batched one) / claim / force-feed / time warps, recording in ghost variables
///         what went in and out per challenge so the invariant suite can compare.
/// @dev The verifier accepts every statement (`acceptAll`): proof checking is covered by unit tests;
///      here the point is the money. Claims go through try/catch, so failed calls are no-ops.
contract ArenaEscrowHandler is CommonBase, StdUtils {
    uint256 public constant N_CHALLENGES = 4;
    /// Index of the batched challenge and its number of batches.
    uint256 public constant BATCHED = 3;
    uint256 public constant N_BATCHES = 3;
    uint256 internal constant N_ACTORS = 6;

    ArenaEscrow public immutable escrow;
    FeeOnTransferERC20 public immutable feeToken;
    address public immutable organiser;

    uint256[N_CHALLENGES] public ids;
    address[] internal _actors;

    // Ghosts, per challenge index (0..2).
    mapping(uint256 c => uint256) public ghostDeposited; // Σ amounts received (balance deltas)
    mapping(uint256 c => uint256) public ghostPotPaid; // Σ prizes + refunds that left the escrow (balance deltas)
    mapping(uint256 c => uint256) public ghostBond;
    mapping(uint256 c => uint256) public ghostBondPaid;
    mapping(uint256 c => IArenaEscrow.Phase) public ghostPhase;
    mapping(uint256 c => mapping(address actor => mapping(uint8 kind => uint256))) public ghostClaims;
    uint256 public ghostDoubleClaims;
    uint256 public ghostBadTransitions;
    uint256 public ghostForcedEth;
    uint256 public ghostSuccessfulClaims;
    uint256 public ghostPrizeClaims;
    uint256 public ghostProofs;
    uint256 public ghostReveals;
    // Batched challenge: accepted proofs per (actor, batch), summed correct per actor.
    mapping(address actor => mapping(uint256 batch => uint256)) public ghostBatchAccepted;
    mapping(address actor => uint256) public ghostBatchTotal;
    uint256 public ghostDoubleBatches;
    uint256[] internal _batchCommitments;

    constructor(ArenaEscrow escrow_, SignalCheckingVerifier verifier, bytes32 circuitId, address organiser_) {
        escrow = escrow_;
        organiser = organiser_;
        feeToken = new FeeOnTransferERC20();
        verifier.setAcceptAll(true);
        for (uint256 i; i < N_ACTORS; ++i) {
            // forge-lint: disable-next-line(unsafe-typecast)
            _actors.push(address(uint160(0xA11CE000 + i)));
        }
        uint16[] memory bps = new uint16[](2);
        bps[0] = 7000;
        bps[1] = 3000;
        for (uint256 b; b < N_BATCHES; ++b) {
            _batchCommitments.push(100 + b);
        }
        for (uint256 c; c < N_CHALLENGES; ++c) {
            bool batched = c == BATCHED;
            IArenaEscrow.ChallengeParams memory p = IArenaEscrow.ChallengeParams({
                circuitId: circuitId,
                testCommitment: batched ? BatchTree.root(_batchCommitments) : 42 + c,
                // forge-lint: disable-next-line(unsafe-typecast)
                batchCount: batched ? uint16(N_BATCHES) : 1,
                commitDeadline: uint64(block.timestamp + 1 days),
                revealDeadline: uint64(block.timestamp + 2 days),
                proveDeadline: uint64(block.timestamp + 3 days),
                token: c == 2 ? address(feeToken) : address(0),
                minCorrect: 10,
                payoutBps: bps,
                metadataHash: bytes32(c)
            });
            uint256 bond = (c + 1) * 1 ether + 1; // odd: exercises the bond remainder rule
            vm.deal(organiser, bond);
            vm.prank(organiser);
            ids[c] = escrow.createChallenge{value: bond}(p);
            ghostBond[c] = bond;
        }
    }

    function actors() external view returns (address[] memory) {
        return _actors;
    }

    // ------------------------------------------------------------------ actions

    function fund(uint256 actorSeed, uint256 cSeed, uint256 amount) external {
        (uint256 c, uint256 id) = _challenge(cSeed);
        address a = _actor(actorSeed);
        amount = bound(amount, 1, 1e24);
        uint256 before = escrow.getChallenge(id).totalDeposits;
        if (c == 2) {
            feeToken.mint(a, amount);
            vm.prank(a);
            feeToken.approve(address(escrow), amount);
            vm.prank(a);
            try escrow.fund(id, amount) {} catch {}
        } else {
            vm.deal(a, a.balance + amount);
            vm.prank(a);
            try escrow.fund{value: amount}(id, amount) {} catch {}
        }
        ghostDeposited[c] += escrow.getChallenge(id).totalDeposits - before;
        _afterCall();
    }

    function commit(uint256 actorSeed, uint256 cSeed, uint256 commitment) external {
        (, uint256 id) = _challenge(cSeed);
        vm.prank(_actor(actorSeed));
        try escrow.commit(id, bound(commitment, 0, 1e70)) {} catch {}
        _afterCall();
    }

    /// Reveals every challenge whose window is open (one call covers all three).
    function reveal() external {
        for (uint256 c; c < N_CHALLENGES; ++c) {
            vm.prank(organiser);
            try escrow.reveal(ids[c], "uri") {
                ++ghostReveals;
            } catch {}
        }
        _afterCall();
    }

    /// Every actor tries to prove on one challenge, with scores derived from `correct` (ties happen).
    function submitProof(uint256 cSeed, uint32 correct) external {
        (, uint256 id) = _challenge(cSeed);
        uint256[2] memory a;
        uint256[2][2] memory b;
        for (uint256 i; i < N_ACTORS; ++i) {
            vm.prank(_actors[i]);
            try escrow.submitProof(id, a, b, a, uint32(bound(uint256(correct) >> (i * 4), 5, 20))) {
                ++ghostProofs;
            } catch {}
        }
        _afterCall();
    }

    /// Every actor tries to prove batch `batchSeed` of the batched challenge (repeats must fail).
    function submitBatchProof(uint256 batchSeed, uint32 correct) external {
        uint256 id = ids[BATCHED];
        uint256 b = bound(batchSeed, 0, N_BATCHES - 1);
        bytes32[] memory path = BatchTree.proof(_batchCommitments, b);
        uint256[2] memory a;
        uint256[2][2] memory bb;
        for (uint256 i; i < N_ACTORS; ++i) {
            address actor = _actors[i];
            uint32 score = uint32(bound(uint256(correct) >> (i * 4), 0, 12));
            vm.prank(actor);
            try escrow.submitProof(id, b, _batchCommitments[b], path, a, bb, a, score) {
                ++ghostProofs;
                ghostBatchTotal[actor] += score;
                if (++ghostBatchAccepted[actor][b] > 1) ++ghostDoubleBatches;
            } catch {}
        }
        _afterCall();
    }

    /// Tries every challenge, usually for a leaderboard entry (else random sequences would almost never
    /// line up a fund, commit, reveal, proof, settlement and claim for the same account).
    function claimPrize(uint256 actorSeed) external {
        for (uint256 c; c < N_CHALLENGES; ++c) {
            uint256 id = ids[c];
            address a = _actor(actorSeed);
            IArenaEscrow.LeaderboardEntry[] memory board = escrow.leaderboard(id);
            if (board.length != 0 && actorSeed % 4 != 0) a = board[(actorSeed >> 8) % board.length].competitor;
            uint256 before = _balance(c, address(escrow));
            vm.prank(a);
            try escrow.claimPrize(id) {
                ghostPotPaid[c] += before - _balance(c, address(escrow));
                _recordClaim(c, a, 0);
                ++ghostPrizeClaims;
            } catch {}
        }
        _afterCall();
    }

    function claimRefund(uint256 actorSeed, uint256 cSeed) external {
        (uint256 c, uint256 id) = _challenge(cSeed);
        address a = _actor(actorSeed);
        uint256 before = _balance(c, address(escrow));
        vm.prank(a);
        try escrow.claimRefund(id) {
            ghostPotPaid[c] += before - _balance(c, address(escrow));
            _recordClaim(c, a, 1);
        } catch {}
        _afterCall();
    }

    function claimBond(uint256 actorSeed, uint256 cSeed) external {
        (uint256 c, uint256 id) = _challenge(cSeed);
        // One in N_ACTORS + 1 calls comes from the organiser.
        uint256 pick = bound(actorSeed, 0, N_ACTORS);
        address a = pick == N_ACTORS ? organiser : _actors[pick];
        uint256 before = address(escrow).balance;
        vm.prank(a);
        try escrow.claimBond(id) {
            ghostBondPaid[c] += before - address(escrow).balance;
            _recordClaim(c, a, 2);
        } catch {}
        _afterCall();
    }

    /// E12: ETH and tokens arriving outside fund() must not disturb anything.
    function forceFeed(uint256 amount) external {
        amount = bound(amount, 1, 1e20);
        vm.deal(address(escrow), address(escrow).balance + amount);
        feeToken.mint(address(escrow), amount);
        ghostForcedEth += amount;
        _afterCall();
    }

    /// Moves time forward, often exactly onto a deadline or one second before it (E8 boundaries).
    function warp(uint256 mode, uint256 secondsForward) external {
        IArenaEscrow.Challenge memory ch = escrow.getChallenge(ids[0]); // all share the deadlines
        uint256 next = ch.commitDeadline;
        if (block.timestamp >= next) next = ch.revealDeadline;
        if (block.timestamp >= next) next = ch.proveDeadline;
        mode = bound(mode, 0, 3);
        if (mode == 0) vm.warp(block.timestamp + bound(secondsForward, 0, 1 hours));
        else if (mode == 1 && next > block.timestamp + 1) vm.warp(next - 1);
        else if (mode == 2 && next > block.timestamp) vm.warp(next);
        else vm.warp(block.timestamp + 1 days);
        _afterCall();
    }

    // ------------------------------------------------------------------ helpers

    function _challenge(uint256 seed) internal view returns (uint256 c, uint256 id) {
        c = bound(seed, 0, N_CHALLENGES - 1);
        id = ids[c];
    }

    function _actor(uint256 seed) internal view returns (address) {
        return _actors[bound(seed, 0, N_ACTORS - 1)];
    }

    function batchCommitments() external view returns (uint256[] memory) {
        return _batchCommitments;
    }

    function _balance(uint256 c, address a) internal view returns (uint256) {
        return c == 2 ? feeToken.balanceOf(a) : a.balance;
    }

    function _recordClaim(uint256 c, address a, uint8 kind) internal {
        ++ghostSuccessfulClaims;
        if (++ghostClaims[c][a][kind] > 1) ++ghostDoubleClaims;
    }

    /// Phases only move forward: Open → AwaitingReveal → (Proving → Settled | RevealMissed); a reveal
    /// can also jump AwaitingReveal → Proving/Settled within one warp.
    function _afterCall() internal {
        for (uint256 c; c < N_CHALLENGES; ++c) {
            IArenaEscrow.Phase next = escrow.phaseOf(ids[c]);
            IArenaEscrow.Phase prev = ghostPhase[c];
            if (next != prev && !_allowed(prev, next)) ++ghostBadTransitions;
            ghostPhase[c] = next;
        }
    }

    function _allowed(IArenaEscrow.Phase prev, IArenaEscrow.Phase next) internal pure returns (bool) {
        if (prev == IArenaEscrow.Phase.Open) return true; // any later phase
        if (prev == IArenaEscrow.Phase.AwaitingReveal) return next != IArenaEscrow.Phase.Open;
        if (prev == IArenaEscrow.Phase.Proving) return next == IArenaEscrow.Phase.Settled;
        return false; // Settled and RevealMissed are terminal
    }
}
