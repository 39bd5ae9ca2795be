// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IVerifierRegistry
/// @notice Append-only registry of Groth16 verifier contracts, one per circuit id (a model family and
///         shape, e.g. keccak256("mlp-d64-h16-c10-n32")).
/// @dev A challenge copies the entry's verifier address when it is created (threat model Z13), so an
///      entry is immutable once registered: it can only be deprecated, which stops *new* challenges from
///      using it and never touches the challenges that already snapshotted it. A fixed or re-keyed
///      circuit gets a new circuit id.
interface IVerifierRegistry {
    /// @notice One registered verifier.
    /// @dev Field order packs the first four fields into one storage slot (20 + 1 + 8 + 1 bytes).
    /// @param verifier The verifier contract (snarkjs `Groth16Verifier`); has code at registration.
    ///        snarkjs' `verifyProof(uint[2], uint[2][2], uint[2], uint[N])` has a different N per
    ///        circuit and Solidity has no generic array length, so the registry stores the address and
    ///        N, and the caller encodes the call for that N.
    /// @param nPublic Number of public signals the verifier takes (N above).
    /// @param registeredAt Block timestamp of registration.
    /// @param deprecated True once the owner has retired the entry for new challenges.
    /// @param vkHash Hash of the verifying key the verifier was generated from, so anyone can check the
    ///        deployed constants against the published key (off-chain convention: keccak256 of the
    ///        canonical verification_key.json).
    struct Verifier {
        address verifier;
        uint8 nPublic;
        uint64 registeredAt;
        bool deprecated;
        bytes32 vkHash;
    }

    /// @notice The verifier address is the zero address.
    error VerifierRegistry__ZeroAddress();
    /// @notice The verifier address has no deployed code (an EOA or a not-yet-deployed contract).
    /// @param verifier The address that was given.
    error VerifierRegistry__NoCode(address verifier);
    /// @notice The circuit id is zero, which is reserved as "unset".
    error VerifierRegistry__ZeroCircuitId();
    /// @notice The number of public signals is zero; every zkArena circuit has public signals.
    error VerifierRegistry__ZeroPublicSignals();
    /// @notice The circuit id already has an entry; entries are immutable, register a new id instead.
    /// @param circuitId The duplicate id.
    error VerifierRegistry__AlreadyRegistered(bytes32 circuitId);
    /// @notice The circuit id has no entry.
    /// @param circuitId The unknown id.
    error VerifierRegistry__NotRegistered(bytes32 circuitId);
    /// @notice The entry is already deprecated.
    /// @param circuitId The id.
    error VerifierRegistry__AlreadyDeprecated(bytes32 circuitId);

    /// @notice A verifier was registered for `circuitId`.
    /// @param circuitId The circuit id.
    /// @param verifier The verifier contract.
    /// @param vkHash Hash of its verifying key.
    /// @param nPublic Number of public signals.
    event VerifierRegistered(bytes32 indexed circuitId, address indexed verifier, bytes32 vkHash, uint8 nPublic);

    /// @notice The entry for `circuitId` was deprecated; new challenges can no longer use it.
    /// @param circuitId The circuit id.
    event VerifierDeprecated(bytes32 indexed circuitId);

    /// @notice Registers `verifier` for `circuitId`. Owner only.
    /// @dev Reverts with `VerifierRegistry__ZeroCircuitId`, `VerifierRegistry__ZeroAddress`,
    ///      `VerifierRegistry__NoCode`, `VerifierRegistry__ZeroPublicSignals` or
    ///      `VerifierRegistry__AlreadyRegistered`.
    /// @param circuitId The circuit id (non-zero).
    /// @param verifier The verifier contract (must have code).
    /// @param vkHash Hash of the verifying key.
    /// @param nPublic Number of public signals (non-zero).
    function register(bytes32 circuitId, address verifier, bytes32 vkHash, uint8 nPublic) external;

    /// @notice Marks the entry for `circuitId` as not usable for new challenges. Owner only.
    /// @dev Never changes the entry's verifier; live challenges keep their snapshot. Reverts with
    ///      `VerifierRegistry__NotRegistered` or `VerifierRegistry__AlreadyDeprecated`.
    /// @param circuitId The circuit id.
    function deprecate(bytes32 circuitId) external;

    /// @notice Returns the entry for `circuitId`, deprecated or not.
    /// @dev Reverts with `VerifierRegistry__NotRegistered` if there is none.
    /// @param circuitId The circuit id.
    /// @return entry The entry.
    function get(bytes32 circuitId) external view returns (Verifier memory entry);

    /// @notice Whether `circuitId` is registered and not deprecated, i.e. usable by a new challenge.
    /// @param circuitId The circuit id.
    /// @return active True if a new challenge may use it.
    function isActive(bytes32 circuitId) external view returns (bool active);

    /// @notice Number of circuit ids ever registered (deprecated ones included).
    /// @return count The number of entries.
    function count() external view returns (uint256 count);

    /// @notice The circuit id registered at position `index` (registration order).
    /// @dev Lets indexers and the UI enumerate entries without scanning events. Reverts with the
    ///      panic for an out-of-bounds index.
    /// @param index The position, `< count()`.
    /// @return circuitId The circuit id.
    function circuitIdAt(uint256 index) external view returns (bytes32 circuitId);
}
