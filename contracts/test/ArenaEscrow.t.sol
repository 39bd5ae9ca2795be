// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Test} from "forge-std/Test.sol";

import {ArenaEscrow} from "../src/ArenaEscrow.sol";
import {VerifierRegistry} from "../src/VerifierRegistry.sol";
import {IArenaEscrow} from "../src/interfaces/IArenaEscrow.sol";
import {ArenaEscrowHandler} from "./handlers/ArenaEscrowHandler.sol";
import {GasBombReceiver, ReentrantReceiver, RevertingReceiver} from "./mocks/Receivers.sol";
import {RevertingVerifier, SignalCheckingVerifier} from "./mocks/SignalCheckingVerifier.sol";
import {BlacklistERC20, FalseReturnERC20, FeeOnTransferERC20, MockERC20, NoReturnERC20} from "./mocks/Tokens.sol";

/// @notice Shared fixture: a registry with the signal-checking verifier, an escrow, a clock and helpers.
abstract contract ArenaEscrowFixture is Test {
    uint256 internal constant R =
        21_888_242_871_839_275_222_246_405_745_257_275_088_548_364_400_416_034_343_698_204_186_575_808_495_617;
    bytes32 internal constant CIRCUIT_ID = keccak256("mlp-d64-h16-c10-n32");
    uint256 internal constant TEST_COMMITMENT = 0x1234;
    uint64 internal constant T0 = 1_750_000_000;
    uint64 internal constant COMMIT_DL = T0 + 1 days;
    uint64 internal constant REVEAL_DL = T0 + 2 days;
    uint64 internal constant PROVE_DL = T0 + 3 days;
    uint256 internal constant BOND = 1 ether;
    /// The unbatched submitProof overload (abi.encodeCall cannot pick an overload).
    string internal constant SUBMIT_ONE = "submitProof(uint256,uint256[2],uint256[2][2],uint256[2],uint32)";

    address internal owner = makeAddr("owner");
    address internal organiser = makeAddr("organiser");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal carol = makeAddr("carol");
    address internal sponsor1 = makeAddr("sponsor1");
    address internal sponsor2 = makeAddr("sponsor2");

    VerifierRegistry internal registry;
    SignalCheckingVerifier internal verifier;
    ArenaEscrow internal escrow;

    uint256[2] internal pA = [uint256(1), 2];
    uint256[2][2] internal pB = [[uint256(3), 4], [uint256(5), 6]];
    uint256[2] internal pC = [uint256(7), 8];

    function setUp() public virtual {
        vm.warp(T0);
        registry = new VerifierRegistry(owner);
        verifier = new SignalCheckingVerifier();
        vm.prank(owner);
        registry.register(CIRCUIT_ID, address(verifier), keccak256("vk"), 5);
        escrow = new ArenaEscrow(registry);
        vm.deal(organiser, 100 ether);
        vm.deal(sponsor1, 1000 ether);
        vm.deal(sponsor2, 1000 ether);
    }

    function _bps3() internal pure returns (uint16[] memory bps) {
        bps = new uint16[](3);
        bps[0] = 5000;
        bps[1] = 3000;
        bps[2] = 2000;
    }

    function _params(address token) internal pure returns (IArenaEscrow.ChallengeParams memory p) {
        p = IArenaEscrow.ChallengeParams({
            circuitId: CIRCUIT_ID,
            testCommitment: TEST_COMMITMENT,
            batchCount: 1,
            commitDeadline: COMMIT_DL,
            revealDeadline: REVEAL_DL,
            proveDeadline: PROVE_DL,
            token: token,
            minCorrect: 10,
            payoutBps: _bps3(),
            metadataHash: keccak256("metadata")
        });
    }

    function _create(address token) internal returns (uint256 id) {
        vm.prank(organiser);
        id = escrow.createChallenge{value: BOND}(_params(token));
    }

    function _fundEth(uint256 id, address sponsor, uint256 amount) internal {
        vm.prank(sponsor);
        escrow.fund{value: amount}(id, amount);
    }

    function _commit(uint256 id, address who, uint256 commitment) internal {
        vm.prank(who);
        escrow.commit(id, commitment);
    }

    function _commitmentFor(address who) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode("model", who))) % R;
    }

    function _signals(uint256 id, address who, uint32 correct) internal view returns (uint256[5] memory) {
        uint256 commitment = escrow.competitorOf(id, who).commitment;
        return [commitment, escrow.getChallenge(id).testCommitment, uint256(correct), id, uint256(uint160(who))];
    }

    function _prove(uint256 id, address who, uint32 correct) internal {
        verifier.accept(_signals(id, who, correct));
        vm.prank(who);
        escrow.submitProof(id, pA, pB, pC, correct);
    }

    function _reveal(uint256 id) internal {
        vm.warp(COMMIT_DL);
        vm.prank(organiser);
        escrow.reveal(id, "ipfs://split");
    }

    function _wrongPhase(uint256 id, IArenaEscrow.Phase phase) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__WrongPhase.selector, id, phase);
    }
}

