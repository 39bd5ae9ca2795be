// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IArenaEscrow
/// @notice Escrow and rules of zkArena challenges: an organiser posts a committed hidden test split and a
///         prize pot, competitors commit to models, the organiser reveals the split, competitors prove
///         their accuracy with Groth16 proofs, and the top K pull their prizes.
/// @dev Time windows are half-open and every gate compares `block.timestamp` the same way
///      ("before X" is `t < X`, "from X on" is `t >= X`):
///        create/fund/commit  t < commitDeadline
///        reveal              commitDeadline <= t < revealDeadline        (organiser only, once)
///        submitProof         revealed and t < proveDeadline
///        claimPrize          revealed and t >= proveDeadline
///        claimRefund         revealed and t >= proveDeadline              (pro rata, see below)
///                            or not revealed and t >= revealDeadline     (full deposit)
///        claimBond           organiser: once revealed, or if nobody committed and t >= revealDeadline
///                            committers: not revealed and t >= revealDeadline (equal split)
///      Settlement rule (revealed): rank r (0-based) of the final leaderboard gets
///      `pot * payoutBps[r] / 10_000` (floor). `refundable = pot - Σ prizes of filled ranks` (unused
///      ranks plus every prize's rounding dust) goes to sponsors pro rata:
///      `refundable * deposit / pot` (floor), except that the last sponsor to claim gets
///      `refundable - Σ refunds already paid`, so Σ prizes + Σ refunds == pot exactly once everyone has
///      claimed (the last sponsor gains fewer than #sponsors wei). The bond split among committers uses
///      the same "last claimant gets the remainder" rule. Public signals passed to the verifier, in order:
///      `[modelCommitment, testCommitment, correct, challengeId, submitter]`.
///      Batched hidden splits (B = batchCount >= 2 batches of the circuit's N samples): the challenge's
///      testCommitment is the root of a Merkle tree over the batch commitments c_i, with leaves
///      `keccak256(bytes.concat(keccak256(abi.encode(uint256(i), uint256(c_i)))))` and OpenZeppelin's
///      commutative keccak for inner nodes (odd last node carried up); a proof of batch i carries
///      (i, c_i, Merkle proof) and the circuit's testCommitment signal is c_i. One accepted proof per
///      (challenge, competitor, batch); a competitor's score is the sum over their accepted batches,
///      and ranking and minCorrect use that sum. With B = 1 the testCommitment is c_0 itself.
interface IArenaEscrow {
    /// @notice Parameters of a new challenge (everything the organiser chooses).
    /// @param circuitId Registry id of the circuit; must be active and take 5 public signals. Its verifier
    ///        address is copied into the challenge (later registry changes never affect it).
    /// @param testCommitment With `batchCount == 1`: the salted Poseidon commitment to the hidden test split,
    ///        `< r` (BN254 field). With `batchCount >= 2`: the Merkle root over the batch commitments
    ///        (any 32-byte value; each batch commitment is checked `< r` when a proof uses it).
    /// @param batchCount Number B of batches of the hidden split, 1 to 4096.
    /// @param commitDeadline End of funding and commits (exclusive); `> block.timestamp`.
    /// @param revealDeadline End of the reveal window (exclusive); `> commitDeadline`.
    /// @param proveDeadline End of proof submission (exclusive), start of settlement; `> revealDeadline`.
    /// @param token Prize token: `address(0)` for ETH, else an ERC-20 with code.
    /// @param minCorrect Minimum `correct` count for a score to enter the leaderboard; `> 0`.
    /// @param payoutBps Share of the pot per rank in basis points: 1 to 10 entries, non-increasing,
    ///        each > 0, summing to 10_000. K = its length.
    /// @param metadataHash Hash of the off-chain metadata (description, public split, model shape).
    struct ChallengeParams {
        bytes32 circuitId;
        uint256 testCommitment;
        uint16 batchCount;
        uint64 commitDeadline;
        uint64 revealDeadline;
        uint64 proveDeadline;
        address token;
        uint32 minCorrect;
        uint16[] payoutBps;
        bytes32 metadataHash;
    }

