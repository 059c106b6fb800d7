import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Saves a trained model in the TF.js layers format (model.json + one weights .bin) with a
 * save handler of our own (tfjs-node's file:// handler is not available on wasm/cpu), and
 * the network's source code next to it, so a model is both loadable and readable.
 */

/** What `exportModel` wrote. */
export interface ExportedModel {
  dir: string;
  modelJson: string;
  weightsBin: string;
  codeFile: string | null;
  weightBytes: number;
}

/** What to store next to the model. */
export interface ExportOptions {
  /** The network's code (what the LLM wrote), saved as `code` in the folder. */
  code?: string;
  /** File name for the code (default `model.code.js`). */
  codeFileName?: string;
  /** Free-form metadata stored in model.json's `userDefinedMetadata` (metrics, provenance). */
  metadata?: Record<string, unknown>;
}

const WEIGHTS_FILE = 'weights.bin';

function concatWeights(data: tf.io.WeightData | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  const parts = Array.isArray(data) ? data : [data];
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), offset);
    offset += p.byteLength;
  }
  return out;
}

/** A model in the layers format, in memory: model.json's text (naming weights.bin) and the weights' bytes. */
export interface ModelBytes {
  modelJson: string;
  weights: Uint8Array;
}

/** Serialises `model` as model.json + weights.bin would hold it, without touching the file system. */
export async function modelBytes(model: tf.LayersModel, metadata?: Record<string, unknown>): Promise<ModelBytes> {
  let bytes: ModelBytes | null = null;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weights = concatWeights(artifacts.weightData);
    const json = {
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      ...(metadata ? { userDefinedMetadata: metadata } : {}),
    };
    bytes = { modelJson: JSON.stringify(json), weights };
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  }));
  if (!bytes) throw new Error('the model was not saved');
  return bytes;
}

/** Writes `model` (and `code`) into `dir`, creating it. Overwrites earlier exports there. */
export async function exportModel(model: tf.LayersModel, dir: string, options: ExportOptions = {}): Promise<ExportedModel> {
  await mkdir(dir, { recursive: true });
  const modelJson = path.join(dir, 'model.json');
  const weightsBin = path.join(dir, WEIGHTS_FILE);
  const bytes = await modelBytes(model, options.metadata);
  await writeFile(weightsBin, bytes.weights);
  await writeFile(modelJson, bytes.modelJson);
  let codeFile: string | null = null;
  if (options.code !== undefined) {
    codeFile = path.join(dir, options.codeFileName ?? 'model.code.js');
    await writeFile(codeFile, options.code);
  }
  return { dir, modelJson, weightsBin, codeFile, weightBytes: bytes.weights.byteLength };
}

/** Loads a folder written by `exportModel` back into a tf.LayersModel (no fetch, no tfjs-node). */
export async function loadExportedModel(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as {
    modelTopology: object; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  const manifest = json.weightsManifest[0];
  if (!manifest) throw new Error(`${dir}/model.json has no weights manifest`);
  const bins = await Promise.all(manifest.paths.map((p) => readFile(path.join(dir, p))));
  const weights = concatWeights(bins.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer));
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: manifest.weights, weightData: weights.buffer as ArrayBuffer }));
}