contract ArenaEscrowTest is ArenaEscrowFixture {
    // ---------------------------------------------------------------- constructor

    function test_constructor_setsRegistry() public view {
        assertEq(address(escrow.registry()), address(registry));
        assertEq(escrow.challengeCount(), 0);
        assertEq(escrow.SNARK_SCALAR_FIELD(), R);
    }

    // ---------------------------------------------------------------- createChallenge

    function test_createChallenge_storesEverythingAndEmits() public {
        IArenaEscrow.ChallengeParams memory p = _params(address(0));
        vm.expectEmit(address(escrow));
        emit IArenaEscrow.ChallengeCreated(1, organiser, CIRCUIT_ID, address(verifier), BOND, p);
        vm.prank(organiser);
        uint256 id = escrow.createChallenge{value: BOND}(p);

        assertEq(id, 1);
        assertEq(escrow.challengeCount(), 1);
        IArenaEscrow.Challenge memory c = escrow.getChallenge(id);
        assertEq(c.organiser, organiser);
        assertEq(c.verifier, address(verifier));
        assertEq(c.token, address(0));
        assertEq(c.testCommitment, TEST_COMMITMENT);
        assertEq(c.batchCount, 1);
        assertEq(c.boardSize, 0);
        assertEq(c.commitDeadline, COMMIT_DL);
        assertEq(c.revealDeadline, REVEAL_DL);
        assertEq(c.proveDeadline, PROVE_DL);
        assertEq(c.minCorrect, 10);
        assertEq(c.bond, BOND);
        assertEq(c.circuitId, CIRCUIT_ID);
        assertEq(c.metadataHash, keccak256("metadata"));
        assertEq(c.payoutBps.length, 3);
        assertEq(c.payoutBps[0], 5000);
        assertEq(c.payoutBps[2], 2000);
        assertEq(address(escrow).balance, BOND);
        assertEq(uint256(escrow.phaseOf(id)), uint256(IArenaEscrow.Phase.Open));
    }

    /// E10: ids come from a counter; an attacker's identical challenge gets its own id and pot.
    function test_createChallenge_assignsDistinctIdsToIdenticalParams() public {
        address attacker = makeAddr("attacker");
        vm.prank(attacker);
        uint256 squatted = escrow.createChallenge(_params(address(0)));
        uint256 legit = _create(address(0));
        assertEq(squatted, 1);
        assertEq(legit, 2);
        _fundEth(legit, sponsor1, 5 ether);
        assertEq(escrow.getChallenge(legit).totalDeposits, 5 ether);
        assertEq(escrow.getChallenge(squatted).totalDeposits, 0);
        assertEq(escrow.getChallenge(legit).organiser, organiser);
    }

    function test_createChallenge_acceptsZeroBond() public {
        vm.prank(organiser);
        uint256 id = escrow.createChallenge(_params(address(0)));
        assertEq(escrow.getChallenge(id).bond, 0);
    }

    function test_createChallenge_revertsOnUnregisteredCircuit() public {
        IArenaEscrow.ChallengeParams memory p = _params(address(0));
        p.circuitId = keccak256("nope");
        vm.expectRevert(abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__InactiveCircuit.selector, p.circuitId));
        escrow.createChallenge(p);
    }

    function test_createChallenge_revertsOnDeprecatedCircuit() public {
        vm.prank(owner);
        registry.deprecate(CIRCUIT_ID);
        vm.expectRevert(abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__InactiveCircuit.selector, CIRCUIT_ID));
        escrow.createChallenge(_params(address(0)));
    }

    function test_createChallenge_revertsOnWrongSignalCount() public {
        bytes32 other = keccak256("four-signals");
        vm.prank(owner);
        registry.register(other, address(verifier), keccak256("vk"), 4);
        IArenaEscrow.ChallengeParams memory p = _params(address(0));
        p.circuitId = other;
        vm.expectRevert(abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__InactiveCircuit.selector, other));
        escrow.createChallenge(p);
    }

    /// E13 / Z7: a test commitment >= r could never verify.
    function testFuzz_createChallenge_revertsOnTestCommitmentNotInField(uint256 value) public {
        value = bound(value, R, type(uint256).max);
        IArenaEscrow.ChallengeParams memory p = _params(address(0));
        p.testCommitment = value;
        vm.expectRevert(abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__NotInField.selector, value));
        escrow.createChallenge(p);
    }

    function test_createChallenge_acceptsTestCommitmentRMinusOne() public {
        IArenaEscrow.ChallengeParams memory p = _params(address(0));
        p.testCommitment = R - 1;
        uint256 id = escrow.createChallenge(p);
        assertEq(escrow.getChallenge(id).testCommitment, R - 1);
    }

    function test_createChallenge_revertsWhenCommitDeadlineNotInFuture() public {
        IArenaEscrow.ChallengeParams memory p = _params(address(0));
        p.commitDeadline = T0;
        vm.expectRevert(IArenaEscrow.ArenaEscrow__InvalidDeadlines.selector);
        escrow.createChallenge(p);
        p.commitDeadline = T0 - 1;
        vm.expectRevert(IArenaEscrow.ArenaEscrow__InvalidDeadlines.selector);
        escrow.createChallenge(p);
        p.commitDeadline = T0 + 1;
        escrow.createChallenge(p);
    }

    function test_createChallenge_revertsWhenRevealNotAfterCommit() public {
        IArenaEscrow.ChallengeParams memory p = _params(address(0));
        p.revealDeadline = COMMIT_DL;
        vm.expectRevert(IArenaEscrow.ArenaEscrow__InvalidDeadlines.selector);
        escrow.createChallenge(p);
    }

    function test_createChallenge_revertsWhenProveNotAfterReveal() public {
        IArenaEscrow.ChallengeParams memory p = _params(address(0));
        p.proveDeadline = REVEAL_DL;
        vm.expectRevert(IArenaEscrow.ArenaEscrow__InvalidDeadlines.selector);
        escrow.createChallenge(p);
    }

    function _expectInvalidPayout(uint16[] memory bps) internal {
        IArenaEscrow.ChallengeParams memory p = _params(address(0));
        p.payoutBps = bps;
        vm.expectRevert(IArenaEscrow.ArenaEscrow__InvalidPayout.selector);
        escrow.createChallenge(p);
    }

    function test_createChallenge_revertsOnEmptyPayout() public {
        _expectInvalidPayout(new uint16[](0));
    }

    function test_createChallenge_revertsOnMoreThanTenRanks() public {
        uint16[] memory bps = new uint16[](11);
        for (uint256 i; i < 11; ++i) {
            bps[i] = i == 0 ? 1000 : 900;
        }
        _expectInvalidPayout(bps);
    }

    function test_createChallenge_revertsOnPayoutNotSummingTo10000() public {
        uint16[] memory bps = _bps3();
        bps[2] = 1999;
        _expectInvalidPayout(bps);
    }

    function test_createChallenge_revertsOnIncreasingPayout() public {
        uint16[] memory bps = _bps3();
        (bps[1], bps[2]) = (2000, 3000);
        _expectInvalidPayout(bps);
    }

    function test_createChallenge_revertsOnZeroShare() public {
        uint16[] memory bps = new uint16[](2);
        bps[0] = 10_000;
        _expectInvalidPayout(bps);
    }

    function test_createChallenge_acceptsTenEqualRanks() public {
        IArenaEscrow.ChallengeParams memory p = _params(address(0));
        p.payoutBps = new uint16[](10);
        for (uint256 i; i < 10; ++i) {
            p.payoutBps[i] = 1000;
        }
        uint256 id = escrow.createChallenge(p);
        assertEq(escrow.getChallenge(id).payoutBps.length, 10);
    }

    function test_createChallenge_revertsOnZeroMinCorrect() public {
        IArenaEscrow.ChallengeParams memory p = _params(address(0));
        p.minCorrect = 0;
        vm.expectRevert(IArenaEscrow.ArenaEscrow__InvalidMinCorrect.selector);
        escrow.createChallenge(p);
    }

    function test_createChallenge_revertsOnTokenWithoutCode() public {
        address eoa = makeAddr("eoa");
        vm.expectRevert(abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__InvalidToken.selector, eoa));
        escrow.createChallenge(_params(eoa));
    }

    /// Z13: deprecating (or adding) registry entries never changes a live challenge's verifier.
    function test_createChallenge_snapshotsVerifierAgainstRegistryChanges() public {
        uint256 id = _create(address(0));
        vm.startPrank(owner);
        registry.deprecate(CIRCUIT_ID);
        registry.register(keccak256("v2"), address(new RevertingVerifier()), keccak256("vk2"), 5);
        vm.stopPrank();
        assertEq(escrow.getChallenge(id).verifier, address(verifier));

        _commit(id, alice, _commitmentFor(alice));
        _reveal(id);
        _prove(id, alice, 42);
        (bool scored, uint32 correct) = escrow.scoreOf(id, alice);
        assertTrue(scored);
        assertEq(correct, 42);
    }

    // ---------------------------------------------------------------- fund

    function test_fund_creditsEthAndEmits() public {
        uint256 id = _create(address(0));
        vm.expectEmit(address(escrow));
        emit IArenaEscrow.ChallengeFunded(id, sponsor1, 3 ether);
        _fundEth(id, sponsor1, 3 ether);
        _fundEth(id, sponsor1, 2 ether);
        _fundEth(id, sponsor2, 1 ether);
        assertEq(escrow.depositOf(id, sponsor1), 5 ether);
        assertEq(escrow.depositOf(id, sponsor2), 1 ether);
        IArenaEscrow.Challenge memory c = escrow.getChallenge(id);
        assertEq(c.totalDeposits, 6 ether);
        assertEq(c.sponsorCount, 2);
    }

    function test_fund_creditsErc20() public {
        MockERC20 token = new MockERC20();
        uint256 id = _create(address(token));
        token.mint(sponsor1, 100);
        vm.startPrank(sponsor1);
        token.approve(address(escrow), 100);
        escrow.fund(id, 100);
        vm.stopPrank();
        assertEq(escrow.depositOf(id, sponsor1), 100);
        assertEq(token.balanceOf(address(escrow)), 100);
    }

    /// E5: a fee-on-transfer token is credited by what arrived, not by `amount`.
    function test_fund_creditsAmountReceivedForFeeOnTransferToken() public {
        FeeOnTransferERC20 token = new FeeOnTransferERC20();
        uint256 id = _create(address(token));
        token.mint(sponsor1, 10_000);
        vm.startPrank(sponsor1);
        token.approve(address(escrow), 10_000);
        vm.expectEmit(address(escrow));
        emit IArenaEscrow.ChallengeFunded(id, sponsor1, 9900);
        escrow.fund(id, 10_000);
        vm.stopPrank();
        assertEq(escrow.depositOf(id, sponsor1), 9900);
        assertEq(escrow.getChallenge(id).totalDeposits, 9900);
        assertEq(token.balanceOf(address(escrow)), 9900);
    }

    /// E6: a token returning false makes fund revert and credits nothing.
    function test_fund_revertsOnFalseReturningToken() public {
        FalseReturnERC20 token = new FalseReturnERC20();
        uint256 id = _create(address(token));
        // No balance and no allowance: transferFrom returns false.
        vm.prank(sponsor1);
        vm.expectRevert(abi.encodeWithSelector(SafeERC20.SafeERC20FailedOperation.selector, address(token)));
        escrow.fund(id, 100);
        assertEq(escrow.depositOf(id, sponsor1), 0);
        assertEq(escrow.getChallenge(id).totalDeposits, 0);
    }

    /// E6: a USDT-style token (no return value) works for fund and claims.
    function test_fund_worksWithNoReturnToken() public {
        NoReturnERC20 token = new NoReturnERC20();
        uint256 id = _create(address(token));
        token.mint(sponsor1, 1000);
        vm.startPrank(sponsor1);
        token.approve(address(escrow), 1000);
        escrow.fund(id, 1000);
        vm.stopPrank();
        assertEq(escrow.depositOf(id, sponsor1), 1000);
        vm.warp(REVEAL_DL); // no reveal: full refund through safeTransfer
        vm.prank(sponsor1);
        escrow.claimRefund(id);
        assertEq(token.balanceOf(sponsor1), 1000);
    }

    function test_fund_revertsOnEthValueMismatch() public {
        uint256 id = _create(address(0));
        vm.prank(sponsor1);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__WrongValue.selector);
        escrow.fund{value: 1 ether}(id, 2 ether);
    }

    function test_fund_revertsOnEthSentWithErc20() public {
        MockERC20 token = new MockERC20();
        uint256 id = _create(address(token));
        vm.prank(sponsor1);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__WrongValue.selector);
        escrow.fund{value: 1}(id, 1);
    }

    function test_fund_revertsOnZeroAmount() public {
        uint256 id = _create(address(0));
        vm.prank(sponsor1);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__ZeroAmount.selector);
        escrow.fund(id, 0);
    }

    function test_fund_revertsOnUnknownChallenge() public {
        vm.prank(sponsor1);
        vm.expectRevert(abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__UnknownChallenge.selector, 7));
        escrow.fund{value: 1}(7, 1);
    }

    /// E8: fund is allowed iff t < commitDeadline.
    function test_fund_boundaryAtCommitDeadline() public {
        uint256 id = _create(address(0));
        vm.warp(COMMIT_DL - 1);
        _fundEth(id, sponsor1, 1);
        vm.warp(COMMIT_DL);
        vm.prank(sponsor1);
        vm.expectRevert(_wrongPhase(id, IArenaEscrow.Phase.AwaitingReveal));
        escrow.fund{value: 1}(id, 1);
        vm.warp(COMMIT_DL + 1);
        vm.prank(sponsor1);
        vm.expectRevert(_wrongPhase(id, IArenaEscrow.Phase.AwaitingReveal));
        escrow.fund{value: 1}(id, 1);
    }

    // ---------------------------------------------------------------- commit

    function test_commit_storesAndEmits() public {
        uint256 id = _create(address(0));
        vm.expectEmit(address(escrow));
        emit IArenaEscrow.ModelCommitted(id, alice, 111, T0, false);
        _commit(id, alice, 111);
        (uint256 commitment, uint64 at) = escrow.commitmentOf(id, alice);
        assertEq(commitment, 111);
        assertEq(at, T0);
        assertEq(escrow.getChallenge(id).committerCount, 1);
    }

    function test_commit_recommitReplacesAndResetsTimestamp() public {
        uint256 id = _create(address(0));
        _commit(id, alice, 111);
        vm.warp(T0 + 100);
        vm.expectEmit(address(escrow));
        emit IArenaEscrow.ModelCommitted(id, alice, 222, T0 + 100, true);
        _commit(id, alice, 222);
        (uint256 commitment, uint64 at) = escrow.commitmentOf(id, alice);
        assertEq(commitment, 222);
        assertEq(at, T0 + 100);
        assertEq(escrow.getChallenge(id).committerCount, 1);
    }

    /// T3: the organiser cannot compete in their own challenge.
    function test_commit_revertsForOrganiser() public {
        uint256 id = _create(address(0));
        vm.prank(organiser);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__OrganiserCannotCommit.selector);
        escrow.commit(id, 1);
    }

    /// E13 / Z7: a model commitment >= r is rejected.
    function testFuzz_commit_revertsOnCommitmentNotInField(uint256 value) public {
        value = bound(value, R, type(uint256).max);
        uint256 id = _create(address(0));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__NotInField.selector, value));
        escrow.commit(id, value);
    }

    function test_commit_revertsOnUnknownChallenge() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__UnknownChallenge.selector, 1));
        escrow.commit(1, 1);
    }

    /// E8: commit is allowed iff t < commitDeadline.
    function test_commit_boundaryAtCommitDeadline() public {
        uint256 id = _create(address(0));
        vm.warp(COMMIT_DL - 1);
        _commit(id, alice, 1);
        vm.warp(COMMIT_DL);
        vm.prank(bob);
        vm.expectRevert(_wrongPhase(id, IArenaEscrow.Phase.AwaitingReveal));
        escrow.commit(id, 1);
        vm.warp(COMMIT_DL + 1);
        vm.prank(bob);
        vm.expectRevert(_wrongPhase(id, IArenaEscrow.Phase.AwaitingReveal));
        escrow.commit(id, 1);
    }

    // ---------------------------------------------------------------- reveal

    function test_reveal_storesAndEmits() public {
        uint256 id = _create(address(0));
        vm.warp(COMMIT_DL + 5);
        vm.expectEmit(address(escrow));
        emit IArenaEscrow.TestSetRevealed(id, "ipfs://split");
        vm.prank(organiser);
        escrow.reveal(id, "ipfs://split");
        assertEq(escrow.getChallenge(id).revealedAt, COMMIT_DL + 5);
        assertEq(uint256(escrow.phaseOf(id)), uint256(IArenaEscrow.Phase.Proving));
    }

    function test_reveal_revertsForNonOrganiser() public {
        uint256 id = _create(address(0));
        vm.warp(COMMIT_DL);
        vm.prank(alice);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__NotOrganiser.selector);
        escrow.reveal(id, "x");
    }

    function test_reveal_revertsWhenAlreadyRevealed() public {
        uint256 id = _create(address(0));
        _reveal(id);
        vm.prank(organiser);
        vm.expectRevert(_wrongPhase(id, IArenaEscrow.Phase.Proving));
        escrow.reveal(id, "again");
    }

    /// E8: reveal is allowed iff commitDeadline <= t < revealDeadline.
    function test_reveal_boundaryAtCommitDeadline() public {
        uint256 id = _create(address(0));
        uint256 id2 = _create(address(0));
        vm.warp(COMMIT_DL - 1);
        vm.prank(organiser);
        vm.expectRevert(_wrongPhase(id, IArenaEscrow.Phase.Open));
        escrow.reveal(id, "x");
        vm.warp(COMMIT_DL);
        vm.prank(organiser);
        escrow.reveal(id, "x");
        vm.warp(COMMIT_DL + 1);
        vm.prank(organiser);
        escrow.reveal(id2, "x");
    }

    function test_reveal_boundaryAtRevealDeadline() public {
        uint256 id = _create(address(0));
        uint256 id2 = _create(address(0));
        vm.warp(REVEAL_DL - 1);
        vm.prank(organiser);
        escrow.reveal(id, "x");
        vm.warp(REVEAL_DL);
        vm.prank(organiser);
        vm.expectRevert(_wrongPhase(id2, IArenaEscrow.Phase.RevealMissed));
        escrow.reveal(id2, "x");
        vm.warp(REVEAL_DL + 1);
        vm.prank(organiser);
        vm.expectRevert(_wrongPhase(id2, IArenaEscrow.Phase.RevealMissed));
        escrow.reveal(id2, "x");
    }

    // ---------------------------------------------------------------- submitProof

    /// Z8: the escrow passes [commitment, testCommitment, correct, id, msg.sender] in this order.
    function test_submitProof_passesExactSignalsAndRecordsScore() public {
        uint256 id = _create(address(0));
        _commit(id, alice, 777);
        _reveal(id);
        verifier.accept([uint256(777), TEST_COMMITMENT, 42, id, uint256(uint160(alice))]);
        vm.expectEmit(address(escrow));
        emit IArenaEscrow.ProofAccepted(id, alice, 0, TEST_COMMITMENT, 42, 42, T0, true);
        vm.prank(alice);
        escrow.submitProof(id, pA, pB, pC, 42);
        (bool scored, uint32 correct) = escrow.scoreOf(id, alice);
        assertTrue(scored);
        assertEq(correct, 42);
        IArenaEscrow.LeaderboardEntry[] memory board = escrow.leaderboard(id);
        assertEq(board.length, 1);
        assertEq(board[0].competitor, alice);
        assertEq(board[0].correct, 42);
        assertEq(board[0].committedAt, T0);
    }

    function test_submitProof_revertsWhenSignalsInAnotherOrder() public {
        uint256 id = _create(address(0));
        _commit(id, alice, 777);
        _reveal(id);
        // Same values, swapped commitments: the escrow's vector does not match, so the proof fails.
        verifier.accept([TEST_COMMITMENT, uint256(777), 42, id, uint256(uint160(alice))]);
        vm.prank(alice);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__InvalidProof.selector);
        escrow.submitProof(id, pA, pB, pC, 42);
    }

    function test_submitProof_revertsOnInvalidProof() public {
        uint256 id = _create(address(0));
        _commit(id, alice, 777);
        _reveal(id);
        vm.prank(alice);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__InvalidProof.selector);
        escrow.submitProof(id, pA, pB, pC, 42);
    }

    function test_submitProof_treatsRevertingVerifierAsInvalid() public {
        bytes32 cid = keccak256("reverting");
        address reverting = address(new RevertingVerifier());
        vm.prank(owner);
        registry.register(cid, reverting, keccak256("vk"), 5);
        IArenaEscrow.ChallengeParams memory p = _params(address(0));
        p.circuitId = cid;
        vm.prank(organiser);
        uint256 id = escrow.createChallenge(p);
        _commit(id, alice, 777);
        _reveal(id);
        vm.prank(alice);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__InvalidProof.selector);
        escrow.submitProof(id, pA, pB, pC, 42);
    }

    /// Z8: Bob replays Alice's calldata; the submitter signal is Bob, so it fails; Alice still succeeds.
    function test_submitProof_revertsWhenAnotherSenderReplaysProof() public {
        uint256 id = _create(address(0));
        uint256 commitment = _commitmentFor(alice);
        _commit(id, alice, commitment);
        _commit(id, bob, commitment); // Bob even copies Alice's commitment
        _reveal(id);
        verifier.accept(_signals(id, alice, 42));
        vm.prank(bob);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__InvalidProof.selector);
        escrow.submitProof(id, pA, pB, pC, 42);
        vm.prank(alice);
        escrow.submitProof(id, pA, pB, pC, 42);
        assertTrue(escrow.competitorOf(id, alice).scored);
    }

    function test_submitProof_revertsForUncommittedSender() public {
        uint256 id = _create(address(0));
        _reveal(id);
        vm.prank(carol);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__NotCommitted.selector);
        escrow.submitProof(id, pA, pB, pC, 42);
    }

    /// Z6 / E11: a second (malleated) proof for the same competitor reverts, whatever its bytes.
    function test_submitProof_revertsOnSecondProofWithDifferentBytes() public {
        uint256 id = _create(address(0));
        _commit(id, alice, 777);
        _reveal(id);
        _prove(id, alice, 42);
        verifier.accept(_signals(id, alice, 50));
        uint256[2] memory otherA = [uint256(9), 9];
        vm.prank(alice);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__AlreadyScored.selector);
        escrow.submitProof(id, otherA, pB, pC, 50);
    }

    function test_submitProof_revertsBelowMinCorrect() public {
        uint256 id = _create(address(0));
        _commit(id, alice, 777);
        _reveal(id);
        verifier.accept(_signals(id, alice, 9));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__BelowMinCorrect.selector, 9, 10));
        escrow.submitProof(id, pA, pB, pC, 9);
    }

    function test_submitProof_revertsBeforeReveal() public {
        uint256 id = _create(address(0));
        _commit(id, alice, 777);
        vm.warp(COMMIT_DL);
        vm.prank(alice);
        vm.expectRevert(_wrongPhase(id, IArenaEscrow.Phase.AwaitingReveal));
        escrow.submitProof(id, pA, pB, pC, 42);
    }

    /// E8: proofs are accepted iff revealed and t < proveDeadline.
    function test_submitProof_boundaryAtProveDeadline() public {
        uint256 id = _create(address(0));
        _commit(id, alice, 1);
        _commit(id, bob, 2);
        _commit(id, carol, 3);
        _reveal(id);
        vm.warp(PROVE_DL - 1);
        _prove(id, alice, 42);
        vm.warp(PROVE_DL);
        verifier.accept(_signals(id, bob, 42));
        vm.prank(bob);
        vm.expectRevert(_wrongPhase(id, IArenaEscrow.Phase.Settled));
        escrow.submitProof(id, pA, pB, pC, 42);
        vm.warp(PROVE_DL + 1);
        verifier.accept(_signals(id, carol, 42));
        vm.prank(carol);
        vm.expectRevert(_wrongPhase(id, IArenaEscrow.Phase.Settled));
        escrow.submitProof(id, pA, pB, pC, 42);
    }

    function test_submitProof_ordersByCorrectThenCommitTimeThenAddress() public {
        uint256 id = _create(address(0));
        address[4] memory who = [makeAddr("p1"), makeAddr("p2"), makeAddr("p3"), makeAddr("p4")];
        _commit(id, who[0], 1); // t0
        vm.warp(T0 + 10);
        _commit(id, who[1], 2); // t0+10
        _commit(id, who[2], 3); // t0+10
        _commit(id, who[3], 4); // t0+10
        _reveal(id);
        _prove(id, who[1], 50);
        _prove(id, who[0], 50); // earlier commit beats who[1]
        _prove(id, who[2], 60); // best score
        _prove(id, who[3], 50); // same time as who[1]: address decides
        IArenaEscrow.LeaderboardEntry[] memory board = escrow.leaderboard(id);
        assertEq(board.length, 3, "bounded to K");
        assertEq(board[0].competitor, who[2]);
        assertEq(board[1].competitor, who[0]);
        (address lo, address hi) = who[1] < who[3] ? (who[1], who[3]) : (who[3], who[1]);
        assertEq(board[2].competitor, lo);
        assertTrue(escrow.competitorOf(id, hi).scored, "unranked scores are still recorded");
    }

    function test_submitProof_emitsRankedFalseWhenOffTheBoard() public {
        uint256 id = _create(address(0));
        address[4] memory who = [makeAddr("p1"), makeAddr("p2"), makeAddr("p3"), makeAddr("p4")];
        for (uint256 i; i < 4; ++i) {
            _commit(id, who[i], i + 1);
        }
        _reveal(id);
        for (uint256 i; i < 3; ++i) {
            _prove(id, who[i], 90);
        }
        verifier.accept(_signals(id, who[3], 10));
        vm.expectEmit(address(escrow));
        emit IArenaEscrow.ProofAccepted(id, who[3], 0, TEST_COMMITMENT, 10, 10, T0, false);
        vm.prank(who[3]);
        escrow.submitProof(id, pA, pB, pC, 10);
    }

    /// E3: worst case for the bounded insertion: a new best score on a full 10-row board re-ranks every row.
    function test_submitProof_worstCaseInsertOnFullBoardIsBounded() public {
        IArenaEscrow.ChallengeParams memory p = _params(address(0));
        p.payoutBps = new uint16[](10);
        for (uint256 i; i < 10; ++i) {
            p.payoutBps[i] = 1000;
        }
        vm.prank(organiser);
        uint256 id = escrow.createChallenge(p);
        for (uint256 i; i < 11; ++i) {
            _commit(id, _player(i), i + 1);
        }
        _reveal(id);
        for (uint256 i; i < 10; ++i) {
            _prove(id, _player(i), uint32(bound(20 + i, 0, 99)));
        }
        address top = _player(10);
        verifier.accept(_signals(id, top, 99));
        vm.prank(top);
        uint256 g = gasleft();
        escrow.submitProof(id, pA, pB, pC, 99);
        uint256 used = g - gasleft();
        assertLt(used, 200_000);
        IArenaEscrow.LeaderboardEntry[] memory board = escrow.leaderboard(id);
        assertEq(board.length, 10);
        assertEq(board[0].competitor, top);
        assertEq(board[9].correct, 21); // the lowest (20) fell off
    }

    /// E3 / gas: the same on the standard 3-rank board (new best score, every row moves down a rank).
    function test_submitProof_worstCaseInsertOnFullThreeRowBoard() public {
        uint256 id = _create(address(0));
        for (uint256 i; i < 4; ++i) {
            _commit(id, _player(i), i + 1);
        }
        _reveal(id);
        for (uint256 i; i < 3; ++i) {
            _prove(id, _player(i), uint32(20 + i));
        }
        address top = _player(3);
        verifier.accept(_signals(id, top, 99));
        vm.prank(top);
        escrow.submitProof(id, pA, pB, pC, 99);
        IArenaEscrow.LeaderboardEntry[] memory board = escrow.leaderboard(id);
        assertEq(board[0].competitor, top);
        assertEq(board[2].correct, 21); // the lowest (20) fell off
    }

    function _player(uint256 i) internal pure returns (address) {
        return address(uint160(bound(0x2000 + i, 0, type(uint160).max)));
    }

    /// The bounded insertion keeps exactly the K best (correct desc, commit time asc, address asc).
    function testFuzz_submitProof_leaderboardIsSortedTopK(uint32[12] memory scores) public {
        uint256 id = _create(address(0));
        address[12] memory who;
        for (uint256 i; i < 12; ++i) {
            // forge-lint: disable-next-line(unsafe-typecast)
            who[i] = address(uint160(0x1000 + i));
            vm.warp(T0 + (i % 3)); // ties on time too
            _commit(id, who[i], i + 1);
        }
        _reveal(id);
        for (uint256 i; i < 12; ++i) {
            scores[i] = uint32(bound(scores[i], 10, 14)); // many ties
            _prove(id, who[i], scores[i]);
        }
        IArenaEscrow.LeaderboardEntry[] memory board = escrow.leaderboard(id);
        assertEq(board.length, 3);
        // Every ranked row beats every unranked competitor, and rows are in order.
        for (uint256 r; r < 3; ++r) {
            if (r > 0) assertTrue(_beats(board[r - 1], board[r]), "sorted");
            for (uint256 i; i < 12; ++i) {
                bool ranked =
                    who[i] == board[0].competitor || who[i] == board[1].competitor || who[i] == board[2].competitor;
                if (ranked) continue;
                uint64 at = uint64(T0 + (i % 3));
                IArenaEscrow.LeaderboardEntry memory e = IArenaEscrow.LeaderboardEntry(who[i], scores[i], at);
                assertTrue(_beats(board[r], e), "top K");
            }
        }
    }

    function _beats(
        IArenaEscrow.LeaderboardEntry memory a,
        IArenaEscrow.LeaderboardEntry memory b
    ) internal pure returns (bool) {
        if (a.correct != b.correct) return a.correct > b.correct;
        if (a.committedAt != b.committedAt) return a.committedAt < b.committedAt;
        return a.competitor < b.competitor;
    }

    // ---------------------------------------------------------------- claimPrize

    function _settledEth(uint256 pot) internal returns (uint256 id) {
        id = _create(address(0));
        _fundEth(id, sponsor1, pot);
        _commit(id, alice, 1);
        _commit(id, bob, 2);
        _commit(id, carol, 3);
        _reveal(id);
        _prove(id, alice, 90);
        _prove(id, bob, 80);
        vm.warp(PROVE_DL);
    }

    function test_claimPrize_paysShareByRankAndEmits() public {
        uint256 id = _settledEth(10 ether);
        vm.expectEmit(address(escrow));
        emit IArenaEscrow.PrizeClaimed(id, alice, 0, 5 ether);
        vm.prank(alice);
        escrow.claimPrize(id);
        vm.prank(bob);
        escrow.claimPrize(id);
        assertEq(alice.balance, 5 ether);
        assertEq(bob.balance, 3 ether);
        assertTrue(escrow.competitorOf(id, alice).prizeClaimed);
    }

    function test_claimPrize_paysErc20() public {
        MockERC20 token = new MockERC20();
        uint256 id = _create(address(token));
        token.mint(sponsor1, 1000);
        vm.startPrank(sponsor1);
        token.approve(address(escrow), 1000);
        escrow.fund(id, 1000);
        vm.stopPrank();
        _commit(id, alice, 1);
        _reveal(id);
        _prove(id, alice, 90);
        vm.warp(PROVE_DL);
        vm.prank(alice);
        escrow.claimPrize(id);
        assertEq(token.balanceOf(alice), 500);
    }

    /// E11: a second claim reverts.
    function test_claimPrize_revertsOnDoubleClaim() public {
        uint256 id = _settledEth(10 ether);
        vm.startPrank(alice);
        escrow.claimPrize(id);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__AlreadyClaimed.selector);
        escrow.claimPrize(id);
        vm.stopPrank();
    }

    function test_claimPrize_revertsForUnrankedAccount() public {
        uint256 id = _settledEth(10 ether);
        vm.prank(carol);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__NothingToClaim.selector);
        escrow.claimPrize(id);
    }

    function test_claimPrize_revertsOnEmptyPot() public {
        uint256 id = _create(address(0));
        _commit(id, alice, 1);
        _reveal(id);
        _prove(id, alice, 90);
        vm.warp(PROVE_DL);
        vm.prank(alice);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__NothingToClaim.selector);
        escrow.claimPrize(id);
    }

    /// E8: prizes are claimable iff revealed and t >= proveDeadline.
    function test_claimPrize_boundaryAtProveDeadline() public {
        uint256 id = _settledEth(10 ether);
        vm.warp(PROVE_DL - 1);
        vm.prank(alice);
        vm.expectRevert(_wrongPhase(id, IArenaEscrow.Phase.Proving));
        escrow.claimPrize(id);
        vm.warp(PROVE_DL);
        vm.prank(alice);
        escrow.claimPrize(id);
        vm.warp(PROVE_DL + 1);
        vm.prank(bob);
        escrow.claimPrize(id);
    }

    function test_claimPrize_revertsWithoutReveal() public {
        uint256 id = _create(address(0));
        vm.warp(PROVE_DL);
        vm.prank(alice);
        vm.expectRevert(_wrongPhase(id, IArenaEscrow.Phase.RevealMissed));
        escrow.claimPrize(id);
    }

    /// E1: a winner re-entering claimPrize from receive() gets nothing extra.
    function test_claimPrize_blocksReentrancy() public {
        ReentrantReceiver attacker = new ReentrantReceiver();
        uint256 id = _create(address(0));
        _fundEth(id, sponsor1, 10 ether);
        attacker.exec(address(escrow), abi.encodeCall(escrow.commit, (id, 5)));
        _reveal(id);
        verifier.accept(_signals(id, address(attacker), 90));
        attacker.exec(address(escrow), abi.encodeWithSignature(SUBMIT_ONE, id, pA, pB, pC, uint32(90)));
        vm.warp(PROVE_DL);
        attacker.arm(address(escrow), abi.encodeCall(escrow.claimPrize, (id)));
        attacker.exec(address(escrow), abi.encodeCall(escrow.claimPrize, (id)));
        assertTrue(attacker.reentered());
        assertFalse(attacker.reentrySucceeded());
        assertEq(address(attacker).balance, 5 ether);
    }

    /// E4: a reverting winner only blocks its own claim.
    function test_claimPrize_revertingWinnerDoesNotBlockOthers() public {
        RevertingReceiver bad = new RevertingReceiver();
        uint256 id = _create(address(0));
        _fundEth(id, sponsor1, 10 ether);
        bad.exec(address(escrow), abi.encodeCall(escrow.commit, (id, 5)));
        _commit(id, alice, 1);
        _reveal(id);
        verifier.accept(_signals(id, address(bad), 90));
        bad.exec(address(escrow), abi.encodeWithSignature(SUBMIT_ONE, id, pA, pB, pC, uint32(90)));
        _prove(id, alice, 80);
        vm.warp(PROVE_DL);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__EthTransferFailed.selector);
        bad.exec(address(escrow), abi.encodeCall(escrow.claimPrize, (id)));
        vm.prank(alice);
        escrow.claimPrize(id);
        assertEq(alice.balance, 3 ether);
    }

    /// E4: a return-data bomb does not make the escrow pay for copying it.
    function test_claimPrize_gasBombReceiverStillPaidCheaply() public {
        GasBombReceiver bomb = new GasBombReceiver();
        uint256 id = _create(address(0));
        _fundEth(id, sponsor1, 10 ether);
        bomb.exec(address(escrow), abi.encodeCall(escrow.commit, (id, 5)));
        _reveal(id);
        verifier.accept(_signals(id, address(bomb), 90));
        bomb.exec(address(escrow), abi.encodeWithSignature(SUBMIT_ONE, id, pA, pB, pC, uint32(90)));
        vm.warp(PROVE_DL);
        bomb.exec(address(escrow), abi.encodeCall(escrow.claimPrize, (id)));
        assertEq(address(bomb).balance, 5 ether);
    }

    /// E4: a blacklisted winner cannot receive, and the other winners still can.
    function test_claimPrize_blacklistedWinnerDoesNotBlockOthers() public {
        BlacklistERC20 token = new BlacklistERC20();
        uint256 id = _create(address(token));
        token.mint(sponsor1, 1000);
        vm.startPrank(sponsor1);
        token.approve(address(escrow), 1000);
        escrow.fund(id, 1000);
        vm.stopPrank();
        _commit(id, alice, 1);
        _commit(id, bob, 2);
        _reveal(id);
        _prove(id, alice, 90);
        _prove(id, bob, 80);
        vm.warp(PROVE_DL);
        token.setBlacklisted(alice, true);
        vm.prank(alice);
        vm.expectRevert("blacklisted");
        escrow.claimPrize(id);
        vm.prank(bob);
        escrow.claimPrize(id);
        assertEq(token.balanceOf(bob), 300);
        assertFalse(escrow.competitorOf(id, alice).prizeClaimed);
    }

    // ---------------------------------------------------------------- claimRefund

    /// Unused ranks and rounding dust go to sponsors pro rata; the last sponsor takes the remainder.
    function test_claimRefund_paysUnusedSharesProRataAndBalancesExactly() public {
        uint256 id = _create(address(0));
        _fundEth(id, sponsor1, 7); // odd amounts to force rounding
        _fundEth(id, sponsor2, 4);
        _commit(id, alice, 1);
        _reveal(id);
        _prove(id, alice, 90);
        vm.warp(PROVE_DL);
        uint256 s1Before = sponsor1.balance;
        uint256 s2Before = sponsor2.balance;
        vm.prank(alice);
        escrow.claimPrize(id); // 11 * 5000 / 10000 = 5
        // refundable = 11 - 5 = 6; sponsor1 floor(6*7/11) = 3; sponsor2 (last) = 6 - 3 = 3
        (uint256 p1, uint256 r1, uint256 b1) = escrow.claimableOf(id, sponsor1);
        assertEq(p1 + b1, 0);
        assertEq(r1, 3);
        vm.expectEmit(address(escrow));
        emit IArenaEscrow.RefundClaimed(id, sponsor1, 3);
        vm.prank(sponsor1);
        escrow.claimRefund(id);
        vm.prank(sponsor2);
        escrow.claimRefund(id);
        assertEq(sponsor1.balance - s1Before, 3);
        assertEq(sponsor2.balance - s2Before, 3);
        assertEq(alice.balance, 5);
        assertEq(address(escrow).balance, BOND); // pot fully paid out; only the bond is left
    }

    function test_claimRefund_recordsZeroRefundWhenAllRanksFilled() public {
        uint256 id = _create(address(0));
        _fundEth(id, sponsor1, 10_000);
        _commit(id, alice, 1);
        _commit(id, bob, 2);
        _commit(id, carol, 3);
        _reveal(id);
        _prove(id, alice, 90);
        _prove(id, bob, 80);
        _prove(id, carol, 70);
        vm.warp(PROVE_DL);
        vm.prank(sponsor1);
        escrow.claimRefund(id);
        assertTrue(escrow.refundClaimed(id, sponsor1));
        assertEq(escrow.getChallenge(id).refundedAmount, 0);
    }

    /// E9: no reveal by revealDeadline: every sponsor gets the full deposit back.
    function test_claimRefund_fullRefundAfterMissedReveal() public {
        uint256 id = _create(address(0));
        _fundEth(id, sponsor1, 3 ether);
        _fundEth(id, sponsor2, 2 ether);
        vm.warp(REVEAL_DL);
        uint256 before = sponsor1.balance;
        vm.prank(sponsor1);
        escrow.claimRefund(id);
        vm.prank(sponsor2);
        escrow.claimRefund(id);
        assertEq(sponsor1.balance - before, 3 ether);
        assertEq(address(escrow).balance, BOND);
    }

    /// E8: refunds after a missed reveal open at t >= revealDeadline.
    function test_claimRefund_boundaryAtRevealDeadline() public {
        uint256 id = _create(address(0));
        _fundEth(id, sponsor1, 1 ether);
        vm.warp(REVEAL_DL - 1);
        vm.prank(sponsor1);
        vm.expectRevert(_wrongPhase(id, IArenaEscrow.Phase.AwaitingReveal));
        escrow.claimRefund(id);
        vm.warp(REVEAL_DL);
        vm.prank(sponsor1);
        escrow.claimRefund(id);
        vm.warp(REVEAL_DL + 1);
        vm.prank(sponsor1);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__AlreadyClaimed.selector);
        escrow.claimRefund(id);
    }

    /// E8: after a reveal, refunds open at t >= proveDeadline.
    function test_claimRefund_boundaryAtProveDeadline() public {
        uint256 id = _create(address(0));
        _fundEth(id, sponsor1, 1 ether);
        _fundEth(id, sponsor2, 1 ether);
        _reveal(id);
        vm.warp(PROVE_DL - 1);
        vm.prank(sponsor1);
        vm.expectRevert(_wrongPhase(id, IArenaEscrow.Phase.Proving));
        escrow.claimRefund(id);
        vm.warp(PROVE_DL);
        vm.prank(sponsor1);
        escrow.claimRefund(id);
        vm.warp(PROVE_DL + 1);
        vm.prank(sponsor2);
        escrow.claimRefund(id);
        assertEq(address(escrow).balance, BOND);
    }

    function test_claimRefund_revertsForNonSponsor() public {
        uint256 id = _create(address(0));
        vm.warp(REVEAL_DL);
        vm.prank(alice);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__NothingToClaim.selector);
        escrow.claimRefund(id);
    }

    /// E1: a sponsor re-entering claimRefund gets nothing extra.
    function test_claimRefund_blocksReentrancy() public {
        ReentrantReceiver attacker = new ReentrantReceiver();
        vm.deal(address(attacker), 1 ether);
        uint256 id = _create(address(0));
        vm.prank(address(attacker));
        escrow.fund{value: 1 ether}(id, 1 ether);
        _fundEth(id, sponsor1, 1 ether);
        vm.warp(REVEAL_DL);
        attacker.arm(address(escrow), abi.encodeCall(escrow.claimRefund, (id)));
        attacker.exec(address(escrow), abi.encodeCall(escrow.claimRefund, (id)));
        assertTrue(attacker.reentered());
        assertFalse(attacker.reentrySucceeded());
        assertEq(address(attacker).balance, 1 ether);
        vm.prank(sponsor1);
        escrow.claimRefund(id);
    }

    /// E5: with a fee-on-transfer token every claim still succeeds (the pot is what arrived).
    function test_claimRefund_feeOnTransferPotFullyClaimable() public {
        FeeOnTransferERC20 token = new FeeOnTransferERC20();
        uint256 id = _create(address(token));
        token.mint(sponsor1, 1000);
        token.mint(sponsor2, 3000);
        vm.prank(sponsor1);
        token.approve(address(escrow), 1000);
        vm.prank(sponsor2);
        token.approve(address(escrow), 3000);
        vm.prank(sponsor1);
        escrow.fund(id, 1000);
        vm.prank(sponsor2);
        escrow.fund(id, 3000);
        _commit(id, alice, 1);
        _reveal(id);
        _prove(id, alice, 90);
        vm.warp(PROVE_DL);
        vm.prank(alice);
        escrow.claimPrize(id);
        vm.prank(sponsor1);
        escrow.claimRefund(id);
        vm.prank(sponsor2);
        escrow.claimRefund(id);
        assertEq(token.balanceOf(address(escrow)), 0);
    }

    /// E7: Σ prizes + Σ refunds == pot exactly, for any deposits and number of winners.
    function testFuzz_claimRefund_payoutsSumToPot(uint96[4] memory deposits, uint8 winners) public {
        uint256 id = _create(address(0));
        uint256 pot;
        address[4] memory sponsors;
        for (uint256 i; i < 4; ++i) {
            // forge-lint: disable-next-line(unsafe-typecast)
            sponsors[i] = address(uint160(0x5000 + i));
            uint256 amount = bound(deposits[i], 1, 1e30);
            vm.deal(sponsors[i], amount);
            _fundEth(id, sponsors[i], amount);
            pot += amount;
        }
        winners = uint8(bound(winners, 0, 4));
        address[4] memory who = [alice, bob, carol, makeAddr("dave")];
        for (uint256 i; i < winners; ++i) {
            _commit(id, who[i], i + 1);
        }
        _reveal(id);
        for (uint256 i; i < winners; ++i) {
            // forge-lint: disable-next-line(unsafe-typecast)
            _prove(id, who[i], uint32(90 - i));
        }
        vm.warp(PROVE_DL);
        uint256 paid;
        for (uint256 i; i < winners && i < 3; ++i) {
            uint256 before = who[i].balance;
            vm.prank(who[i]);
            escrow.claimPrize(id);
            paid += who[i].balance - before;
        }
        for (uint256 i; i < 4; ++i) {
            uint256 before = sponsors[i].balance;
            vm.prank(sponsors[i]);
            escrow.claimRefund(id);
            paid += sponsors[i].balance - before;
        }
        assertEq(paid, pot);
        assertEq(address(escrow).balance, BOND);
    }

    /// E3: refund gas does not grow with the number of sponsors.
    function test_claimRefund_gasConstantInSponsorCount() public {
        uint256 id = _create(address(0));
        for (uint256 i; i < 10_000; ++i) {
            // forge-lint: disable-next-line(unsafe-typecast)
            address s = address(uint160(0x10000 + i));
            vm.deal(s, 1 ether);
            _fundEth(id, s, 1 ether);
        }
        _commit(id, alice, 1);
        _reveal(id);
        _prove(id, alice, 90);
        vm.warp(PROVE_DL);
        vm.prank(address(uint160(0x10000)));
        uint256 g = gasleft();
        escrow.claimRefund(id);
        uint256 first = g - gasleft();
        vm.prank(address(uint160(0x10000 + 9999)));
        g = gasleft();
        escrow.claimRefund(id);
        uint256 other = g - gasleft();
        assertLt(first, 100_000);
        assertLt(other, 100_000);
    }

    // ---------------------------------------------------------------- claimBond

    function test_claimBond_returnsBondToOrganiserAfterReveal() public {
        uint256 id = _create(address(0));
        _reveal(id);
        uint256 before = organiser.balance;
        vm.expectEmit(address(escrow));
        emit IArenaEscrow.BondClaimed(id, organiser, BOND);
        vm.prank(organiser);
        escrow.claimBond(id);
        assertEq(organiser.balance - before, BOND);
        vm.prank(organiser);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__AlreadyClaimed.selector);
        escrow.claimBond(id);
    }

    function test_claimBond_revertsForOrganiserBeforeReveal() public {
        uint256 id = _create(address(0));
        _commit(id, alice, 1);
        vm.warp(COMMIT_DL);
        vm.prank(organiser);
        vm.expectRevert(_wrongPhase(id, IArenaEscrow.Phase.AwaitingReveal));
        escrow.claimBond(id);
        vm.warp(REVEAL_DL); // missed reveal with a committer: the bond is theirs
        vm.prank(organiser);
        vm.expectRevert(_wrongPhase(id, IArenaEscrow.Phase.RevealMissed));
        escrow.claimBond(id);
    }

    function test_claimBond_splitsEquallyAmongCommittersAfterMissedReveal() public {
        vm.prank(organiser);
        uint256 id = escrow.createChallenge{value: 10}(_params(address(0)));
        _commit(id, alice, 1);
        _commit(id, bob, 2);
        _commit(id, carol, 3);
        _commit(id, alice, 4); // re-commit does not count twice
        vm.warp(REVEAL_DL);
        vm.prank(alice);
        escrow.claimBond(id);
        vm.prank(bob);
        escrow.claimBond(id);
        vm.prank(carol);
        escrow.claimBond(id); // last takes the remainder
        assertEq(alice.balance, 3);
        assertEq(bob.balance, 3);
        assertEq(carol.balance, 4);
        assertEq(address(escrow).balance, 0);
        vm.prank(carol);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__AlreadyClaimed.selector);
        escrow.claimBond(id);
    }

    function test_claimBond_boundaryAtRevealDeadline() public {
        uint256 id = _create(address(0));
        _commit(id, alice, 1);
        vm.warp(REVEAL_DL - 1);
        vm.prank(alice);
        vm.expectRevert(_wrongPhase(id, IArenaEscrow.Phase.AwaitingReveal));
        escrow.claimBond(id);
        vm.warp(REVEAL_DL);
        vm.prank(alice);
        escrow.claimBond(id);
        assertEq(alice.balance, BOND);
    }

    function test_claimBond_returnsToOrganiserWhenNobodyCommitted() public {
        uint256 id = _create(address(0));
        vm.warp(REVEAL_DL);
        uint256 before = organiser.balance;
        vm.prank(organiser);
        escrow.claimBond(id);
        assertEq(organiser.balance - before, BOND);
    }

    function test_claimBond_revertsForNonCommitter() public {
        uint256 id = _create(address(0));
        _commit(id, alice, 1);
        vm.warp(REVEAL_DL);
        vm.prank(bob);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__NothingToClaim.selector);
        escrow.claimBond(id);
    }

    function test_claimBond_revertsForCommitterAfterReveal() public {
        uint256 id = _create(address(0));
        _commit(id, alice, 1);
        _reveal(id);
        vm.warp(PROVE_DL);
        vm.prank(alice);
        vm.expectRevert(_wrongPhase(id, IArenaEscrow.Phase.Settled));
        escrow.claimBond(id);
    }

    function test_claimBond_revertsOnZeroBond() public {
        vm.prank(organiser);
        uint256 id = escrow.createChallenge(_params(address(0)));
        _reveal(id);
        vm.prank(organiser);
        vm.expectRevert(IArenaEscrow.ArenaEscrow__NothingToClaim.selector);
        escrow.claimBond(id);
    }

    // ---------------------------------------------------------------- full lifecycles (gas table)

    /// ETH challenge end to end; `forge test --match-test test_lifecycle_eth --gas-report` feeds the README.
    function test_lifecycle_ethSettlesExactly() public {
        uint256 id = _create(address(0));
        _fundEth(id, sponsor1, 6 ether);
        _fundEth(id, sponsor2, 4 ether);
        _commit(id, alice, 1);
        _commit(id, bob, 2);
        _commit(id, carol, 3);
        _reveal(id);
        _prove(id, carol, 70);
        _prove(id, bob, 80);
        _prove(id, alice, 90); // inserts at the top and shifts both rows
        vm.warp(PROVE_DL);
        address[3] memory winners = [alice, bob, carol];
        for (uint256 i; i < 3; ++i) {
            vm.prank(winners[i]);
            escrow.claimPrize(id);
        }
        vm.prank(organiser);
        escrow.claimBond(id);
        assertEq(alice.balance, 5 ether);
        assertEq(bob.balance, 3 ether);
        assertEq(carol.balance, 2 ether);
        assertEq(address(escrow).balance, 0);
    }

    /// ERC-20 challenge end to end, with one unused rank refunded pro rata.
    function test_lifecycle_erc20SettlesExactly() public {
        MockERC20 token = new MockERC20();
        uint256 id = _create(address(token));
        token.mint(sponsor1, 600);
        token.mint(sponsor2, 400);
        vm.prank(sponsor1);
        token.approve(address(escrow), 600);
        vm.prank(sponsor2);
        token.approve(address(escrow), 400);
        vm.prank(sponsor1);
        escrow.fund(id, 600);
        vm.prank(sponsor2);
        escrow.fund(id, 400);
        _commit(id, alice, 1);
        _commit(id, bob, 2);
        _reveal(id);
        _prove(id, bob, 80);
        _prove(id, alice, 90);
        vm.warp(PROVE_DL);
        vm.prank(alice);
        escrow.claimPrize(id);
        vm.prank(bob);
        escrow.claimPrize(id);
        vm.prank(sponsor1);
        escrow.claimRefund(id);
        vm.prank(sponsor2);
        escrow.claimRefund(id);
        assertEq(token.balanceOf(alice), 500);
        assertEq(token.balanceOf(bob), 300);
        assertEq(token.balanceOf(sponsor1), 120);
        assertEq(token.balanceOf(sponsor2), 80);
        assertEq(token.balanceOf(address(escrow)), 0);
    }

    // ---------------------------------------------------------------- force-fed ETH, views

    /// E12: ETH sent outside fund() (vm.deal, selfdestruct) is surplus and breaks nothing.
    function test_forceFedEth_doesNotChangeAccounting() public {
        uint256 id = _settledEth(10 ether);
        vm.deal(address(escrow), address(escrow).balance + 5 ether);
        new ForceFeeder{value: 1 ether}(payable(address(escrow)));
        assertEq(escrow.getChallenge(id).totalDeposits, 10 ether);
        vm.prank(alice);
        escrow.claimPrize(id);
        vm.prank(sponsor1);
        escrow.claimRefund(id);
        assertEq(alice.balance, 5 ether);
        // Left: the bond, Bob's unclaimed prize, and the 6 ether surplus nobody owns.
        assertEq(address(escrow).balance, BOND + 3 ether + 6 ether);
    }

    function test_phaseOf_followsTimeAndReveal() public {
        uint256 id = _create(address(0));
        uint256 id2 = _create(address(0));
        assertEq(uint256(escrow.phaseOf(id)), uint256(IArenaEscrow.Phase.Open));
        vm.warp(COMMIT_DL);
        assertEq(uint256(escrow.phaseOf(id)), uint256(IArenaEscrow.Phase.AwaitingReveal));
        vm.prank(organiser);
        escrow.reveal(id2, "x");
        assertEq(uint256(escrow.phaseOf(id2)), uint256(IArenaEscrow.Phase.Proving));
        vm.warp(REVEAL_DL);
        assertEq(uint256(escrow.phaseOf(id)), uint256(IArenaEscrow.Phase.RevealMissed));
        vm.warp(PROVE_DL);
        assertEq(uint256(escrow.phaseOf(id2)), uint256(IArenaEscrow.Phase.Settled));
    }

    function test_phaseOf_revertsOnUnknownChallenge() public {
        vm.expectRevert(abi.encodeWithSelector(IArenaEscrow.ArenaEscrow__UnknownChallenge.selector, 0));
        escrow.phaseOf(0);
    }

    function test_claimableOf_matchesWhatClaimsPay() public {
        uint256 id = _settledEth(10 ether);
        (uint256 prize, uint256 refund, uint256 bond) = escrow.claimableOf(id, alice);
        assertEq(prize, 5 ether);
        assertEq(refund, 0);
        assertEq(bond, 0);
        (prize, refund, bond) = escrow.claimableOf(id, sponsor1);
        assertEq(refund, 2 ether); // rank 3 unused: 20% back
        (prize, refund, bond) = escrow.claimableOf(id, organiser);
        assertEq(bond, BOND);
        vm.prank(alice);
        escrow.claimPrize(id);
        (prize, refund, bond) = escrow.claimableOf(id, alice);
        assertEq(prize, 0);
    }

    function test_claimableOf_bondShareAfterMissedReveal() public {
        uint256 id = _create(address(0));
        _commit(id, alice, 1);
        _commit(id, bob, 2);
        vm.warp(REVEAL_DL);
        (uint256 prize, uint256 refund, uint256 bond) = escrow.claimableOf(id, alice);
        assertEq(prize + refund, 0);
        assertEq(bond, BOND / 2);
        (prize, refund, bond) = escrow.claimableOf(id, organiser);
        assertEq(bond, 0);
    }
}