    /// @notice Stored state of one challenge.
    /// @param organiser The creator (`msg.sender` of createChallenge); cannot commit.
    /// @param commitDeadline See {ChallengeParams}.
    /// @param minCorrect See {ChallengeParams}.
    /// @param token See {ChallengeParams}.
    /// @param revealDeadline See {ChallengeParams}.
    /// @param committerCount Number of distinct addresses that committed (re-commits not counted).
    /// @param verifier Verifier snapshotted from the registry at creation.
    /// @param proveDeadline See {ChallengeParams}.
    /// @param sponsorCount Number of distinct sponsors.
    /// @param revealedAt Timestamp of the reveal, 0 if none.
    /// @param refundsClaimed Number of sponsors who have claimed their refund.
    /// @param bondsClaimed Number of committers who have claimed their share of the bond.
    /// @param bondReturned True once the organiser has taken the bond back.
    /// @param batchCount See {ChallengeParams}.
    /// @param boardSize Number of filled leaderboard rows (<= K).
    /// @param testCommitment See {ChallengeParams}.
    /// @param bond Organiser bond, in ETH (msg.value of createChallenge) whatever the prize token.
    /// @param totalDeposits The pot: Σ deposits, each credited by the amount actually received.
    /// @param refundedAmount Σ refunds paid so far.
    /// @param bondPaid Σ bond shares paid to committers so far.
    /// @param circuitId See {ChallengeParams}.
    /// @param metadataHash See {ChallengeParams}.
    /// @param payoutBps See {ChallengeParams}.
    struct Challenge {
        address organiser;
        uint64 commitDeadline;
        uint32 minCorrect;
        address token;
        uint64 revealDeadline;
        uint32 committerCount;
        address verifier;
        uint64 proveDeadline;
        uint32 sponsorCount;
        uint64 revealedAt;
        uint32 refundsClaimed;
        uint32 bondsClaimed;
        bool bondReturned;
        uint16 batchCount;
        uint8 boardSize;
        uint256 testCommitment;
        uint256 bond;
        uint256 totalDeposits;
        uint256 refundedAmount;
        uint256 bondPaid;
        bytes32 circuitId;
        bytes32 metadataHash;
        uint16[] payoutBps;
    }

    /// @notice One competitor's state in one challenge.
    /// @param commitment Latest model commitment (`< r`).
    /// @param committedAt Timestamp of the latest commit (the tie-break); 0 = never committed.
    /// @param correct Accepted correct count, summed over the accepted batches (meaningful when `scored`).
    /// @param scored True once a proof was accepted (one per competitor and batch).
    /// @param prizeClaimed True once the prize was paid.
    /// @param bondClaimed True once the bond share was paid.
    /// @param batchesScored Number of batches with an accepted proof.
    /// @param lowBatchBits Bit i set: batch i (< 120) has an accepted proof (higher batches: {batchScored}).
    struct Competitor {
        uint256 commitment;
        uint64 committedAt;
        uint32 correct;
        bool scored;
        bool prizeClaimed;
        bool bondClaimed;
        uint16 batchesScored;
        uint120 lowBatchBits;
    }

    /// @notice One leaderboard row; rows are sorted by correct desc, committedAt asc, address asc.
    /// @param competitor The competitor.
    /// @param correct Accepted correct count (the sum over batches).
    /// @param committedAt Timestamp of the commitment the proof used.
    struct LeaderboardEntry {
        address competitor;
        uint32 correct;
        uint64 committedAt;
    }

    /// @notice Lifecycle phase, a function of time and the reveal.
    enum Phase {
        Open, // t < commitDeadline: fund and commit
        AwaitingReveal, // commitDeadline <= t < revealDeadline, not revealed
        Proving, // revealed, t < proveDeadline
        Settled, // revealed, t >= proveDeadline: prizes and pro-rata refunds
        RevealMissed // not revealed, t >= revealDeadline: full refunds, bond to committers
    }

