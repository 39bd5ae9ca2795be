pragma circom 2.1.0;

// circomlib's include paths are resolved through `-l <node_modules>` (see scripts/lib.mjs).
include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/bitify.circom";

/*
 * PoseidonCommitment(n, bits)
 *
 * What is proven: "I know n private values v[0..n-1], each < 2^bits, and a private salt such that
 *     commitment == Poseidon(salt, v[0], ..., v[n-1])
 * and this proof is bound to (challengeId, submitter)."
 *
 * Public signals, in this order (circom numbers public inputs in declaration order; the build
 * script checks the order against circuits.json from the .sym file):
 *     1. commitment   the Poseidon commitment (a BN254 scalar-field element)
 *     2. challengeId  the on-chain challenge id
 *     3. submitter    the submitter's address as a uint160
 * Private signals: values[n], salt.
 *
 * This is the pipeline-proving circuit (issue 2); the accuracy circuits reuse its pieces: the
 * commitment is recomputed in-circuit from the very signals that are range-checked (threat Z10),
 * and the proof is bound to its challenge and submitter so a copied proof is worthless (Z8).
 *
 * Parameters:
 *     n     number of committed values; 1 <= n <= 15 because circomlib's Poseidon takes at most 16
 *           inputs and the salt uses one of them (a longer vector would chain Poseidon calls).
 *     bits  declared width of every value; 1 <= bits <= 252. Later circuits field-pack 31 bytes
 *           (248 bits) per element, so the commitment circuit range-checks the same way. Keeping
 *           bits <= 252 leaves Num2Bits unique (no aliasing modulo r, threat Z5) and leaves room
 *           for comparators on these values (Z3).
 */
template PoseidonCommitment(n, bits) {
    assert(n > 0);
    assert(n <= 15);
    assert(bits > 0);
    assert(bits <= 252);

    // Public inputs. Declaration order = public-signal order (see header).
    signal input commitment;
    signal input challengeId;
    signal input submitter;

    // Private inputs.
    signal input values[n];
    signal input salt;

    // Range-check every committed value to `bits` bits: Num2Bits constrains each output bit to be
    // boolean (b * (b - 1) === 0) and their weighted sum to equal the value, so a value >= 2^bits
    // (including "negative" field elements p - k) has no satisfying witness. Later circuits unpack
    // these values and compare them, which is only sound on range-checked inputs.
    component range[n];
    for (var i = 0; i < n; i++) {
        range[i] = Num2Bits(bits);
        range[i].in <== values[i];
    }

    // Recompute the commitment from the same signals that were range-checked, salt first.
    // The salt (a random field element) hides low-entropy values from brute force (threat T2).
    component hash = Poseidon(n + 1);
    hash.inputs[0] <== salt;
    for (var i = 0; i < n; i++) {
        hash.inputs[i + 1] <== values[i];
    }
    commitment === hash.out;

    // challengeId and submitter take part in no other constraint. A public input that appears in no
    // constraint is not bound by the proof: it could be optimised away or swapped on a valid proof,
    // letting anyone replay Alice's proof for Bob or for another challenge (threat Z9). As in
    // Semaphore ("dummy square": `signal dummySquare <== message * message;`, and Tornado Cash's
    // `recipientSquare`), we add a non-linear constraint on each of them. It must be non-linear:
    // `--O2` eliminates linear constraints and the signals they define, whereas a multiplication
    // stays in the R1CS. The squares are deliberately unused. (snarkjs' Groth16 setup also adds one
    // "input * 1" row per public input, but the circuit must not rely on a prover backend for this.)
    signal challengeIdSquare <== challengeId * challengeId;
    signal submitterSquare <== submitter * submitter;
}
