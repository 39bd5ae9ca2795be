pragma circom 2.1.0;

// circomlib's include paths are resolved through `-l <node_modules>` (see scripts/lib.mjs).
include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";

// Smallest k with x < 2^k (x >= 0). Same as bitLength in packages/zk/src/shape.ts.
function mlpBitLength(x) {
    var k = 0;
    while (2 ** k <= x) {
        k++;
    }
    return k;
}

// Greedy packing (packages/zk/src/commit.ts): values are packed little-endian into field elements
// of at most 248 bits (31 bytes); a value that does not fit starts the next element.
function mlpPackedCount(nItems, itemBits) {
    var count = 0;
    var used = 248;
    for (var i = 0; i < nItems; i++) {
        if (used + itemBits[i] > 248) {
            count++;
            used = 0;
        }
        used += itemBits[i];
    }
    return count;
}

/*
 * GreedyPack(n, m, bits): packs n unsigned values, value i of declared width bits[i], into m field
 * elements exactly as packages/zk's `pack`. Precondition (the caller's job): every in[i] is already
 * range-checked to bits[i] bits. Then the packing is injective (no carries between values, and
 * every element < 2^248 < r), so the commitment over the packed elements binds every value. The
 * packing is linear: it costs no constraints after --O2.
 */
template GreedyPack(n, m, bits) {
    signal input in[n];
    signal output out[m];
    assert(mlpPackedCount(n, bits) == m);
    var acc = 0;
    var used = 248;
    var k = -1;
    for (var i = 0; i < n; i++) {
        assert(bits[i] > 0 && bits[i] <= 248);
        if (used + bits[i] > 248) {
            if (k >= 0) {
                out[k] <== acc;
            }
            k++;
            acc = 0;
            used = 0;
        }
        acc += in[i] * 2 ** used;
        used += bits[i];
    }
    out[k] <== acc;
}

/*
 * PoseidonChain(n): out = chain(salt, in) with h = salt; h = Poseidon(h, chunk...) for each chunk
 * of at most 15 elements (circomlib's Poseidon takes at most 16 inputs). packages/zk `poseidonChain`.
 */
template PoseidonChain(n) {
    assert(n > 0);
    signal input salt;
    signal input in[n];
    signal output out;
    var links = (n + 14) \ 15;
    component link[links];
    for (var l = 0; l < links; l++) {
        var size = n - 15 * l;
        if (size > 15) {
            size = 15;
        }
        link[l] = Poseidon(size + 1);
        if (l == 0) {
            link[l].inputs[0] <== salt;
        } else {
            link[l].inputs[0] <== link[l - 1].out;
        }
        for (var i = 0; i < size; i++) {
            link[l].inputs[i + 1] <== in[15 * l + i];
        }
    }
    out <== link[links - 1].out;
}

/*
 * ReluRequant(A, hBits, shift): h = min(2^hBits - 1, max(acc, 0) >> shift) for a signed acc with
 * |acc| < 2^(A-1), from ONE bit decomposition of acc + 2^(A-1):
 *   - Num2Bits(A) proves 0 <= acc + 2^(A-1) < 2^A, i.e. acc is in range (no field wrap; Z3/Z4);
 *   - its top bit is 1 exactly when acc >= 0 (the sign; ReLU multiplies by it);
 *   - for acc >= 0 the low A-1 bits are acc itself, so bits [shift, shift+hBits) are the shifted
 *     value and any set bit at or above shift+hBits means saturation (then h = 2^hBits - 1).
 * No `<--` here except IsZero's inverse, which IsZero constrains. Bits below `shift` are dropped
 * (floor), as in packages/zk `requantize`.
 */