    /// @notice The circuit is not registered, deprecated, or does not take 5 public signals.
    error ArenaEscrow__InactiveCircuit(bytes32 circuitId);
    /// @notice A value used as a public signal is not below the BN254 scalar field order.
    error ArenaEscrow__NotInField(uint256 value);
    /// @notice The deadlines are not `block.timestamp < commit < reveal < prove`.
    error ArenaEscrow__InvalidDeadlines();
    /// @notice The payout shares are not 1..10 non-increasing non-zero bps summing to 10_000.
    error ArenaEscrow__InvalidPayout();
    /// @notice `minCorrect` is zero.
    error ArenaEscrow__InvalidMinCorrect();
    /// @notice The ERC-20 token address has no code.
    error ArenaEscrow__InvalidToken(address token);
    /// @notice No challenge with this id.
    error ArenaEscrow__UnknownChallenge(uint256 id);
    /// @notice The action is not allowed at this time / in this phase.
    error ArenaEscrow__WrongPhase(uint256 id, Phase phase);
    /// @notice Zero amount (or zero received after the token's fee).
    error ArenaEscrow__ZeroAmount();
    /// @notice `msg.value` does not match: must equal `amount` for ETH and be 0 for ERC-20.
    error ArenaEscrow__WrongValue();
    /// @notice The organiser may not commit to their own challenge (threat T3).
    error ArenaEscrow__OrganiserCannotCommit();
    /// @notice Only the organiser may do this.
    error ArenaEscrow__NotOrganiser();
    /// @notice The sender has no commitment in this challenge.
    error ArenaEscrow__NotCommitted();
    /// @notice The sender already has an accepted score for this batch (replay key: (id, competitor, batch)).
    error ArenaEscrow__AlreadyScored();
    /// @notice `batchCount` is not in [1, 4096].
    error ArenaEscrow__InvalidBatchCount(uint256 batchCount);
    /// @notice The batch index is not below the challenge's batch count.
    error ArenaEscrow__BatchOutOfRange(uint256 batchIndex, uint256 batchCount);
    /// @notice The batch commitment and Merkle proof do not lead to the challenge's root (or, with one
    ///         batch, the batch commitment is not the test commitment).
    error ArenaEscrow__InvalidBatchProof(uint256 batchIndex);
    /// @notice The verifier rejected the proof (or reverted / returned garbage).
    error ArenaEscrow__InvalidProof();
    /// @notice The score is below `minCorrect`.
    error ArenaEscrow__BelowMinCorrect(uint32 correct, uint32 minCorrect);
    /// @notice Nothing to claim for the sender (not a winner / sponsor / committer, or zero amount).
    error ArenaEscrow__NothingToClaim();
    /// @notice Already claimed.
    error ArenaEscrow__AlreadyClaimed();
    /// @notice Sending ETH to the recipient failed (only the recipient's own claim is affected).
    error ArenaEscrow__EthTransferFailed();

    /// @notice A challenge was created; carries every parameter so an indexer needs no call.
    event ChallengeCreated(
        uint256 indexed id,
        address indexed organiser,
        bytes32 indexed circuitId,
        address verifier,
        uint256 bond,
        ChallengeParams params
    );
    /// @notice `sponsor` added `amountReceived` (balance delta, after any token fee) to the pot.
    event ChallengeFunded(uint256 indexed id, address indexed sponsor, uint256 amountReceived);
    /// @notice `competitor` committed at time `at` (`recommit`: replacing their previous commitment and time).
    event ModelCommitted(uint256 indexed id, address indexed competitor, uint256 commitment, uint64 at, bool recommit);
    /// @notice The organiser published where the hidden split and its salt can be fetched.
    event TestSetRevealed(uint256 indexed id, string uri);
    /// @notice A proof of batch `batchIndex` (0 when not batched) with commitment `batchCommitment` was
    ///         accepted: `correct` for this batch, `total` the competitor's new score (sum over batches);
    ///         `ranked` tells whether the competitor is on the top-K leaderboard afterwards.
    event ProofAccepted(
        uint256 indexed id,
        address indexed competitor,
        uint256 indexed batchIndex,
        uint256 batchCommitment,
        uint32 correct,
        uint32 total,
        uint64 commitTime,
        bool ranked
    );
    /// @notice `winner` pulled the prize of `rank` (0-based).
    event PrizeClaimed(uint256 indexed id, address indexed winner, uint256 rank, uint256 amount);
    /// @notice `sponsor` pulled a refund.
    event RefundClaimed(uint256 indexed id, address indexed sponsor, uint256 amount);
    /// @notice `account` pulled the bond (organiser) or a share of it (committer after a missed reveal).
    event BondClaimed(uint256 indexed id, address indexed account, uint256 amount);

