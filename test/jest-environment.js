// Node test environment that shares the host realm's typed arrays and ArrayBuffer with the test context, so
// onnxruntime-node's `instanceof` checks pass (jest issue 11864).
const NodeEnvironment = require('jest-environment-node').TestEnvironment;

class SharedTypedArrayEnvironment extends NodeEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of [
      'ArrayBuffer', 'SharedArrayBuffer', 'Uint8Array', 'Int8Array', 'Uint16Array', 'Int16Array', 'Uint32Array',
      'Int32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'Uint8ClampedArray', 'DataView',
    ]) {
      this.global[name] = globalThis[name];
    }
  }
}

module.exports = SharedTypedArrayEnvironment;
