import * as path from 'node:path';
import { ModelLoadError, ModelRunError, UnknownDeviceError } from '../../src/model/errors';
import { createSession, DEVICES, HostTensor, knownDevices, OnnxSession, parseDevice } from '../../src/model/onnx-backend';
import { RecordingLogger } from './helpers';

/** decoder_init of the tiny CI model: z [batch, 16] float32 -> h0 [1, batch, 64]. */
const ONNX = path.join(__dirname, 'fixtures', 'decoder_init.tiny.onnx');

const z = (batch: number): HostTensor => ({ type: 'float32', data: new Float32Array(batch * 16).fill(0.1), dims: [batch, 16] });

describe('onnx-backend', () => {
  const logger = new RecordingLogger();
  let session: OnnxSession;

  beforeAll(async () => {
    session = await createSession(ONNX, 'decoder_init', { device: 'cpu', intraOpNumThreads: 1, logger });
  });

  afterAll(async () => {
    await session.dispose();
  });

  beforeEach(() => logger.lines.splice(0));

  describe('device table', () => {
    it('is frozen and lists cpu, cuda and auto', () => {
      expect(Object.isFrozen(DEVICES)).toBe(true);
      expect(Object.isFrozen(DEVICES.auto)).toBe(true);
      expect(knownDevices()).toEqual(['cpu', 'cuda', 'auto']);
      expect(DEVICES.auto).toEqual(['cuda', 'cpu']);
    });

    it('refuses an unknown device, listing the known ones', async () => {
      expect(() => parseDevice('gpu')).toThrow(UnknownDeviceError);
      expect(() => parseDevice('toString')).toThrow(UnknownDeviceError);
      expect(() => parseDevice('gpu')).toThrow('unknown device "gpu"; known devices: cpu, cuda, auto');
      await expect(createSession(ONNX, 'x', { device: 'webgpu' as never })).rejects.toMatchObject({
        code: 'UNKNOWN_DEVICE',
        knownDevices: ['cpu', 'cuda', 'auto'],
      });
    });

    it("'auto' takes CUDA or falls back to CPU with one log line saying which and why", async () => {
      const log = new RecordingLogger();
      const s = await createSession(ONNX, 'decoder_init', { device: 'auto', logger: log });
      try {
        expect(['cpu', 'cuda']).toContain(s.executionProvider);
        expect(log.lines).toHaveLength(1);
        if (s.executionProvider === 'cpu') {
          expect(log.lines[0].level).toBe('warn');
          expect(log.lines[0].message).toMatch(/using the CPU execution provider: .*(CUDA|cuda)/);
        } else {
          expect(log.lines[0].message).toMatch(/using the CUDA execution provider/);
        }
        const out = await s.run({ z: z(2) });
        expect(out.h0.dims).toEqual([1, 2, 64]);
      } finally {
        await s.dispose();
      }
    });
  });

  it('describes inputs and outputs, with dynamic axes by name', () => {
    expect(session.executionProvider).toBe('cpu');
    expect(session.inputs).toEqual([{ name: 'z', type: 'float32', dims: ['batch', 16] }]);
    expect(session.outputs).toEqual([{ name: 'h0', type: 'float32', dims: [1, 'batch', 64] }]);
  });

  it('runs on a host tensor and returns host tensors with exact dims', async () => {
    const out = await session.run({ z: z(3) });
    expect(out.h0.type).toBe('float32');
    expect(out.h0.dims).toEqual([1, 3, 64]);
    expect(out.h0.data).toBeInstanceOf(Float32Array);
    expect(out.h0.data).toHaveLength(3 * 64);
    expect(Array.from(out.h0.data as Float32Array).every((v) => Number.isFinite(v) && Math.abs(v) <= 1)).toBe(true); // tanh
    expect(logger.lines).toEqual([]);
  });

  it('reports every problem at once and logs each input before throwing ModelRunError', async () => {
    const feeds = {
      z: { type: 'int64', data: new BigInt64Array(6), dims: [2, 3] } as HostTensor,
      extra: { type: 'float32', data: new Float32Array(1), dims: [1] } as HostTensor,
    };
    const err = await session.run(feeds).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelRunError);
    const e = err as ModelRunError;
    expect(e.code).toBe('MODEL_RUN_FAILED');
    expect(e.session).toBe('decoder_init');
    expect(e.problems).toEqual([
      'input "z": type int64, expected float32',
      'input "z": data is BigInt64Array, expected Float32Array',
      'input "z": dim 1 is 3, expected 16',
      'unexpected input "extra"',
    ]);
    expect(e.inputs).toEqual([
      { name: 'z', type: 'int64', dims: [2, 3], length: 6 },
      { name: 'extra', type: 'float32', dims: [1], length: 1 },
    ]);
    const logged = logger.lines.map((l) => l.message).join('\n');
    expect(logger.lines.every((l) => l.level === 'error')).toBe(true);
    expect(logged).toContain('input "z": type int64, dims [2, 3], length 6');
    expect(logged).toContain('input "extra": type float32, dims [1], length 1');
    expect(logged).toContain('expected: z float32 [batch, 16]');
  });

  it('refuses a missing input, a wrong rank and a data length that does not match the dims', async () => {
    await expect(session.run({})).rejects.toMatchObject({ problems: ['missing input "z"'] });
    await expect(session.run({ z: { type: 'float32', data: new Float32Array(16), dims: [16] } })).rejects.toMatchObject({
      problems: ['input "z": rank 1 [16], expected [batch, 16]'],
    });
    await expect(session.run({ z: { type: 'float32', data: new Float32Array(20), dims: [1, 16] } })).rejects.toMatchObject({
      problems: ['input "z": data length 20 != product of dims [1, 16] = 16'],
    });
  });

  it('throws ModelLoadError for a missing file', async () => {
    await expect(createSession('/nonexistent/model.onnx', 'x')).rejects.toBeInstanceOf(ModelLoadError);
  });

  it('throws ModelRunError after dispose', async () => {
    const s = await createSession(ONNX, 'short-lived', { logger: new RecordingLogger() });
    await s.dispose();
    await s.dispose(); // idempotent
    expect(s.disposed).toBe(true);
    await expect(s.run({ z: z(1) })).rejects.toMatchObject({ problems: ['session is disposed'] });
  });
});