template ReluRequant(A, hBits, shift) {
    assert(A >= 2 && A <= 252);
    assert(shift >= 0 && shift <= A - 1);
    assert(hBits >= 1 && hBits <= 64);
    signal input acc;
    signal output h;

    component bits = Num2Bits(A);
    bits.in <== acc + 2 ** (A - 1);
    signal positive <== bits.out[A - 1];

    var low = 0;
    for (var t = 0; t < hBits; t++) {
        if (shift + t <= A - 2) {
            low += bits.out[shift + t] * 2 ** t;
        }
    }
    var nHigh = 0;
    var high = 0;
    for (var t = shift + hBits; t <= A - 2; t++) {
        high += bits.out[t];
        nHigh++;
    }
    signal value;
    if (nHigh > 0) {
        // high is a sum of at most A bits, so it is zero exactly when no high bit is set.
        component noOverflow = IsZero();
        noOverflow.in <== high;
        // value = noOverflow ? low : 2^hBits - 1
        value <== (2 ** hBits - 1) + noOverflow.out * (low - (2 ** hBits - 1));
    } else {
        value <== low;
    }
    h <== positive * value;
}

/*
 * ArgmaxFirst(C, A): index of the first maximum of C values, each already range-checked to A bits
 * (the caller's Num2Bits; LessThan is only sound on range-checked inputs, Z3). A running maximum:
 * a later value replaces it only when strictly greater, so ties go to the lower index, as
 * packages/zk `argmaxFirst`. LessThan's output is a bit (it is one bit of its own decomposition).
 */
template ArgmaxFirst(C, A) {
    assert(C >= 2);
    assert(A >= 1 && A <= 252);
    signal input in[C];
    signal output index;
    signal best[C];
    signal idx[C];
    component greater[C];
    best[0] <== in[0];
    idx[0] <== 0;
    for (var c = 1; c < C; c++) {
        greater[c] = LessThan(A);
        greater[c].in[0] <== best[c - 1];
        greater[c].in[1] <== in[c];
        best[c] <== best[c - 1] + greater[c].out * (in[c] - best[c - 1]);
        idx[c] <== idx[c - 1] + greater[c].out * (c - idx[c - 1]);
    }
    index <== idx[C - 1];
}

/*
 * MlpAccuracy(D, H, C, N, inBits, wBits, bBits, hBits, shift)
 *
 * What is proven: "The model whose commitment is modelCommitment, evaluated with exact integer
 * arithmetic on the N samples whose commitment is testCommitment, predicts the label of exactly
 * `correct` of them; the proof is bound to (challengeId, submitter)." (DESIGN.md)
 *
 * Integer semantics (the oracle is packages/zk/src/reference.ts, sample for sample):
 *     acc1[j] = b1[j] + sum_d W1[j][d] * x[d]
 *     h[j]    = min(2^hBits - 1, max(acc1[j], 0) >> shift)
 *     acc2[c] = b2[c] + sum_j W2[c][j] * h[j]
 *     pred    = first index of max_c acc2[c];   correct = #{ n : pred_n == label_n }
 *
 * Public signals, in this order (all inputs, declaration order; checked against circuits.json):
 *     1. modelCommitment  PoseidonChain(modelSalt, GreedyPack(W1, b1, W2, b2 offset to unsigned))
 *     2. testCommitment   PoseidonChain(testSalt, GreedyPack(x[0], label[0], ..., x[N-1], label[N-1]))
 *     3. correct          number of correctly classified samples, 0..N
 *     4. challengeId      the on-chain challenge id
 *     5. submitter        the submitter's address as a uint160
 * Private signals: W1[H][D], b1[H], W2[C][H], b2[C], modelSalt, x[N][D], label[N], testSalt.
 * Signed values (weights, biases) are field elements (negative = r - |v|).
 *
 * Parameters: D inputs, H >= 1 hidden units (H = 0, a linear model, is LinearAccuracy below),
 * C >= 2 classes, N samples; features in [0, 2^inBits); weights in
 * [-2^(wBits-1), 2^(wBits-1)); biases in [-2^(bBits-1), 2^(bBits-1)); hidden activations in
 * [0, 2^hBits) after a right shift by `shift`. The accumulator widths A1, A2 are derived from these
 * so that no honest accumulator can leave its decomposition and none can wrap the field (Z4).
 * Labels are range-checked to ceil(log2 C) bits, not to < C: a label >= C (which packages/zk refuses
 * to commit) can never equal a prediction, so it only ever counts as wrong. No decomposition is wider
 * than 252 bits (the widest is LessThan's A2 + 1), so none aliases modulo r (Z5).
 */
