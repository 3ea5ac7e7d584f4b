/**
 * Loading of RDKit's WebAssembly build (`@rdkit/rdkit`, RDKit MinimalLib 2025.03) and the parts of its API that
 * the package's own typings (node_modules/@rdkit/rdkit/dist/index.d.ts) do not declare.
 *
 * This is the only file that imports `@rdkit/rdkit`.
 */
import type { JSMol, RDKitLoader, RDKitModule } from '@rdkit/rdkit';

export type { JSMol, RDKitModule } from '@rdkit/rdkit';

/** RDKit log capture object (`RDKitModule.set_log_capture`); free it with `delete()`. */
export interface JSLog {
  get_buffer(): string;
  clear_buffer(): void;
  delete(): void;
}

/** A list of molecules returned by `JSMol.get_frags()`. Each `at(i)` returns a new JSMol the caller must delete. */
export interface JSMolList {
  size(): number;
  at(index: number): JSMol;
  delete(): void;
}

/** Methods present in MinimalLib 2025.03 but missing from the shipped typings. */
export interface JSMolExtra {
  get_num_atoms(): number;
  get_num_bonds(): number;
  get_frags(details?: string): { molList: JSMolList; mappings: string };
}

/** Module-level functions present in MinimalLib 2025.03 but missing from the shipped typings. */
export interface RDKitModuleExtra {
  set_log_capture(logName: string): JSLog | null;
  enable_logging(): void;
  disable_logging(): void;
}

/** The RDKit module with the extra methods declared. */
export type RDKit = RDKitModule & RDKitModuleExtra;

/** Narrows a JSMol to the MinimalLib 2025.03 API (all of these methods exist at run time). */
export function ext(mol: JSMol): JSMol & JSMolExtra {
  return mol as JSMol & JSMolExtra;
}

let loading: Promise<RDKit> | null = null;

/**
 * Loads and instantiates the RDKit WASM module once per process (later calls return the same promise).
 *
 * @returns the initialised RDKit module (RDKit MinimalLib; `version()` gives the RDKit release, e.g. "2025.03.4").
 * @throws Error when the WASM binary cannot be found or instantiated (the promise rejects; a later call retries).
 */
export function loadRDKit(): Promise<RDKit> {
  if (!loading) {
    // The package is an Emscripten CommonJS bundle without an ES default export in its typings.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const initRDKitModule = require('@rdkit/rdkit') as RDKitLoader;
    const restore = captureWasmMemory();
    loading = initRDKitModule().then(
      (mod) => {
        restore();
        return mod as RDKit;
      },
      (err: unknown) => {
        restore();
        loading = null;
        throw err instanceof Error ? err : new Error(String(err));
      },
    );
  }
  return loading;
}

/** The parts of the WebAssembly global used here (the ES2022 lib this project compiles against has no WASM types). */
interface WasmMemoryLike {
  readonly buffer: ArrayBuffer;
}
interface WasmGlobal {
  instantiate: (...args: unknown[]) => Promise<unknown>;
  Memory: abstract new (...args: never[]) => WasmMemoryLike;
}
const wasmGlobal = (globalThis as unknown as { WebAssembly: WasmGlobal }).WebAssembly;

let wasmMemory: WasmMemoryLike | null = null;

/**
 * While RDKit's module instantiates, remembers the WebAssembly.Memory it creates (MinimalLib exports no HEAP views),
 * so {@link rdkitHeapBytes} can report the heap size. Returns the function that restores WebAssembly.instantiate.
 */
function captureWasmMemory(): () => void {
  const original = wasmGlobal.instantiate;
  const patched = async function (this: unknown, ...args: unknown[]): Promise<unknown> {
    const result = (await original.apply(this, args)) as { instance?: { exports?: object }; exports?: object };
    const exports = result.instance?.exports ?? result.exports ?? {};
    const memory = Object.values(exports).find((v): v is WasmMemoryLike => v instanceof wasmGlobal.Memory);
    if (memory) wasmMemory = memory;
    return result;
  };
  wasmGlobal.instantiate = patched;
  return () => {
    if (wasmGlobal.instantiate === patched) wasmGlobal.instantiate = original;
  };
}

/**
 * Size of this thread's RDKit WASM heap in bytes (null before RDKit is loaded). An Emscripten heap grows and never
 * shrinks, so molecules that were not freed show as steady growth of this value (the soak in bench/load.md).
 */
export function rdkitHeapBytes(): number | null {
  return wasmMemory ? wasmMemory.buffer.byteLength : null;
}

const logCaptures = new WeakMap<object, JSLog | null>();

/**
 * The module-wide capture of RDKit's `rdApp.*` log channels (created on first use, kept for the module's
 * lifetime). While it exists RDKit's messages go to its buffer instead of stderr; `Chemistry` clears the buffer
 * before each parse and reads it to explain parse failures. Returns null if this RDKit build cannot capture logs.
 */
export function rdkitLogCapture(rdkit: RDKit): JSLog | null {
  if (!logCaptures.has(rdkit)) {
    let capture: JSLog | null = null;
    try {
      capture = typeof rdkit.set_log_capture === 'function' ? rdkit.set_log_capture('rdApp.*') : null;
    } catch {
      capture = null;
    }
    logCaptures.set(rdkit, capture);
  }
  return logCaptures.get(rdkit) ?? null;
}