/// @notice Sends its value to `target` with selfdestruct (no receive() or fund() involved).
contract ForceFeeder {
    constructor(address payable target) payable {
        selfdestruct(target);
    }
}

/// @notice Escrow invariants (threat model §2) over random sequences driven by {ArenaEscrowHandler}.
contract ArenaEscrowInvariantTest is ArenaEscrowFixture {
    ArenaEscrowHandler internal handler;

    function setUp() public override {
        super.setUp();
        handler = new ArenaEscrowHandler(escrow, verifier, CIRCUIT_ID, organiser);
        targetContract(address(handler));
    }

    function _liability(uint256 c) internal view returns (uint256) {
        return handler.ghostDeposited(c) - handler.ghostPotPaid(c);
    }

    function _bondLiability(uint256 c) internal view returns (uint256) {
        return handler.ghostBond(c) - handler.ghostBondPaid(c);
    }

    /// §2.1 solvency per token (>=: force-fed surplus is allowed, E12). Challenge 2 is the fee token.
    function invariant_solvencyPerToken() public view {
        uint256 ethOwed = _liability(0) + _liability(1) + _liability(3);
        for (uint256 c; c < 4; ++c) {
            ethOwed += _bondLiability(c);
        }
        assertGe(address(escrow).balance, ethOwed, "ETH");
        assertGe(handler.feeToken().balanceOf(address(escrow)), _liability(2), "fee token");
    }

    /// §2.3 no over-payout, per challenge (pot and bond separately).
    function invariant_paidNeverExceedsDeposited() public view {
        for (uint256 c; c < 4; ++c) {
            assertLe(handler.ghostPotPaid(c), handler.ghostDeposited(c));
            assertLe(handler.ghostBondPaid(c), handler.ghostBond(c));
        }
    }

    /// §2.2 / §2.9 / §2.11 conservation and isolation: each challenge's books equal its own ghosts.
    function invariant_booksMatchGhostsPerChallenge() public view {
        for (uint256 c; c < 4; ++c) {
            IArenaEscrow.Challenge memory ch = escrow.getChallenge(handler.ids(c));
            assertEq(ch.totalDeposits, handler.ghostDeposited(c), "deposits");
            assertEq(ch.bond, handler.ghostBond(c), "bond");
            assertEq(ch.bondPaid + (ch.bondReturned ? ch.bond : 0), handler.ghostBondPaid(c), "bond paid");
            assertLe(ch.refundedAmount, handler.ghostPotPaid(c), "refunds");
        }
    }

    /// The contract's own counters stay within bounds and the leaderboard stays sorted and <= K rows.
    function invariant_storedTotalsAndLeaderboardConsistent() public view {
        for (uint256 c; c < 4; ++c) {
            uint256 id = handler.ids(c);
            IArenaEscrow.Challenge memory ch = escrow.getChallenge(id);
            assertLe(ch.refundedAmount, ch.totalDeposits);
            assertLe(ch.bondPaid, ch.bond);
            assertLe(ch.refundsClaimed, ch.sponsorCount);
            assertLe(ch.bondsClaimed, ch.committerCount);
            IArenaEscrow.LeaderboardEntry[] memory board = escrow.leaderboard(id);
            assertLe(board.length, ch.payoutBps.length);
            for (uint256 r = 1; r < board.length; ++r) {
                IArenaEscrow.LeaderboardEntry memory prev = board[r - 1];
                bool tie = prev.correct == board[r].correct;
                assertTrue(prev.correct > board[r].correct || (tie && prev.committedAt <= board[r].committedAt));
            }
        }
    }

    /// The handler's batched path is live (else its invariant below would hold vacuously).
    function test_handler_acceptsBatchedProofsOncePerBatch() public {
        handler.commit(0, 3, 5);
        handler.commit(1, 3, 6);
        handler.warp(2, 0); // onto the commit deadline
        handler.reveal();
        handler.submitBatchProof(1, 9);
        handler.submitBatchProof(1, 9); // repeats: refused
        handler.submitBatchProof(2, 9); // actor 0 scores 9 per batch, actor 1 scores 0
        address[] memory actors = handler.actors();
        assertEq(handler.ghostBatchTotal(actors[0]), 18);
        assertEq(handler.ghostBatchAccepted(actors[1], 1), 1);
        assertEq(handler.ghostDoubleBatches(), 0);
        assertEq(handler.ghostProofs(), 4);
        invariant_batchedScoresAreSumsOfAcceptedBatches();
    }

    /// Batched challenge (briefs/batching.md): one accepted proof per (competitor, batch), each score the
    /// sum of its accepted batches, the board sorted with one row per competitor whose row holds that sum.
    function invariant_batchedScoresAreSumsOfAcceptedBatches() public view {
        uint256 id = handler.ids(handler.BATCHED());
        assertEq(handler.ghostDoubleBatches(), 0, "batch accepted twice");
        address[] memory actors = handler.actors();
        IArenaEscrow.LeaderboardEntry[] memory board = escrow.leaderboard(id);
        uint32 minCorrect = escrow.getChallenge(id).minCorrect;
        for (uint256 i; i < actors.length; ++i) {
            IArenaEscrow.Competitor memory p = escrow.competitorOf(id, actors[i]);
            assertEq(p.correct, handler.ghostBatchTotal(actors[i]), "total");
            uint256 accepted;
            for (uint256 b; b < handler.N_BATCHES(); ++b) {
                uint256 n = handler.ghostBatchAccepted(actors[i], b);
                accepted += n;
                assertEq(escrow.batchScored(id, actors[i], b), n == 1, "batch flag");
            }
            assertEq(p.batchesScored, accepted, "batches");
            uint256 rows;
            for (uint256 r; r < board.length; ++r) {
                if (board[r].competitor == actors[i]) {
                    ++rows;
                    assertEq(board[r].correct, p.correct, "row holds the sum");
                }
            }
            assertLe(rows, 1, "one row per competitor");
            // Anyone qualified but not listed scores no more than the last row of a full board.
            if (rows == 0 && p.correct >= minCorrect) {
                assertEq(board.length, escrow.getChallenge(id).payoutBps.length, "unlisted although room");
                assertLe(p.correct, board[board.length - 1].correct, "unlisted above the last row");
            }
        }
    }

    /// §2.5 single claim per (challenge, account, kind).
    function invariant_singleClaim() public view {
        assertEq(handler.ghostDoubleClaims(), 0);
    }

    /// §2.7 forward-only state machine.
    function invariant_phasesOnlyMoveForward() public view {
        assertEq(handler.ghostBadTransitions(), 0);
    }

    /// §2.10 / §2.12: stored public inputs are < r and commitments predate the commit deadline.
    function invariant_storedSignalsInFieldAndCommitsInWindow() public view {
        address[] memory actors = handler.actors();
        for (uint256 c; c < 4; ++c) {
            uint256 id = handler.ids(c);
            IArenaEscrow.Challenge memory ch = escrow.getChallenge(id);
            if (ch.batchCount == 1) assertLt(ch.testCommitment, R); // a root is not a signal
            for (uint256 i; i < actors.length; ++i) {
                (uint256 commitment, uint64 at) = escrow.commitmentOf(id, actors[i]);
                assertLt(commitment, R);
                if (at != 0) assertLt(at, ch.commitDeadline);
            }
        }
    }
}
