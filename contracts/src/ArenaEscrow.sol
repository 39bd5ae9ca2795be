// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {VerifierRegistry} from "./VerifierRegistry.sol";
import {IArenaEscrow} from "./interfaces/IArenaEscrow.sol";
import {IVerifierRegistry} from "./interfaces/IVerifierRegistry.sol";

/// @notice The snarkjs Groth16 verifier ABI for the accuracy circuit (5 public signals).
interface IGroth16Verifier5 {
    function verifyProof(
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC,
        uint256[5] calldata pubSignals
    ) external view returns (bool);
}

/// @title ArenaEscrow
/// @notice Challenge escrow: funding, commits, reveal, proof-verified top-K leaderboard, pull payouts.
///         See {IArenaEscrow} for the time windows and the settlement / dust / bond rules.
/// @dev Accounting is internal (never `balanceOf(this)`), so force-fed ETH and direct token transfers
///      only add surplus (threat E12). Every claim sets its flag before transferring, is nonReentrant,
///      pays one account, and costs O(1) (plus O(K) with K <= 10 to find a rank), so nothing loops
///      over a user-growable list (E1, E3, E4, E11).
contract ArenaEscrow is IArenaEscrow, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice BN254 scalar field order r: every public signal must be below it (E13, Z7).
    uint256 public constant SNARK_SCALAR_FIELD =
        21_888_242_871_839_275_222_246_405_745_257_275_088_548_364_400_416_034_343_698_204_186_575_808_495_617;
    /// @notice Number of public signals of the accuracy circuit.
    uint8 public constant N_PUBLIC = 5;
    /// @notice Maximum number of paid ranks.
    uint256 public constant MAX_WINNERS = 10;
    /// @notice Basis-point total of the payout shares.
    uint256 public constant BPS = 10_000;
    /// @notice Maximum number of batches of a hidden split (a Merkle proof has at most 12 siblings).
    uint256 public constant MAX_BATCHES = 4096;
    /// @dev Batches tracked in the competitor's slot (the 120 bits left free there).
    uint256 private constant LOW_BATCHES = 120;
    /// @dev Position of K in a board's order word (below it: 4 bits per rank, 10 ranks).
    uint256 private constant K_SHIFT = 40;

    /// @notice Registry the verifiers are taken from (at creation only).
    VerifierRegistry public immutable registry;

    uint256 private _challengeCount;
    mapping(uint256 id => Challenge) private _challenges;
    mapping(uint256 id => mapping(address competitor => Competitor)) private _competitors;
    mapping(uint256 id => mapping(address sponsor => uint256 amount)) private _deposits;
    mapping(uint256 id => mapping(address sponsor => bool)) private _refundClaimed;
    /// @dev Rows of each top-K leaderboard, one word each, in no particular order: row slots
    ///      0..boardSize-1 are filled (the size lives in the challenge's slot). A row is stored as its sort
    ///      key (see {_rowKey}): a greater key ranks higher, so comparing two rows is one `>`.
    mapping(uint256 id => mapping(uint256 slot => uint256 key)) private _board;
    /// @dev Per challenge: the ranking of the row slots, 4 bits per rank (bits 4r..4r+3 = the slot of
    ///      rank r, ranks 0..boardSize-1), and K at bits 40..47 (so a proof never reads `payoutBps`'s
    ///      length). Rows never move: a proof rewrites one row and this word, whatever the rank.
    mapping(uint256 id => uint256 order) private _boardOrder;
    /// @dev Accepted batches >= 120 of batched challenges, 256 per word (word = index / 256); batches
    ///      below 120 live in the competitor's own slot (`lowBatchBits`), which the proof writes anyway.
    mapping(uint256 id => mapping(address competitor => mapping(uint256 word => uint256 bits))) private _batchBits;

    /// @param registry_ The verifier registry.
    constructor(VerifierRegistry registry_) {
        registry = registry_;
    }

    // ------------------------------------------------------------------ create / fund / commit

    /// @inheritdoc IArenaEscrow
    function createChallenge(ChallengeParams calldata params) external payable nonReentrant returns (uint256 id) {
        if (!registry.isActive(params.circuitId)) revert ArenaEscrow__InactiveCircuit(params.circuitId);
        IVerifierRegistry.Verifier memory entry = registry.get(params.circuitId);
        if (entry.nPublic != N_PUBLIC) revert ArenaEscrow__InactiveCircuit(params.circuitId);
        if (params.batchCount == 0 || params.batchCount > MAX_BATCHES) {
            revert ArenaEscrow__InvalidBatchCount(params.batchCount);
        }
        // Only an unbatched test commitment is a public signal; a root's leaves are checked when used.
        if (params.batchCount == 1 && params.testCommitment >= SNARK_SCALAR_FIELD) {
            revert ArenaEscrow__NotInField(params.testCommitment);
        }
        bool ordered = params.commitDeadline > block.timestamp && params.revealDeadline > params.commitDeadline;
        if (!ordered || params.proveDeadline <= params.revealDeadline) revert ArenaEscrow__InvalidDeadlines();
        _checkPayout(params.payoutBps);
        if (params.minCorrect == 0) revert ArenaEscrow__InvalidMinCorrect();
        if (params.token != address(0) && params.token.code.length == 0) {
            revert ArenaEscrow__InvalidToken(params.token);
        }

        id = ++_challengeCount;
        Challenge storage c = _challenges[id];
        c.organiser = msg.sender;
        c.commitDeadline = params.commitDeadline;
        c.minCorrect = params.minCorrect;
        c.token = params.token;
        c.revealDeadline = params.revealDeadline;
        c.verifier = entry.verifier;
        c.proveDeadline = params.proveDeadline;
        c.testCommitment = params.testCommitment;
        c.batchCount = params.batchCount;
        c.bond = msg.value;
        c.circuitId = params.circuitId;
        c.metadataHash = params.metadataHash;
        c.payoutBps = params.payoutBps;
        // The organiser pays for the leaderboard's storage: each of the K rows gets a non-zero
        // placeholder (never read: only rows below boardSize count), and the order word holds K, so the
        // proof that first fills a row pays a 2,900-gas rewrite instead of a 22,100-gas fresh slot.
        mapping(uint256 => uint256) storage board = _board[id];
        uint256 k = params.payoutBps.length;
        for (uint256 r; r < k; ++r) {
            board[r] = 1;
        }
        _boardOrder[id] = k << K_SHIFT;
        emit ChallengeCreated(id, msg.sender, params.circuitId, entry.verifier, msg.value, params);
    }

    /// @inheritdoc IArenaEscrow
    function fund(uint256 id, uint256 amount) external payable nonReentrant {
        Challenge storage c = _get(id);
        if (block.timestamp >= c.commitDeadline) revert ArenaEscrow__WrongPhase(id, _phase(c));
        if (amount == 0) revert ArenaEscrow__ZeroAmount();

        uint256 received;
        if (c.token == address(0)) {
            if (msg.value != amount) revert ArenaEscrow__WrongValue();
            received = amount;
        } else {
            if (msg.value != 0) revert ArenaEscrow__WrongValue();
            IERC20 token = IERC20(c.token);
            uint256 before = token.balanceOf(address(this));
            token.safeTransferFrom(msg.sender, address(this), amount);
            received = token.balanceOf(address(this)) - before; // fee-on-transfer: credit what arrived (E5)
            if (received == 0) revert ArenaEscrow__ZeroAmount();
        }

        if (_deposits[id][msg.sender] == 0) ++c.sponsorCount;
        _deposits[id][msg.sender] += received;
        c.totalDeposits += received;
        emit ChallengeFunded(id, msg.sender, received);
    }

    /// @inheritdoc IArenaEscrow
    function commit(uint256 id, uint256 modelCommitment) external {
        Challenge storage c = _get(id);
        if (block.timestamp >= c.commitDeadline) revert ArenaEscrow__WrongPhase(id, _phase(c));
        if (msg.sender == c.organiser) revert ArenaEscrow__OrganiserCannotCommit();
        if (modelCommitment >= SNARK_SCALAR_FIELD) revert ArenaEscrow__NotInField(modelCommitment);

        Competitor storage p = _competitors[id][msg.sender];
        bool isRecommit = p.committedAt != 0;
        if (!isRecommit) ++c.committerCount;
        p.commitment = modelCommitment;
        p.committedAt = uint64(block.timestamp);
        emit ModelCommitted(id, msg.sender, modelCommitment, uint64(block.timestamp), isRecommit);
    }

    // ------------------------------------------------------------------ reveal / prove

    /// @inheritdoc IArenaEscrow
    function reveal(uint256 id, string calldata uri) external {
        Challenge storage c = _get(id);
        if (msg.sender != c.organiser) revert ArenaEscrow__NotOrganiser();
        if (block.timestamp < c.commitDeadline || block.timestamp >= c.revealDeadline || c.revealedAt != 0) {
            revert ArenaEscrow__WrongPhase(id, _phase(c));
        }
        c.revealedAt = uint64(block.timestamp);
        emit TestSetRevealed(id, uri);
    }

    /// @inheritdoc IArenaEscrow
    function submitProof(
        uint256 id,
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC,
        uint32 correct
    ) external nonReentrant {
        Challenge storage c = _get(id);
        if (c.batchCount != 1) revert ArenaEscrow__InvalidBatchProof(0);
        _submit(id, c, 0, c.testCommitment, pA, pB, pC, correct);
    }

    /// @inheritdoc IArenaEscrow
    function submitProof(
        uint256 id,
        uint256 batchIndex,
        uint256 batchCommitment,
        bytes32[] calldata merkleProof,
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC,
        uint32 correct
    ) external nonReentrant {
        Challenge storage c = _get(id);
        uint256 batchCount = c.batchCount;
        if (batchIndex >= batchCount) revert ArenaEscrow__BatchOutOfRange(batchIndex, batchCount);
        if (batchCount == 1) {
            if (batchCommitment != c.testCommitment || merkleProof.length != 0) {
                revert ArenaEscrow__InvalidBatchProof(batchIndex);
            }
        } else {
            // The batch commitment becomes a public signal (E13 / Z7); the leaf binds it to its index.
            if (batchCommitment >= SNARK_SCALAR_FIELD) revert ArenaEscrow__NotInField(batchCommitment);
            bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(batchIndex, batchCommitment))));
            if (!MerkleProof.verifyCalldata(merkleProof, bytes32(c.testCommitment), leaf)) {
                revert ArenaEscrow__InvalidBatchProof(batchIndex);
            }
        }
        _submit(id, c, batchIndex, batchCommitment, pA, pB, pC, correct);
    }

    // ------------------------------------------------------------------ claims

    /// @inheritdoc IArenaEscrow
    function claimPrize(uint256 id) external nonReentrant {
        Challenge storage c = _get(id);
        if (c.revealedAt == 0 || block.timestamp < c.proveDeadline) revert ArenaEscrow__WrongPhase(id, _phase(c));
        Competitor storage p = _competitors[id][msg.sender];
        if (p.prizeClaimed) revert ArenaEscrow__AlreadyClaimed();
        (bool found, uint256 rank) = _rankOf(id, c, msg.sender, p);
        if (!found) revert ArenaEscrow__NothingToClaim();
        uint256 amount = (c.totalDeposits * c.payoutBps[rank]) / BPS;
        if (amount == 0) revert ArenaEscrow__NothingToClaim();

        p.prizeClaimed = true;
        emit PrizeClaimed(id, msg.sender, rank, amount);
        _pay(c.token, msg.sender, amount);
    }

    /// @inheritdoc IArenaEscrow
    function claimRefund(uint256 id) external nonReentrant {
        Challenge storage c = _get(id);
        Phase phase = _phase(c);
        if (phase != Phase.Settled && phase != Phase.RevealMissed) revert ArenaEscrow__WrongPhase(id, phase);
        if (_deposits[id][msg.sender] == 0) revert ArenaEscrow__NothingToClaim();
        if (_refundClaimed[id][msg.sender]) revert ArenaEscrow__AlreadyClaimed();
        uint256 amount = _refundAmount(id, c, phase, msg.sender);

        // A zero pro-rata refund is still recorded, so the "last sponsor gets the remainder" count works.
        _refundClaimed[id][msg.sender] = true;
        ++c.refundsClaimed;
        c.refundedAmount += amount;
        emit RefundClaimed(id, msg.sender, amount);
        if (amount != 0) _pay(c.token, msg.sender, amount);
    }

    /// @inheritdoc IArenaEscrow
    function claimBond(uint256 id) external nonReentrant {
        Challenge storage c = _get(id);
        Phase phase = _phase(c);
        uint256 amount;
        if (msg.sender == c.organiser) {
            bool mayReturn = c.revealedAt != 0 || (phase == Phase.RevealMissed && c.committerCount == 0);
            if (!mayReturn) revert ArenaEscrow__WrongPhase(id, phase);
            if (c.bondReturned) revert ArenaEscrow__AlreadyClaimed();
            amount = c.bond;
            if (amount == 0) revert ArenaEscrow__NothingToClaim();
            c.bondReturned = true;
        } else {
            if (phase != Phase.RevealMissed) revert ArenaEscrow__WrongPhase(id, phase);
            Competitor storage p = _competitors[id][msg.sender];
            if (p.committedAt == 0) revert ArenaEscrow__NothingToClaim();
            if (p.bondClaimed) revert ArenaEscrow__AlreadyClaimed();
            amount = _bondShare(c);
            if (amount == 0) revert ArenaEscrow__NothingToClaim();
            p.bondClaimed = true;
            ++c.bondsClaimed;
            c.bondPaid += amount;
        }
        emit BondClaimed(id, msg.sender, amount);
        _pay(address(0), msg.sender, amount);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IArenaEscrow
    function challengeCount() external view returns (uint256) {
        return _challengeCount;
    }

    /// @inheritdoc IArenaEscrow
    function getChallenge(uint256 id) external view returns (Challenge memory) {
        return _get(id);
    }

    /// @inheritdoc IArenaEscrow
    function phaseOf(uint256 id) external view returns (Phase) {
        return _phase(_get(id));
    }

    /// @inheritdoc IArenaEscrow
    function depositOf(uint256 id, address sponsor) external view returns (uint256) {
        return _deposits[id][sponsor];
    }

    /// @inheritdoc IArenaEscrow
    function refundClaimed(uint256 id, address sponsor) external view returns (bool) {
        return _refundClaimed[id][sponsor];
    }

    /// @inheritdoc IArenaEscrow
    function competitorOf(uint256 id, address competitor) external view returns (Competitor memory) {
        return _competitors[id][competitor];
    }

    /// @inheritdoc IArenaEscrow
    function commitmentOf(uint256 id, address competitor) external view returns (uint256 commitment, uint64 at) {
        Competitor storage p = _competitors[id][competitor];
        return (p.commitment, p.committedAt);
    }

    /// @inheritdoc IArenaEscrow
    function scoreOf(uint256 id, address competitor) external view returns (bool scored, uint32 correct) {
        Competitor storage p = _competitors[id][competitor];
        return (p.scored, p.correct);
    }

    /// @inheritdoc IArenaEscrow
    function leaderboard(uint256 id) external view returns (LeaderboardEntry[] memory rows) {
        uint256 n = _challenges[id].boardSize;
        uint256 order = _boardOrder[id];
        mapping(uint256 => uint256) storage board = _board[id];
        rows = new LeaderboardEntry[](n);
        for (uint256 r; r < n; ++r) {
            uint256 key = board[_slotAt(order, r)];
            rows[r].competitor = address(~uint160(key));
            rows[r].correct = uint32(key >> 224);
            rows[r].committedAt = ~uint64(key >> 160);
        }
    }

    /// @inheritdoc IArenaEscrow
    function batchScored(uint256 id, address competitor, uint256 batchIndex) external view returns (bool) {
        Challenge storage c = _get(id);
        if (batchIndex >= c.batchCount) return false;
        if (c.batchCount == 1) return _competitors[id][competitor].scored;
        // forge-lint: disable-next-line(incorrect-shift)
        if (batchIndex < LOW_BATCHES) {
            return _competitors[id][competitor].lowBatchBits & (uint120(1) << batchIndex) != 0;
        }
        // forge-lint: disable-next-line(incorrect-shift)
        return _batchBits[id][competitor][batchIndex >> 8] & (1 << (batchIndex & 255)) != 0;
    }

    /// @inheritdoc IArenaEscrow
    function claimableOf(
        uint256 id,
        address account
    ) external view returns (uint256 prize, uint256 refund, uint256 bond) {
        Challenge storage c = _get(id);
        Phase phase = _phase(c);
        Competitor storage p = _competitors[id][account];
        if (phase == Phase.Settled && !p.prizeClaimed) {
            (bool found, uint256 rank) = _rankOf(id, c, account, p);
            if (found) prize = (c.totalDeposits * c.payoutBps[rank]) / BPS;
        }
        bool settling = phase == Phase.Settled || phase == Phase.RevealMissed;
        if (settling && _deposits[id][account] != 0 && !_refundClaimed[id][account]) {
            refund = _refundAmount(id, c, phase, account);
        }
        if (account == c.organiser) {
            if (!c.bondReturned && (c.revealedAt != 0 || (phase == Phase.RevealMissed && c.committerCount == 0))) {
                bond = c.bond;
            }
        } else if (phase == Phase.RevealMissed && p.committedAt != 0 && !p.bondClaimed) {
            bond = _bondShare(c);
        }
    }

    // ------------------------------------------------------------------ internals

    /// @dev Checks the phase, the sender and the replay key, verifies the proof against signals built
    ///      from storage, then adds the score and updates the leaderboard (O(K)).
    function _submit(
        uint256 id,
        Challenge storage c,
        uint256 batchIndex,
        uint256 batchCommitment,
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC,
        uint32 correct
    ) private {
        if (c.revealedAt == 0 || block.timestamp >= c.proveDeadline) {
            revert ArenaEscrow__WrongPhase(id, _phase(c));
        }
        Competitor storage p = _competitors[id][msg.sender];
        if (p.committedAt == 0) revert ArenaEscrow__NotCommitted();
        // Replay protection keys on (id, competitor, batch), never on the (malleable) proof bytes (Z6).
        bool batched = c.batchCount != 1;
        if (batched) {
            if (batchIndex < LOW_BATCHES) {
                // forge-lint: disable-next-line(incorrect-shift)
                uint120 bit = uint120(1) << batchIndex;
                if (p.lowBatchBits & bit != 0) revert ArenaEscrow__AlreadyScored();
                p.lowBatchBits |= bit;
            } else {
                mapping(uint256 => uint256) storage bits = _batchBits[id][msg.sender];
                // forge-lint: disable-next-line(incorrect-shift)
                uint256 mask = 1 << (batchIndex & 255); // bit (batchIndex mod 256) of word batchIndex / 256
                uint256 word = bits[batchIndex >> 8];
                if (word & mask != 0) revert ArenaEscrow__AlreadyScored();
                bits[batchIndex >> 8] = word | mask;
            }
        } else {
            if (p.scored) revert ArenaEscrow__AlreadyScored();
            if (correct < c.minCorrect) revert ArenaEscrow__BelowMinCorrect(correct, c.minCorrect);
        }

        // Every signal comes from storage, the checked batch commitment or msg.sender, so a proof cannot
        // be re-pointed at another commitment, split, batch, challenge or submitter (Z8). All are < r:
        // commitments were checked on entry, `correct` < 2^32, the id is a counter, an address < 2^160.
        uint256[5] memory signals;
        signals[0] = p.commitment;
        signals[1] = batchCommitment;
        signals[2] = correct;
        signals[3] = id;
        signals[4] = uint256(uint160(msg.sender));
        if (!_verify(c.verifier, pA, pB, pC, signals)) revert ArenaEscrow__InvalidProof();

        (uint32 total, uint64 committedAt, bool ranked) = _score(id, c, p, correct);
        emit ProofAccepted(id, msg.sender, batchIndex, batchCommitment, correct, total, committedAt, ranked);
    }

    /// @dev Adds an accepted batch's `correct` to the sender's score and updates the leaderboard.
    function _score(
        uint256 id,
        Challenge storage c,
        Competitor storage p,
        uint32 correct
    ) private returns (uint32 total, uint64 committedAt, bool ranked) {
        uint32 before = p.correct;
        total = before + correct;
        committedAt = p.committedAt;
        p.scored = true;
        p.correct = total;
        uint16 batches = p.batchesScored + 1;
        p.batchesScored = batches;
        // A first (or only) batch cannot be on the board yet; a later batch of a competitor whose previous
        // sum qualified may already have a row, which then moves up (scores only grow).
        uint32 minCorrect = c.minCorrect;
        if (total < minCorrect) return (total, committedAt, false);
        uint256 oldKey = batches > 1 && before >= minCorrect ? _rowKey(msg.sender, before, committedAt) : 0;
        ranked = _place(id, c, _rowKey(msg.sender, total, committedAt), oldKey);
    }

    function _get(uint256 id) private view returns (Challenge storage c) {
        c = _challenges[id];
        if (c.organiser == address(0)) revert ArenaEscrow__UnknownChallenge(id);
    }

    function _phase(Challenge storage c) private view returns (Phase) {
        if (c.revealedAt != 0) return block.timestamp < c.proveDeadline ? Phase.Proving : Phase.Settled;
        if (block.timestamp < c.commitDeadline) return Phase.Open;
        if (block.timestamp < c.revealDeadline) return Phase.AwaitingReveal;
        return Phase.RevealMissed;
    }

    function _checkPayout(uint16[] calldata bps) private pure {
        uint256 k = bps.length;
        if (k == 0 || k > MAX_WINNERS) revert ArenaEscrow__InvalidPayout();
        uint256 sum;
        uint256 prev = type(uint256).max;
        for (uint256 i; i < k; ++i) {
            uint256 share = bps[i];
            if (share == 0 || share > prev) revert ArenaEscrow__InvalidPayout();
            sum += share;
            prev = share;
        }
        if (sum != BPS) revert ArenaEscrow__InvalidPayout();
    }

    /// @dev Refund of `sponsor` in `phase` (Settled or RevealMissed), before marking the claim.
    function _refundAmount(
        uint256 id,
        Challenge storage c,
        Phase phase,
        address sponsor
    ) private view returns (uint256) {
        uint256 deposit = _deposits[id][sponsor];
        if (phase == Phase.RevealMissed) return deposit;
        uint256 pot = c.totalDeposits;
        uint256 refundable = pot;
        uint256 filled = c.boardSize;
        uint16[] storage bps = c.payoutBps;
        for (uint256 r; r < filled; ++r) {
            refundable -= (pot * bps[r]) / BPS;
        }
        // The last sponsor takes the remainder, so Σ prizes + Σ refunds == pot exactly.
        if (c.refundsClaimed + 1 == c.sponsorCount) return refundable - c.refundedAmount;
        return Math.mulDiv(refundable, deposit, pot);
    }

    /// @dev Equal share of the bond for a committer after a missed reveal; the last one takes the remainder.
    function _bondShare(Challenge storage c) private view returns (uint256) {
        if (c.bondsClaimed + 1 == c.committerCount) return c.bond - c.bondPaid;
        return c.bond / c.committerCount;
    }

    /// @dev Rank of `account` on the board of challenge `id` (O(log K) row reads). A competitor's row, if
    ///      any, holds their current score and commit time (every accepted proof updates it, and commit
    ///      times are frozen once proving starts), so its key is known and found by an exact match.
    function _rankOf(
        uint256 id,
        Challenge storage c,
        address account,
        Competitor storage p
    ) private view returns (bool found, uint256 rank) {
        if (!p.scored) return (false, 0);
        return _find(_board[id], _boardOrder[id], c.boardSize, _rowKey(account, p.correct, p.committedAt));
    }

    /// @dev The ranked position of row `key` among ranks [0, n), if it is on the board.
    function _find(
        mapping(uint256 => uint256) storage board,
        uint256 order,
        uint256 n,
        uint256 key
    ) private view returns (bool found, uint256 rank) {
        rank = _countBetter(board, order, n, key);
        found = rank < n && board[_slotAt(order, rank)] == key;
    }

    /// @dev Sort key of a row, the stored form of {LeaderboardEntry}: correct in bits 224..255, the
    ///      complement of the commit time in bits 160..223 and the complement of the address in bits
    ///      0..159, so a greater key ranks higher (correct desc, then commit time asc, then address asc)
    ///      and two competitors' keys never tie. Never 0 for a real row (an address is never all ones).
    function _rowKey(address competitor, uint32 correct, uint64 committedAt) private pure returns (uint256) {
        return (uint256(correct) << 224) | (uint256(~committedAt) << 160) | uint256(~uint160(competitor));
    }

    /// @dev Slot of the row at rank `r` in a board's order word.
    function _slotAt(uint256 order, uint256 r) private pure returns (uint256) {
        return (order >> (r << 2)) & 0xf;
    }

    /// @dev Number of rows among ranks [0, hi) that rank above `key`: a binary search over the ranking,
    ///      at most 4 row reads for 10 rows.
    function _countBetter(
        mapping(uint256 => uint256) storage board,
        uint256 order,
        uint256 hi,
        uint256 key
    ) private view returns (uint256 lo) {
        while (lo < hi) {
            uint256 mid = (lo + hi) >> 1;
            if (board[_slotAt(order, mid)] > key) lo = mid + 1;
            else hi = mid;
        }
    }

    /// @dev Puts row `key` onto the board of challenge `id` (at most K = payoutBps.length rows ranked
    ///      by key, i.e. correct desc, committedAt asc, address asc). `oldKey` (0 if none) is the
    ///      competitor's previous row, if they may have one (a later batch): when found, that row is
    ///      rewritten in place and moves up in the ranking (scores only grow). Otherwise a new row takes
    ///      the next free slot, or on a full board the slot of the last-ranked row, which falls off.
    ///      Reads at most 8 rows (two binary searches, the second below the new rank), writes one row and
    ///      the order word: O(log K) storage and O(1) bit shuffling, K <= 10. Returns whether the competitor is on the board.
    function _place(uint256 id, Challenge storage c, uint256 key, uint256 oldKey) private returns (bool) {
        mapping(uint256 => uint256) storage board = _board[id];
        uint256 order = _boardOrder[id];
        uint256 k = order >> K_SHIFT;
        uint256 n = c.boardSize;
        // The competitor's own row (key <= new key) never counts, so this is also their rank among the others.
        uint256 pos = _countBetter(board, order, n, key);
        if (pos >= k) return false; // only possible on a full board, below its last row
        // `from`: the rank of the competitor's current row (at or below `pos`), or n if they have none.
        uint256 from = n;
        if (oldKey != 0) {
            uint256 rank = pos + _countBetter(board, order >> (pos << 2), n - pos, oldKey);
            if (rank < n && board[_slotAt(order, rank)] == oldKey) from = rank;
        }
        uint256 slot;
        if (from < n) {
            slot = _slotAt(order, from);
        } else if (n < k) {
            slot = n;
            // forge-lint: disable-next-line(unsafe-typecast)
            c.boardSize = uint8(n + 1); // n < k <= MAX_WINNERS = 10
        } else {
            from = k - 1;
            slot = _slotAt(order, from);
        }
        _boardOrder[id] = _move(order, from, pos, slot);
        board[slot] = key;
        return true;
    }

    /// @dev The order word with `slot` put at rank `pos` and what was at rank `from` (>= pos) removed:
    ///      ranks pos..from-1 move down by one, the others (and K) stay.
    function _move(uint256 order, uint256 from, uint256 pos, uint256 slot) private pure returns (uint256) {
        uint256 lowMask = (1 << (pos << 2)) - 1; // ranks 0..pos-1
        uint256 midMask = ((1 << (from << 2)) - 1) & ~lowMask; // ranks pos..from-1
        uint256 kept = order & ~(midMask | (uint256(0xf) << (from << 2)));
        return kept | ((order & midMask) << 4) | (slot << (pos << 2));
    }

    /// @dev Calls the verifier with the fixed snarkjs ABI; a revert or malformed return counts as false.
    function _verify(
        address verifier,
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC,
        uint256[5] memory signals
    ) private view returns (bool) {
        (bool ok, bytes memory ret) = verifier.staticcall(
            abi.encodeCall(IGroth16Verifier5.verifyProof, (pA, pB, pC, signals))
        );
        return ok && ret.length == 32 && abi.decode(ret, (uint256)) == 1;
    }

    /// @dev Pays ETH without copying return data (a gas-bomb or reverting recipient only hurts its own
    ///      claim, E4) or an ERC-20 with SafeERC20 (E6).
    function _pay(address token, address to, uint256 amount) private {
        if (token == address(0)) {
            bool ok;
            assembly ("memory-safe") {
                ok := call(gas(), to, amount, 0, 0, 0, 0)
            }
            if (!ok) revert ArenaEscrow__EthTransferFailed();
        } else {
            IERC20(token).safeTransfer(to, amount);
        }
    }
}