    /// @notice Creates a challenge; `msg.value` is the organiser bond (ETH, may be 0).
    /// @return id The new challenge id (1, 2, …; assigned on-chain, threat E10).
    function createChallenge(ChallengeParams calldata params) external payable returns (uint256 id);

    /// @notice Adds to the pot before commitDeadline. ETH: `msg.value == amount`. ERC-20: approve first;
    ///         the deposit is credited by the balance actually received (fee-on-transfer tokens).
    function fund(uint256 id, uint256 amount) external payable;

    /// @notice Commits (or re-commits) to a model before commitDeadline.
    function commit(uint256 id, uint256 modelCommitment) external;

    /// @notice Organiser reveals the hidden split in [commitDeadline, revealDeadline).
    function reveal(uint256 id, string calldata uri) external;

    /// @notice Submits a Groth16 proof that the sender's committed model gets `correct` right on the
    ///         challenge's test split (one batch only: `batchCount == 1`). The public signals are built
    ///         from storage and `msg.sender`; `correct` must be at least `minCorrect`.
    function submitProof(
        uint256 id,
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC,
        uint32 correct
    ) external;

    /// @notice Submits a proof for batch `batchIndex` of the hidden split, whose commitment
    ///         `batchCommitment` is shown to be leaf `batchIndex` of the challenge's root by
    ///         `merkleProof` (siblings bottom-up). With `batchCount == 1` it is the same as the 5-argument
    ///         form: index 0, `batchCommitment == testCommitment`, empty proof. Adds `correct` to the
    ///         sender's score; the score enters the leaderboard once it reaches `minCorrect`.
    function submitProof(
        uint256 id,
        uint256 batchIndex,
        uint256 batchCommitment,
        bytes32[] calldata merkleProof,
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC,
        uint32 correct
    ) external;

    /// @notice Whether `competitor` has an accepted proof for batch `batchIndex`.
    function batchScored(uint256 id, address competitor, uint256 batchIndex) external view returns (bool);

    /// @notice A final-leaderboard entry pulls its prize (after proveDeadline).
    function claimPrize(uint256 id) external;

    /// @notice A sponsor pulls their refund (see the settlement rule above).
    function claimRefund(uint256 id) external;

    /// @notice Organiser takes the bond back after the reveal; committers split it after a missed reveal.
    function claimBond(uint256 id) external;

    /// @notice Number of challenges created (ids are 1..count).
    function challengeCount() external view returns (uint256);

    /// @notice Full stored state of a challenge.
    function getChallenge(uint256 id) external view returns (Challenge memory);

    /// @notice Current phase.
    function phaseOf(uint256 id) external view returns (Phase);

    /// @notice Amount `sponsor` has deposited (received amounts).
    function depositOf(uint256 id, address sponsor) external view returns (uint256);

    /// @notice Whether `sponsor` has claimed a refund.
    function refundClaimed(uint256 id, address sponsor) external view returns (bool);

    /// @notice Competitor state (commitment, time, score, claim flags).
    function competitorOf(uint256 id, address competitor) external view returns (Competitor memory);

    /// @notice Latest commitment and its time (0, 0 if none).
    function commitmentOf(uint256 id, address competitor) external view returns (uint256 commitment, uint64 at);

    /// @notice Accepted score, if any.
    function scoreOf(uint256 id, address competitor) external view returns (bool scored, uint32 correct);

    /// @notice Current top-K leaderboard, best first (final once proveDeadline has passed).
    function leaderboard(uint256 id) external view returns (LeaderboardEntry[] memory);

    /// @notice What `account` could claim right now: prize, refund, bond (0 where not claimable).
    function claimableOf(
        uint256 id,
        address account
    ) external view returns (uint256 prize, uint256 refund, uint256 bond);
}
