// The in-browser prover's Web Worker (module worker): snarkjs runs here, off the page's thread.
import "@zkarena/zk/worker";
