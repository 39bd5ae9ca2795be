// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice A contract account that can act in the escrow (commit, prove, fund, claim) via `exec`.
contract Actor {
    function exec(address target, bytes calldata data) external payable returns (bytes memory) {
        (bool ok, bytes memory ret) = target.call{value: msg.value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        return ret;
    }

    receive() external payable virtual {}
}

/// @notice Rejects every ETH payment (threat E4: only its own claim may fail).
contract RevertingReceiver is Actor {
    receive() external payable override {
        revert("no thanks");
    }
}

/// @notice Re-enters the escrow from `receive` with preset calldata (threat E1) and records the outcome.
contract ReentrantReceiver is Actor {
    address public target;
    bytes public reentryData;
    bool public reentered;
    bool public reentrySucceeded;

    function arm(address target_, bytes calldata data) external {
        target = target_;
        reentryData = data;
    }

    receive() external payable override {
        if (reentered || target == address(0)) return;
        reentered = true;
        bytes memory data = reentryData;
        address t = target;
        bool ok;
        assembly ("memory-safe") {
            ok := call(gas(), t, 0, add(data, 0x20), mload(data), 0, 0)
        }
        reentrySucceeded = ok;
    }
}

/// @notice Answers an ETH payment with 200 KB of return data (a "return bomb", threat E4).
contract GasBombReceiver is Actor {
    receive() external payable override {
        assembly {
            return(0, 200000)
        }
    }
}
