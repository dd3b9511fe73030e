/**
 * @module retrieve/embedders
 * Embedders behind the `Embedder` interface: the built-in offline ones (hashed terms; terms blended with
 * co-occurrence vectors learned from the repository), a local ONNX model, an OpenAI-compatible endpoint.
 */
export { BUILTIN_MODELS, DEFAULT_BUILTIN_MODEL, builtinEmbedder, createEmbedder } from './create-embedder.js';
export type { BuiltinModel } from './create-embedder.js';
export { CooccurrenceEmbedder } from './cooccurrence-embedder.js';
export type { CooccurrenceEmbedderOptions } from './cooccurrence-embedder.js';
export { isFittedEmbedder } from './fitted-embedder.js';
export type { FittedEmbedder } from './fitted-embedder.js';
export { HashedEmbedder } from './hashed-embedder.js';
export type { HashedEmbedderOptions } from './hashed-embedder.js';
export { HttpEmbedder, embeddingsUrl } from './http-embedder.js';
export type { HttpEmbedderOptions } from './http-embedder.js';
export { OnnxEmbedder } from './onnx-embedder.js';
export type { OnnxEmbedderOptions } from './onnx-embedder.js';
