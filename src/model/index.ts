/** Public surface of the model layer. Only onnx-backend.ts imports onnxruntime-node. */
export * from './errors';
export { DECODE_STRATEGIES } from './decoding';
export { MAX_BEAM_WIDTH } from './beam';
export type { Beam } from './beam';
export type { DecodeOptions, DecodeStrategy } from './decoding';
export { DIRECTION_NORM_TOLERANCE, DIRECTIONS_FILE, parseDirections, readDirections } from './directions';
export type { DirectionsExpectation, PropertyDirection, PropertyDirections } from './directions';
export { DEFAULT_MAX_BATCH, loadModel, SmilesVae } from './model';
export type { DecodedSequence, EncodedBatch, LoadModelOptions } from './model';
export type { ModelMetadata } from './model-files';
export { ModelModule } from './model.module';
export { DEFAULT_MODEL_DIR, MODEL_OPTIONS, ModelService, modelOptionsFromEnv } from './model.service';
export type { ModelServiceOptions } from './model.service';
export { DEVICES, knownDevices } from './onnx-backend';
export type { Device, ExecutionProvider } from './onnx-backend';
export { randomSeed, Rng } from './rng';
export { SmilesTokenizer } from './tokenizer';