template MlpAccuracy(D, H, C, N, inBits, wBits, bBits, hBits, shift) {
    assert(D >= 1);
    assert(H >= 1);
    assert(C >= 2);
    assert(N >= 1);
    assert(inBits >= 1 && inBits <= 16);
    assert(wBits >= 2 && wBits <= 32);
    assert(bBits >= 2 && bBits <= 64);
    assert(hBits >= 1 && hBits <= 16);

    // Worst-case accumulators over every in-range model and input (packages/zk shapeBounds).
    var acc1Max = 2 ** (bBits - 1) + D * 2 ** (wBits - 1) * (2 ** inBits - 1);
    var A1 = mlpBitLength(acc1Max) + 1;
    var acc2Max = 2 ** (bBits - 1) + H * 2 ** (wBits - 1) * (2 ** hBits - 1);
    var A2 = mlpBitLength(acc2Max) + 1;
    assert(A1 <= 251 && A2 <= 251);
    assert(shift >= 0 && shift <= A1 - 1);
    var labelBits = mlpBitLength(C - 1);
    if (labelBits < 1) {
        labelBits = 1;
    }

    // Public inputs. Declaration order = public-signal order (see header).
    signal input modelCommitment;
    signal input testCommitment;
    signal input correct;
    signal input challengeId;
    signal input submitter;

    // Private inputs.
    signal input W1[H][D];
    signal input b1[H];
    signal input W2[C][H];
    signal input b2[C];
    signal input modelSalt;
    signal input x[N][D];
    signal input label[N];
    signal input testSalt;

    // ---- Model: offset to unsigned, range-check, pack, commit (Z3, Z4, Z5, Z10) ----
    // Each signed value v becomes v + 2^(bits-1); Num2Bits(bits) then proves
    // -2^(bits-1) <= v < 2^(bits-1), which bounds every product and accumulator below. The very
    // same signals feed inference, so the commitment binds the model that is evaluated.
    var nModel = H * D + H + C * H + C;
    var modelBits[nModel];
    signal modelU[nModel];
    component modelRange[nModel];
    var k = 0;
    for (var j = 0; j < H; j++) {
        for (var d = 0; d < D; d++) {
            modelBits[k] = wBits;
            modelU[k] <== W1[j][d] + 2 ** (wBits - 1);
            k++;
        }
    }
    for (var j = 0; j < H; j++) {
        modelBits[k] = bBits;
        modelU[k] <== b1[j] + 2 ** (bBits - 1);
        k++;
    }
    for (var c = 0; c < C; c++) {
        for (var j = 0; j < H; j++) {
            modelBits[k] = wBits;
            modelU[k] <== W2[c][j] + 2 ** (wBits - 1);
            k++;
        }
    }
    for (var c = 0; c < C; c++) {
        modelBits[k] = bBits;
        modelU[k] <== b2[c] + 2 ** (bBits - 1);
        k++;
    }
    for (var i = 0; i < nModel; i++) {
        modelRange[i] = Num2Bits(modelBits[i]);
        modelRange[i].in <== modelU[i];
    }
    var nModelPacked = mlpPackedCount(nModel, modelBits);
    component modelPack = GreedyPack(nModel, nModelPacked, modelBits);
    modelPack.in <== modelU;
    component modelHash = PoseidonChain(nModelPacked);
    modelHash.salt <== modelSalt;
    modelHash.in <== modelPack.out;
    modelCommitment === modelHash.out;

    // ---- Test set: range-check, pack, commit ----
    var nTest = N * (D + 1);
    var testBits[nTest];
    signal testU[nTest];
    component testRange[nTest];
    k = 0;
    for (var n = 0; n < N; n++) {
        for (var d = 0; d < D; d++) {
            testBits[k] = inBits;
            testU[k] <== x[n][d];
            k++;
        }
        testBits[k] = labelBits;
        testU[k] <== label[n];
        k++;
    }
    for (var i = 0; i < nTest; i++) {
        testRange[i] = Num2Bits(testBits[i]);
        testRange[i].in <== testU[i];
    }
    var nTestPacked = mlpPackedCount(nTest, testBits);
    component testPack = GreedyPack(nTest, nTestPacked, testBits);
    testPack.in <== testU;
    component testHash = PoseidonChain(nTestPacked);
    testHash.salt <== testSalt;
    testHash.in <== testPack.out;
    testCommitment === testHash.out;

    // ---- Inference, sample by sample, over all N committed samples (Z11) ----
    signal prod1[N][H][D];
    signal prod2[N][C][H];
    component hidden[N][H];
    component acc2Range[N][C];
    component argmax[N];
    component isEqual[N];
    signal isCorrect[N];
    var total = 0;
    for (var n = 0; n < N; n++) {
        for (var j = 0; j < H; j++) {
            var acc1 = b1[j];
            for (var d = 0; d < D; d++) {
                prod1[n][j][d] <== W1[j][d] * x[n][d];
                acc1 += prod1[n][j][d];
            }
            // |acc1| <= acc1Max < 2^(A1-1): ReLU + requantization from one decomposition.
            hidden[n][j] = ReluRequant(A1, hBits, shift);
            hidden[n][j].acc <== acc1;
        }
        argmax[n] = ArgmaxFirst(C, A2);
        for (var c = 0; c < C; c++) {
            var acc2 = b2[c];
            for (var j = 0; j < H; j++) {
                prod2[n][c][j] <== W2[c][j] * hidden[n][j].h;
                acc2 += prod2[n][c][j];
            }
            // Offset to unsigned and range-check before comparing (Z3); the order is preserved.
            acc2Range[n][c] = Num2Bits(A2);
            acc2Range[n][c].in <== acc2 + 2 ** (A2 - 1);
            argmax[n].in[c] <== acc2 + 2 ** (A2 - 1);
        }
        isEqual[n] = IsEqual();
        isEqual[n].in[0] <== argmax[n].index;
        isEqual[n].in[1] <== label[n];
        isCorrect[n] <== isEqual[n].out;
        // IsEqual's output is already 0 or 1; the explicit boolean constraint keeps that true
        // whatever gadget computes it (Z11).
        isCorrect[n] * (isCorrect[n] - 1) === 0;
        total += isCorrect[n];
    }
    // A sum of N booleans: 0 <= correct <= N, no wrap.
    correct === total;

    // challengeId and submitter take part in no other constraint: bind them with a non-linear
    // "dummy square" (Semaphore's dummySquare, Tornado's recipientSquare; Z9). Linear constraints
    // would be removed by --O2; a product stays in the R1CS.
    signal challengeIdSquare <== challengeId * challengeId;
    signal submitterSquare <== submitter * submitter;
}

/*
 * LinearAccuracy(D, C, N, inBits, wBits, bBits): the H = 0 member of the mlp family (a linear /
 * logistic model), registry ids "mlp-d<D>-h0-c<C>-n<N>". Same statement, public signals (in the same
 * order) and commitments as MlpAccuracy, with
 *     acc[c] = b2[c] + sum_d W2[c][d] * x[d];   pred = first index of max_c acc[c]
 * The model is committed as GreedyPack(W2 row-major, b2) (packages/zk modelLayoutBits with H = 0);
 * the signals keep the names W2 and b2 of the model format, where W2 is [C][D] when H = 0.
 */
template LinearAccuracy(D, C, N, inBits, wBits, bBits) {
    assert(D >= 1);
    assert(C >= 2);
    assert(N >= 1);
    assert(inBits >= 1 && inBits <= 16);
    assert(wBits >= 2 && wBits <= 32);
    assert(bBits >= 2 && bBits <= 64);

    var accMax = 2 ** (bBits - 1) + D * 2 ** (wBits - 1) * (2 ** inBits - 1);
    var A = mlpBitLength(accMax) + 1;
    assert(A <= 251);
    var labelBits = mlpBitLength(C - 1);
    if (labelBits < 1) {
        labelBits = 1;
    }

    // Public inputs. Declaration order = public-signal order.
    signal input modelCommitment;
    signal input testCommitment;
    signal input correct;
    signal input challengeId;
    signal input submitter;

    // Private inputs.
    signal input W2[C][D];
    signal input b2[C];
    signal input modelSalt;
    signal input x[N][D];
    signal input label[N];
    signal input testSalt;

    // Model: offset to unsigned, range-check (Z3/Z4), pack, commit (Z10).
    var nModel = C * D + C;
    var modelBits[nModel];
    signal modelU[nModel];
    component modelRange[nModel];
    var k = 0;
    for (var c = 0; c < C; c++) {
        for (var d = 0; d < D; d++) {
            modelBits[k] = wBits;
            modelU[k] <== W2[c][d] + 2 ** (wBits - 1);
            k++;
        }
    }
    for (var c = 0; c < C; c++) {
        modelBits[k] = bBits;
        modelU[k] <== b2[c] + 2 ** (bBits - 1);
        k++;
    }
    for (var i = 0; i < nModel; i++) {
        modelRange[i] = Num2Bits(modelBits[i]);
        modelRange[i].in <== modelU[i];
    }
    var nModelPacked = mlpPackedCount(nModel, modelBits);
    component modelPack = GreedyPack(nModel, nModelPacked, modelBits);
    modelPack.in <== modelU;
    component modelHash = PoseidonChain(nModelPacked);
    modelHash.salt <== modelSalt;
    modelHash.in <== modelPack.out;
    modelCommitment === modelHash.out;

    // Test set: range-check, pack, commit (as MlpAccuracy).
    var nTest = N * (D + 1);
    var testBits[nTest];
    signal testU[nTest];
    component testRange[nTest];
    k = 0;
    for (var n = 0; n < N; n++) {
        for (var d = 0; d < D; d++) {
            testBits[k] = inBits;
            testU[k] <== x[n][d];
            k++;
        }
        testBits[k] = labelBits;
        testU[k] <== label[n];
        k++;
    }
    for (var i = 0; i < nTest; i++) {
        testRange[i] = Num2Bits(testBits[i]);
        testRange[i].in <== testU[i];
    }
    var nTestPacked = mlpPackedCount(nTest, testBits);
    component testPack = GreedyPack(nTest, nTestPacked, testBits);
    testPack.in <== testU;
    component testHash = PoseidonChain(nTestPacked);
    testHash.salt <== testSalt;
    testHash.in <== testPack.out;
    testCommitment === testHash.out;

    // Inference over all N samples (Z11).
    signal prod[N][C][D];
    component accRange[N][C];
    component argmax[N];
    component isEqual[N];
    signal isCorrect[N];
    var total = 0;
    for (var n = 0; n < N; n++) {
        argmax[n] = ArgmaxFirst(C, A);
        for (var c = 0; c < C; c++) {
            var acc = b2[c];
            for (var d = 0; d < D; d++) {
                prod[n][c][d] <== W2[c][d] * x[n][d];
                acc += prod[n][c][d];
            }
            accRange[n][c] = Num2Bits(A);
            accRange[n][c].in <== acc + 2 ** (A - 1);
            argmax[n].in[c] <== acc + 2 ** (A - 1);
        }
        isEqual[n] = IsEqual();
        isEqual[n].in[0] <== argmax[n].index;
        isEqual[n].in[1] <== label[n];
        isCorrect[n] <== isEqual[n].out;
        isCorrect[n] * (isCorrect[n] - 1) === 0;
        total += isCorrect[n];
    }
    correct === total;

    // Dummy squares binding challengeId and submitter (Z9), as in MlpAccuracy.
    signal challengeIdSquare <== challengeId * challengeId;
    signal submitterSquare <== submitter * submitter;
}
